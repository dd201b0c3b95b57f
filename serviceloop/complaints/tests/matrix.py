"""Permission-matrix rows of complaints (see core/tests/test_permission_matrix.py).

The world: a complaint of w["customer"] (served by w["agency"]) with an open 8D led by a
Quality user — containment with reworked goods, a root cause, an action item, a team member,
a drafted reply letter — a letter form for the customer, and a second, closed complaint whose
circulation waits for the MR and the GM."""

from datetime import timedelta

from django.utils import timezone

from serviceloop.complaints import services
from serviceloop.complaints.tests.factories import (
    complete_up_to_close,
    open_report,
    register_complaint,
)
from serviceloop.core.testing.factories import user_with


def build(w: dict) -> None:
    sales, quality = user_with("sales"), user_with("quality")
    complaint = register_complaint(sales, w["customer"], in_production=True)
    report = open_report(complaint, leader=quality)
    containment = services.containment_add(
        actor=quality,
        report=report,
        location="finished_goods",
        action="隔离成品库同批次",
        owner=quality,
        quantity_reworked=2,
    )
    cause = services.cause_add(
        actor=quality,
        report=report,
        kind="occurrence",
        category="machine",
        description="压装压力偏低",
        work_station="压装工位",
    )
    action = services.action_add(
        actor=quality,
        report=report,
        discipline="d5",
        kind="corrective",
        description="调整压力",
        owner=quality,
        due_at=timezone.now() + timedelta(days=3),
    )
    member = services.team_add(actor=quality, report=report, user=user_with("production"))
    services.reply_draft(actor=quality, report=report)
    template = services.reply_template_save(
        actor=quality, customer=w["customer"], title="回答书", subject="答复", body="{{ customer }}"
    )
    closed = complete_up_to_close(open_report(register_complaint(sales, w["customer"])), quality)
    services.eightd_close(actor=quality, report=closed, summary="结案")
    w.update(
        quality=quality,
        complaint_id=complaint.pk,
        report_id=report.pk,
        closed_report_id=closed.pk,
        containment_id=containment.pk,
        cause_id=cause.pk,
        action_id=action.pk,
        member_id=member.pk,
        template_id=template.pk,
        code="d2",
    )


def _due():
    return (timezone.now() + timedelta(days=5)).isoformat()


R = "/api/v1/eight-d-reports"
API = {
    ("get", "/api/v1/complaints/"): ("complaint.view", lambda w: None),
    ("post", "/api/v1/complaints/"): (
        "complaint.create",
        lambda w: {
            "customer": w["customer"].pk,
            "received_at": timezone.now().isoformat(),
            "part_number": "P1",
            "quantity": 3,
            "description": "异响",
        },
    ),
    ("get", "/api/v1/complaints/review"): ("review.view", lambda w: None),
    ("get", "/api/v1/complaints/{complaint_id}"): ("complaint.view", lambda w: None),
    ("patch", "/api/v1/complaints/{complaint_id}"): ("complaint.change", lambda w: {"lot": "L2"}),
    ("post", "/api/v1/complaints/{complaint_id}/eight-d"): ("eightd.open", lambda w: {}),
    ("get", f"{R}/"): ("eightd.view", lambda w: None),
    ("get", f"{R}/action-items"): ("eightd.view", lambda w: None),
    ("get", f"{R}/{{report_id}}"): ("eightd.view", lambda w: None),
    ("patch", f"{R}/{{report_id}}"): ("eightd.edit", lambda w: {"leader": w["quality"].pk}),
    ("patch", f"{R}/{{report_id}}/disciplines/{{code}}"): (
        "eightd.edit",
        lambda w: {"summary": "五问"},
    ),
    ("post", f"{R}/{{report_id}}/disciplines/{{code}}/complete"): ("eightd.edit", lambda w: {}),
    ("post", f"{R}/{{report_id}}/disciplines/{{code}}/reopen"): ("eightd.edit", lambda w: {}),
    ("post", f"{R}/{{report_id}}/team"): (
        "eightd.edit",
        lambda w: {"user": user_with("technical").pk, "role": "member"},
    ),
    ("post", f"{R}/team/{{member_id}}/remove"): ("eightd.edit", lambda w: {}),
    ("post", f"{R}/{{report_id}}/containments"): (
        "eightd.edit",
        lambda w: {"location": "customer_stock", "action": "顾客处挑选", "owner": w["quality"].pk},
    ),
    ("patch", f"{R}/containments/{{containment_id}}"): (
        "eightd.edit",
        lambda w: {"quantity_checked": 50},
    ),
    ("post", f"{R}/containments/{{containment_id}}/done"): (
        "eightd.edit",
        lambda w: {"result": "完成"},
    ),
    ("post", f"{R}/containments/{{containment_id}}/reinspect"): (
        "containment.reinspect",
        lambda w: {"passed": True, "note": "合格"},
    ),
    ("post", f"{R}/{{report_id}}/root-causes"): (
        "eightd.edit",
        lambda w: {"kind": "escape", "category": "measurement", "description": "漏检"},
    ),
    ("patch", f"{R}/root-causes/{{cause_id}}"): ("eightd.edit", lambda w: {"operator": "王五"}),
    ("post", f"{R}/{{report_id}}/action-items"): (
        "eightd.edit",
        lambda w: {
            "discipline": "d7",
            "kind": "training",
            "description": "培训",
            "owner": w["quality"].pk,
            "due_at": _due(),
        },
    ),
    ("patch", f"{R}/action-items/{{action_id}}"): (
        "eightd.edit",
        lambda w: {"description": "调整压装压力"},
    ),
    ("post", f"{R}/action-items/{{action_id}}/complete"): (
        "action.complete_any",
        lambda w: {"result": "已完成"},
    ),
    ("post", f"{R}/action-items/{{action_id}}/verify"): (
        "eightd.edit",
        lambda w: {"effective": True, "note": "有效"},
    ),
    ("post", f"{R}/action-items/{{action_id}}/cancel"): ("eightd.edit", lambda w: {"reason": "r"}),
    ("post", f"{R}/{{report_id}}/refer-to-sales"): ("eightd.edit", lambda w: {"reason": "r"}),
    ("post", f"{R}/{{report_id}}/negotiation"): (
        "complaint.negotiate",
        lambda w: {"outcome": "shared", "text": "t"},
    ),
    ("post", f"{R}/{{report_id}}/close"): ("eightd.close", lambda w: {"summary": "s"}),
    ("post", f"{R}/{{report_id}}/acknowledge"): ("circulation.acknowledge", lambda w: {}),
    ("get", f"{R}/{{report_id}}/reply"): ("reply.view", lambda w: None),
    ("post", f"{R}/{{report_id}}/reply"): ("reply.draft", lambda w: {"subject": "答复"}),
    ("post", f"{R}/{{report_id}}/reply/send"): (
        "reply.send",
        lambda w: {"sent_to": "赵明", "method": "email"},
    ),
    ("get", f"{R}/{{report_id}}/reply/pdf"): ("reply.view", lambda w: None),
    ("get", f"{R}/{{report_id}}/reply/docx"): ("reply.view", lambda w: None),
    ("get", f"{R}/{{report_id}}/pdf"): ("eightd.view", lambda w: None),
    ("get", "/api/v1/reply-templates/"): ("reply.view", lambda w: None),
    ("post", "/api/v1/reply-templates/"): (
        "reply.draft",
        lambda w: {
            "customer": w["customer"].pk,
            "title": "回答书",
            "subject": "答复",
            "body": "正文",
        },
    ),
    ("get", "/api/v1/reply-templates/{template_id}"): ("reply.view", lambda w: None),
}


