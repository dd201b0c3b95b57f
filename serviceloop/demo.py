"""`serviceloop demo`: a believable company to try ServiceLoop with. Idempotent: running it
again adds nothing that is already there. Every record goes through the services, so the
demo data is audited like real data."""

from __future__ import annotations

import random
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from serviceloop.communications import services as comm_services
from serviceloop.communications.models import Channel, Communication
from serviceloop.core.demo import ensure_company
from serviceloop.core.late_entry import BACKFILL_REASON
from serviceloop.core.models import Agent, Department, Role, User
from serviceloop.core.roles import RoleCode as R
from serviceloop.customers import services as cust_services
from serviceloop.customers.models import Customer

DEMO_PASSWORD = "demo1234"
# Apps with a `demo.run(*, rng, stdout)` of their own, run after customers and communications.
APP_DEMOS = (
    "complaints",
    "warranty",
    "fieldservice",
    "earlywarning",
    "presales",
    "visits",
    "training",
    "summaries",
)

# username, display name, department code, roles
PEOPLE = [
    ("admin", "系统管理员", None, [R.ADMIN]),
    ("sales1", "张伟", "sales", [R.SALES]),
    ("sales2", "李娜", "sales", [R.SALES]),
    ("saleslead", "王强", "sales", [R.SALES_LEADER]),
    ("salesmgr", "朱军", "sales", [R.DEPT_HEAD]),
    ("quality1", "刘洋", "quality", [R.QUALITY]),
    ("pq1", "陈静", "production_quality", [R.PRODUCTION_QUALITY]),
    ("prod1", "杨磊", "production", [R.PRODUCTION]),
    ("tech1", "赵敏", "technical", [R.TECHNICAL]),
    ("rnd1", "黄涛", "rnd", [R.RND]),
    ("purch1", "周杰", "purchasing", [R.PURCHASING]),
    ("wh1", "吴芳", "warehouse", [R.WAREHOUSE]),
    ("eng1", "徐鹏", "sales", [R.SERVICE_ENGINEER]),
    ("eng2", "孙丽", "sales", [R.SERVICE_ENGINEER]),
    ("agent1", "华东汽配(代理)", None, [R.AGENT]),
    ("agent2", "西南汽配(代理)", None, [R.AGENT]),
    ("leader", "胡斌", "management", [R.COMPANY_LEADER]),
    ("mrep", "郭红", "management", [R.MGMT_REP]),
    ("gm", "马云飞", "management", [R.GENERAL_MANAGER]),
]

AGENTS = [("east", "华东汽配服务有限公司", "华东"), ("southwest", "西南汽配贸易有限公司", "西南")]

OEM1 = [
    "华北重型汽车集团",
    "长江汽车股份有限公司",
    "东岭客车有限公司",
    "南方商用车有限公司",
    "北岳专用汽车有限公司",
    "中原轻型汽车有限公司",
    "江淮工程机械集团",
    "海川新能源汽车",
]
OEM2 = [
    "鲁东改装车厂",
    "晋中农用车制造",
    "皖南特种车辆",
    "湘江汽车配套",
    "闽西客车改装",
    "川北物流车辆",
    "冀中挂车制造",
    "粤海车桥",
]
RETAIL_KEY = ["顺达物流车队", "远航客运集团", "恒通工程车队", "城市公交三公司", "联运冷链车队"]
RETAIL = [
    "李师傅汽修",
    "鑫源汽配店",
    "路路通修理厂",
    "老王汽车服务",
    "驰远汽配",
    "安达修理部",
    "兴隆汽配城",
    "鸿运车行",
    "快修一站",
]
PLACES = [
    ("北京", "北京"),
    ("湖北", "武汉"),
    ("山东", "济南"),
    ("四川", "成都"),
    ("广东", "广州"),
    ("江苏", "南京"),
    ("河南", "郑州"),
    ("安徽", "合肥"),
]
CONTACTS = [("采购经理", "赵"), ("质量工程师", "钱"), ("售后主管", "孙"), ("技术科长", "周")]
SUBJECTS = [
    ("减振器异响", "客户反映车辆在颠簸路面行驶时减振器有异响,要求派人检查。"),
    ("到货数量不符", "本批到货比送货单少 20 件,请核实。"),
    ("漏油", "三台车的减振器出现漏油现象,行驶里程约 8000 km。"),
    ("索取技术资料", "客户需要新型号的安装说明和扭矩参数。"),
    ("交货期询问", "询问 12 月订单的交货进度。"),
    ("包装破损", "运输途中包装破损,部分产品外观磕碰。"),
    ("三包索赔咨询", "用户咨询购买 10 个月后出现故障是否在三包期内。"),
    ("产品断裂", "一件连杆在使用中断裂,要求分析原因。"),
    ("来访交流", "客户质量部来访,交流上季度质量问题的整改情况。"),
    ("发票问题", "客户要求重开发票,抬头有误。"),
]


