"""core.statemachine: the one transition helper and the guard-method answer."""

import pytest
from django.core.exceptions import ValidationError

from serviceloop.communications.models import TRANSITIONS, Communication, Status
from serviceloop.core.models import AuditEntry
from serviceloop.core.roles import RoleCode
from serviceloop.core.statemachine import (
    ALLOWED,
    may_transition,
    refuse_unless,
    refused,
    transition,
)
from serviceloop.core.testing.factories import register_communication, user_with

pytestmark = pytest.mark.django_db


def _comm():
    actor = user_with(RoleCode.ADMIN)
    return actor, register_communication(actor)


def test_transition_saves_and_audits_the_state_change():
    actor, comm = _comm()
    seen = AuditEntry.objects.count()
    transition(comm, Status.ANSWERED, actor=actor, table=TRANSITIONS, reason="called back")
    comm.refresh_from_db()
    assert comm.status == Status.ANSWERED
    entry = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == seen + 1
    assert entry.action == "transition"
    assert entry.before["status"] == "registered" and entry.after["status"] == "answered"
    assert entry.reason == "called back"


def test_a_refused_transition_names_status_and_changes_nothing():
    actor, comm = _comm()
    seen = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        transition(comm, Status.REGISTERED, actor=actor, table=TRANSITIONS)
    assert list(err.value.message_dict) == ["status"]
    assert "Registered" in err.value.message_dict["status"][0]
    assert comm.status == Status.REGISTERED
    assert AuditEntry.objects.count() == seen
    assert Communication.objects.get(pk=comm.pk).status == Status.REGISTERED


def test_save_false_only_checks_and_sets():
    actor, comm = _comm()
    seen = AuditEntry.objects.count()
    transition(comm, Status.CLOSED, actor=actor, table=TRANSITIONS, save=False)
    assert comm.status == Status.CLOSED
    assert Communication.objects.get(pk=comm.pk).status == Status.REGISTERED
    assert AuditEntry.objects.count() == seen


def test_verb_and_may_stay():
    actor, comm = _comm()
    assert may_transition(comm, Status.CLOSED, table=TRANSITIONS, verb="feedback")
    verdict = may_transition(comm, Status.CLOSED, table=TRANSITIONS, verb="answer")
    assert not verdict and "Feedback given" in verdict.reason
    transition(comm, Status.REGISTERED, actor=actor, table=TRANSITIONS, may_stay=True)


def test_a_model_without_a_table_is_a_programming_error():
    actor, comm = _comm()
    with pytest.raises(TypeError):
        transition(comm, Status.ANSWERED, actor=actor)


def test_guard_answers_and_refuse_unless():
    assert ALLOWED and not refused("closed already")
    refuse_unless(ALLOWED)
    with pytest.raises(ValidationError) as err:
        refuse_unless(refused("Close the open actions first."), field="actions")
    assert err.value.message_dict == {"actions": ["Close the open actions first."]}


def test_move_checks_sets_saves_and_audits_once_and_returns_the_record_written():
    """Issue 17 (mutation): one workflow step — the state and the given fields set, saved,
    one "state changed" entry by the actor with the reason; with lock=True the row is read
    again (the caller's copy is left as it was) and that copy is returned."""
    from serviceloop.core.statemachine import move

    actor, comm = _comm()
    seen = AuditEntry.objects.count()
    moved = move(comm, Status.ANSWERED, actor=actor, table=TRANSITIONS, subject="回电", reason="r")
    assert moved is comm and comm.status == Status.ANSWERED
    stored = Communication.objects.get(pk=comm.pk)
    assert (stored.status, stored.subject) == (Status.ANSWERED, "回电")
    (entry,) = AuditEntry.objects.order_by("seq")[seen:]
    assert (entry.action, entry.actor, entry.reason) == ("transition", actor, "r")
    assert (entry.before["status"], entry.after["status"]) == ("registered", "answered")

    _, other = _comm()
    stale = Communication.objects.get(pk=other.pk)
    Communication.objects.filter(pk=other.pk).update(subject="已改")
    fresh = move(stale, Status.CLOSED, actor=actor, table=TRANSITIONS, lock=True)
    assert fresh is not stale and stale.status == Status.REGISTERED
    assert (fresh.status, fresh.subject) == (Status.CLOSED, "已改")
    with pytest.raises(ValidationError):
        move(fresh, Status.ANSWERED, actor=actor, table=TRANSITIONS)
    assert Communication.objects.get(pk=other.pk).status == Status.CLOSED


