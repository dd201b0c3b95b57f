"""Issue 10 §2: one late-entry rule for every clock (8D actions, disciplines, containment,
weekly feedback); figures count late entries beside the on-time rate."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from serviceloop.complaints import services as cs
from serviceloop.complaints.models import ActionItem
from serviceloop.complaints.tests.factories import open_report, soon
from serviceloop.core import deadlines
from serviceloop.core.late_entry import is_late_entry, stated_time
from serviceloop.core.testing.factories import user_with
from serviceloop.fieldservice import selectors as fs_selectors
from serviceloop.fieldservice import services as fs
from serviceloop.fieldservice.tests.factories import engineer

pytestmark = pytest.mark.django_db


def test_the_rule_is_more_than_15_minutes():
    now = timezone.now()
    assert not is_late_entry(now - timedelta(minutes=15), now)
    assert is_late_entry(now - timedelta(minutes=15, seconds=1), now)
    assert not is_late_entry(None, now)


def _action(quality):
    report = open_report(leader=quality)
    report.complaint.received_at = timezone.now() - timedelta(days=5)
    report.complaint.save()
    return cs.action_add(
        actor=quality,
        report=report,
        discipline="d5",
        kind="corrective",
        description="调整压力",
        owner=quality,
        due_at=soon(),
    )


def test_back_dated_8d_action_needs_a_reason_and_keeps_both_times():
    quality = user_with("quality")
    action = _action(quality)
    at = timezone.now() - timedelta(days=1)
    with pytest.raises(ValidationError) as e:
        cs.action_complete(actor=quality, action=action, result="已完成", at=at)
    assert "reason" in e.value.error_dict
    action.refresh_from_db()
    assert action.status == "open" and action.done_at is None
    done = cs.action_complete(actor=quality, action=action, result="已完成", at=at, reason="补登")
    st = stated_time(done, "done")
    assert st.late_entry and st.at == at and st.entered_at - at > timedelta(hours=23)
    # sent back as not effective: the times are forgotten with the completion
    item = cs.action_verify(actor=quality, action=done, effective=False, note="无效")
    item = ActionItem.objects.get(pk=item.pk)
    assert item.done_at is None and item.done_entered_at is None and item.done_late_reason == ""


def test_back_dated_action_over_the_api_is_422_naming_reason(api_as):
    quality = user_with("quality")
    action = _action(quality)
    api = api_as(quality)
    at = (timezone.now() - timedelta(days=1)).isoformat()
    r = api.post(f"eight-d-reports/action-items/{action.pk}/complete", {"result": "x", "at": at})
    assert r.status_code == 422, r.content
    assert "reason" in str(r.json()["detail"])
    assert ActionItem.objects.get(pk=action.pk).done_at is None


def test_back_dated_weekly_feedback_is_counted_beside_the_on_time_figure():
    eng = engineer()
    monday = deadlines.week_start(timezone.localdate()) - timedelta(weeks=1)
    at = timezone.now() - timedelta(hours=2)
    with pytest.raises(ValidationError) as e:
        fs.weekly_feedback_submit(actor=eng, week_start=monday, summary="无", at=at)
    assert "reason" in e.value.error_dict
    fb = fs.weekly_feedback_submit(
        actor=eng, week_start=monday, summary="无", at=at, reason="纸质周报补录"
    )
    assert fb.submitted_late_reason == "纸质周报补录"
    _mondays, rows = fs_selectors.feedback_compliance(user_with("sales"), weeks=4)
    row = next(r for r in rows if r.engineer.pk == eng.pk)
    assert row.late_entries == 1