def _roles() -> dict[str, Role]:
    return {r.code: r for r in Role.objects.all()}


def ensure_people(stdout=None) -> list[tuple[str, str, str]]:
    roles = _roles()
    agents = {}
    for code, name, region in AGENTS:
        agents[code], _ = Agent.objects.get_or_create(
            code=code, defaults={"name": name, "region": region}
        )
    logins = []
    hashed = make_password(DEMO_PASSWORD)  # hash once: PBKDF2 is slow on purpose
    for username, display, dept, role_codes in PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                display_name=display,
                email=f"{username}@serviceloop.local",
                is_superuser=username == "admin",
                is_staff=username == "admin",
            )
            user.department = Department.objects.filter(code=dept).first() if dept else None
            if username.startswith("agent"):
                user.agent = agents["east" if username == "agent1" else "southwest"]
            user.password = hashed
            user.save()
            user.roles.set([roles[c] for c in role_codes])
        logins.append((username, display, ", ".join(str(roles[c]) for c in role_codes)))
    return logins


def ensure_customers(admin: User, rng: random.Random) -> list[Customer]:
    customers = []
    groups = [
        ("oem_tier1", OEM1),
        ("oem_tier2", OEM2),
        ("retail_key", RETAIL_KEY),
        ("retail", RETAIL),
    ]
    n = 0
    for tier, names in groups:
        for name in names:
            n += 1
            code = f"C{n:03d}"
            existing = Customer.objects.filter(code=code).first()
            if existing:
                customers.append(existing)
                continue
            province, city = rng.choice(PLACES)
            agent = None
            if tier == "retail":
                agent = Agent.objects.get(code="east" if n % 2 else "southwest")
            customer = cust_services.customer_create(
                actor=admin,
                code=code,
                name=name,
                tier=tier,
                agent=agent,
                province=province,
                city=city,
                mailing_address=f"{province}省{city}市经济开发区{rng.randint(1, 99)}号",
                postal_code=f"{rng.randint(100000, 899999)}",
                phone=f"0{rng.randint(10, 99)}-{rng.randint(6000000, 8999999)}",
            )
            for i, (title, surname) in enumerate(rng.sample(CONTACTS, 2)):
                cust_services.contact_create(
                    actor=admin,
                    customer=customer,
                    name=f"{surname}{rng.choice('明华强丽军')}",
                    title=title,
                    phone=f"13{rng.randint(100000000, 999999999)}",
                    email=f"contact{n}{i}@example.cn",
                    is_primary=i == 0,
                )
            if tier == "oem_tier1":
                start = timezone.localdate() - timedelta(days=rng.randint(200, 600))
                cust_services.agreement_create(
                    actor=admin,
                    customer=customer,
                    reference=f"SA-{code}",
                    valid_from=start,
                    valid_to=start + timedelta(days=365 * 3),
                    warranty_months=rng.choice([12, 18, 24]),
                    warranty_km=rng.choice([None, 50000]),
                )
            customers.append(customer)
    return customers


# Communications the demo leaves overdue on purpose, so that "my work" and the lists show what
# an overdue item looks like: one never answered, one answered but never fed back.
UNANSWERED_ON_PURPOSE = 101
NO_FEEDBACK_ON_PURPOSE = 202


def communication_progress(
    i: int, age: timedelta, draws: tuple[float, float, float]
) -> tuple[bool, str]:
    """What the company has done by now with communication `i`, received `age` ago, as a
    company in steady state: (answered?, "feedback" | "extended" | ""). Everything due by now
    is done (some of it late, decided by the caller); the younger ones are done by chance
    (`draws` in [0, 1)); only the two numbered above are left overdue."""
    early, feedback_early, extend = draws
    answered = age > timedelta(days=1) or (early < 0.3 and age > timedelta(hours=2))
    if i == UNANSWERED_ON_PURPOSE or not answered:
        return False, ""
    if i == NO_FEEDBACK_ON_PURPOSE:
        return True, ""
    if age > timedelta(days=6):
        # a special case needs a week more; after that week it is fed back too
        if extend < 0.15 and age < timedelta(days=13):
            return True, "extended"
        return True, "feedback"
    return True, "feedback" if feedback_early < 0.3 and age > timedelta(days=2) else ""


def _respond_routings(comm: Communication) -> None:
    for routing in comm.routings.filter(responded_at__isnull=True):
        responder = routing.department.members.first()
        if responder:
            comm_services.routing_respond(
                actor=responder,
                routing=routing,
                text="已分析原因,纠正措施已落实,详见附件报告。",
            )


