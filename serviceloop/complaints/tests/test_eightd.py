"""The 8D report: opening, disciplines, team, containment, root causes and their guards
(R-5.5.1–R-5.5.5)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from serviceloop.complaints import services
from serviceloop.complaints.models import (
    Discipline,
    EightDReport,
    Reinspection,
    Status,
    TeamMember,
)
from serviceloop.complaints.tests.factories import open_report, register_complaint
from serviceloop.core.models import AuditEntry, Department, Notification
from serviceloop.core.testing.factories import user_with
from serviceloop.core.testing.notices import assert_each_reader_sees_own_language

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def quality(db):
    return user_with("quality")


@pytest.fixture
def report(quality):
    return open_report(leader=quality)


def test_open_converts_once_and_sets_the_discipline_deadlines(sales, quality):
    received = datetime(2025, 12, 31, 23, 30, tzinfo=SH)
    complaint = register_complaint(sales, received_at=received)
    report, created = services.eightd_open(actor=sales, complaint=complaint, leader=quality)
    again, created_again = services.eightd_open(actor=sales, complaint=complaint)
    assert created and not created_again and again.pk == report.pk
    assert report.number.startswith("8D-") and report.leader == quality
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    dues = {d.code: d.due_at for d in report.disciplines.all()}
    assert len(dues) == 9
    # Across the change of year, in the company's time zone.
    # Stored as computed from receipt — across the change of year, in company time — even
    # when the deadline has already passed (it then shows overdue).
    assert dues["d3"] == datetime(2026, 1, 1, 23, 30, tzinfo=SH)
    assert dues["d4"] == datetime(2026, 1, 7, 23, 30, tzinfo=SH)
    assert dues["d8"] == datetime(2026, 3, 1, 23, 30, tzinfo=SH)
    assert report.team.get().role == "leader"
    assert Notification.objects.filter(recipient=quality, kind="eightd_opened").exists()
    assert_each_reader_sees_own_language(Notification.objects.filter(kind="eightd_opened"))


def test_opening_needs_the_permission_and_an_active_leader(sales):
    complaint = register_complaint(sales)
    with pytest.raises(PermissionDenied):
        services.eightd_open(actor=user_with("production"), complaint=complaint)
    with pytest.raises(ValidationError) as e:
        services.eightd_open(actor=sales, complaint=complaint, leader=999999)
    assert "leader" in e.value.error_dict and not EightDReport.objects.exists()


def test_in_production_complaint_asks_for_containment_at_once(sales, quality):
    complaint = register_complaint(sales, in_production=True)
    services.eightd_open(actor=sales, complaint=complaint)
    assert Notification.objects.filter(recipient=quality, kind="containment_required").exists()


def test_leader_and_team(report, quality):
    other = user_with("quality")
    services.eightd_set_leader(actor=quality, report=report, leader=other)
    report.refresh_from_db()
    assert report.leader == other
    roles = dict(report.team.values_list("user_id", "role"))
    assert roles == {other.pk: "leader", quality.pk: "member"}
    prod = user_with("production")
    member = services.team_add(actor=quality, report=report, user=prod, responsibility="围堵")
    assert member.department.code == "production" and member.responsibility == "围堵"
    with pytest.raises(ValidationError) as e:
        services.team_remove(actor=quality, member=report.team.get(user=other))
    assert "user" in e.value.error_dict
    services.team_remove(actor=quality, member=member, reason="调岗")
    assert not TeamMember.objects.filter(pk=member.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_type="complaints.teammember").exists()
    with pytest.raises(PermissionDenied):
        services.team_add(actor=prod, report=report, user=prod)


def test_discipline_edits_by_team_members_owners_and_quality(report, quality):
    outsider, member, owner = user_with("technical"), user_with("production"), user_with("rnd")
    services.team_add(actor=quality, report=report, user=member)
    services.discipline_update(actor=quality, report=report, code="d7", owner=owner)
    services.discipline_update(actor=member, report=report, code="d3", summary="成品库隔离")
    services.discipline_update(actor=owner, report=report, code="d7", summary="修订FMEA")
    with pytest.raises(PermissionDenied):
        services.discipline_update(actor=owner, report=report, code="d5", summary="x")
    with pytest.raises(PermissionDenied):
        services.discipline_update(actor=outsider, report=report, code="d0", summary="x")
    with pytest.raises(PermissionDenied):  # owner and due date are Quality's
        services.discipline_update(actor=member, report=report, code="d3", owner=member)
    assert Notification.objects.filter(recipient=owner, kind="eightd_discipline").exists()


def test_due_dates_cannot_lie_before_the_complaint(report, quality):
    before = report.complaint.received_at - timedelta(minutes=1)
    count = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as e:
        services.discipline_update(actor=quality, report=report, code="d4", due_at=before)
    assert "due_at" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.action_add(
            actor=quality,
            report=report,
            discipline="d5",
            kind="corrective",
            description="x",
            owner=quality,
            due_at=before,
        )
    assert "due_at" in e.value.error_dict
    assert AuditEntry.objects.count() == count and not report.actions.exists()


def test_d2_holds_the_5w2h(report, quality):
    services.discipline_update(
        actor=quality, report=report, code="d2", problem_statement="漏油", d2_where="总装线"
    )
    report.refresh_from_db()
    assert report.problem_statement == "漏油" and report.d2_where == "总装线"
    with pytest.raises(ValidationError) as e:
        services.discipline_update(actor=quality, report=report, code="d3", d2_where="x")
    assert "d2_where" in e.value.error_dict


def test_each_discipline_is_done_only_when_its_content_is(report, quality):
    def gap(code):
        with pytest.raises(ValidationError) as e:
            services.discipline_complete(actor=quality, report=report, code=code)
        return e.value.message_dict

    assert "d0" in gap("d0")
    assert "d1" in gap("d1")  # leader alone is not a team
    services.team_add(actor=quality, report=report, user=user_with("production"))
    services.discipline_complete(actor=quality, report=report, code="d1")
    services.discipline_update(actor=quality, report=report, code="d2", problem_statement="漏油")
    assert "d2" in gap("d2")  # the "what" is missing
    assert "d3" in gap("d3")
    assert "occurrence" in gap("d4")["d4"][0]
    assert "d5" in gap("d5")
    assert "d8" not in gap("d8") and "code" in gap("d8")
    disc = Discipline.objects.get(report=report, code="d1")
    assert disc.status == "done" and disc.completed_by == quality
    services.discipline_reopen(actor=quality, report=report, code="d1", reason="补充成员")
    disc.refresh_from_db()
    assert disc.status == "open" and disc.completed_at is None
    with pytest.raises(ValidationError) as e:
        services.discipline_reopen(actor=quality, report=report, code="d1")
    assert "status" in e.value.error_dict


def test_containment_quantities_and_reinspection(report, quality):
    """R-5.5.3: recorded, isolated, tagged; reworked goods re-inspected before stock."""
    prod_dept = Department.objects.get(code="production")
    prod = user_with("production")
    c = services.containment_add(
        actor=quality,
        report=report,
        location="finished_goods",
        action="成品库隔离",
        department=prod_dept,
    )
    assert c.due_at == report.disciplines.get(code="d3").due_at
    assert Notification.objects.filter(recipient=prod, kind="eightd_action").exists()
    assert_each_reader_sees_own_language(Notification.objects.filter(kind="eightd_action"))
    with pytest.raises(ValidationError) as e:
        services.containment_done(
            actor=prod, containment=c, result="x", quantity_checked=5, quantity_found=9
        )
    assert "quantity_found" in e.value.error_dict
    c = services.containment_done(
        actor=prod,
        containment=c,
        result="隔离 300 件,返工 4 件",
        quantity_checked=300,
        quantity_found=4,
        quantity_isolated=300,
        quantity_tagged=4,
        quantity_reworked=4,
    )
    assert c.reinspection == Reinspection.PENDING and c.done_by == prod
    with pytest.raises(PermissionDenied):
        services.containment_reinspect(actor=prod, containment=c, passed=True)
    with pytest.raises(ValidationError) as e:
        services.containment_reinspect(actor=quality, containment=c, passed=False)
    assert "note" in e.value.error_dict
    c = services.containment_reinspect(actor=quality, containment=c, passed=False, note="毛刺")
    assert c.reinspection == Reinspection.FAILED
    c = services.containment_reinspect(
        actor=user_with("production_quality"), containment=c, passed=True, note="复检合格"
    )
    assert c.reinspection == Reinspection.PASSED
    # More goods reworked later must be re-inspected again.
    c = services.containment_update(actor=quality, containment=c, quantity_reworked=6)
    assert c.reinspection == Reinspection.PENDING
    with pytest.raises(ValidationError) as e:
        services.containment_done(actor=prod, containment=c, result="again")
    assert "result" in e.value.error_dict


def test_containment_needs_an_action_and_someone_to_do_it(report, quality):
    with pytest.raises(ValidationError) as e:
        services.containment_add(actor=quality, report=report, location="in_transit", action="")
    assert "action" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.containment_add(actor=quality, report=report, location="in_transit", action="a")
    assert "owner" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.containment_add(
            actor=quality,
            report=report,
            location="in_transit",
            action="a",
            owner=quality,
            quantity_tagged=-1,
        )
    assert "quantity_tagged" in e.value.error_dict
    assert not report.containments.exists()


def test_root_causes_trace_the_work_station_operator_and_inspector(report, quality):
    """R-5.5.5 / R-5.5.1."""
    with pytest.raises(ValidationError) as e:
        services.cause_add(
            actor=quality, report=report, kind="occurrence", category="man", description="错装"
        )
    assert "work_station" in e.value.error_dict
    cause = services.cause_add(
        actor=quality,
        report=report,
        kind="occurrence",
        category="man",
        description="错装",
        work_station="装配3工位",
        operator="李四",
        inspector="周七",
        process_card_ref="GY-1",
        production_report_ref="SC-2",
        inspection_record_ref="JY-3",
    )
    cause = services.cause_update(actor=quality, cause=cause, verified=True, reason="复现确认")
    assert cause.verified and cause.operator == "李四"
    with pytest.raises(ValidationError) as e:
        services.cause_add(
            actor=quality,
            report=report,
            kind="sideways",
            category="man",
            description="x",
            work_station="y",
        )
    assert "kind" in e.value.error_dict
    with pytest.raises(PermissionDenied):
        services.cause_add(
            actor=user_with("technical"),
            report=report,
            kind="escape",
            category="method",
            description="x",
        )


def test_an_unknown_discipline_is_refused(report, quality):
    with pytest.raises(ValidationError) as e:
        services.discipline_update(actor=quality, report=report, code="d9", summary="x")
    assert "code" in e.value.error_dict
    assert timezone.now()
