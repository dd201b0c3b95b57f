"""Customer requirements and their department evaluations (R-5.1.1)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from serviceloop.core import deadlines
from serviceloop.core.models import AuditEntry, Department
from serviceloop.core.my_work import PROVIDERS
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.core.testing.notices import assert_each_reader_sees_own_language
from serviceloop.presales import services
from serviceloop.presales.models import CustomerRequirement, RequirementStatus

from .factories import requirement

pytestmark = pytest.mark.django_db


def _work(user):
    return [i for p in PROVIDERS for i in p(user)]


def test_default_evaluators_are_the_three_departments_due_in_three_working_days():
    req = requirement()
    codes = sorted(e.department.code for e in req.evaluations.all())
    assert codes == ["production_quality", "purchasing", "rnd"]
    assert req.status == RequirementStatus.EVALUATING
    expected = deadlines.working_days_after(req.created_at, 3)
    assert abs((req.evaluation_due_at - expected).total_seconds()) < 5
    assert all(e.due_at == req.evaluation_due_at for e in req.evaluations.all())
    assert req.number.startswith("REQ-")


def test_working_days_skip_the_weekend():
    friday = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, a Friday
    assert deadlines.working_days_after(friday, 3).date().isoformat() == "2026-12-09"
    saturday = friday + timedelta(days=1)
    assert deadlines.working_days_after(saturday, 1).date().isoformat() == "2026-12-08"


def test_a_subset_and_a_configured_number_of_days():
    req = requirement(evaluators=["rnd"], due_days=5)
    assert [e.department.code for e in req.evaluations.all()] == ["rnd"]
    assert req.evaluation_due_at > timezone.now() + timedelta(days=5)


def test_conclusion_is_refused_until_every_department_answered_then_accepted():
    sales = user_with("sales")
    req = requirement(sales)
    services.requirement_evaluate(
        actor=user_with("rnd"), requirement=req, department="rnd", verdict="feasible"
    )
    with pytest.raises(ValidationError) as exc:
        services.requirement_conclude(actor=sales, requirement=req, outcome="同意")
    assert "outcome" in exc.value.message_dict
    assert "Production Quality" in str(exc.value) or "生产质量部" in str(exc.value)
    req.refresh_from_db()
    assert req.status == RequirementStatus.EVALUATING and req.outcome == ""
    services.requirement_evaluate(
        actor=user_with("production_quality"),
        requirement=req,
        department="production_quality",
        verdict="conditional",
        conditions="需增加一道 100% 检验",
        lead_time_impact="+5 天",
    )
    services.requirement_evaluate(
        actor=user_with("purchasing"),
        requirement=req,
        department="purchasing",
        verdict="feasible",
        cost_impact="+2%",
    )
    req.refresh_from_db()
    assert req.status == RequirementStatus.EVALUATED
    order = services.order_create(
        actor=sales,
        customer=req.customer,
        order_number="SO-1",
        part_number="SA-1",
        quantity=10,
        promised_date=timezone.localdate() + timedelta(days=30),
    )
    services.requirement_conclude(
        actor=sales, requirement=req, outcome="按条件接受", order=order, contract_reference="HT-9"
    )
    req.refresh_from_db()
    assert req.status == RequirementStatus.CONCLUDED and req.order == order
    assert AuditEntry.objects.filter(object_type="presales.customerrequirement").count() >= 3


def test_a_department_evaluates_only_for_itself_and_once():
    req = requirement()
    with pytest.raises(ValidationError):
        services.requirement_evaluate(
            actor=user_with("purchasing"), requirement=req, department="rnd", verdict="feasible"
        )
    rnd = user_with("rnd")
    services.requirement_evaluate(actor=rnd, requirement=req, department="rnd", verdict="feasible")
    with pytest.raises(ValidationError):
        services.requirement_evaluate(
            actor=rnd, requirement=req, department="rnd", verdict="not_feasible", note="x"
        )
    assert req.evaluations.get(department__code="rnd").verdict == "feasible"


def test_not_feasible_needs_a_reason_and_conditional_needs_conditions():
    req = requirement()
    for verdict, field in (("not_feasible", "note"), ("conditional", "conditions")):
        with pytest.raises(ValidationError) as exc:
            services.requirement_evaluate(
                actor=user_with("rnd"), requirement=req, department="rnd", verdict=verdict
            )
        assert field in exc.value.message_dict
    assert not req.evaluations.filter(evaluated_at__isnull=False).exists()


def test_evaluations_are_on_the_departments_my_work():
    req = requirement()
    rnd = user_with("rnd")
    kinds = [i.kind for i in _work(rnd)]
    assert "requirement.evaluate" in kinds
    services.requirement_evaluate(actor=rnd, requirement=req, department="rnd", verdict="feasible")
    assert "requirement.evaluate" not in [i.kind for i in _work(rnd)]


def test_late_evaluations_are_swept_once_and_shown_to_sales_leadership():
    leader = user_with("sales_leader")
    req = requirement()
    later = req.evaluation_due_at + timedelta(hours=1)
    first = services.sweep_overdue(now=later)
    assert first["evaluations"] == 3
    assert services.sweep_overdue(now=later)["evaluations"] == 0
    assert leader.notifications.filter(kind="evaluation_late").count() == 3
    assert_each_reader_sees_own_language(leader.notifications.filter(kind="evaluation_late"))
    from serviceloop.presales.selectors import requirement_list

    assert list(requirement_list(leader, late=True, now=later)) == [req]
    assert list(requirement_list(leader, late=False, now=later)) == []


def test_unknown_department_and_no_department_are_refused():
    with pytest.raises(ValidationError):
        requirement(evaluators=["nope"])
    with pytest.raises(ValidationError):
        requirement(evaluators=[])
    assert not CustomerRequirement.objects.exists()


def test_an_agent_cannot_register_or_see(api_as):
    agent = user_with("agent")
    customer = CustomerFactory(agent=agent.agent)
    r = api_as(agent).post(
        "customer-requirements/",
        {
            "customer": customer.pk,
            "received_at": timezone.now().isoformat(),
            "subject": "s",
            "description": "d",
        },
    )
    assert r.status_code == 403


def test_api_flow(api_as):
    sales = user_with("sales")
    customer = CustomerFactory()
    r = api_as(sales).post(
        "customer-requirements/",
        {
            "customer": customer.pk,
            "received_at": timezone.now().isoformat(),
            "subject": "阻尼力",
            "description": "提高 10%",
            "evaluators": ["rnd", "purchasing"],
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    rid = body["id"]
    assert [e["department"] for e in body["evaluations"]] == ["purchasing", "rnd"]
    r = api_as(sales).post(f"customer-requirements/{rid}/conclude", {"outcome": "o"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "outcome"
    for role in ("rnd", "purchasing"):
        r = api_as(user_with(role)).post(
            f"customer-requirements/{rid}/evaluations", {"department": role, "verdict": "feasible"}
        )
        assert r.status_code == 201, r.content
    r = api_as(sales).post(f"customer-requirements/{rid}/conclude", {"outcome": "接受"})
    assert r.status_code == 200 and r.json()["status"] == "concluded"
    assert Department.objects.filter(code="rnd").exists()
