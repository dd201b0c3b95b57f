"""Services of warranty claims: the decision stored with its inputs, re-decisions with
history, overrides, every transition of the state machine and its guards, bad input."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from serviceloop.core.audit import verify_chain
from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import AgreementFactory, CustomerFactory, user_with
from serviceloop.warranty import services
from serviceloop.warranty.domain import rules
from serviceloop.warranty.models import (
    TRANSITIONS,
    DecisionKind,
    Status,
    WarrantyClaim,
    WarrantyDecisionRecord,
)
from serviceloop.warranty.tests.factories import COVERED, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def quality():
    return user_with("quality")


@pytest.fixture
def sales():
    return user_with("sales")


def errors_of(exc_info) -> set[str]:
    return set(exc_info.value.message_dict)


# --- deciding ------------------------------------------------------------------------------


def test_a_claim_is_decided_at_once_and_stored_with_its_inputs(quality):
    claim = make_claim(quality, mileage_km=12_000.04, findings=["manufacturing_defect"])
    assert claim.number.startswith("WC-")
    assert claim.status == Status.DECIDED
    assert (claim.decision, claim.remedy) == ("covered", "repair")
    assert claim.reasons == ["manufacturing_defect"]
    assert claim.last_covered_day == date(2026, 3, 10)
    assert (claim.km_limit, claim.warranty_months, claim.terms_from_agreement) == (30000, 12, False)
    assert claim.mileage_km == Decimal("12000.0")  # kept to 0.1 km, and decided on that
    record = claim.decisions.get()
    assert record.seq == 1 and record.kind == DecisionKind.RULE
    assert record.rule_version == rules.RULE_VERSION == claim.rule_version
    assert record.inputs["failure_date"] == "2025-09-01"
    assert record.inputs["mileage_km"] == "12000.0"
    assert record.result == claim.rule_result
    assert rules.WarrantyDecision.from_dict(record.result).decision == rules.Decision.COVERED


def test_the_same_decision_as_the_pure_rule(quality):
    customer = CustomerFactory()
    for findings, km in [([], 1000), (["improper_use"], 40_000), (["material_nonconformity"], 0)]:
        claim = make_claim(quality, customer, findings=findings, mileage_km=km, serial_number="")
        expected = rules.decide(
            purchase_date=COVERED["purchase_date"],
            failure_date=COVERED["failure_date"],
            mileage_km=km,
            findings=findings,
            repairable=True,
            agreement_terms=None,
        )
        assert claim.rule_result == expected.as_dict()


def test_needs_review_starts_registered(quality):
    claim = make_claim(quality, purchase_date=None)
    assert claim.status == Status.REGISTERED
    assert claim.decision == "needs_review" and claim.reasons == ["purchase_date_missing"]
    assert claim.remedy == ""


def test_terms_from_the_agreement_in_force_on_the_purchase_date(quality):
    customer = CustomerFactory()
    old = AgreementFactory(
        customer=customer,
        valid_from=date(2020, 1, 1),
        valid_to=date(2024, 12, 31),
        warranty_months=36,
        warranty_km=None,
    )
    current = AgreementFactory(
        customer=customer,
        valid_from=date(2025, 1, 1),
        valid_to=None,
        warranty_months=None,
        warranty_km=50_000,
        reference="SA-2025",
    )
    claim = make_claim(quality, customer, mileage_km=45_000)
    assert claim.agreement == current and claim.terms_from_agreement
    assert (claim.warranty_months, claim.km_limit, claim.decision) == (12, 50_000, "covered")
    early = make_claim(
        quality,
        customer,
        purchase_date=date(2024, 6, 1),
        failure_date=date(2026, 6, 1),
        mileage_km=10,
        build_month="2024-01",
    )
    assert early.agreement == old and early.warranty_months == 36
    assert early.decision == "covered"
    assert early.decisions.get().inputs["agreement"]["id"] == old.pk


def test_bad_input_names_the_field_and_stores_nothing(quality):
    customer = CustomerFactory()
    audit = AuditEntry.objects.count()
    cases = [
        ({"failure_date": date(2025, 3, 9)}, "failure_date"),  # before the purchase
        ({"failure_date": None}, "failure_date"),
        ({"mileage_km": -1}, "mileage_km"),
        ({"mileage_km": "many"}, "mileage_km"),
        ({"findings": ["rusty"]}, "findings"),
        ({"findings": ["expired_time"]}, "findings"),  # worked out by the rule
        ({"build_month": "2025-13"}, "build_month"),
        ({"build_month": "2025-10"}, "build_month"),  # after the failure
        ({"cost_parts": Decimal("-1")}, "cost_parts"),
        ({"customer": 987654}, "customer"),
        ({"colour": "red"}, "colour"),
    ]
    for change, field in cases:
        kwargs = {"customer": customer, **change}
        with pytest.raises(ValidationError) as caught:
            make_claim(quality, **kwargs)
        assert field in errors_of(caught), (change, caught.value)
    assert not WarrantyClaim.objects.exists()
    assert not WarrantyDecisionRecord.objects.exists()
    assert AuditEntry.objects.count() == audit


def test_several_errors_at_once(quality):
    with pytest.raises(ValidationError) as caught:
        make_claim(quality, mileage_km=-5, findings=["nope"], build_month="x")
    assert {"mileage_km", "findings", "build_month"} <= errors_of(caught)


def test_an_agent_cannot_claim_for_a_customer_it_does_not_serve():
    agent = user_with("agent")
    mine = CustomerFactory(agent=agent.agent, tier="retail")
    other = CustomerFactory(tier="retail")
    assert make_claim(agent, mine).customer == mine
    with pytest.raises(ValidationError) as caught:
        make_claim(agent, other)
    assert errors_of(caught) == {"customer"}


def test_permission_to_create(quality):
    with pytest.raises(PermissionDenied):
        make_claim(user_with("production"))


def test_duplicate_part_and_failure_day_is_refused(quality):
    customer = CustomerFactory()
    first = make_claim(quality, customer, serial_number="SA2041-0001")
    with pytest.raises(ValidationError) as caught:
        make_claim(quality, customer, serial_number="SA2041-0001")
    assert first.number in str(caught.value)
    make_claim(quality, customer, serial_number="SA2041-0001", failure_date=date(2025, 9, 2))


# --- re-deciding ---------------------------------------------------------------------------


def test_changing_an_input_re_decides_and_keeps_history(quality, sales):
    claim = make_claim(quality)
    claim = services.claim_update(
        actor=sales, claim=claim, failure_date=date(2026, 3, 11), reason="看错了日期"
    )
    assert (claim.decision, claim.reasons) == ("not_covered", ["expired_time"])
    assert claim.status == Status.DECIDED
    records = list(claim.decisions.order_by("seq"))
    assert [(r.seq, r.decision) for r in records] == [(1, "covered"), (2, "not_covered")]
    assert records[1].note == "看错了日期" and records[1].decided_by == sales
    assert records[0].inputs["failure_date"] == "2025-09-01"
    claim = services.claim_update(actor=sales, claim=claim, purchase_date=None)
    assert claim.status == Status.REGISTERED and claim.decision == "needs_review"
    assert claim.decisions.count() == 3
    entry = AuditEntry.objects.filter(object_id=str(claim.pk)).order_by("-seq").first()
    assert entry.action == "transition"


def test_changing_details_only_does_not_re_decide(quality, sales):
    claim = make_claim(quality)
    claim = services.claim_update(
        actor=sales, claim=claim, lot="L9", cost_travel=Decimal("300"), cost_parts=Decimal("1.5")
    )
    assert claim.decisions.count() == 1
    assert claim.cost_total == Decimal("301.50")
    same = services.claim_update(actor=sales, claim=claim, mileage_km=12000)
    assert same.decisions.count() == 1  # the same input, written differently


def test_changing_the_customer_re_decides_with_its_agreement(quality):
    claim = make_claim(quality, failure_date=date(2026, 5, 1))
    assert claim.decision == "not_covered"
    generous = CustomerFactory()
    AgreementFactory(customer=generous, valid_from=date(2024, 1, 1), warranty_months=24)
    claim = services.claim_update(actor=quality, claim=claim, customer=generous.pk)
    assert claim.customer == generous and claim.decision == "covered"
    assert claim.decisions.last().inputs["customer"] == generous.pk


def test_redecide_after_the_agreement_changed(quality):
    customer = CustomerFactory()
    claim = make_claim(quality, customer, failure_date=date(2026, 5, 1))
    assert services.claim_redecide(actor=quality, claim=claim) is False
    AgreementFactory(customer=customer, valid_from=date(2024, 1, 1), warranty_months=24)
    assert services.claim_redecide(actor=quality, claim=claim) is True
    claim.refresh_from_db()
    assert claim.decision == "covered" and claim.decisions.count() == 2


def test_a_re_decision_sets_an_override_aside(quality):
    claim = make_claim(quality, failure_date=date(2026, 3, 20))
    claim = services.claim_override(
        actor=quality, claim=claim, decision="covered", reason="老客户,商务让步"
    )
    assert claim.overridden
    claim = services.claim_update(actor=quality, claim=claim, mileage_km=13_000)
    assert not claim.overridden and claim.decision == "not_covered"
    kinds = list(claim.decisions.values_list("kind", flat=True))
    assert kinds == ["rule", "override", "rule"]


# --- overrides -----------------------------------------------------------------------------


def test_override_decision_with_reason(quality):
    claim = make_claim(quality, findings=["improper_use"])
    assert claim.decision == "not_covered" and claim.remedy == ""
    leader = user_with("sales_leader")
    claim = services.claim_override(
        actor=leader, claim=claim, decision="covered", reason="重点客户善意处理"
    )
    assert (claim.decision, claim.remedy) == ("covered", "repair")  # repairable → repair
    assert (claim.rule_decision, claim.rule_remedy) == ("not_covered", "")
    assert claim.override_reason == "重点客户善意处理" and claim.overridden_by == leader
    record = claim.decisions.last()
    assert record.kind == DecisionKind.OVERRIDE and record.note == "重点客户善意处理"
    assert record.result["rule_decision"] == "not_covered"


def test_override_remedy_to_refund(quality):
    claim = make_claim(quality)
    claim = services.claim_override(actor=quality, claim=claim, remedy="refund", reason="用户选择")
    assert (claim.decision, claim.remedy, claim.override_decision) == (
        "covered",
        "refund",
        "covered",
    )


def test_override_settles_a_needs_review(quality):
    claim = make_claim(quality, findings=[])
    assert claim.status == Status.REGISTERED
    claim = services.claim_override(actor=quality, claim=claim, decision="not_covered", reason="r")
    assert claim.status == Status.DECIDED and claim.remedy == ""


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"decision": "covered", "reason": ""}, "reason"),
        ({"decision": "needs_review", "reason": "r"}, "decision"),
        ({"decision": "maybe", "reason": "r"}, "decision"),
        ({"remedy": "cash", "reason": "r"}, "remedy"),
        ({"decision": "not_covered", "remedy": "repair", "reason": "r"}, "remedy"),
        ({"decision": "covered", "remedy": "repair", "reason": "r"}, "decision"),  # no change
    ],
)
def test_override_guards(quality, kwargs, field):
    claim = make_claim(quality)
    with pytest.raises(ValidationError) as caught:
        services.claim_override(actor=quality, claim=claim, **kwargs)
    assert field in errors_of(caught)
    assert claim.decisions.count() == 1


def test_only_quality_and_sales_leadership_override(sales):
    claim = make_claim(sales)
    for role in ("sales", "service_engineer", "agent", "production_quality"):
        with pytest.raises(PermissionDenied):
            services.claim_override(
                actor=user_with(role), claim=claim, decision="not_covered", reason="r"
            )


def test_a_remedy_alone_cannot_settle_a_needs_review(quality):
    claim = make_claim(quality, findings=[])
    with pytest.raises(ValidationError) as caught:
        services.claim_override(actor=quality, claim=claim, remedy="repair", reason="r")
    assert "decision" in errors_of(caught)


# --- the state machine ---------------------------------------------------------------------


def test_covered_path_approve_then_settle(quality, sales):
    claim = make_claim(quality, repairable=False)  # replace
    claim = services.claim_approve(actor=quality, claim=claim, note="返件确认")
    assert claim.status == Status.APPROVED and claim.reviewed_by == quality
    with pytest.raises(ValidationError) as caught:
        services.claim_settle(actor=sales, claim=claim)
    assert "replacement_serial" in errors_of(caught)
    claim = services.claim_settle(
        actor=sales,
        claim=claim,
        replacement_serial="SA2041-R1",
        cost_parts=Decimal("320"),
        note="已发货",
    )
    assert claim.status == Status.SETTLED and claim.replacement_serial == "SA2041-R1"
    assert claim.cost_total == Decimal("320.00")
    assert claim.settled_by == sales
    assert verify_chain().ok


def test_not_covered_path_reject_then_close(quality, sales):
    claim = make_claim(quality, findings=["modification"])
    claim = services.claim_reject(actor=quality, claim=claim, note="改装")
    assert claim.status == Status.REJECTED
    claim = services.claim_close(actor=sales, claim=claim, reason="已书面告知客户")
    assert claim.status == Status.CLOSED and claim.close_reason == "已书面告知客户"


def test_withdraw_registered_and_decided(quality, sales):
    for kwargs in ({"purchase_date": None}, {}):
        claim = make_claim(quality, **kwargs)
        claim = services.claim_close(actor=sales, claim=claim, reason="客户撤回")
        assert claim.status == Status.CLOSED
    with pytest.raises(ValidationError) as caught:
        services.claim_close(actor=sales, claim=make_claim(quality), reason=" ")
    assert "reason" in errors_of(caught)


def test_reopen_approved_and_rejected(quality):
    approved = services.claim_approve(actor=quality, claim=make_claim(quality))
    rejected = services.claim_reject(
        actor=quality, claim=make_claim(quality, findings=["improper_use"])
    )
    for claim in (approved, rejected):
        with pytest.raises(ValidationError):
            services.claim_reopen(actor=quality, claim=claim, reason="")
        claim = services.claim_reopen(actor=quality, claim=claim, reason="新证据")
        assert claim.status == Status.DECIDED and claim.reviewed_at is None


def test_review_guards(quality):
    covered = make_claim(quality)
    with pytest.raises(ValidationError) as caught:
        services.claim_reject(actor=quality, claim=covered)
    assert "decision" in errors_of(caught)
    not_covered = make_claim(quality, findings=["improper_use"])
    with pytest.raises(ValidationError) as caught:
        services.claim_approve(actor=quality, claim=not_covered)
    assert "decision" in errors_of(caught)
    pending = make_claim(quality, findings=[])
    with pytest.raises(ValidationError) as caught:
        services.claim_approve(actor=quality, claim=pending)
    assert "status" in errors_of(caught)
    with pytest.raises(PermissionDenied):
        services.claim_approve(actor=user_with("sales"), claim=covered)


def test_transitions_that_are_not_in_the_table(quality, sales):
    claim = make_claim(quality)
    with pytest.raises(ValidationError):
        services.claim_settle(actor=sales, claim=claim)  # decided → settled
    with pytest.raises(ValidationError):
        services.claim_reopen(actor=quality, claim=claim, reason="r")  # decided → decided
    claim = services.claim_approve(actor=quality, claim=claim)
    with pytest.raises(ValidationError):
        services.claim_close(actor=sales, claim=claim, reason="r")  # approved → closed
    with pytest.raises(ValidationError):
        services.claim_override(actor=quality, claim=claim, decision="not_covered", reason="r")
    with pytest.raises(ValidationError) as caught:
        services.claim_update(actor=sales, claim=claim, failure_date=date(2025, 9, 2))
    assert "failure_date" in errors_of(caught)
    claim = services.claim_update(actor=sales, claim=claim, lot="L2")  # details still open
    claim = services.claim_settle(actor=sales, claim=claim)
    for call in (
        lambda: services.claim_update(actor=sales, claim=claim, lot="L3"),
        lambda: services.claim_reopen(actor=quality, claim=claim, reason="r"),
        lambda: services.claim_close(actor=sales, claim=claim, reason="r"),
    ):
        with pytest.raises(ValidationError):
            call()


def test_every_transition_of_the_table_is_reached(quality, sales):
    seen = set()

    def track(claim, before):
        seen.add((before, claim.status))
        return claim

    c = make_claim(quality, purchase_date=None)
    c = track(
        services.claim_update(actor=sales, claim=c, purchase_date=date(2025, 3, 10)), "registered"
    )
    c = track(services.claim_update(actor=sales, claim=c, purchase_date=None), "decided")
    track(services.claim_close(actor=sales, claim=c, reason="撤回"), "registered")
    c = make_claim(quality)
    track(services.claim_close(actor=sales, claim=c, reason="撤回"), "decided")
    c = track(services.claim_approve(actor=quality, claim=make_claim(quality)), "decided")
    c = track(services.claim_reopen(actor=quality, claim=c, reason="r"), "approved")
    c = services.claim_approve(actor=quality, claim=c)
    track(services.claim_settle(actor=sales, claim=c), "approved")
    c = make_claim(quality, findings=["modification"])
    c = track(services.claim_reject(actor=quality, claim=c), "decided")
    c = track(services.claim_reopen(actor=quality, claim=c, reason="r"), "rejected")
    c = services.claim_reject(actor=quality, claim=c)
    track(services.claim_close(actor=sales, claim=c, reason="已告知"), "rejected")
    assert seen == set(TRANSITIONS)


def test_the_audit_chain_holds(quality, sales):
    claim = make_claim(quality)
    services.claim_override(actor=quality, claim=claim, remedy="refund", reason="用户选择")
    services.claim_approve(actor=quality, claim=claim)
    services.claim_settle(actor=sales, claim=claim)
    actions = list(
        AuditEntry.objects.filter(object_id=str(claim.pk), object_type="warranty.warrantyclaim")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "transition", "transition"]
    assert verify_chain().ok


def test_dates_are_days_not_times(quality):
    from datetime import datetime

    claim = make_claim(quality, failure_date=datetime(2025, 9, 1, 23, 59))
    assert claim.failure_date == date(2025, 9, 1)
    assert claim.failure_date - claim.purchase_date == timedelta(days=175)
