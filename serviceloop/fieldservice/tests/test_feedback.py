"""Weekly quality feedback (R-5.9.4): assembled from the week's records, due by the end of the
following Monday, submitted by the engineer, reviewed by Sales; missing weeks flagged by an
idempotent sweep."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from freezegun import freeze_time

from serviceloop.core import deadlines
from serviceloop.core.models import AuditEntry, Notification
from serviceloop.core.selectors import work_items
from serviceloop.core.testing.factories import user_with
from serviceloop.fieldservice import selectors, services
from serviceloop.fieldservice.models import WeeklyFeedback

from .factories import assignment, record

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def _monday(weeks_ago: int) -> date:
    return deadlines.week_start(timezone.localdate()) - timedelta(weeks=weeks_ago)


def test_submit_links_the_weeks_records(eng, oem, part):
    week = _monday(1)
    r1 = record(eng, oem, part, day=week)
    r2 = record(eng, oem, part, day=week + timedelta(days=6))
    other = record(eng, oem, part, day=week + timedelta(days=7))
    fb = services.weekly_feedback_submit(actor=eng, week_start=week, summary="漏油为主")
    assert fb.status == "submitted" and fb.record_count == 2
    assert set(fb.records.all()) == {r1, r2} and other.weekly_feedback is None
    assert fb.due_at == deadlines.weekly_feedback_due(week)


def test_submit_guards(eng, oem, part):
    with pytest.raises(ValidationError) as e:
        services.weekly_feedback_submit(actor=eng, week_start=_monday(1) + timedelta(days=1))
    assert "week_start" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.weekly_feedback_submit(actor=eng, week_start=_monday(-1), summary="x")
    assert "week_start" in e.value.error_dict
    with pytest.raises(ValidationError) as e:  # an empty week needs a word
        services.weekly_feedback_submit(actor=eng, week_start=_monday(1))
    assert "summary" in e.value.error_dict
    assert not WeeklyFeedback.objects.exists()
    fb = services.weekly_feedback_submit(actor=eng, week_start=_monday(1), summary="无服务")
    with pytest.raises(ValidationError):
        services.weekly_feedback_submit(actor=eng, week_start=_monday(1), summary="again")
    assert fb.record_count == 0
    with pytest.raises(PermissionDenied):
        services.weekly_feedback_submit(
            actor=user_with("sales"), week_start=_monday(1), summary="x"
        )
    with pytest.raises(ValidationError) as e:
        services.weekly_feedback_submit(
            actor=eng, week_start=_monday(2), summary="x", engineer=user_with("service_engineer")
        )
    assert "engineer" in e.value.error_dict


def test_review_and_return(eng, oem, part, sales):
    week = _monday(1)
    record(eng, oem, part, day=week)
    fb = services.weekly_feedback_submit(actor=eng, week_start=week, summary="s")
    with pytest.raises(PermissionDenied):
        services.weekly_feedback_review(actor=eng, feedback=fb)
    fb = services.weekly_feedback_return(actor=sales, feedback=fb, reason="缺少车辆信息")
    assert fb.status == "draft" and fb.submitted_at is None and not fb.records.exists()
    assert Notification.objects.filter(recipient=eng, kind="fieldservice.feedback").exists()
    with pytest.raises(ValidationError):
        services.weekly_feedback_review(actor=sales, feedback=fb)
    fb = services.weekly_feedback_submit(actor=eng, week_start=week, summary="已补充")
    fb = services.weekly_feedback_review(actor=sales, feedback=fb, note="已汇总")
    assert fb.status == "reviewed" and fb.reviewed_by == sales
    with pytest.raises(ValidationError):
        services.weekly_feedback_return(actor=sales, feedback=fb, reason="x")


def test_late_and_on_time_exactly_at_the_deadline(eng, oem, part):
    week = date(2025, 12, 29)  # across the year end: due Monday 5 January 2026, 23:59:59.999
    due = deadlines.weekly_feedback_due(week)
    with freeze_time(datetime(2026, 1, 4, 10, 0, tzinfo=SH)):
        record(eng, oem, part, day=date(2025, 12, 31))
        record(eng, oem, part, day=date(2026, 1, 2))
    with freeze_time(due):
        fb = services.weekly_feedback_submit(actor=eng, week_start=week, summary="跨年周")
    assert fb.record_count == 2 and not fb.late and fb.label == "2026-W01"
    other = user_with("service_engineer")
    with freeze_time(datetime(2026, 1, 4, 10, 0, tzinfo=SH)):
        record(other, oem, part, day=date(2026, 1, 1))
    with freeze_time(due + timedelta(seconds=1)):
        late = services.weekly_feedback_submit(actor=other, week_start=week, summary="迟交")
    assert late.late


def test_back_office_submission_time_is_checked(eng, oem, part):
    week = _monday(2)
    record(eng, oem, part, day=week)
    with pytest.raises(ValidationError) as e:
        services.weekly_feedback_submit(
            actor=eng, week_start=week, summary="s", at=timezone.now() + timedelta(days=1)
        )
    assert "at" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.weekly_feedback_submit(
            actor=eng, week_start=week, summary="s", at=timezone.now() - timedelta(weeks=5)
        )
    assert "at" in e.value.error_dict


def test_sweep_flags_missing_weeks_once(eng, oem, part, sales, leader):
    with freeze_time(datetime(2026, 1, 20, 9, 0, tzinfo=SH)):  # a Tuesday
        assignment(eng, oem, actor=sales, start_date=date(2025, 12, 24))
        record(eng, oem, part, day=date(2026, 1, 7))
        services.weekly_feedback_submit(actor=eng, week_start=date(2026, 1, 5), summary="ok")
        flagged = services.sweep_missing_feedback()
        # owed: weeks of 22 Dec, 29 Dec, 5 Jan (submitted), 12 Jan (due 19 Jan, passed)
        assert flagged == 3
        missing = WeeklyFeedback.objects.filter(overdue_flagged_at__isnull=False)
        assert sorted(missing.values_list("week_start", flat=True)) == [
            date(2025, 12, 22),
            date(2025, 12, 29),
            date(2026, 1, 12),
        ]
        notices = Notification.objects.filter(kind="fieldservice.feedback_missing")
        assert notices.filter(recipient=eng).count() == 3
        assert notices.filter(recipient=leader).count() == 3
        audit = AuditEntry.objects.count()
        assert services.sweep_missing_feedback() == 0
        assert Notification.objects.filter(kind="fieldservice.feedback_missing").count() == 6
        assert AuditEntry.objects.count() == audit
        # the current week (19 Jan) is not due yet: not flagged even after a late submission
        services.weekly_feedback_submit(actor=eng, week_start=date(2026, 1, 12), summary="迟")
        assert WeeklyFeedback.objects.get(week_start=date(2026, 1, 12)).late
    with freeze_time(datetime(2026, 1, 27, 0, 0, 1, tzinfo=SH)):
        assert services.sweep_missing_feedback() == 1  # the week of 19 Jan is now missing


def test_compliance_and_work_items(eng, oem, part, sales):
    with freeze_time(datetime(2026, 1, 8, 9, 0, tzinfo=SH)):
        assignment(eng, oem, actor=sales, start_date=date(2026, 1, 1))
        record(eng, oem, part, day=date(2026, 1, 6))
        services.weekly_feedback_submit(actor=eng, week_start=date(2026, 1, 5), summary="ok")
    with freeze_time(datetime(2026, 1, 20, 9, 0, tzinfo=SH)):
        mondays, rows = selectors.feedback_compliance(sales, weeks=4)
        assert mondays == [
            date(2025, 12, 29),
            date(2026, 1, 5),
            date(2026, 1, 12),
            date(2026, 1, 19),
        ]
        row = next(r for r in rows if r.engineer == eng)
        assert [c.state for c in row.cells] == ["missing", "on_time", "missing", "pending"]
        assert row.missing == 2 and row.cells[1].records == 1
        items = [i for i in work_items(eng) if i.kind == "fieldservice.weekly_feedback"]
        assert [i.title[-8:] for i in items] == ["2026-W01", "2026-W03"]  # most overdue first
        assert all(i.overdue(timezone.now()) for i in items)
        review = [i for i in work_items(sales) if i.kind == "fieldservice.feedback_review"]
        assert review and "1" in review[0].title


def test_api(api_as, eng, oem, part, sales):
    week = _monday(0)  # the current week: submitted before it is due
    record(eng, oem, part, day=week)
    e_api = api_as(eng)
    wk = e_api.get("weekly-feedback/week", {"week_start": week.isoformat()}).json()
    assert wk["feedback"] is None and len(wk["records"]) == 1
    r = e_api.post("weekly-feedback/submit", {"week_start": (week + timedelta(1)).isoformat()})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "week_start"
    r = e_api.post("weekly-feedback/submit", {"week_start": week.isoformat(), "summary": "s"})
    assert r.status_code == 200 and r.json()["record_count"] == 1
    fid = r.json()["id"]
    s_api = api_as(sales)
    assert s_api.post(f"weekly-feedback/{fid}/review", {}).json()["status"] == "reviewed"
    comp = s_api.get("weekly-feedback/compliance", {"weeks": 2}).json()
    assert [w["state"] for w in comp[0]["weeks"]] == ["not_owed", "on_time"]
    assert api_as(user_with("agent")).get("weekly-feedback/").status_code == 403


@pytest.mark.parametrize("role", ["service_engineer", "sales", "quality"])
def test_current_week_page_renders_before_anything_was_submitted(eng, oem, part, role):
    """Issue 10 §1: the "this week" page answered 500 (time_left got '' for a missing feedback)."""
    from django.test import Client

    week = _monday(0)
    record(eng, oem, part, day=week)
    c = Client()
    c.force_login(eng if role == "service_engineer" else user_with(role))
    r = c.get(f"/field-service/feedback/{eng.pk}/{week.isoformat()}/")
    assert r.status_code == 200
    assert "badge" in r.content.decode()


def test_time_left_tag_takes_dates_and_blanks():
    from serviceloop.core.templatetags.serviceloop import time_left

    due = timezone.now() + timedelta(days=1)
    assert "badge" in str(time_left(due, ""))  # a missing 'done' is not a time
    assert "badge ok" in str(time_left(due, due.date() - timedelta(days=1)))
    assert "badge" in str(time_left(due.date()))
    assert time_left("", None) == ""
