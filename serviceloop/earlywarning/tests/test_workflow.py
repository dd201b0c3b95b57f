"""R-5.4.2: every transition of an alert and its report, each guard and permission, the
audit trail, the overdue sweep and "my work"."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.test import override_settings
from django.utils import timezone

from serviceloop.core.models import AuditEntry, Notification
from serviceloop.core.selectors import work_items
from serviceloop.core.testing.factories import ContactFactory, CustomerFactory, user_with
from serviceloop.core.testing.notices import assert_each_reader_sees_own_language
from serviceloop.earlywarning import services
from serviceloop.earlywarning.models import (
    ALERT_TRANSITIONS,
    Alert,
    AlertStatus,
    CustomerNotification,
    FailureAnalysisReport,
    ReportStatus,
)
from serviceloop.earlywarning.tests import factories as f

pytestmark = pytest.mark.django_db


def _audits(obj, action="transition"):
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    ).count()


def test_acknowledge(quality):
    alert = f.raise_alert()
    alert = services.alert_acknowledge(actor=quality, alert=alert, note="安排拆检")
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_by == quality
    assert _audits(alert) == 1
    with pytest.raises(ValidationError) as exc:
        services.alert_acknowledge(actor=quality, alert=alert)
    assert "status" in exc.value.message_dict


def test_draft_from_new_prefills_the_report_and_acknowledges(quality):
    alert = f.raise_alert()
    report = services.report_draft(actor=quality, alert=alert)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.REPORT_DRAFTED and alert.acknowledged_by == quality
    assert report.number.startswith("EWR-") and report.status == ReportStatus.DRAFT
    assert "SA-2041" in report.phenomenon and "CUSUM" in report.analysis
    assert "漏油" in report.causes and report.actions.startswith("1.")
    assert report.evidence == alert.evidence and report.chart == alert.chart
    assert _audits(report, "create") == 1
    with pytest.raises(ValidationError) as exc:
        services.report_draft(actor=quality, alert=alert)
    assert "alert" in exc.value.message_dict


@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_draft_is_written_in_the_company_language(quality):
    report = services.report_draft(actor=quality, alert=f.raise_alert())
    assert report.language == "zh-hans"
    assert "前减振器" in report.phenomenon


def test_draft_from_acknowledged(quality):
    alert = services.alert_acknowledge(actor=quality, alert=f.raise_alert())
    services.report_draft(actor=quality, alert=alert)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.REPORT_DRAFTED


def test_edit_refresh_and_issue(quality, sales):
    report = f.drafted_report(quality=quality)
    report = services.report_update(
        actor=quality, report=report, causes="油封唇口划伤。", reason="拆检"
    )
    assert report.causes == "油封唇口划伤。"
    with pytest.raises(ValidationError):
        services.report_update(actor=quality, report=report, status="issued")
    with pytest.raises(ValidationError) as exc:
        services.report_update(actor=quality, report=report, title="")
    assert "title" in exc.value.message_dict
    Alert.objects.filter(pk=report.alert_id).update(evidence={"changed": True})
    report = services.report_refresh_evidence(actor=quality, report=report)
    assert report.evidence == {"changed": True}
    before = timezone.now()
    report = services.report_issue(actor=quality, report=report)
    assert report.status == ReportStatus.ISSUED and report.issued_by == quality
    assert report.alert.status == AlertStatus.REPORT_ISSUED
    assert report.notify_due_at >= before + timedelta(days=7) - timedelta(seconds=1)
    assert Notification.objects.filter(recipient=sales, kind="ew_report_issued").count() == 1
    assert_each_reader_sees_own_language(Notification.objects.filter(kind="ew_report_issued"))
    for call in (
        lambda: services.report_update(actor=quality, report=report, causes="x"),
        lambda: services.report_refresh_evidence(actor=quality, report=report),
        lambda: services.report_issue(actor=quality, report=report),
    ):
        with pytest.raises(ValidationError):
            call()


def test_issue_needs_the_sections(quality):
    report = f.drafted_report(quality=quality)
    report = services.report_update(actor=quality, report=report, actions="  ")
    with pytest.raises(ValidationError) as exc:
        services.report_issue(actor=quality, report=report)
    assert set(exc.value.message_dict) == {"actions"}
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_customer_notification_and_close(quality, sales):
    report = f.issued_report(quality=quality)
    customer = CustomerFactory()
    contact = ContactFactory(customer=customer)
    note = services.notification_record(
        actor=sales,
        report=report,
        customer=customer,
        notified_on=timezone.localdate(),
        channel="visit",
        contact=contact,
        agreed_solution="库存全检,已装车的下次保养时更换。",
    )
    alert = Alert.objects.get(pk=report.alert_id)
    assert alert.status == AlertStatus.CUSTOMER_NOTIFIED and note.contact_label == str(contact)
    # a second customer: no transition, a second record
    services.notification_record(
        actor=sales,
        report=report,
        customer=CustomerFactory(),
        notified_on=timezone.localdate(),
        channel="email",
        contact_name="赵工",
        agreed_solution="同意更换。",
    )
    assert CustomerNotification.objects.filter(report=report).count() == 2
    alert = services.alert_close(actor=sales, alert=alert, note="两家客户均已确认。")
    assert alert.status == AlertStatus.CLOSED and alert.closed_by == sales
    assert Notification.objects.filter(recipient=quality, kind="ew_closed").exists()
    with pytest.raises(ValidationError):
        services.notification_record(
            actor=sales,
            report=report,
            customer=customer,
            notified_on=timezone.localdate(),
            channel="visit",
            agreed_solution="x",
        )


def test_notification_guards(quality, sales):
    draft = f.drafted_report(quality=quality)
    customer = CustomerFactory()
    base = {
        "customer": customer,
        "notified_on": timezone.localdate(),
        "channel": "call",
        "agreed_solution": "更换",
    }
    with pytest.raises(ValidationError) as exc:
        services.notification_record(actor=sales, report=draft, **base)
    assert "report" in exc.value.message_dict
    report = f.issued_report(quality=quality)
    cases = {
        "notified_on": {"notified_on": timezone.localdate() + timedelta(days=2)},
        "agreed_solution": {"agreed_solution": " "},
        "channel": {"channel": "pigeon"},
        "contact": {"contact": ContactFactory(customer=CustomerFactory())},
        "customer": {"customer": 999999},
    }
    for field, change in cases.items():
        with pytest.raises(ValidationError) as exc:
            services.notification_record(actor=sales, report=report, **{**base, **change})
        assert field in exc.value.message_dict, field
    with pytest.raises(ValidationError) as exc:
        services.notification_record(
            actor=sales,
            report=report,
            **{**base, "notified_on": timezone.localdate() - timedelta(days=3)},
        )
    assert "notified_on" in exc.value.message_dict
    assert not CustomerNotification.objects.exists()
    assert Alert.objects.get(pk=report.alert_id).status == AlertStatus.REPORT_ISSUED


def test_close_only_after_a_customer_was_told(quality, sales):
    report = f.issued_report(quality=quality)
    with pytest.raises(ValidationError):
        services.alert_close(actor=sales, alert=report.alert)


def test_dismiss_needs_a_reason_and_withdraws_a_draft(quality):
    report = f.drafted_report(quality=quality)
    alert = report.alert
    with pytest.raises(ValidationError) as exc:
        services.alert_dismiss(actor=quality, alert=alert, reason=" ")
    assert "reason" in exc.value.message_dict
    alert = services.alert_dismiss(actor=quality, alert=alert, reason="数据录入错误,已更正。")
    report.refresh_from_db()
    assert alert.status == AlertStatus.DISMISSED and alert.dismiss_reason == "数据录入错误,已更正。"
    assert report.status == ReportStatus.WITHDRAWN
    entry = AuditEntry.objects.filter(
        object_type="earlywarning.alert", object_id=str(alert.pk)
    ).first()
    assert entry.reason == "数据录入错误,已更正。"


def test_dismiss_is_not_possible_once_issued(quality):
    report = f.issued_report(quality=quality)
    with pytest.raises(ValidationError):
        services.alert_dismiss(actor=quality, alert=report.alert, reason="r")


def test_every_transition_in_the_table_is_reachable():
    reached = {
        (AlertStatus.NEW, AlertStatus.ACKNOWLEDGED),
        (AlertStatus.NEW, AlertStatus.REPORT_DRAFTED),
        (AlertStatus.ACKNOWLEDGED, AlertStatus.REPORT_DRAFTED),
        (AlertStatus.REPORT_DRAFTED, AlertStatus.REPORT_ISSUED),
        (AlertStatus.REPORT_ISSUED, AlertStatus.CUSTOMER_NOTIFIED),
        (AlertStatus.CUSTOMER_NOTIFIED, AlertStatus.CLOSED),
        (AlertStatus.NEW, AlertStatus.DISMISSED),
        (AlertStatus.ACKNOWLEDGED, AlertStatus.DISMISSED),
        (AlertStatus.REPORT_DRAFTED, AlertStatus.DISMISSED),
    }
    assert set(ALERT_TRANSITIONS) == reached


def test_dismiss_from_new_and_acknowledged(quality):
    a = services.alert_dismiss(actor=quality, alert=f.raise_alert(), reason="已知原因")
    assert a.status == AlertStatus.DISMISSED
    b = f.raise_alert(f.claims_finding(cohort="2025-04"))
    b = services.alert_acknowledge(actor=quality, alert=b)
    assert (
        services.alert_dismiss(actor=quality, alert=b, reason="r").status == AlertStatus.DISMISSED
    )


@pytest.mark.parametrize(
    "role,call",
    [
        ("sales", lambda u, a: services.alert_acknowledge(actor=u, alert=a)),
        ("sales", lambda u, a: services.alert_dismiss(actor=u, alert=a, reason="r")),
        ("production_quality", lambda u, a: services.report_draft(actor=u, alert=a)),
        ("quality", lambda u, a: services.alert_close(actor=u, alert=a)),
        ("agent", lambda u, a: services.alert_acknowledge(actor=u, alert=a)),
    ],
)
def test_permissions(role, call):
    alert = f.raise_alert()
    with pytest.raises(PermissionDenied):
        call(user_with(role), alert)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.NEW


def test_report_permissions(quality, sales):
    report = f.drafted_report(quality=quality)
    with pytest.raises(PermissionDenied):
        services.report_update(actor=sales, report=report, causes="x")
    with pytest.raises(PermissionDenied):
        services.report_issue(actor=sales, report=report)
    issued = f.issued_report(quality=quality)
    with pytest.raises(PermissionDenied):
        services.notification_record(
            actor=quality,
            report=issued,
            customer=CustomerFactory(),
            notified_on=timezone.localdate(),
            channel="call",
            agreed_solution="x",
        )


def test_sweep_flags_overdue_reports_and_notifications_once(quality):
    leader = user_with("sales_leader")
    alert = f.raise_alert()
    issued = f.issued_report(f.raise_alert(f.claims_finding(cohort="2025-05")), quality)
    later = timezone.now() + timedelta(days=40)
    counts = services.sweep_overdue(later)
    assert counts == {"report": 1, "notification": 1}
    alert.refresh_from_db()
    issued.refresh_from_db()
    assert alert.report_overdue_flagged_at == later and issued.notify_overdue_flagged_at == later
    assert Notification.objects.filter(recipient=quality, kind="ew_overdue").count() == 2
    assert Notification.objects.filter(recipient=leader, kind="ew_overdue").count() == 1
    assert services.sweep_overdue(later + timedelta(days=1)) == {"report": 0, "notification": 0}
    assert services.sweep_overdue(timezone.now()) == {"report": 0, "notification": 0}


def test_my_work(quality, sales):
    new = f.raise_alert()
    report = f.issued_report(f.raise_alert(f.claims_finding(cohort="2025-06")), quality)
    q_items = {i.kind: i for i in work_items(quality)}
    assert "ew.alert.new" in q_items and q_items["ew.alert.new"].due_at == new.report_due_at
    s_items = [i for i in work_items(sales) if i.kind.startswith("ew.")]
    assert [i.kind for i in s_items] == ["ew.report.notify"]
    assert s_items[0].due_at == report.notify_due_at and report.number in s_items[0].title
    assert not [i for i in work_items(user_with("technical")) if i.kind.startswith("ew.")]


def test_report_rows_cannot_be_deleted_under_an_alert():
    report = f.drafted_report()
    with pytest.raises(ProtectedError):
        Alert.objects.filter(pk=report.alert_id).delete()
    assert FailureAnalysisReport.objects.filter(pk=report.pk).exists()
