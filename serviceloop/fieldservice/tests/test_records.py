"""Service records (R-5.9.4), the repair-or-replace decision (R-5.3.4.2), major problems."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from serviceloop.core.models import AuditEntry, Notification
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.fieldservice import selectors, services
from serviceloop.fieldservice.models import HandlingDecision, ServiceRecord

from .factories import PartFactory, assignment, record

pytestmark = pytest.mark.django_db


def test_record_defaults_to_the_actor_and_numbers(eng, oem, part):
    r = record(eng, oem, part)
    assert r.engineer == eng and r.number.startswith("FSR-") and r.source == "form"
    assert r.week_start.weekday() == 0 and r.week_start <= r.service_date


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"day": timezone.localdate() + timedelta(days=1)}, "service_date"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": -2}, "quantity"),
        ({"defect": "  "}, "defect"),
        ({"failure_mode": "melted"}, "failure_mode"),
        ({"outcome": "prayed"}, "outcome"),
        ({"part": 999999}, "part"),
        ({"customer": 999999}, "customer"),
        ({"mileage_km": -5}, "mileage_km"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(eng, oem, part, change, field):
    audit = AuditEntry.objects.count()
    kwargs = {"customer": oem, "part": part, **change}
    with pytest.raises(ValidationError) as e:
        record(eng, **kwargs)
    assert field in e.value.error_dict, e.value
    assert not ServiceRecord.objects.exists() and AuditEntry.objects.count() == audit


def test_who_may_record(eng, oem, part, sales):
    with pytest.raises(PermissionDenied):
        record(sales, oem, part)
    other = user_with("service_engineer")
    with pytest.raises(ValidationError) as e:
        record(other, oem, part, actor=eng)
    assert "engineer" in e.value.error_dict
    # an admin may record for an engineer
    r = record(other, oem, part, actor=user_with("admin"))
    assert r.engineer == other


def test_agents_record_only_for_their_customers(part):
    agent = user_with("agent")
    mine = CustomerFactory(tier="retail", agent=agent.agent)
    r = record(agent, mine, part)
    assert r.engineer == agent
    with pytest.raises(ValidationError) as e:
        record(agent, CustomerFactory(tier="retail"), part)
    assert "customer" in e.value.error_dict
    assert list(selectors.record_list(agent)) == [r]


def test_correction_rules(eng, oem, part, sales):
    r = record(eng, oem, part)
    r = services.service_record_update(actor=eng, record=r, vehicle="JH6", reason="笔误")
    assert r.vehicle == "JH6"
    with pytest.raises(ValidationError) as e:
        services.service_record_update(actor=user_with("service_engineer"), record=r, vehicle="x")
    assert "engineer" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.service_record_update(actor=eng, record=r, engineer=sales)
    assert "engineer" in e.value.error_dict
    services.weekly_feedback_submit(actor=eng, week_start=r.week_start, summary="ok")
    r.refresh_from_db()
    with pytest.raises(ValidationError):
        services.service_record_update(actor=eng, record=r, vehicle="y")
    with pytest.raises(ValidationError) as e:
        services.service_record_update(actor=sales, record=r, vehicle="y")
    assert "reason" in e.value.error_dict
    r = services.service_record_update(actor=sales, record=r, vehicle="y", reason="主机厂更正")
    assert r.vehicle == "y"


def test_flag_major_notifies_and_signals_once(eng, oem, part, leader, major_signals):
    r = record(eng, oem, part)
    r = services.service_record_flag_major(actor=eng, record=r, reason="批量断裂")
    assert r.major_problem and r.major_flagged_by == eng
    assert len(major_signals) == 1
    sig = major_signals[0]
    assert sig["sender"] is ServiceRecord and sig["instance"] == r
    assert sig["actor"] == eng and sig["customer"] == oem and "批量断裂" in sig["summary"]
    assert Notification.objects.filter(recipient=leader, kind="major_quality_issue").exists()
    services.service_record_flag_major(actor=eng, record=r)
    assert len(major_signals) == 1


def test_major_at_creation(eng, oem, part, major_signals):
    r = record(eng, oem, part, major_problem=True)
    assert r.major_problem and len(major_signals) == 1


def test_handling_repair_if_repairable_else_return_or_replace(eng, oem, part):
    r = record(eng, oem, part, outcome="pending", quantity=3)
    with pytest.raises(ValidationError) as e:
        services.handling_decide(
            actor=eng, record=r, confirmed_our_problem=True, repairable=True, handling="replace"
        )
    assert "handling" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.handling_decide(
            actor=eng, record=r, confirmed_our_problem=True, repairable=False, handling="repair"
        )
    assert "handling" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.handling_decide(
            actor=eng, record=r, confirmed_our_problem=False, repairable=True, handling="repair"
        )
    assert "confirmed_our_problem" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.handling_decide(
            actor=eng,
            record=r,
            confirmed_our_problem=True,
            repairable=False,
            handling="replace",
            quantity=4,
        )
    assert "quantity" in e.value.error_dict
    assert not HandlingDecision.objects.exists()
    d = services.handling_decide(
        actor=eng,
        record=r,
        confirmed_our_problem=True,
        repairable=False,
        handling="return",
        quantity=2,
    )
    assert d.handling == "return" and d.quantity == 2
    r.refresh_from_db()
    assert r.outcome == "returned"
    d = services.handling_decide(
        actor=eng, record=r, confirmed_our_problem=True, repairable=True, handling="repair"
    )
    assert HandlingDecision.objects.get().handling == "repair" and d.quantity == 3


def test_handling_refused_when_not_our_problem(eng, oem, part):
    r = record(eng, oem, part, outcome="not_ours")
    with pytest.raises(ValidationError) as e:
        services.handling_decide(
            actor=eng, record=r, confirmed_our_problem=True, repairable=True, handling="repair"
        )
    assert "confirmed_our_problem" in e.value.error_dict


def test_major_handling_goes_to_sales_leadership(eng, oem, part, leader, major_signals):
    r = record(eng, oem, part)
    services.handling_decide(
        actor=eng,
        record=r,
        confirmed_our_problem=True,
        repairable=False,
        handling="replace",
        major=True,
        notes="安全隐患",
    )
    assert len(major_signals) == 1 and major_signals[0]["instance"].pk == r.pk
    assert Notification.objects.filter(recipient=leader, kind="major_quality_issue").exists()


def test_usual_defaults(eng, oem, part, sales):
    assert selectors.usual_defaults(eng) == {}
    assignment(eng, oem, actor=sales)
    assert selectors.usual_defaults(eng) == {"customer": oem.pk, "oem": oem.name}
    record(eng, oem, part, oem="长江客车")
    assert selectors.usual_defaults(eng) == {"customer": oem.pk, "oem": "长江客车", "part": part.pk}


def test_api_records(api_as, eng, oem, part, sales):
    api = api_as(eng)
    r = api.post(
        "service-records/",
        {
            "customer": oem.pk,
            "part_number": part.part_number,
            "service_date": timezone.localdate().isoformat(),
            "defect": "漏油",
            "failure_mode": "leak",
            "outcome": "replaced",
            "quantity": 2,
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["part_number"] == part.part_number and body["source"] == "api"
    assert body["handling"] is None and body["engineer"] == eng.pk
    rid = body["id"]
    for payload, field in [
        ({"quantity": 0}, "quantity"),
        ({"service_date": (timezone.localdate() + timedelta(days=2)).isoformat()}, "service_date"),
        ({"part_number": "NOPE"}, "part"),
        ({"customer": 999999}, "customer"),
    ]:
        base = {
            "customer": oem.pk,
            "part": part.pk,
            "service_date": "2026-01-05",
            "defect": "d",
            "failure_mode": "leak",
            "outcome": "replaced",
        }
        if "part_number" in payload:
            base.pop("part")
        base.update(payload)
        before = ServiceRecord.objects.count()
        resp = api.post("service-records/", base)
        assert resp.status_code == 422, (payload, resp.content)
        named = {d.get("field") or d["loc"][-1] for d in resp.json()["detail"]}
        assert field in named
        assert ServiceRecord.objects.count() == before
    r = api.post(
        f"service-records/{rid}/handling",
        {"confirmed_our_problem": True, "repairable": False, "handling": "replace"},
    )
    assert r.status_code == 200 and r.json()["handling"] == "replace"
    assert api.get(f"service-records/{rid}").json()["handling"]["handling"] == "replace"
    assert api.patch(f"service-records/{rid}", {"vehicle": "JH6"}).json()["vehicle"] == "JH6"
    assert api.get("service-records/defaults").json()["customer"] == oem.pk
    assert api_as(sales).post("service-records/", {}).status_code in (403, 422)
    agent = api_as(user_with("agent"))
    assert agent.get(f"service-records/{rid}").status_code == 404
    assert api.get("service-records/", {"failure_mode": "leak"}).json()["count"] == 1
    assert api.get("service-records/", {"failure_mode": "noise"}).json()["count"] == 0
    new_part = PartFactory(is_active=False)
    r = api.post(
        "service-records/",
        {
            "customer": oem.pk,
            "part": new_part.pk,
            "service_date": "2026-01-05",
            "defect": "d",
            "failure_mode": "leak",
            "outcome": "replaced",
        },
    )
    assert r.status_code == 422
