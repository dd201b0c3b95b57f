"""Issue 10 §4: only an 8D action's owner, the 8D leader or Quality may complete it; the
action table shows who completed and who verified it, with the times."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from serviceloop.complaints import services
from serviceloop.complaints.models import ActionItem
from serviceloop.complaints.tests.factories import open_report, soon
from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import user_with

pytestmark = pytest.mark.django_db


def _setup():
    quality = user_with("quality", first_name="质量", last_name="王")
    report = open_report(leader=quality)
    technical = user_with("technical", first_name="技术", last_name="李")
    production = user_with("production", first_name="生产", last_name="赵")
    for u in (technical, production):
        services.team_add(actor=quality, report=report, user=u)
    action = services.action_add(
        actor=quality,
        report=report,
        discipline="d7",
        kind="work_instruction",
        description="修订作业指导书",
        owner=technical,
        due_at=soon(),
    )
    return quality, report, technical, production, action


def test_a_team_member_may_not_complete_someone_elses_action():
    quality, report, technical, production, action = _setup()
    n = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.action_complete(
            actor=production, action=action, result="已完成", document_ref="WI-1 B"
        )
    item = ActionItem.objects.get(pk=action.pk)
    assert item.status == "open" and item.done_at is None and item.done_by is None
    assert AuditEntry.objects.count() == n
    c = Client()
    c.force_login(production)
    r = c.post(
        f"/complaints/8d/actions/{action.pk}/complete/",
        {"complete-result": "x", "complete-document_ref": "WI-1 B"},
    )
    assert r.status_code == 403
    assert ActionItem.objects.get(pk=action.pk).done_at is None
    page = c.get(f"/complaints/8d/{report.pk}/d7/").content.decode()
    assert f"/complaints/8d/actions/{action.pk}/complete/" not in page


def test_owner_leader_and_quality_may_complete_and_the_table_names_them():
    quality, report, technical, production, action = _setup()
    c = Client()
    c.force_login(technical)
    page = c.get(f"/complaints/8d/{report.pk}/d7/").content.decode()
    assert f"/complaints/8d/actions/{action.pk}/complete/" in page
    services.action_complete(actor=technical, action=action, result="已修订", document_ref="WI-1 B")
    services.action_verify(actor=quality, action=action, effective=True, note="有效")
    page = c.get(f"/complaints/8d/{report.pk}/d7/").content.decode()
    assert "技术" in page and "质量" in page  # completed by and verified by, by name
    other = services.action_add(
        actor=quality,
        report=report,
        discipline="d5",
        kind="corrective",
        description="调整",
        owner=production,
        due_at=soon(),
    )
    assert services.action_complete(actor=quality, action=other, result="ok").done_by == quality