def test_locked_reads_the_row_again():
    from serviceloop.core.statemachine import locked

    _, comm = _comm()
    Communication.objects.filter(pk=comm.pk).update(subject="库里的")
    again = locked(comm)
    assert again is not comm and again.pk == comm.pk and again.subject == "库里的"


def test_the_table_comes_from_the_argument_or_the_model_class(monkeypatch):
    """Issue 17 (mutation): an explicit table wins over the model's TRANSITIONS; without
    either, the error names the model."""
    from serviceloop.core.statemachine import table_of

    _, comm = _comm()
    with pytest.raises(TypeError, match="Communication has no TRANSITIONS table; pass table="):
        table_of(comm)
    monkeypatch.setattr(Communication, "TRANSITIONS", TRANSITIONS, raising=False)
    assert table_of(comm) is TRANSITIONS
    assert may_transition(comm, Status.ANSWERED)
    only_close = {(Status.REGISTERED, Status.CLOSED): "feedback"}
    assert table_of(comm, only_close) is only_close
    assert not may_transition(comm, Status.ANSWERED, table=only_close)
    assert table_of(comm, {}) == {}  # an empty table is a table: nothing is allowed


def test_refusals_name_both_states_by_label_or_by_value_and_the_field():
    """Issue 17 (mutation): the refusal names the states by their labels (a value without a
    choice by itself), on the field given; a message of the caller's replaces the default."""
    from serviceloop.core.statemachine import state_label

    _, comm = _comm()
    assert state_label(comm, Status.CLOSED) == "Feedback given"
    assert state_label(comm, "nowhere") == "nowhere"
    assert state_label(comm, "x", field="subject") == "x"
    verdict = may_transition(comm, "nowhere", table=TRANSITIONS)
    assert verdict.reason == "Cannot go from Registered to nowhere." == str(verdict)
    said = may_transition(comm, "nowhere", table=TRANSITIONS, message="%(a)s → %(b)s")
    assert said.reason == "Registered → nowhere"
    comm.subject = "registered"
    assert may_transition(comm, Status.ANSWERED, table=TRANSITIONS, field="subject")
    with pytest.raises(ValidationError) as err:
        refuse_unless(refused("no"))
    assert err.value.message_dict == {"status": ["no"]}
    with pytest.raises(ValidationError) as err:
        transition(comm, "nowhere", actor=None, table=TRANSITIONS, field="subject", save=False)
    assert list(err.value.message_dict) == ["subject"]


def test_transition_passes_verb_message_field_and_audit_details_on():
    """Issue 17 (mutation): the verb, the caller's message and the field reach the check; the
    audit entry names the actor (or the background job) and no reason unless one is given."""
    actor, comm = _comm()
    with pytest.raises(ValidationError):
        transition(comm, Status.CLOSED, actor=actor, table=TRANSITIONS, verb="answer")
    with pytest.raises(ValidationError) as err:
        transition(comm, "nowhere", actor=actor, table=TRANSITIONS, message="不行: %(a)s/%(b)s")
    assert err.value.message_dict == {"status": ["不行: Registered/nowhere"]}
    comm.subject = "answered"  # the field checked is the one named, not the status
    with pytest.raises(ValidationError):
        transition(comm, Status.ANSWERED, actor=actor, table=TRANSITIONS, field="subject")
    verdict = may_transition(comm, Status.CLOSED, table={}, field="subject")
    assert verdict.reason == "Cannot go from answered to closed."
    comm.subject = "s"
    seen = AuditEntry.objects.count()
    transition(comm, Status.ANSWERED, actor=actor, table=TRANSITIONS)
    transition(comm, Status.CLOSED, actor=None, table=TRANSITIONS, system="sweep")
    by_hand, by_job = AuditEntry.objects.order_by("seq")[seen:]
    assert (by_hand.actor, by_hand.reason) == (actor, "")
    assert by_job.actor is None and by_job.actor_label == "system:sweep" and by_job.reason == ""
    _, other = _comm()
    seen = AuditEntry.objects.count()
    from serviceloop.core.statemachine import move

    move(other, Status.ANSWERED, actor=actor, table=TRANSITIONS)
    (entry,) = AuditEntry.objects.order_by("seq")[seen:]
    assert entry.reason == ""
