"""The pages: they render for the people who use them, the phone form remembers and posts,
action forms run their services, exports are XLSX, lists answer htmx with their table."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from serviceloop.core import deadlines
from serviceloop.core.models import Department
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.fieldservice import services
from serviceloop.fieldservice.models import (
    EngineerAssignment,
    PartMovement,
    ReturnForRepairForm,
    ServiceRecord,
)

from .factories import assignment, issue_parts, record, return_form

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def scene(eng, oem, part, sales, leader):
    """A bit of everything, so every page has something to show."""
    assignment(eng, oem, actor=sales)
    last_monday = deadlines.week_start(timezone.localdate()) - timedelta(days=7)
    r = record(eng, oem, part, day=last_monday)
    services.escalation_raise(actor=eng, customer=oem, title="异响", description="d")
    issue_parts(eng, part, 3, oem)
    services.parts_request_create(
        actor=eng, kind="spare", customer=oem, reason="r", lines=[{"part": part, "quantity": 1}]
    )
    return_form(eng, oem)
    services.tag_create(
        actor=eng,
        customer=oem,
        part=part,
        quantity=1,
        location="库",
        found_on=timezone.localdate(),
        nonconformity="n",
        disposition="repair_parts",
    )
    services.weekly_feedback_submit(actor=eng, week_start=last_monday, summary="s")
    f = services.infoform_create(
        actor=sales,
        title="t",
        category="other",
        period_from=last_monday,
        period_to=timezone.localdate(),
        summary="s",
        records=[r],
    )
    services.infoform_issue(
        actor=sales, form=f, departments=[Department.objects.get(code="quality")]
    )
    return r


LIST_PAGES = [
    "home",
    "where",
    "assignment_list",
    "escalation_list",
    "record_list",
    "part_list",
    "request_list",
    "warehouse",
    "balances",
    "tag_list",
    "return_list",
    "feedback_compliance",
    "infoform_list",
]


@pytest.mark.parametrize("role", ["sales", "service_engineer", "warehouse", "quality"])
def test_pages_render(scene, role):
    user = scene.engineer if role == "service_engineer" else user_with(role)
    c = client_for(user)
    for name in LIST_PAGES:
        r = c.get(reverse(f"fieldservice:{name}"))
        assert r.status_code == 200, (role, name)
    details = {
        "record_detail": scene.pk,
        "escalation_detail": scene.escalations.model.objects.get().pk,
        "return_detail": ReturnForRepairForm.objects.get().pk,
        "assignment_detail": EngineerAssignment.objects.get().pk,
    }
    for name, pk in details.items():
        r = c.get(reverse(f"fieldservice:{name}", args=[pk]))
        assert r.status_code == 200, (role, name)
        assert "History" in r.content.decode()
    week = reverse(
        "fieldservice:feedback_week", args=[scene.engineer_id, scene.week_start.isoformat()]
    )
    assert c.get(week).status_code == 200
    assert (
        c.get(
            reverse("fieldservice:feedback_week", args=[scene.engineer_id, "2026-01-06"])
        ).status_code
        == 404
    )


def test_agent_sees_only_own_customers(scene):
    agent = user_with("agent")
    c = client_for(agent)
    r = c.get(reverse("fieldservice:record_list"))
    assert r.status_code == 200 and scene.number not in r.content.decode()
    assert c.get(reverse("fieldservice:record_detail", args=[scene.pk])).status_code == 404
    assert c.get(reverse("fieldservice:feedback_compliance")).status_code == 403


def test_phone_form_remembers_and_posts(eng, oem, part, sales):
    assignment(eng, oem, actor=sales)
    issue_parts(eng, part, 2, oem)
    record(eng, oem, part, oem="长江客车")
    c = client_for(eng)
    page = c.get(reverse("fieldservice:record_quick")).content.decode()
    assert f'value="{oem.pk}" selected' in page and 'value="长江客车"' in page
    assert f'value="{part.part_number}"' in page and 'name="used_from_stock"' in page
    r = c.post(
        reverse("fieldservice:record_quick"),
        {
            "customer": oem.pk,
            "oem": "长江客车",
            "part": part.part_number.lower(),
            "quantity": 1,
            "vehicle": "HN1090",
            "defect": "漏油",
            "failure_mode": "leak",
            "outcome": "replaced",
            "service_date": timezone.localdate().isoformat(),
            "used_from_stock": 1,
        },
    )
    assert r.status_code == 302 and "saved=" in r["Location"]
    rec = ServiceRecord.objects.latest("pk")
    assert rec.source == "quick" and rec.part == part
    assert PartMovement.objects.filter(service_record=rec, kind="use", quantity=1).exists()
    assert rec.number in c.get(r["Location"]).content.decode()


def test_phone_form_errors_name_the_field_and_store_nothing(eng, oem, part):
    c = client_for(eng)
    before = ServiceRecord.objects.count()
    r = c.post(
        reverse("fieldservice:record_quick"),
        {
            "customer": oem.pk,
            "part": "NOPE-1",
            "quantity": 0,
            "defect": "",
            "failure_mode": "leak",
            "outcome": "replaced",
            "service_date": (timezone.localdate() + timedelta(days=2)).isoformat(),
        },
    )
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert {"part", "defect"} <= set(errors)
    r = c.post(
        reverse("fieldservice:record_quick"),
        {
            "customer": oem.pk,
            "part": part.part_number,
            "quantity": 1,
            "defect": "d",
            "failure_mode": "leak",
            "outcome": "replaced",
            "used_from_stock": 5,
            "service_date": (timezone.localdate() + timedelta(days=2)).isoformat(),
        },
    )
    assert r.status_code == 400 and "service_date" in r.context["form"].errors
    assert ServiceRecord.objects.count() == before


def test_full_form_and_handling(eng, oem, part):
    c = client_for(eng)
    r = c.post(
        reverse("fieldservice:record_create"),
        {
            "customer": oem.pk,
            "service_date": timezone.localdate().isoformat(),
            "oem": "x",
            "part": part.part_number,
            "quantity": 2,
            "defect": "断裂",
            "failure_mode": "fracture",
            "outcome": "pending",
            "mileage_km": 12000,
        },
    )
    assert r.status_code == 302
    rec = ServiceRecord.objects.get()
    url = reverse("fieldservice:record_handling", args=[rec.pk])
    r = c.post(
        url,
        {
            "handling-confirmed_our_problem": "on",
            "handling-repairable": "yes",
            "handling-handling": "replace",
        },
    )
    assert r.status_code == 400 and "handling" in r.context["handling_form"].errors
    r = c.post(
        url,
        {
            "handling-confirmed_our_problem": "on",
            "handling-repairable": "no",
            "handling-handling": "replace",
            "handling-major": "on",
        },
    )
    assert r.status_code == 302
    rec.refresh_from_db()
    assert rec.outcome == "replaced" and rec.major_problem


def test_return_form_through_the_pages(eng, oem, part, wh):
    c = client_for(eng)
    r = c.post(
        reverse("fieldservice:return_create"),
        {
            "customer": oem.pk,
            "return_date": timezone.localdate().isoformat(),
            "reason": "漏油",
            "lines-TOTAL_FORMS": 2,
            "lines-INITIAL_FORMS": 0,
            "lines-0-part": part.part_number,
            "lines-0-quantity": 5,
            "lines-0-lot": "L1",
            "lines-1-part": "",
            "lines-1-quantity": "",
        },
    )
    assert r.status_code == 302, r.context and r.context["form"].errors
    f = ReturnForRepairForm.objects.get()
    assert c.post(reverse("fieldservice:return_countersign", args=[f.pk])).status_code == 302
    line = f.lines.get()
    w = client_for(wh)
    r = w.post(
        reverse("fieldservice:return_check", args=[f.pk]),
        {f"check-line_{line.pk}": 4, "check-signatures_ok": "on"},
    )
    assert r.status_code == 302
    f.refresh_from_db()
    assert f.status == "held" and "counted 4" in f.discrepancy
    r = c.post(
        reverse("fieldservice:return_correct", args=[f.pk]),
        {f"correct-line_{line.pk}": 4, "correct-note": "少一件"},
    )
    assert r.status_code == 302
    r = w.post(
        reverse("fieldservice:return_check", args=[f.pk]),
        {f"check-line_{line.pk}": 4, "check-signatures_ok": "on"},
    )
    f.refresh_from_db()
    assert f.status == "received"


def test_assignment_page_warns_for_a_tier2_oem(sales, eng):
    tier2 = CustomerFactory(tier="oem_tier2")
    c = client_for(sales)
    data = {
        "kind": "resident",
        "engineer": eng.pk,
        "customer": tier2.pk,
        "start_date": timezone.localdate().isoformat(),
    }
    r = c.post(reverse("fieldservice:assignment_create"), data)
    assert r.status_code == 400 and "R-5.3.4.1" in r.content.decode()
    assert not EngineerAssignment.objects.exists()
    r = c.post(reverse("fieldservice:assignment_create"), {**data, "exception_reason": "新车型"})
    assert r.status_code == 302 and EngineerAssignment.objects.count() == 1


def test_spare_request_page_shows_failure_frequency(eng, oem, part):
    record(eng, oem, part, quantity=8)
    c = client_for(eng)
    page = c.get(reverse("fieldservice:request_create")).content.decode()
    assert part.part_number in page and "<svg" in page
    r = c.get(reverse("fieldservice:request_frequency"), {"holder": eng.pk, "weeks": 4})
    assert r.status_code == 200 and r.context["frequency"][0].failed_units == 8


def test_weekly_feedback_pages(eng, oem, part, sales):
    week = deadlines.week_start(timezone.localdate()) - timedelta(days=7)
    record(eng, oem, part, day=week)
    c = client_for(eng)
    mine = c.get(reverse("fieldservice:feedback_mine")).content.decode()
    assert "2026" in mine or "20" in mine
    url = reverse("fieldservice:feedback_submit", args=[eng.pk, week.isoformat()])
    assert c.post(url, {"submit-summary": "本周漏油"}).status_code == 302
    fb = eng.fieldservice_weekly_feedback.get()
    s = client_for(sales)
    assert s.post(reverse("fieldservice:feedback_return", args=[fb.pk]), {}).status_code == 400
    assert (
        s.post(
            reverse("fieldservice:feedback_review", args=[fb.pk]), {"review-note": "ok"}
        ).status_code
        == 302
    )
    assert client_for(sales).get(reverse("fieldservice:feedback_mine")).status_code == 302


def test_exports_and_htmx_partials(scene, sales):
    c = client_for(sales)
    for name in (
        "record_list",
        "where",
        "escalation_list",
        "return_list",
        "balances",
        "feedback_compliance",
    ):
        r = c.get(reverse(f"fieldservice:{name}"), {"export": "xlsx"})
        assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd"), name
    rows = list(
        load_workbook(
            BytesIO(c.get(reverse("fieldservice:record_list"), {"export": "xlsx"}).content)
        ).active.values
    )
    assert rows[1][0] == scene.number
    r = c.get(
        reverse("fieldservice:record_list"),
        {"q": scene.number},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    body = r.content.decode()
    assert "<html" not in body and scene.number in body
