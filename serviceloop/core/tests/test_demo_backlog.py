"""Issue 10, item 10: right after `serviceloop demo` a login meets a believable workload, not
months of overdue work. The demo's helpers decide how far each record has got by its age;
these tests hold them to the deadlines (the demo itself is too slow to run here)."""

from datetime import timedelta

import pytest

from serviceloop.complaints.demo import _scenario
from serviceloop.complaints.domain.clocks import DISCIPLINE_DAYS
from serviceloop.demo import NO_FEEDBACK_ON_PURPOSE, UNANSWERED_ON_PURPOSE, communication_progress

DRAWS = [(a, b, c) for a in (0.0, 0.5, 0.99) for b in (0.0, 0.5, 0.99) for c in (0.0, 0.99)]
AGES = [timedelta(hours=h) for h in (1, 3, 20, 25, 30, 50, 100, 150, 160, 200, 320, 2000)]


@pytest.mark.parametrize("age", AGES)
def test_every_communication_due_by_now_is_answered_and_fed_back(age):
    for i in range(300):
        if i in (UNANSWERED_ON_PURPOSE, NO_FEEDBACK_ON_PURPOSE):
            continue
        for draws in DRAWS:
            answered, then = communication_progress(i, age, draws)
            if age > timedelta(days=1):  # the first answer is due within 24 h
                assert answered
            if age > timedelta(days=7):  # feedback due within a week (or extended a week)
                assert then == "feedback" or (then == "extended" and age < timedelta(days=13))
            if then:
                assert answered


def test_the_overdue_communications_are_the_two_on_purpose():
    late = timedelta(days=20)
    assert communication_progress(UNANSWERED_ON_PURPOSE, late, (0.5, 0.5, 0.5)) == (False, "")
    assert communication_progress(NO_FEEDBACK_ON_PURPOSE, late, (0.5, 0.5, 0.5)) == (True, "")


# what each stage of complaints.demo._work has done: (disciplines done, latest action due, days)
DONE_BY_STAGE = {0: set(), 1: {"d0", "d1", "d2", "d3"}, 2: {"d4", "d5"}, 3: {"d6"}, 4: {"d7"}}
ACTIONS_OPEN_DUE = {1: None, 2: 8, 3: 18, 4: None}  # earliest due of an action left open


@pytest.mark.parametrize("age", [0.2, 0.9, 1.5, 3, 6.9, 7.5, 8, 12, 17.9, 18, 30, 44, 46, 90, 300])
def test_an_8d_is_as_far_as_its_deadlines_ask(age):
    for i in range(40):
        case, stage = _scenario(i, age)
        if case == "closed":
            assert age >= 45
            continue
        done = set().union(*(DONE_BY_STAGE[s] for s in range(stage + 1)))
        overdue = {code for code, days in DISCIPLINE_DAYS.items() if days < age} - done
        if case == "negotiation":  # on purpose: waits for the customer, D8 left open
            assert overdue <= {"d8"}
            continue
        assert not overdue, (i, age, case, stage)
        due = ACTIONS_OPEN_DUE.get(stage)
        assert due is None or age < due
