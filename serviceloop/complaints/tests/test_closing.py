"""Action items and their deadlines (R-5.5.4, R-5.5.7), the overdue sweep, referral to Sales
and negotiation (R-5.5.7), closing (D8) and circulation to the MR and the GM (R-5.5.8)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from serviceloop.complaints import services
from serviceloop.complaints.models import ActionStatus, Circulation, Discipline
from serviceloop.complaints.tests.factories import (
    add_customer_cause,
    complete_up_to_close,
    open_report,
    register_complaint,
    soon,
)
from serviceloop.core.audit import verify_chain
from serviceloop.core.models import AuditEntry, Department, Notification
from serviceloop.core.selectors import work_items
from serviceloop.core.testing.factories import user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def quality(db):
    return user_with("quality")


@pytest.fixture
def report(quality):
    return open_report(leader=quality)


def add_action(report, actor, **kw):
    return services.action_add(
        actor=actor,
        report=report,
        discipline=kw.pop("discipline", "d5"),
        kind=kw.pop("kind", "corrective"),
        description=kw.pop("description", "调整压装压力"),
        due_at=kw.pop("due_at", soon()),
        **kw,
    )


def test_action_life_open_done_verified(report, quality):
    prod = user_with("production")
    item = add_action(report, quality, owner=prod)
    assert item.needs_verification and item.status == ActionStatus.OPEN
    with pytest.raises(PermissionDenied):
        services.action_complete(actor=user_with("production"), action=item, result="x")
    with pytest.raises(ValidationError) as e:
        services.action_complete(actor=prod, action=item, result=" ")
    assert "result" in e.value.error_dict
    item = services.action_complete(actor=prod, action=item, result="已调整")
    assert item.status == ActionStatus.DONE and item.done_by == prod
    assert Notification.objects.filter(recipient=quality, kind="eightd_verify").exists()
    with pytest.raises(PermissionDenied):  # Quality verifies corrective actions
        services.action_verify(actor=prod, action=item, effective=True, note="ok")
    item = services.action_verify(actor=quality, action=item, effective=False, note="仍有泄漏")
    assert item.status == ActionStatus.OPEN and item.done_at is None
    item = services.action_complete(actor=prod, action=item, result="再次调整")
    item = services.action_verify(actor=quality, action=item, effective=True, note="三批无泄漏")
    assert item.status == ActionStatus.VERIFIED and item.verified_by == quality
    with pytest.raises(ValidationError) as e:
        services.action_cancel(actor=quality, action=item, reason="r")
    assert "status" in e.value.error_dict


def test_work_instruction_revision_by_technical_with_effect_tracking(report, quality):
    """R-5.5.4: Technical revises the work instruction and tracks its effect."""
    tech = user_with("technical")
    item = add_action(report, quality, discipline="d7", kind="work_instruction", owner=tech)
    with pytest.raises(ValidationError) as e:
        services.action_complete(actor=tech, action=item, result="已修订")
    assert "document_ref" in e.value.error_dict
    item = services.action_complete(
        actor=tech, action=item, result="已修订", document_ref="WI-031 rev C"
    )
    item = services.action_verify(actor=tech, action=item, effective=True, note="两周无不良")
    assert item.status == ActionStatus.VERIFIED


def test_training_names_the_people_trained(report, quality):
    """R-5.5.5: the measure for the operator and inspector responsible."""
    item = add_action(report, quality, discipline="d7", kind="training", owner=quality)
    assert not item.needs_verification
    with pytest.raises(ValidationError) as e:
        services.action_complete(actor=quality, action=item, result="已培训")
    assert "trainees" in e.value.error_dict
    item = services.action_complete(actor=quality, action=item, result="已培训", trainees="王五")
    assert item.status == ActionStatus.DONE and not item.is_pending


def test_department_actions_belong_to_its_members(report, quality):
    dept = Department.objects.get(code="technical")
    tech = user_with("technical")
    item = add_action(report, quality, department=dept, kind="analysis", discipline="d4")
    kinds = {w.kind for w in work_items(tech)}
    assert "eightd.action" in kinds
    services.action_complete(actor=tech, action=item, result="分析完成")
    with pytest.raises(ValidationError) as e:
        add_action(report, quality)  # neither owner nor department
    assert "owner" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        add_action(report, quality, owner=quality, discipline="d8")
    assert "discipline" in e.value.error_dict


def test_action_update_and_cancel(report, quality):
    item = add_action(report, quality, owner=quality)
    other = user_with("production")
    item = services.action_update(actor=quality, action=item, owner=other, due_at=soon(96))
    assert item.owner == other
    with pytest.raises(PermissionDenied):
        services.action_cancel(actor=other, action=item, reason="x")
    with pytest.raises(ValidationError) as e:
        services.action_cancel(actor=quality, action=item, reason="")
    assert "reason" in e.value.error_dict
    item = services.action_cancel(actor=quality, action=item, reason="合并到其它措施")
    assert item.status == ActionStatus.CANCELLED and not item.is_pending
    with pytest.raises(ValidationError):
        services.action_update(actor=quality, action=item, description="x")


def test_the_overdue_sweep_flags_once_and_tells_owner_leader_and_quality(report, quality):
    prod = user_with("production")
    other_quality = user_with("quality")
    item = add_action(report, quality, owner=prod, due_at=timezone.now() + timedelta(hours=1))
    later = timezone.now() + timedelta(days=3)
    counts = services.sweep_overdue(now=later)
    assert counts["actionitem"] == 1 and counts["discipline"] >= 4
    again = services.sweep_overdue(now=later + timedelta(hours=1))
    assert again["actionitem"] == 0 and again["discipline"] == 0
    item.refresh_from_db()
    assert item.overdue_flagged_at == later
    for person in (prod, quality, other_quality):
        assert (
            Notification.objects.filter(
                recipient=person,
                kind="eightd_overdue",
                dedupe_key__contains=f"actionitem:{item.pk}",
            ).count()
            == 1
        )
    assert (
        AuditEntry.objects.filter(action="event", object_type="complaints.actionitem").count() == 1
    )
    # Moving the deadline re-arms it.
    services.action_update(actor=quality, action=item, due_at=later + timedelta(days=1))
    assert services.sweep_overdue(now=later + timedelta(days=2))["actionitem"] == 1
    assert verify_chain().ok


def test_closing_is_refused_while_anything_is_missing(quality, sales):
    report = open_report(register_complaint(sales, in_production=True), leader=quality)
    count = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as e:
        services.eightd_close(actor=quality, report=report, summary="")
    errors = e.value.message_dict
    assert "still in production" in errors["d3"][0]
    assert {"d0", "d1", "d2", "d4", "d5", "d6", "d7", "summary"} <= set(errors)
    assert AuditEntry.objects.count() == count


def test_an_open_action_item_blocks_closing(report, quality):
    complete_up_to_close(report, quality)
    add_action(report, quality, owner=quality, discipline="d7", kind="preventive")
    with pytest.raises(ValidationError) as e:
        services.eightd_close(actor=quality, report=report, summary="结案")
    assert set(e.value.message_dict) == {"action_items"}
    with pytest.raises(PermissionDenied):
        services.eightd_close(actor=user_with("sales"), report=report, summary="结案")


def test_close_circulate_and_acknowledge(report, quality, sales):
    """R-5.5.8: closed complaints go to the MR and the GM, who acknowledge."""
    mrep, gm = user_with("mgmt_rep"), user_with("general_manager")
    complete_up_to_close(report, quality)
    report = services.eightd_close(actor=quality, report=report, summary="问题已解决")
    complaint = report.complaint
    complaint.refresh_from_db()
    assert report.status == "closed" and report.closed_at and report.closed_by == quality
    assert complaint.status == "closed" and complaint.closed_at == report.closed_at
    d8 = Discipline.objects.get(report=report, code="d8")
    assert d8.status == "done" and d8.summary == "问题已解决"
    assert set(Circulation.objects.values_list("role", flat=True)) == {
        "mgmt_rep",
        "general_manager",
    }
    assert Notification.objects.filter(recipient=mrep, kind="circulation").exists()
    assert "complaint.circulation" in {w.kind for w in work_items(gm)}
    with pytest.raises(ValidationError) as e:
        services.circulation_acknowledge(actor=user_with("admin"), report=report)
    assert "role" in e.value.error_dict
    with pytest.raises(PermissionDenied):
        services.circulation_acknowledge(actor=quality, report=report)
    rows = services.circulation_acknowledge(actor=mrep, report=report, note="已阅")
    assert [r.acknowledged_by for r in rows if r.role == "mgmt_rep"] == [mrep]
    with pytest.raises(ValidationError):
        services.circulation_acknowledge(actor=mrep, report=report)
    services.circulation_acknowledge(actor=gm, report=report)
    assert "complaint.circulation" not in {w.kind for w in work_items(gm)}
    # A closed report no longer changes.
    with pytest.raises(ValidationError) as e:
        services.discipline_update(actor=quality, report=report, code="d0", summary="x")
    assert "status" in e.value.error_dict
    with pytest.raises(ValidationError):
        services.complaint_update(actor=sales, complaint=complaint, lot="x")


def test_acknowledging_before_closing_is_refused(report):
    with pytest.raises(ValidationError) as e:
        services.circulation_acknowledge(actor=user_with("mgmt_rep"), report=report)
    assert "status" in e.value.error_dict


def test_customer_design_goes_to_sales_for_negotiation(report, quality, sales):
    """R-5.5.7: the customer's own design or manufacture — Sales negotiates instead."""
    with pytest.raises(ValidationError) as e:
        services.eightd_refer_to_sales(actor=quality, report=report, reason="顾客设计")
    assert "root_causes" in e.value.error_dict
    services.cause_add(
        actor=quality,
        report=report,
        kind="occurrence",
        category="design",
        description="顾客图纸公差要求与装配条件冲突",
        responsibility="customer",
    )
    with pytest.raises(PermissionDenied):
        services.eightd_refer_to_sales(actor=sales, report=report, reason="x")
    report = services.eightd_refer_to_sales(actor=quality, report=report, reason="顾客设计原因")
    assert report.status == "negotiation"
    report.complaint.refresh_from_db()
    assert report.complaint.status == "negotiating"
    receiver = report.complaint.received_by
    assert Notification.objects.filter(recipient=receiver, kind="eightd_negotiate").exists()
    assert "complaint.negotiate" in {w.kind for w in work_items(receiver)}
    with pytest.raises(ValidationError) as e:
        services.eightd_record_negotiation(actor=sales, report=report, outcome="x", text="t")
    assert "outcome" in e.value.error_dict
    with pytest.raises(PermissionDenied):
        services.eightd_record_negotiation(actor=quality, report=report, outcome="shared", text="t")
    # The company accepts after all: back to the team.
    report = services.eightd_record_negotiation(
        actor=sales, report=report, outcome="company_accepts", text="顾客坚持,我方承担"
    )
    assert report.status == "open"
    report = services.eightd_refer_to_sales(actor=quality, report=report, reason="再议")
    assert report.negotiation_outcome == ""
    report = services.eightd_record_negotiation(
        actor=sales, report=report, outcome="customer_accepts", text="顾客同意修改图纸"
    )
    assert report.status == "negotiation" and report.negotiated_by == sales
    assert not {"d5", "d6", "d7"} & set(services.close_blockers(report, "s"))
    # Close: D5–D7 do not apply; the rest must still be done.
    with pytest.raises(ValidationError) as e:
        services.eightd_close(actor=quality, report=report, summary="顾客承担")
    assert not {"d5", "d6", "d7"} & set(e.value.message_dict)
    services.team_add(actor=quality, report=report, user=user_with("technical"))
    services.discipline_update(actor=quality, report=report, code="d0", summary="无需紧急措施")
    services.discipline_update(actor=quality, report=report, code="d2", d2_what="装配干涉")
    services.discipline_update(actor=quality, report=report, code="d3", summary="无需围堵")
    for code in ("d0", "d1", "d2", "d3", "d4"):
        services.discipline_complete(actor=quality, report=report, code=code)
    report = services.eightd_close(actor=quality, report=report, summary="顾客承担,结案")
    assert report.status == "closed"
    states = dict(report.disciplines.values_list("code", "status"))
    assert states["d5"] == states["d6"] == states["d7"] == "not_applicable"
    # Each of D5–D7 is set aside once, audited once: a state change by the closer, R-5.5.7.
    for disc in report.disciplines.filter(code__in=["d5", "d6", "d7"]):
        (entry,) = AuditEntry.objects.filter(object_type=disc._meta.label_lower, object_id=disc.pk)
        assert (entry.action, entry.actor, entry.reason) == ("transition", quality, "R-5.5.7")
        assert (entry.before["status"], entry.after["status"]) == ("open", "not_applicable")