def ensure_communications(customers: list[Customer], rng: random.Random, count: int = 300) -> int:
    names = ["sales1", "sales2", "eng1", "eng2"]
    # in this order: the first two (Sales) own what the engineers take
    takers = sorted(User.objects.filter(username__in=names), key=lambda u: names.index(u.username))
    if Communication.objects.filter(taken_by__in=takers).exists():
        return 0
    leader = User.objects.get(username="saleslead")
    depts = list(Department.objects.exclude(code="management"))
    now = timezone.now()
    made = 0
    for i in range(count):
        customer = rng.choice(customers)
        taker = rng.choice(takers)
        if customer.agent_id and rng.random() < 0.5:
            taker = User.objects.get(agent=customer.agent_id)
        received = now - timedelta(minutes=rng.randint(30, 90 * 24 * 60))
        subject, body = rng.choice(SUBJECTS)
        with transaction.atomic():
            comm = comm_services.communication_register(
                actor=taker,
                customer=customer,
                channel=rng.choice(list(Channel.values)),
                received_at=received,
                subject=subject,
                body=body,
                major_quality_issue=(i % 40 == 7),
                contact_name=rng.choice(["赵明", "钱华", "孙强"]),
                # an agent's login may make only its own agency's users the owner (issue 9)
                owner=taker if taker.agent_id else rng.choice(takers[:2]),
                route_to=rng.sample(depts, rng.randint(0, 2)),
                instruction="请分析原因并在一周内回复。",
            )
            age = now - received
            answered, then = communication_progress(
                i, age, (rng.random(), rng.random(), rng.random())
            )
            if answered:
                late = rng.random() < 0.1
                answered_at = received + timedelta(
                    hours=rng.uniform(26, 40) if late else rng.uniform(0.5, 23)
                )
                answered_at = min(answered_at, now)
                comm_services.communication_answer(
                    actor=comm.owner,
                    communication=comm,
                    at=answered_at,
                    reason=BACKFILL_REASON,
                    text="已电话回复客户,正在安排相关部门分析。",
                )
                if then == "feedback":
                    fb = min(received + timedelta(days=rng.uniform(2, 7.5)), now)
                    _respond_routings(comm)
                    comm_services.communication_feedback(
                        actor=comm.owner,
                        communication=comm,
                        at=max(fb, answered_at),
                        reason=BACKFILL_REASON,
                        text="已将分析结果和纠正措施反馈客户,客户认可。",
                    )
                elif then == "extended":
                    _respond_routings(comm)
                    comm_services.communication_extend_feedback(
                        actor=leader,
                        communication=comm,
                        new_due=comm.feedback_due_original_at + timedelta(days=7),
                        reason="需等待客户退回样件后分析,特殊情况延期一周。",
                    )
        made += 1
    return made


# Notices each person has not read yet after the demo: a company in steady state has read
# its older ones (the demo makes months of history in one run, so all its notices are new).
UNREAD_KEPT = 5


def settle_demo_backlog(rng: random.Random | None = None) -> None:
    """The demo as a company in steady state: Quality has named a leader for every 8D the
    major-problem flag opened more than a day ago and taken it as far as its age asks
    (closed when old), and people have read all but their newest notices."""
    from serviceloop.complaints.demo import work_by_age
    from serviceloop.complaints.models import EightDReport
    from serviceloop.core.models import Notification

    rng = rng or random.Random(0)
    if User.objects.filter(username="quality1").exists():
        cutoff = timezone.now() - timedelta(days=1)
        waiting = EightDReport.objects.filter(
            leader__isnull=True, complaint__received_at__lt=cutoff
        ).exclude(status="closed")
        for report in waiting.select_related("complaint"):
            work_by_age(report, rng)
    for user in User.objects.filter(notifications__read_at__isnull=True).distinct():
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
        keep = list(
            unread.order_by("-created_at", "-pk").values_list("pk", flat=True)[:UNREAD_KEPT]
        )
        unread.exclude(pk__in=keep).update(read_at=timezone.now())


def run(stdout=None) -> list[tuple[str, str, str]]:
    """Load the demo company. Its notifications send no e-mail: a job per notification would
    flood the worker's log with a few hundred mails to made-up addresses (issue 16)."""
    emails = settings.SERVICELOOP_NOTIFICATION_EMAILS
    settings.SERVICELOOP_NOTIFICATION_EMAILS = False
    try:
        return _run(stdout)
    finally:
        settings.SERVICELOOP_NOTIFICATION_EMAILS = emails


def _run(stdout=None) -> list[tuple[str, str, str]]:
    rng = random.Random(20261125)
    # One transaction: all or nothing, and one commit (SQLite syncs to disk per commit).
    with transaction.atomic():
        logins = ensure_people()
        admin = User.objects.get(username="admin")
        ensure_company(admin)
        customers = ensure_customers(admin, rng)
        made = ensure_communications(customers, rng)
    for app in APP_DEMOS:
        try:
            module = import_module(f"serviceloop.{app}.demo")
        except ModuleNotFoundError:
            continue
        module.run(rng=rng, stdout=stdout)
    settle_demo_backlog(rng)
    comm_services.sweep_overdue()
    if stdout is not None:
        stdout.write(f"Demo data: {len(customers)} customers, {made} new communications.")
    return logins