def _report(w):
    return [w["report_id"]]


UI = {
    "complaints:list": ("complaint.view", "get", lambda w: []),
    "complaints:create": ("complaint.create", "get", lambda w: []),
    "complaints:detail": ("complaint.view", "get", lambda w: [w["complaint_id"]]),
    "complaints:edit": ("complaint.change", "get", lambda w: [w["complaint_id"]]),
    "complaints:open_8d": ("eightd.open", "post", lambda w: [w["complaint_id"]]),
    "complaints:eightd": ("eightd.view", "get", _report),
    "complaints:eightd_pdf": ("eightd.view", "get", _report),
    "complaints:leader": ("eightd.edit", "post", _report),
    "complaints:team_add": ("eightd.edit", "post", _report),
    "complaints:team_remove": ("eightd.edit", "post", lambda w: [w["member_id"]]),
    "complaints:refer": ("eightd.edit", "post", _report),
    "complaints:negotiation": ("complaint.negotiate", "post", _report),
    "complaints:close": ("eightd.close", "post", _report),
    "complaints:acknowledge": (
        "circulation.acknowledge",
        "post",
        lambda w: [w["closed_report_id"]],
    ),
    "complaints:containment_add": ("eightd.edit", "post", _report),
    "complaints:containment_edit": ("eightd.edit", "get", lambda w: [w["containment_id"]]),
    "complaints:containment_done": ("eightd.edit", "post", lambda w: [w["containment_id"]]),
    "complaints:containment_reinspect": (
        "containment.reinspect",
        "post",
        lambda w: [w["containment_id"]],
    ),
    "complaints:cause_add": ("eightd.edit", "post", _report),
    "complaints:cause_edit": ("eightd.edit", "get", lambda w: [w["cause_id"]]),
    "complaints:action_add": ("eightd.edit", "post", lambda w: [w["report_id"], "d5"]),
    "complaints:action_edit": ("eightd.edit", "get", lambda w: [w["action_id"]]),
    "complaints:action_complete": ("eightd.edit", "post", lambda w: [w["action_id"]]),
    "complaints:action_verify": ("eightd.edit", "post", lambda w: [w["action_id"]]),
    "complaints:action_cancel": ("eightd.edit", "post", lambda w: [w["action_id"]]),
    "complaints:discipline": ("eightd.view", "get", lambda w: [w["report_id"], "d3"]),
    "complaints:discipline_complete": ("eightd.edit", "post", lambda w: [w["report_id"], "d0"]),
    "complaints:discipline_reopen": ("eightd.edit", "post", lambda w: [w["report_id"], "d0"]),
    "complaints:reply": ("reply.view", "get", _report),
    "complaints:reply_send": ("reply.send", "post", _report),
    "complaints:reply_pdf": ("reply.view", "get", _report),
    "complaints:reply_docx": ("reply.view", "get", _report),
    "complaints:actions": ("eightd.view", "get", lambda w: []),
    "complaints:templates": ("reply.view", "get", lambda w: []),
    "complaints:template_edit": ("reply.draft", "get", lambda w: [w["customer"].pk]),
    "complaints:review": ("review.view", "get", lambda w: []),
}
EXPORTS = {
    "complaints:list": "complaint.export",
    "complaints:actions": "complaint.export",
    "complaints:review": "review.view",
}
