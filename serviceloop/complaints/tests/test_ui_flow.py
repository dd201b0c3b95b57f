"""A complaint from registration to a closed 8D, a sent reply letter and an acknowledged
circulation, entirely through the pages (Django test client), as the people of the
procedure would do it: Sales registers and converts, Quality leads the 8D, Production does
its containment, Technical revises the work instruction, Sales sends the reply, the
Management Representative and the General Manager acknowledge (R-5.5.1–R-5.5.8)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from serviceloop.complaints.models import (
    ActionItem,
    Circulation,
    Complaint,
    Containment,
    EightDReport,
    ReplyLetter,
)
from serviceloop.core.models import Department
from serviceloop.core.testing.factories import CustomerFactory, user_with

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def ok(response, status=302):
    assert response.status_code == status, response.content.decode()[:3000]
    return response


def test_complaint_from_register_to_acknowledged_circulation_in_the_ui():
    customer = CustomerFactory(name="华北重型汽车集团")
    sales, quality = user_with("sales"), user_with("quality")
    production = user_with("production")
    technical = user_with("technical")
    mrep, gm = user_with("mgmt_rep"), user_with("general_manager")
    s, q, p, t = (client_for(u) for u in (sales, quality, production, technical))

    # Sales registers the complaint.
    ok(s.get(reverse("complaints:create")), 200)
    received = timezone.now() - timedelta(hours=3)
    r = ok(
        s.post(
            reverse("complaints:create"),
            {
                "kind": "complaint",
                "customer": customer.pk,
                "received_at": local(received),
                "part_number": "SA-2031",
                "part_name": "前减振器",
                "lot": "L2026-0412",
                "quantity": "12",
                "description": "减振器漏油,装车后三天内发现。",
                "in_production": "on",
                "severity": "high",
            },
        )
    )
    complaint = Complaint.objects.get()
    assert r["Location"] == reverse("complaints:detail", args=[complaint.pk])
    page = ok(s.get(r["Location"]), 200).content.decode()
    assert complaint.number in page and "减振器漏油" in page

    # ... and converts it into an 8D handed to Quality.
    r = ok(s.post(reverse("complaints:open_8d", args=[complaint.pk]), {"leader": quality.pk}))
    report = EightDReport.objects.get()
    assert r["Location"] == reverse("complaints:eightd", args=[report.pk])
    ok(s.post(reverse("complaints:open_8d", args=[complaint.pk]), {}))  # again: the same 8D
    assert EightDReport.objects.count() == 1

    disc = lambda code: reverse("complaints:discipline", args=[report.pk, code])  # noqa: E731
    done = lambda code: reverse("complaints:discipline_complete", args=[report.pk, code])  # noqa: E731

    # Quality: D0 emergency response, D1 team with Production and Technical.
    ok(q.get(reverse("complaints:eightd", args=[report.pk])), 200)
    ok(
        q.post(
            disc("d0"),
            {
                "disc-summary": "通知顾客隔离在库同批次产品,紧急补发合格品。",
                "disc-owner": quality.pk,
                "disc-due_at": local(timezone.now()),
            },
        )
    )
    ok(q.post(done("d0")))
    for person, what in ((production, "围堵与返工"), (technical, "作业指导书修订")):
        ok(
            q.post(
                reverse("complaints:team_add", args=[report.pk]),
                {"team-user": person.pk, "team-role": "member", "team-responsibility": what},
            )
        )
    ok(q.post(done("d1")))

    # D2 with htmx: only the form comes back.
    r = q.post(
        disc("d2"),
        {
            "disc-summary": "",
            "disc-problem_statement": "SA-2031 油封处漏油",
            "disc-d2_what": "活塞杆油封漏油",
            "disc-d2_how_many": "12 件",
        },
        headers={"HX-Request": "true", "HX-Target": "discipline-form"},
    )
    assert r.status_code == 200 and 'id="discipline-form"' in r.content.decode()
    assert "<html" not in r.content.decode()
    ok(q.post(done("d2")))

    # D3: the product is still in production, so containment is required;
    # Quality sets it, Production carries it out, reworked goods are re-inspected.
    r = q.post(done("d3"))
    assert r.status_code == 400 and "still in production" in r.content.decode()
    prod_dept = Department.objects.get(code="production")
    ok(
        q.post(
            reverse("complaints:containment_add", args=[report.pk]),
            {
                "cont-location": "in_production",
                "cont-action": "停线检查压装机,在制品全检",
                "cont-department": prod_dept.pk,
                "cont-due_at": local(timezone.now() + timedelta(hours=4)),
                "cont-quantity_checked": 0,
                "cont-quantity_found": 0,
                "cont-quantity_isolated": 0,
                "cont-quantity_tagged": 0,
                "cont-quantity_reworked": 0,
            },
        )
    )
    containment = Containment.objects.get()
    ok(p.get(disc("d3")), 200)
    ok(
        p.post(
            reverse("complaints:containment_done", args=[containment.pk]),
            {
                "done-result": "在制品 480 件全检,发现 6 件不良,已隔离标识并返工",
                "done-quantity_checked": 480,
                "done-quantity_found": 6,
                "done-quantity_isolated": 6,
                "done-quantity_tagged": 6,
                "done-quantity_reworked": 6,
            },
        )
    )
    containment.refresh_from_db()
    assert containment.reinspection == "pending"
    r = q.post(done("d3"))
    assert r.status_code == 400 and "re-inspection" in r.content.decode()
    ok(
        q.post(
            reverse("complaints:containment_reinspect", args=[containment.pk]),
            {"reinspect-passed": "1", "reinspect-note": "返工品 6 件复检合格"},
        )
    )
    ok(q.post(done("d3")))

    # D4: causes traced to the work station, operator and inspector.
    for kind, category, text, station in (
        ("occurrence", "machine", "油封压装机压力偏低", "油封压装工位"),
        ("escape", "measurement", "气密检测抽检频次不足", "终检工位"),
    ):
        ok(
            q.post(
                reverse("complaints:cause_add", args=[report.pk]),
                {
                    "cause-kind": kind,
                    "cause-category": category,
                    "cause-description": text,
                    "cause-responsibility": "company",
                    "cause-work_station": station,
                    "cause-operator": "王五",
                    "cause-inspector": "赵六",
                    "cause-process_card_ref": "GY-031",
                    "cause-inspection_record_ref": "JY-0412",
                },
            )
        )
    ok(q.post(done("d4")))

    # D5 corrective action for Production; D7 work-instruction revision for Technical.
    due = local(timezone.now() + timedelta(days=5))
    ok(
        q.post(
            reverse("complaints:action_add", args=[report.pk, "d5"]),
            {
                "action-kind": "corrective",
                "action-description": "调整压装压力并加装压力报警",
                "action-owner": production.pk,
                "action-due_at": due,
            },
        )
    )
    ok(q.post(done("d5")))
    ok(
        q.post(
            reverse("complaints:action_add", args=[report.pk, "d7"]),
            {
                "action-kind": "work_instruction",
                "action-description": "修订油封压装作业指导书",
                "action-owner": technical.pk,
                "action-due_at": due,
            },
        )
    )
    ok(
        q.post(
            reverse("complaints:action_add", args=[report.pk, "d7"]),
            {
                "action-kind": "training",
                "action-description": "对操作者和检验员进行培训",
                "action-owner": production.pk,
                "action-due_at": due,
            },
        )
    )
    corrective, wi, training = ActionItem.objects.order_by("pk")

    # The 8D cannot close while action items are open.
    r = q.post(reverse("complaints:close", args=[report.pk]), {"close-summary": "结案"})
    assert r.status_code == 400 and "action items are still open" in r.content.decode()

    ok(
        p.post(
            reverse("complaints:action_complete", args=[corrective.pk]),
            {"complete-result": "压力已调整到 0.6 MPa,报警已装"},
        )
    )
    ok(
        q.post(
            reverse("complaints:action_verify", args=[corrective.pk]),
            {"verify-effective": "1", "verify-note": "连续三批气密检测无泄漏"},
        )
    )
    ok(
        q.post(
            disc("d6"),
            {
                "disc-summary": "纠正措施已实施并验证有效。",
                "disc-owner": quality.pk,
                "disc-due_at": due,
            },
        )
    )
    ok(q.post(done("d6")))
    ok(
        t.post(
            reverse("complaints:action_complete", args=[wi.pk]),
            {"complete-result": "已修订", "complete-document_ref": "WI-031 B→C"},
        )
    )
    ok(
        t.post(
            reverse("complaints:action_verify", args=[wi.pk]),
            {"verify-effective": "1", "verify-note": "跟踪两周,按新版作业无不良"},
        )
    )
    ok(
        p.post(
            reverse("complaints:action_complete", args=[training.pk]),
            {"complete-result": "已培训", "complete-trainees": "王五、赵六"},
        )
    )
    ok(
        q.post(
            disc("d7"),
            {
                "disc-summary": "修订作业指导书并培训责任人。",
                "disc-owner": quality.pk,
                "disc-due_at": due,
            },
        )
    )
    ok(q.post(done("d7")))

    # D8: close; the complaint closes and is circulated.
    ok(
        q.post(
            reverse("complaints:close", args=[report.pk]), {"close-summary": "问题已解决,结案。"}
        )
    )
    complaint.refresh_from_db()
    report.refresh_from_db()
    assert complaint.status == "closed" and report.status == "closed" and report.closed_at
    assert Circulation.objects.filter(report=report).count() == 2

    # Quality drafts the reply letter from the 8D; Sales sends it.
    reply_url = reverse("complaints:reply", args=[report.pk])
    ok(q.get(reply_url), 200)
    ok(q.post(reply_url, {}))
    letter = ReplyLetter.objects.get()
    assert "油封压装机压力偏低" in letter.body
    ok(
        q.post(
            reply_url,
            {
                "reply-title": letter.title,
                "reply-subject": letter.subject,
                "reply-body": letter.body + "\n特此答复。",
            },
        )
    )
    pdf = ok(q.get(reverse("complaints:reply_pdf", args=[report.pk])), 200)
    assert pdf["Content-Type"] == "application/pdf"
    ok(q.get(reverse("complaints:reply_docx", args=[report.pk])), 200)
    ok(
        s.post(
            reverse("complaints:reply_send", args=[report.pk]),
            {"send-sent_to": "华北重型 质量部 赵明", "send-method": "email"},
        )
    )
    letter.refresh_from_db()
    assert (
        letter.status == "sent" and letter.sent_by == sales and letter.body.endswith("特此答复。")
    )

    # The MR and the GM see it in their work and acknowledge it.
    for person in (mrep, gm):
        c = client_for(person)
        work = ok(c.get(reverse("core:my_work")), 200).content.decode()
        assert complaint.number in work
        ok(c.post(reverse("complaints:acknowledge", args=[report.pk]), {"ack-note": "已阅"}))
        work = ok(c.get(reverse("core:my_work")), 200).content.decode()
        assert f"Acknowledge closed complaint {complaint.number}" not in work
    assert not Circulation.objects.filter(acknowledged_at__isnull=True).exists()

    # The register shows it all, and the XLSX export carries it.
    page = ok(s.get(reverse("complaints:list")), 200).content.decode()
    assert complaint.number in page and report.number in page
    assert re.search(r"Closed", page)
    export = ok(s.get(reverse("complaints:list"), {"export": "xlsx"}), 200)
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
