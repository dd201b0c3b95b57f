"""Issue 10 §3: the history panel reads as sentences in the reader's language — labels, choice
labels, people by name, records by number with a link, jobs by a human label, fixed reasons
translated, child rows in their parent's history — never raw ids, codes or Python lists."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from serviceloop.communications import services as comm_services
from serviceloop.complaints import services as cs
from serviceloop.complaints.tests.factories import open_report, soon
from serviceloop.core.history import plain, readable, system_label
from serviceloop.core.models import Department
from serviceloop.core.selectors import record_history
from serviceloop.core.testing.factories import register_communication, user_with

pytestmark = pytest.mark.django_db


def _page(user, url, lang):
    c = Client()
    c.force_login(user)
    c.cookies["django_language"] = lang
    r = c.get(url, headers={"accept-language": lang})
    assert r.status_code == 200
    html = r.content.decode()
    return html[html.index('class="card history"') :]


def _answered_overdue_communication(sales):
    comm = register_communication(sales, received_at=timezone.now() - timedelta(days=3))
    comm_services.sweep_overdue()
    dept = Department.objects.get(code="technical")
    member = user_with("production", department=dept, first_name="工", last_name="程")
    comm_services.communication_route(
        actor=sales, communication=comm, departments=[dept], instruction="请分析"
    )
    routing = comm.routings.get()
    comm_services.routing_respond(actor=member, routing=routing, text="已分析")
    comm_services.communication_answer(actor=sales, communication=comm, text="已答复")
    return comm


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh-hans", ["系统: 逾期检查", "状态", "已答复", "技术部", "已分析"]),
        ("en", ["System: overdue check", "status", "Answered", "Technical", "已分析"]),
    ],
)
def test_communication_history_is_readable_in_both_languages(sales, settings, lang, words):
    sales.first_name, sales.last_name = "三", "张"
    sales.save()
    comm = _answered_overdue_communication(sales)
    settings.LANGUAGE_CODE = lang
    panel = _page(sales, f"/communications/{comm.pk}/", lang)
    for w in words:
        assert w in panel, (w, panel)
    assert "system:" not in panel and "sweep_overdue" not in panel
    assert "answered</" not in panel and ": answered" not in panel  # no status code
    assert not re.search(r"(答复人|answered by|owner|负责人): \d+", panel)
    assert "deadline passed" not in panel or lang == "en"


def test_8d_history_shows_its_action_rows_with_people_and_choices(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    quality = user_with("quality", first_name="质", last_name="王")
    report = open_report(leader=quality)
    action = cs.action_add(
        actor=quality,
        report=report,
        discipline="d5",
        kind="corrective",
        description="调整压力",
        owner=quality,
        due_at=soon(),
    )
    cs.action_complete(actor=quality, action=action, result="已完成")
    lines = readable(record_history("complaints.eightdreport", report.pk))
    text = " ".join(
        f"{line.actor} {line.verb} {line.subject} "
        + " ".join(f"{c.label} {c.old} {c.new}" for c in line.changes)
        for line in lines
    )
    assert "调整压力" in text and "王质" in text or "质 王" in text or "王 质" in text
    assert "in_progress" not in text and "corrective" not in text
    assert not re.search(r"(负责人|完成人|owner|done by)\s+(None\s+)?\d+\b", text)


def test_rows_and_lists_read_as_rows_and_jobs_by_label(settings):
    settings.LANGUAGE_CODE = "en"
    assert plain([["SA-1001", 10, 5, 0, 10]]) == "SA-1001 · 10 · 5 · 0 · 10"
    assert "[" not in plain([["a", 1], ["b", 2]])
    assert system_label("sweep_overdue") == "System: overdue check"
    assert system_label("complaints.sweep_overdue") == "System: overdue check"


def test_audit_log_page_reads_the_same_way(sales, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    _answered_overdue_communication(sales)
    admin = user_with("admin")
    c = Client()
    c.force_login(admin)
    r = c.get("/audit/?object_type=communications.communication")
    assert r.status_code == 200
    page = r.content.decode()
    assert "系统: 逾期检查" in page and "已答复" in page
    assert "system:sweep_overdue" not in page
