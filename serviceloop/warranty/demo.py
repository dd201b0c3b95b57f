"""Demo warranty claims: a few hundred over the last 18 months across the demo customers,
shock-absorber and connecting-rod part numbers and production months, with a realistic mix
of decisions (some overridden), approvals, settlements and one bulk import with errors.

Everything goes through the services (so it is decided by the rule and audited like real
data). Idempotent: nothing is added when the demo claims are already there.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from serviceloop.core.demo import demo_users
from serviceloop.core.models import ImportJob, User
from serviceloop.customers.models import Customer, Tier

from . import services
from .models import Decision, Remedy, Status, WarrantyClaim

TAKERS = ("sales1", "sales2", "eng1", "eng2", "quality1")
PARTS = [
    ("SA-2041", "前减振器", ["漏油", "异响", "减振失效", "活塞杆断裂"]),
    ("SA-2042", "后减振器", ["漏油", "异响", "减振失效", "衬套磨损"]),
    ("SA-2105", "驾驶室减振器", ["异响", "漏气", "衬套磨损"]),
    ("SA-3310", "座椅减振器", ["卡滞", "异响", "减振失效"]),
    ("CR-1120", "连杆", ["断裂", "变形", "磨损"]),
]
MODELS = ["ZZ4257", "DFH4180", "CA4250", "BJ1049", "SX4250", "HFC1041"]
EXCLUSIONS = [
    ["improper_use"],
    ["modification"],
    ["improper_installation"],
    ["non_original_parts"],
    ["appearance_poor_care"],
    ["improper_disassembly"],
    ["origin_unproven"],
    ["modification", "non_original_parts"],
]
COUNT = 320
ONE_PIXEL_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _months_before(d: date, months: int) -> str:
    index = d.year * 12 + d.month - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _vin(rng: random.Random) -> str:
    chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    return "L" + "".join(rng.choice(chars) for _ in range(16))


def _photo(rng: random.Random, text: str) -> SimpleUploadedFile:
    """A small generated PNG (a sketch of the failed part), so the demo has photos."""
    try:
        from PIL import Image, ImageDraw  # installed with WeasyPrint
    except ImportError:  # pragma: no cover - a plain one-pixel PNG then
        return SimpleUploadedFile("photo.png", ONE_PIXEL_PNG, content_type="image/png")

    img = Image.new("RGB", (320, 200), (235, 238, 242))
    draw = ImageDraw.Draw(img)
    draw.rectangle((60, 70, 260, 130), fill=(90, 98, 110))
    draw.rectangle((20, 92, 60, 108), fill=(150, 155, 160))
    draw.ellipse((250, 80, 290, 120), outline=(60, 60, 60), width=4)
    x = rng.randint(90, 220)
    draw.ellipse((x, 120, x + 22, 150), fill=(120, 80, 20))  # the oil stain
    draw.text((10, 10), text, fill=(20, 20, 20))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return SimpleUploadedFile("photo.png", buf.getvalue(), content_type="image/png")


def _inputs(rng: random.Random, customer: Customer, today: date, n: int) -> dict[str, Any]:
    part, name, modes = rng.choice(PARTS)
    reported = today - timedelta(days=rng.randint(0, 540))
    failed = reported - timedelta(days=rng.randint(0, 10))
    # Most failures come inside the warranty year; a tail comes after it.
    in_service = int(rng.triangular(5, 480, 110))
    purchase = failed - timedelta(days=in_service)
    build_month = _months_before(purchase, rng.randint(1, 5))
    km_per_day = rng.uniform(25, 160) if customer.tier != Tier.RETAIL else rng.uniform(15, 90)
    mileage = round(in_service * km_per_day, -1)
    roll = rng.random()
    if roll < 0.62:
        findings = [rng.choice(["manufacturing_defect", "material_nonconformity"])]
        if rng.random() < 0.1:
            findings = ["material_nonconformity", "manufacturing_defect"]
    elif roll < 0.88:
        findings = rng.choice(EXCLUSIONS)
    else:
        findings = []  # inspection not conclusive: needs review
    seq = n + 1
    return {
        "customer": customer,
        "reported_on": reported,
        "failure_date": failed,
        "purchase_date": None if rng.random() < 0.05 else purchase,
        "mileage_km": None if rng.random() < 0.05 else mileage,
        "findings": findings,
        "repairable": rng.random() < 0.55,
        "part_number": part,
        "part_name": name,
        "serial_number": f"{part.replace('-', '')}-{build_month.replace('-', '')}-{seq:04d}",
        "lot": f"L{build_month[2:].replace('-', '')}-{rng.randint(1, 12):02d}",
        "build_month": build_month,
        "oem": customer.name
        if customer.tier.startswith("oem")
        else rng.choice(["长江汽车股份有限公司", "华北重型汽车集团", "南方商用车有限公司"]),
        "vin": _vin(rng),
        "vehicle_model": rng.choice(MODELS),
        "failure_mode": rng.choice(modes),
        "description": f"用户反映{rng.choice(modes)},返厂拆检。",
        "cost_parts": Decimal(rng.randint(80, 1500)),
        "cost_labour": Decimal(rng.choice([50, 80, 120, 200, 400])),
        "cost_travel": Decimal(rng.choice([0, 0, 0, 300, 650, 1200])),
    }


def _taker(rng: random.Random, customer: Customer, people: dict[str, User]) -> User:
    if customer.agent_id and rng.random() < 0.6:
        agent = User.objects.filter(agent_id=customer.agent_id).first()
        if agent is not None:
            return agent
    return people[rng.choice(TAKERS)]


def _progress(rng: random.Random, claim: WarrantyClaim, people: dict[str, User], today: date):
    """Move a claim on as people would have by now: overrides, review, settlement."""
    quality, leader, sales = people["quality1"], people["saleslead"], people["sales1"]
    age = (today - claim.reported_on).days
    if claim.decision == Decision.NEEDS_REVIEW and age > 20 and rng.random() < 0.6:
        claim = services.claim_override(
            actor=quality,
            claim=claim,
            decision=Decision.COVERED,
            reason="复核:返件确认为制造缺陷,用户购车发票后补。",
        )
    elif (
        claim.decision == Decision.NOT_COVERED
        and claim.reasons == ["expired_time"]
        and rng.random() < 0.35
    ):
        claim = services.claim_override(
            actor=leader,
            claim=claim,
            decision=Decision.COVERED,
            remedy=Remedy.REPAIR,
            reason="重点客户,超出保修期不足一个月,经销售领导批准按三包处理(商务让步)。",
        )
    elif claim.decision == Decision.COVERED and rng.random() < 0.05:
        claim = services.claim_override(
            actor=quality, claim=claim, remedy=Remedy.REFUND, reason="用户选择退货,已确认。"
        )
    if claim.status != Status.DECIDED or age < 5 or rng.random() < 0.15:
        return
    if claim.decision == Decision.COVERED:
        claim = services.claim_approve(actor=quality, claim=claim, note="返件检验确认。")
        if age > 30 and rng.random() < 0.85:
            serial = ""
            if claim.remedy == Remedy.REPLACE:
                serial = f"{claim.serial_number}-R"
            services.claim_settle(
                actor=sales,
                claim=claim,
                note="已处理完毕,费用已结算。",
                replacement_serial=serial or None,
            )
    elif claim.decision == Decision.NOT_COVERED:
        claim = services.claim_reject(actor=quality, claim=claim, note="不符合三包条件。")
        if age > 20 and rng.random() < 0.8:
            services.claim_close(actor=sales, claim=claim, reason="已书面告知客户不予三包的原因。")


def _demo_import(rng: random.Random, people: dict[str, User], customers: list[Customer]):
    """One import through the bulk service: 40 rows, 3 with errors, valid rows imported."""
    from openpyxl import Workbook

    from serviceloop.core.importing.services import import_now

    from .importing import CLAIMS

    columns = CLAIMS.template_columns

    today = timezone.localdate()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "三包索赔"
    ws.append([c.header for c in columns])
    for i in range(40):
        data = _inputs(rng, rng.choice(customers), today, 9000 + i)
        labels = {
            "customer": data["customer"].code,
            "findings": "、".join(data["findings"]) or "",
            "repairable": "是" if data["repairable"] else "否",
        }
        if i == 7:
            labels["customer"] = "C999"  # unknown customer
        if i == 19:
            data["mileage_km"] = -120  # negative mileage
        if i == 31:
            labels["findings"] = "外观划伤"  # not a finding
        ws.append([labels.get(c.field, data.get(c.field)) for c in columns])
    buf = io.BytesIO()
    wb.save(buf)
    upload = SimpleUploadedFile("2026年三包索赔汇总-华东.xlsx", buf.getvalue())
    import_now(actor=people["quality1"], kind=CLAIMS.name, upload=upload, mode="valid_rows")


def run(*, rng: random.Random, stdout: Any = None) -> None:
    people = demo_users(*TAKERS, "saleslead")
    if len(people) < len(TAKERS) + 1:
        return  # the demo people are not there (serviceloop.demo makes them first)
    if WarrantyClaim.objects.filter(created_by__username__in=TAKERS).exists():
        return
    customers = list(Customer.objects.filter(code__regex=r"^C0[0-3]\d$").order_by("code"))
    if not customers:
        return
    today = timezone.localdate()
    made = 0
    for n in range(COUNT):
        customer = rng.choice(customers)
        data = _inputs(rng, customer, today, n)
        with transaction.atomic():
            claim = services.claim_create(actor=_taker(rng, customer, people), **data)
            if n % 25 == 3:
                services.attachment_add(
                    actor=people["eng1"],
                    claim=claim,
                    upload=_photo(rng, f"{claim.part_number} {claim.failure_mode}"),
                    description="返件照片",
                )
            _progress(rng, claim, people, today)
        made += 1
    if not ImportJob.objects.filter(kind="warranty-claims").exists():
        with transaction.atomic():
            _demo_import(rng, people, customers)
    if stdout is not None:
        stdout.write(f"Warranty demo: {made} claims and one import.\n")
