"""API of complaints and eight-d-reports (interface.md): a complaint from registration to a
closed 8D, a sent reply letter and an acknowledged circulation; field-named errors; scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from serviceloop.complaints.models import Complaint, EightDReport
from serviceloop.complaints.tests.factories import open_report, register_complaint
from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import AgentFactory, CustomerFactory, user_with

pytestmark = pytest.mark.django_db
R = "eight-d-reports"


def fields_named(response):
    return {d.get("field") or d["loc"][-1] for d in response.json()["detail"]}


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()[:2000]
    return response.json() if "json" in response.get("Content-Type", "") else response


def iso(delta=timedelta()):
    return (timezone.now() + delta).isoformat()


def test_complaint_to_closed_8d_reply_and_circulation_through_the_api(api_as, sales):
    quality, prod, tech = user_with("quality"), user_with("production"), user_with("technical")
    mrep, gm = user_with("mgmt_rep"), user_with("general_manager")
    s, q, p, t = (api_as(u) for u in (sales, quality, prod, tech))
    customer = CustomerFactory()

    body = ok(
        s.post(
            "complaints/",
            {
                "customer": customer.pk,
                "received_at": "2026-02-28T23:30:00+08:00",
                "part_number": "SA-2031",
                "lot": "L-0412",
                "quantity": 12,
                "description": "减振器漏油",
                "in_production": True,
            },
        ),
        201,
    )
    assert body["number"].startswith("CMP-2026-") and body["status"] == "registered"
    assert body["received_at"] == "2026-02-28T23:30:00+08:00" and body["eight_d"] is None
    cid = body["id"]

    first = ok(s.post(f"complaints/{cid}/eight-d", {"leader": quality.pk}), 201)
    again = ok(s.post(f"complaints/{cid}/eight-d"), 200)
    assert first["id"] == again["id"] and first["complaint"] == cid
    assert first["number"].startswith("8D-") and first["status"] == "open"
    for code in ("d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8"):
        assert first[code]["code"] == code and first[code]["status"] == "open"
    assert first["d1"]["leader"] == quality.pk and first["d1"]["team"][0]["role"] == "leader"
    assert "still in production" in first["close_blockers"]["d3"]
    rid = first["id"]
    assert ok(s.get(f"complaints/{cid}"))["eight_d_number"] == first["number"]

    # D0–D2.
    ok(q.patch(f"{R}/{rid}/disciplines/d0", {"summary": "通知顾客隔离同批次"}))
    ok(q.post(f"{R}/{rid}/disciplines/d0/complete"))
    ok(q.post(f"{R}/{rid}/team", {"user": prod.pk, "role": "member"}), 201)
    ok(q.post(f"{R}/{rid}/team", {"user": tech.pk, "role": "member"}), 201)
    ok(q.post(f"{R}/{rid}/disciplines/d1/complete"))
    d2 = ok(
        q.patch(
            f"{R}/{rid}/disciplines/d2",
            {"problem_statement": "油封漏油", "d2_what": "活塞杆油封", "d2_where": "总装"},
        )
    )
    assert d2["d2"]["where"] == "总装"
    ok(q.post(f"{R}/{rid}/disciplines/d2/complete"))

    # D3 containment by Production, re-inspected by Quality.
    cont = ok(
        q.post(
            f"{R}/{rid}/containments",
            {"location": "in_production", "action": "在制品全检", "owner": prod.pk},
        ),
        201,
    )
    assert cont["reinspection"] == "not_required"
    cont = ok(
        p.post(
            f"{R}/containments/{cont['id']}/done",
            {
                "result": "全检 480 件",
                "quantity_checked": 480,
                "quantity_found": 6,
                "quantity_isolated": 6,
                "quantity_tagged": 6,
                "quantity_reworked": 6,
            },
        )
    )
    assert cont["reinspection"] == "pending" and cont["done_at"]
    ok(q.post(f"{R}/containments/{cont['id']}/reinspect", {"passed": True, "note": "合格"}))
    ok(q.post(f"{R}/{rid}/disciplines/d3/complete"))

    # D4 root causes.
    ok(
        q.post(
            f"{R}/{rid}/root-causes",
            {
                "kind": "occurrence",
                "category": "machine",
                "description": "压装压力偏低",
                "work_station": "压装工位",
                "operator": "王五",
                "inspector": "赵六",
                "process_card_ref": "GY-031",
            },
        ),
        201,
    )
    ok(
        q.post(
            f"{R}/{rid}/root-causes",
            {"kind": "escape", "category": "measurement", "description": "抽检频次不足"},
        ),
        201,
    )
    ok(q.post(f"{R}/{rid}/disciplines/d4/complete"))

    # D5/D6 corrective action, D7 work instruction by Technical.
    action = ok(
        q.post(
            f"{R}/{rid}/action-items",
            {
                "discipline": "d5",
                "kind": "corrective",
                "description": "加装压力报警",
                "owner": prod.pk,
                "due_at": iso(timedelta(days=5)),
            },
        ),
        201,
    )
    assert action["needs_verification"] and action["status"] == "open"
    ok(q.post(f"{R}/{rid}/disciplines/d5/complete"))
    closing = ok(q.post(f"{R}/{rid}/close", {"summary": "结案"}), 422)
    assert {"action_items", "d6", "d7"} <= {d["field"] for d in closing["detail"]}
    ok(p.post(f"{R}/action-items/{action['id']}/complete", {"result": "已加装"}))
    ok(q.post(f"{R}/action-items/{action['id']}/verify", {"effective": True, "note": "有效"}))
    ok(q.patch(f"{R}/{rid}/disciplines/d6", {"summary": "实施并验证"}))
    ok(q.post(f"{R}/{rid}/disciplines/d6/complete"))
    wi = ok(
        q.post(
            f"{R}/{rid}/action-items",
            {
                "discipline": "d7",
                "kind": "work_instruction",
                "description": "修订作业指导书",
                "owner": tech.pk,
                "due_at": iso(timedelta(days=10)),
            },
        ),
        201,
    )
    ok(
        t.post(
            f"{R}/action-items/{wi['id']}/complete",
            {"result": "已修订", "document_ref": "WI-031 C"},
        )
    )
    ok(t.post(f"{R}/action-items/{wi['id']}/verify", {"effective": True, "note": "跟踪有效"}))
    ok(q.patch(f"{R}/{rid}/disciplines/d7", {"summary": "修订作业指导书,培训责任人"}))
    ok(q.post(f"{R}/{rid}/disciplines/d7/complete"))
    listed = ok(q.get(f"{R}/action-items", {"overdue": "false"}))
    assert listed["count"] == 2

    # D8.
    closed = ok(q.post(f"{R}/{rid}/close", {"summary": "问题已解决"}))
    assert closed["status"] == "closed" and closed["closed_at"] and closed["close_blockers"] == {}
    assert {r["role"] for r in closed["d8"]["circulation"]} == {"mgmt_rep", "general_manager"}
    assert ok(s.get(f"complaints/{cid}"))["status"] == "closed"

    # Reply letter: Quality drafts, Sales sends, both formats download.
    letter = ok(q.post(f"{R}/{rid}/reply", {}), 201)
    assert "压装压力偏低" in letter["body"] and letter["status"] == "draft"
    letter = ok(q.post(f"{R}/{rid}/reply", {"subject": "关于漏油问题的答复"}), 200)
    assert letter["subject"] == "关于漏油问题的答复"
    assert s.get(letter["pdf_url"]).status_code == 200
    assert s.get(letter["docx_url"]).status_code == 200
    assert ok(s.post(f"{R}/{rid}/reply/send", {"sent_to": "赵明", "method": "bogus"}), 422)
    sent = ok(s.post(f"{R}/{rid}/reply/send", {"sent_to": "赵明", "method": "email"}))
    assert sent["status"] == "sent" and sent["sent_by"] == sales.pk
    assert ok(q.post(f"{R}/{rid}/reply", {"body": "x"}), 422)
    assert ok(s.get(f"complaints/{cid}"))["reply_sent_at"]

    # Circulation acknowledged by the MR and the GM.
    rows = ok(api_as(mrep).post(f"{R}/{rid}/acknowledge", {"note": "已阅"}))
    assert [r for r in rows if r["role"] == "mgmt_rep"][0]["acknowledged_by"] == mrep.pk
    rows = ok(api_as(gm).post(f"{R}/{rid}/acknowledge", {}))
    assert all(r["acknowledged_at"] for r in rows)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": -2}, "quantity"),
        ({"quantity": None}, "quantity"),
        ({"customer": 999999}, "customer"),
        ({"description": ""}, "description"),
        ({"part_number": ""}, "part_number"),
        ({"received_at": "2026-02-28T23:30:00"}, "received_at"),
        ({"severity": "x"}, "severity"),
    ],
)
def test_bad_complaint_input_is_422_naming_the_field_and_stores_nothing(sales_api, change, field):
    body = {
        "customer": CustomerFactory().pk,
        "received_at": iso(-timedelta(hours=1)),
        "part_number": "P",
        "quantity": 3,
        "description": "异响",
    }
    body.update(change)
    audit = AuditEntry.objects.count()
    r = sales_api.post("complaints/", body)
    assert r.status_code == 422 and field in fields_named(r), r.content
    assert not Complaint.objects.exists() and AuditEntry.objects.count() == audit


def test_due_date_before_the_complaint_is_422(api_as):
    quality = user_with("quality")
    report = open_report(leader=quality)
    q = api_as(quality)
    early = (report.complaint.received_at - timedelta(days=1)).isoformat()
    r = q.post(
        f"{R}/{report.pk}/action-items",
        {
            "discipline": "d5",
            "kind": "corrective",
            "description": "x",
            "owner": quality.pk,
            "due_at": early,
        },
    )
    assert r.status_code == 422 and fields_named(r) == {"due_at"}
    r = q.patch(f"{R}/{report.pk}/disciplines/d4", {"due_at": early})
    assert r.status_code == 422 and fields_named(r) == {"due_at"}
    assert not report.actions.exists()


def test_unknown_and_invisible_records_are_404(api_as, sales_api):
    agency = AgentFactory()
    agent = api_as(user_with("agent", agent=agency))
    theirs = register_complaint(customer=CustomerFactory(agent=agency, tier="retail"))
    other = register_complaint()
    assert agent.get(f"complaints/{theirs.pk}").status_code == 200
    assert agent.get(f"complaints/{other.pk}").status_code == 404
    assert agent.get("complaints/").json()["count"] == 1
    assert sales_api.get("complaints/999999").status_code == 404
    assert sales_api.get(f"{R}/999999").status_code == 404
    assert sales_api.post("complaints/999999/eight-d").status_code == 404
    report = open_report(other)
    assert agent.get(f"{R}/{report.pk}").status_code == 403  # 8D content stays internal
    assert sales_api.get(f"{R}/{report.pk}/reply").status_code == 404  # none drafted yet


def test_a_return_through_the_api_opens_its_8d(sales_api):
    r = sales_api.post(
        "complaints/",
        {
            "customer": CustomerFactory().pk,
            "received_at": iso(-timedelta(hours=3)),
            "kind": "return",
            "part_number": "SA-1",
            "quantity": 40,
            "description": "整批退货:漏油",
        },
    )
    body = r.json()
    assert r.status_code == 201 and body["status"] == "in_progress" and body["eight_d"]
    report = EightDReport.objects.get(pk=body["eight_d"])
    assert report.actions.count() == 4


def test_patch_complaint_and_filters(sales_api, sales):
    c = register_complaint(sales, part_number="SA-77")
    register_complaint(sales, part_number="SB-01")
    r = sales_api.patch(f"complaints/{c.pk}", {"lot": "L-2", "reason": "补录批次"})
    assert r.status_code == 200 and r.json()["lot"] == "L-2"
    assert sales_api.patch(f"complaints/{c.pk}", {"quantity": 0}).status_code == 422
    assert sales_api.get("complaints/", {"part_number": "SA-77"}).json()["count"] == 1
    assert sales_api.get("complaints/", {"q": "SB"}).json()["count"] == 1
    assert sales_api.get("complaints/", {"status": "closed"}).json()["count"] == 0


def test_review_summary_api(api_as, sales):
    register_complaint(sales, part_number="SA-1")
    register_complaint(sales, part_number="SA-1")
    body = api_as(user_with("mgmt_rep")).get("complaints/review").json()
    assert body["total"] == 2 and body["by_part"] == [{"label": "SA-1", "count": 2}]
    assert api_as(sales).get("complaints/review").status_code == 403


def test_reply_templates_api(api_as):
    quality = user_with("quality")
    q = api_as(quality)
    customer = CustomerFactory()
    r = q.post(
        "reply-templates/",
        {
            "customer": customer.pk,
            "title": "8D回复",
            "subject": "{{ complaint_number }}",
            "body": "{% if %}",
        },
    )
    assert r.status_code == 422 and fields_named(r) == {"body"}
    r = q.post(
        "reply-templates/",
        {
            "customer": customer.pk,
            "title": "8D回复",
            "subject": "{{ complaint_number }}",
            "body": "{{ problem }}",
        },
    )
    assert r.status_code == 201
    r = q.post(
        "reply-templates/",
        {
            "customer": customer.pk,
            "title": "8D回复 B",
            "subject": "{{ complaint_number }}",
            "body": "{{ problem }}",
        },
    )
    assert r.status_code == 200 and r.json()["title"] == "8D回复 B"
    assert q.get("reply-templates/").json()["count"] == 1
