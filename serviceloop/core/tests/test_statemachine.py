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