def test_my_work_for_each_person(sales, quality):
    complaint = register_complaint(sales)
    assert "complaint.convert" in {w.kind for w in work_items(sales)}
    report = open_report(complaint)
    assert "eightd.lead" in {w.kind for w in work_items(quality)}
    services.eightd_set_leader(actor=quality, report=report, leader=quality)
    kinds = [w.kind for w in work_items(quality)]
    assert kinds.count("eightd.discipline") == 1  # the next discipline due, not all nine
    c = services.containment_add(
        actor=quality,
        report=report,
        location="customer_stock",
        action="挑选",
        owner=quality,
        quantity_reworked=1,
    )
    kinds = {w.kind for w in work_items(quality)}
    assert {"eightd.containment", "eightd.reinspect"} <= kinds
    services.containment_done(actor=quality, containment=c, result="完成")
    services.reply_draft(actor=quality, report=report)
    assert "complaint.reply" in {w.kind for w in work_items(sales)}
    assert not list(work_items(user_with("agent")))


def _transitions(obj, since):
    """The state-change entries about `obj` written after audit entry number `since`."""
    return list(
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=obj.pk, action="transition", seq__gt=since
        ).order_by("seq")
    )


def _last_seq():
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_referral_negotiation_and_closing_audit_each_state_change_once(quality, sales):
    """Issue 17 (mutation): referral, negotiation and closing each write one "state changed"
    entry for the 8D and one for the complaint, by the person acting, with the reason given;
    closing circulates to the MR and the GM, one audited row each, stamped with the closing
    time (R-5.5.7, R-5.5.8)."""
    report = open_report(leader=quality)
    complaint = report.complaint
    add_customer_cause(report, quality)
    seq = _last_seq()
    report = services.eightd_refer_to_sales(actor=quality, report=report, reason="顾客设计原因")
    for obj, states in ((report, ("open", "negotiation")), (complaint, (None, "negotiating"))):
        (entry,) = _transitions(obj, seq)
        assert (entry.actor, entry.reason, entry.after["status"]) == (
            quality,
            "顾客设计原因",
            states[1],
        )
    assert _transitions(report, seq)[0].before["status"] == "open"
    seq = _last_seq()
    services.eightd_record_negotiation(
        actor=sales, report=report, outcome="company_accepts", text="我方承担"
    )
    assert [(e.actor, e.after["status"], e.reason) for e in _transitions(report, seq)] == [
        (sales, "open", "")
    ]
    assert [e.actor for e in _transitions(complaint, seq)] == [sales]

    complete_up_to_close(report, quality)
    mrep = user_with("mgmt_rep")
    seq = _last_seq()
    at = timezone.now()
    report = services.eightd_close(actor=quality, report=report, summary="结案", at=at)
    (entry,) = _transitions(report, seq)
    assert (entry.actor, entry.after["status"], entry.reason) == (quality, "closed", "")
    assert [e.actor for e in _transitions(complaint, seq)] == [quality]
    rows = list(Circulation.objects.filter(report=report))
    assert {r.role for r in rows} == {"mgmt_rep", "general_manager"}
    for row in rows:
        assert row.circulated_at == at
        (created,) = AuditEntry.objects.filter(object_type=row._meta.label_lower, object_id=row.pk)
        assert (created.action, created.actor, created.reason) == ("create", quality, "R-5.5.8")
    # The MR is asked to acknowledge: which complaint, whose, and the closing summary.
    note = Notification.objects.get(recipient=mrep, kind="circulation")
    mr_row = next(r for r in rows if r.role == "mgmt_rep")
    assert note.title_msgid == "For your acknowledgement: complaint %(n)s (%(c)s) closed"
    assert note.title_params == {"n": complaint.number, "c": complaint.customer.name}
    assert (note.body, note.dedupe_key) == ("结案", f"circulation:{mr_row.pk}")
    assert note.url == report.get_absolute_url()


def test_without_an_active_receiver_all_of_sales_hears_of_the_referral(quality):
    """The person who received the complaint is told; when nobody (or a deactivated user)
    received it, every Sales user is."""
    team = [user_with("sales"), user_with("sales")]
    for receiver_left in (True, False):
        report = open_report(leader=quality)
        complaint = report.complaint
        if receiver_left:
            complaint.received_by.is_active = False
            complaint.received_by.save()
        else:
            type(complaint).objects.filter(pk=complaint.pk).update(received_by=None)
        add_customer_cause(report, quality)
        services.eightd_refer_to_sales(actor=quality, report=report, reason="顾客设计原因")
        told = set(
            Notification.objects.filter(
                kind="eightd_negotiate", url=report.get_absolute_url()
            ).values_list("recipient", flat=True)
        )
        assert {u.pk for u in team} <= told
