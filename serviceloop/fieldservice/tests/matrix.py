"""Permission-matrix rows of field service (see core/tests/test_permission_matrix.py).

Every record is built at w["customer"] (a retail customer of w["agency"]) so that agents can
see them; path placeholders carry distinct names so that they do not clash with other apps'.
"""

from datetime import timedelta

from django.utils import timezone

from serviceloop.core import deadlines
from serviceloop.core.models import Department
from serviceloop.core.testing.factories import user_with
from serviceloop.fieldservice import services
from serviceloop.fieldservice.tests.factories import PartFactory


def build(w: dict) -> None:
    customer = w["customer"]
    eng = user_with("service_engineer")
    sales = user_with("sales")
    leader = user_with("sales_leader")
    today = timezone.localdate()
    last_monday = deadlines.week_start(today) - timedelta(days=7)
    part = PartFactory()
    assignment = services.assignment_create(
        actor=sales,
        kind="named",
        engineer=eng,
        customer=customer,
        start_date=today - timedelta(days=30),
        exception_reason="矩阵测试",
    )
    record = services.service_record_create(
        actor=eng,
        customer=customer,
        part=part,
        service_date=last_monday,
        defect="漏油",
        failure_mode="leak",
        outcome="pending",
    )
    escalation = services.escalation_raise(
        actor=eng, customer=customer, title="异响", description="无法解决"
    )
    spare = services.parts_request_create(
        actor=eng,
        kind="spare",
        customer=customer,
        lines=[{"part": part, "quantity": 1}],
        reason="备用",
    )
    approved = services.parts_request_create(
        actor=eng,
        kind="spare",
        customer=customer,
        lines=[{"part": part, "quantity": 2}],
        reason="备用",
    )
    services.parts_request_approve(actor=leader, request=approved)
    # One record per transition the matrix calls (KEY_ALIASES), each in the state it starts from.
    to_reject, to_cancel, issued = (
        services.parts_request_create(
            actor=eng,
            kind="spare",
            customer=customer,
            lines=[{"part": part, "quantity": 1}],
            reason="备用",
        )
        for _ in range(3)
    )
    services.parts_request_approve(actor=leader, request=issued)
    # the engineer now holds one part, which the parts-used call spends
    services.parts_request_issue(actor=user_with("warehouse"), request=issued)
    agreed = services.escalation_raise(actor=eng, customer=customer, title="松动", description="d")
    services.escalation_coordinate(
        actor=leader,
        escalation=agreed,
        departments=[Department.objects.get(code="production_quality")],
    )
    services.escalation_agree(actor=leader, escalation=agreed, solution="紧固")
    tag = services.tag_create(
        actor=eng,
        customer=customer,
        part=part,
        quantity=2,
        location="客户二号库",
        found_on=today,
        nonconformity="漏油",
        disposition="repair_parts",
    )
    draft = services.return_create(
        actor=eng,
        customer=customer,
        return_date=today,
        reason="退修",
        lines=[{"part": part, "quantity": 2}],
    )
    signed = services.return_create(
        actor=eng,
        customer=customer,
        return_date=today,
        reason="退修",
        lines=[{"part": part, "quantity": 1}],
    )
    services.return_countersign(actor=eng, form=signed)
    held, to_cancel_form = (
        services.return_create(
            actor=eng,
            customer=customer,
            return_date=today,
            reason="退修",
            lines=[{"part": part, "quantity": 2}],
        )
        for _ in range(2)
    )
    services.return_countersign(actor=eng, form=held)
    services.return_check(  # one counted of two: held with the discrepancy
        actor=user_with("warehouse"),
        form=held,
        counted={held.lines.get().pk: 1},
        signatures_ok=True,
    )
    fb = services.weekly_feedback_submit(actor=eng, week_start=last_monday, summary="本周正常")
    fb_to_return = services.weekly_feedback_submit(
        actor=eng, week_start=last_monday - timedelta(days=7), summary="上周正常"
    )
    info = services.infoform_create(
        actor=sales,
        title="漏油汇总",
        category="product_quality",
        period_from=last_monday,
        period_to=today,
        summary="漏油集中",
        records=[record],
    )
    info_draft = services.infoform_create(
        actor=sales,
        title="异响汇总",
        category="product_quality",
        period_from=last_monday,
        period_to=today,
        summary="异响",
    )
    services.infoform_issue(
        actor=sales, form=info, departments=[Department.objects.get(code="quality")]
    )
    w.update(
        fs_eng=eng,
        fs_eng_free=user_with("service_engineer"),  # assigned nowhere yet
        fs_to_reject_id=to_reject.pk,
        fs_to_cancel_id=to_cancel.pk,
        fs_issued_id=issued.pk,
        fs_agreed_id=agreed.pk,
        fs_held_id=held.pk,
        fs_to_cancel_form_id=to_cancel_form.pk,
        fs_feedback_to_return_id=fb_to_return.pk,
        fs_info_draft_id=info_draft.pk,
        fs_part=part,
        fs_record=record,
        fs_week=last_monday,
        fs_spare=spare,
        fs_spare_id=spare.pk,
        fs_draft_id=draft.pk,
        fs_approved=approved,
        fs_draft=draft,
        fs_signed=signed,
        fs_info=info,
        assignment_id=assignment.pk,
        escalation_id=escalation.pk,
        service_record_id=record.pk,
        spare_part_id=part.pk,
        parts_request_id=approved.pk,
        nc_tag_id=tag.pk,
        return_form_id=signed.pk,
        weekly_feedback_id=fb.pk,
        info_form_id=info.pk,
        info_routing_id=info.routings.get().pk,
    )


def _today() -> str:
    return timezone.localdate().isoformat()


def _lines(w) -> list:
    return [{"part": w["fs_part"].pk, "quantity": 1}]


P = "/api/v1/"
API = {
    ("get", P + "resident-assignments/"): ("fieldservice.view", lambda w: None),
    ("get", P + "resident-assignments/who-is-where"): ("fieldservice.view", lambda w: None),
    ("post", P + "resident-assignments/"): (
        "assignment.manage",
        lambda w: {
            "kind": "resident",
            "engineer": w["fs_eng_free"].pk,
            "customer": w["customer"].pk,
            "start_date": _today(),
            "exception_reason": "临时驻点",
        },
    ),
    ("get", P + "resident-assignments/{assignment_id}"): ("fieldservice.view", lambda w: None),
    ("patch", P + "resident-assignments/{assignment_id}"): (
        "assignment.manage",
        lambda w: {"site": "二号库"},
    ),
    ("post", P + "resident-assignments/{assignment_id}/end"): (
        "assignment.manage",
        lambda w: {"end_date": _today(), "reason": "调岗"},
    ),
    ("get", P + "escalations/"): ("fieldservice.view", lambda w: None),
    ("post", P + "escalations/"): (
        "escalation.create",
        lambda w: {"customer": w["customer"].pk, "title": "断裂", "description": "现场无法处理"},
    ),
    ("get", P + "escalations/{escalation_id}"): ("fieldservice.view", lambda w: None),
    ("post", P + "escalations/{escalation_id}/coordinate"): (
        "escalation.coordinate",
        lambda w: {"departments": [Department.objects.get(code="production_quality").pk]},
    ),
    ("post", P + "escalations/{escalation_id}/due"): (
        "escalation.coordinate",
        lambda w: {"due_date": _today(), "reason": "等待样件"},
    ),
    ("post", P + "escalations/{escalation_id}/agree"): (
        "escalation.coordinate",
        lambda w: {"solution": "更换批次"},
    ),
    ("post", P + "escalations/{escalation_id}/complete"): (
        "escalation.coordinate",
        lambda w: {"result": "已验证"},
    ),
    ("post", P + "escalations/{escalation_id}/reopen"): (
        "escalation.coordinate",
        lambda w: {"reason": "复发"},
    ),
    ("post", P + "escalations/{escalation_id}/notes"): (
        "escalation.note",
        lambda w: {"text": "已电话沟通"},
    ),
    ("get", P + "service-records/"): ("fieldservice.view", lambda w: None),
    ("post", P + "service-records/"): (
        "record.create",
        lambda w: {
            "customer": w["customer"].pk,
            "part": w["fs_part"].pk,
            "service_date": _today(),
            "defect": "漏油",
            "failure_mode": "leak",
            "outcome": "replaced",
        },
    ),
    ("get", P + "service-records/defaults"): ("fieldservice.view", lambda w: None),
    ("get", P + "service-records/{service_record_id}"): ("fieldservice.view", lambda w: None),
    ("patch", P + "service-records/{service_record_id}"): (
        "record.change",
        lambda w: {"vehicle": "HN1091", "reason": "车型录错"},
    ),
    ("post", P + "service-records/{service_record_id}/flag-major"): (
        "record.flag_major",
        lambda w: {"reason": "批量"},
    ),
    ("post", P + "service-records/{service_record_id}/handling"): (
        "handling.decide",
        lambda w: {"confirmed_our_problem": True, "repairable": False, "handling": "replace"},
    ),
    ("post", P + "service-records/{service_record_id}/parts-used"): (
        "parts.use",
        lambda w: {"part": w["fs_part"].pk, "quantity": 1},
    ),
    ("get", P + "parts/"): ("fieldservice.view", lambda w: None),
    ("post", P + "parts/"): ("part.manage", lambda w: {"part_number": "NEW-1", "name": "新件"}),
    ("get", P + "parts/{spare_part_id}"): ("fieldservice.view", lambda w: None),
    ("patch", P + "parts/{spare_part_id}"): ("part.manage", lambda w: {"name": "改名"}),
    ("get", P + "parts-requests/"): ("fieldservice.view", lambda w: None),
    ("post", P + "parts-requests/"): (
        "parts.request",
        lambda w: {
            "kind": "spare",
            "customer": w["customer"].pk,
            "holder": w["fs_eng"].pk,
            "lines": _lines(w),
            "reason": "备用",
        },
    ),
    ("get", P + "parts-requests/failure-frequency"): ("fieldservice.view", lambda w: None),
    ("get", P + "parts-requests/{parts_request_id}"): ("fieldservice.view", lambda w: None),
    ("post", P + "parts-requests/{parts_request_id}/approve"): (
        "parts.approve",
        lambda w: {"note": ""},
    ),
    ("post", P + "parts-requests/{parts_request_id}/reject"): (
        "parts.approve",
        lambda w: {"reason": "r"},
    ),
    ("post", P + "parts-requests/{parts_request_id}/issue"): ("warehouse.handle", lambda w: {}),
    ("post", P + "parts-requests/{parts_request_id}/close"): ("parts.request", lambda w: {}),
    ("post", P + "parts-requests/{parts_request_id}/cancel"): (
        "parts.request",
        lambda w: {"reason": "r"},
    ),
    ("get", P + "warehouse-queue/"): ("fieldservice.view", lambda w: None),
    ("get", P + "part-balances/"): ("fieldservice.view", lambda w: None),
    ("get", P + "part-movements/"): ("fieldservice.view", lambda w: None),
    ("post", P + "part-movements/returns"): (
        "warehouse.handle",
        lambda w: {"holder": w["fs_eng"].pk, "part": w["fs_part"].pk, "quantity": 1},
    ),
    ("get", P + "nonconforming-tags/"): ("fieldservice.view", lambda w: None),
    ("post", P + "nonconforming-tags/"): (
        "tag.manage",
        lambda w: {
            "customer": w["customer"].pk,
            "part": w["fs_part"].pk,
            "quantity": 1,
            "location": "库房",
            "found_on": _today(),
            "nonconformity": "锈蚀",
            "disposition": "rework_assembly",
        },
    ),
    ("get", P + "nonconforming-tags/{nc_tag_id}"): ("fieldservice.view", lambda w: None),
    ("patch", P + "nonconforming-tags/{nc_tag_id}"): ("tag.manage", lambda w: {"lot": "L9"}),
    ("post", P + "nonconforming-tags/{nc_tag_id}/resolve"): (
        "tag.manage",
        lambda w: {"resolution": "已返修"},
    ),
    ("get", P + "return-forms/"): ("fieldservice.view", lambda w: None),
    ("post", P + "return-forms/"): (
        "return.fill",
        lambda w: {
            "customer": w["customer"].pk,
            "return_date": _today(),
            "reason": "退修",
            "lines": _lines(w),
        },
    ),
    ("get", P + "return-forms/{return_form_id}"): ("fieldservice.view", lambda w: None),
    ("patch", P + "return-forms/{return_form_id}"): (
        "return.fill",
        lambda w: {"customer_signatory": "赵明"},
    ),
    ("post", P + "return-forms/{return_form_id}/countersign"): ("return.fill", lambda w: {}),
    ("post", P + "return-forms/{return_form_id}/check"): (
        "warehouse.handle",
        lambda w: {
            "lines": [{"line": w["fs_signed"].lines.get().pk, "counted": 1}],
            "signatures_ok": True,
        },
    ),
    ("post", P + "return-forms/{return_form_id}/correct"): (
        "return.fill",
        lambda w: {"note": "更正数量"},
    ),
    ("post", P + "return-forms/{return_form_id}/cancel"): (
        "return.fill",
        lambda w: {"reason": "r"},
    ),
    ("get", P + "weekly-feedback/"): ("feedback.view", lambda w: None),
    ("get", P + "weekly-feedback/week"): ("feedback.view", lambda w: None),
    ("get", P + "weekly-feedback/compliance"): ("feedback.view", lambda w: None),
    ("post", P + "weekly-feedback/submit"): (
        "feedback.submit",
        lambda w: {"week_start": w["fs_week"].isoformat(), "summary": "无"},
    ),
    ("get", P + "weekly-feedback/{weekly_feedback_id}"): ("feedback.view", lambda w: None),
    ("post", P + "weekly-feedback/{weekly_feedback_id}/review"): (
        "feedback.review",
        lambda w: {"note": ""},
    ),
    ("post", P + "weekly-feedback/{weekly_feedback_id}/return"): (
        "feedback.review",
        lambda w: {"reason": "补充"},
    ),
    ("get", P + "information-feedback-forms/"): ("infoform.view", lambda w: None),
    ("post", P + "information-feedback-forms/"): (
        "infoform.manage",
        lambda w: {
            "title": "汇总",
            "category": "product_quality",
            "period_from": _today(),
            "period_to": _today(),
            "summary": "s",
        },
    ),
    ("get", P + "information-feedback-forms/{info_form_id}"): ("infoform.view", lambda w: None),
    ("patch", P + "information-feedback-forms/{info_form_id}"): (
        "infoform.manage",
        lambda w: {"title": "改"},
    ),
    ("post", P + "information-feedback-forms/{info_form_id}/issue"): (
        "infoform.manage",
        lambda w: {"departments": [Department.objects.get(code="production").pk]},
    ),
    ("post", P + "information-feedback-forms/{info_form_id}/flag-major"): (
        "infoform.manage",
        lambda w: {},
    ),
    ("post", P + "information-feedback-forms/routings/{info_routing_id}/acknowledge"): (
        "infoform.acknowledge",
        lambda w: {"response": "收到"},
    ),
}

# Transitions the world (or an earlier call of the same role) has already made are called on a
# record of their own, in the state the transition starts from.
KEY_ALIASES = {
    ("post", P + "escalations/{escalation_id}/reopen"): {"escalation_id": "fs_agreed_id"},
    ("post", P + "parts-requests/{parts_request_id}/approve"): {"parts_request_id": "fs_spare_id"},
    ("post", P + "parts-requests/{parts_request_id}/reject"): {
        "parts_request_id": "fs_to_reject_id"
    },
    ("post", P + "parts-requests/{parts_request_id}/close"): {"parts_request_id": "fs_issued_id"},
    ("post", P + "parts-requests/{parts_request_id}/cancel"): {
        "parts_request_id": "fs_to_cancel_id"
    },
    ("patch", P + "return-forms/{return_form_id}"): {"return_form_id": "fs_draft_id"},
    ("post", P + "return-forms/{return_form_id}/countersign"): {"return_form_id": "fs_draft_id"},
    ("post", P + "return-forms/{return_form_id}/correct"): {"return_form_id": "fs_held_id"},
    ("post", P + "return-forms/{return_form_id}/cancel"): {
        "return_form_id": "fs_to_cancel_form_id"
    },
    ("post", P + "weekly-feedback/{weekly_feedback_id}/return"): {
        "weekly_feedback_id": "fs_feedback_to_return_id"
    },
    ("patch", P + "information-feedback-forms/{info_form_id}"): {
        "info_form_id": "fs_info_draft_id"
    },
    ("post", P + "information-feedback-forms/{info_form_id}/issue"): {
        "info_form_id": "fs_info_draft_id"
    },
}


def _week_args(w) -> list:
    return [w["fs_eng"].pk, w["fs_week"].isoformat()]


UI = {
    "fieldservice:home": ("fieldservice.view", "get", lambda w: []),
    "fieldservice:where": ("fieldservice.view", "get", lambda w: []),
    "fieldservice:assignment_list": ("fieldservice.view", "get", lambda w: []),
    "fieldservice:assignment_create": ("assignment.manage", "get", lambda w: []),
    "fieldservice:assignment_detail": ("fieldservice.view", "get", lambda w: [w["assignment_id"]]),
    "fieldservice:assignment_edit": ("assignment.manage", "get", lambda w: [w["assignment_id"]]),
    "fieldservice:assignment_end": ("assignment.manage", "post", lambda w: [w["assignment_id"]]),
    "fieldservice:escalation_list": ("fieldservice.view", "get", lambda w: []),
    "fieldservice:escalation_create": ("escalation.create", "get", lambda w: []),
    "fieldservice:escalation_detail": ("fieldservice.view", "get", lambda w: [w["escalation_id"]]),
    "fieldservice:escalation_coordinate": (
        "escalation.coordinate",
        "post",
        lambda w: [w["escalation_id"]],
    ),
    "fieldservice:escalation_due": (
        "escalation.coordinate",
        "post",
        lambda w: [w["escalation_id"]],
    ),
    "fieldservice:escalation_agree": (
        "escalation.coordinate",
        "post",
        lambda w: [w["escalation_id"]],
    ),
    "fieldservice:escalation_complete": (
        "escalation.coordinate",
        "post",
        lambda w: [w["escalation_id"]],
    ),
    "fieldservice:escalation_reopen": (
        "escalation.coordinate",
        "post",
        lambda w: [w["escalation_id"]],
    ),
    "fieldservice:escalation_note": ("escalation.note", "post", lambda w: [w["escalation_id"]]),
    "fieldservice:record_list": ("fieldservice.view", "get", lambda w: []),
    "fieldservice:record_create": ("record.create", "get", lambda w: []),
    "fieldservice:record_quick": ("record.create", "get", lambda w: []),
    "fieldservice:record_detail": ("fieldservice.view", "get", lambda w: [w["service_record_id"]]),
    "fieldservice:record_edit": ("record.change", "get", lambda w: [w["service_record_id"]]),
    "fieldservice:record_flag_major": (
        "record.flag_major",
        "post",
        lambda w: [w["service_record_id"]],
    ),
    "fieldservice:record_handling": ("handling.decide", "post", lambda w: [w["service_record_id"]]),
    "fieldservice:record_use_parts": ("parts.use", "post", lambda w: [w["service_record_id"]]),
    "fieldservice:record_import": ("record.import", "get", lambda w: []),
    "fieldservice:part_list": ("fieldservice.view", "get", lambda w: []),
    "fieldservice:part_create": ("part.manage", "get", lambda w: []),
    "fieldservice:part_edit": ("part.manage", "get", lambda w: [w["spare_part_id"]]),
    "fieldservice:request_list": ("fieldservice.view", "get", lambda w: []),
    "fieldservice:request_create": ("parts.request", "get", lambda w: []),
    "fieldservice:request_frequency": ("fieldservice.view", "get", lambda w: []),
    "fieldservice:request_detail": ("fieldservice.view", "get", lambda w: [w["parts_request_id"]]),
    "fieldservice:request_approve": ("parts.approve", "post", lambda w: [w["fs_spare"].pk]),
    "fieldservice:request_reject": ("parts.approve", "post", lambda w: [w["fs_spare"].pk]),
    "fieldservice:request_issue": ("warehouse.handle", "post", lambda w: [w["fs_approved"].pk]),
    "fieldservice:request_close": ("parts.request", "post", lambda w: [w["fs_approved"].pk]),
    "fieldservice:request_cancel": ("parts.request", "post", lambda w: [w["fs_spare"].pk]),
    "fieldservice:warehouse": ("fieldservice.view", "get", lambda w: []),
    "fieldservice:balances": ("fieldservice.view", "get", lambda w: []),
    "fieldservice:parts_return": ("warehouse.handle", "get", lambda w: []),
    "fieldservice:tag_list": ("fieldservice.view", "get", lambda w: []),
    "fieldservice:tag_create": ("tag.manage", "get", lambda w: []),
    "fieldservice:tag_detail": ("fieldservice.view", "get", lambda w: [w["nc_tag_id"]]),
    "fieldservice:tag_edit": ("tag.manage", "get", lambda w: [w["nc_tag_id"]]),
    "fieldservice:tag_resolve": ("tag.manage", "post", lambda w: [w["nc_tag_id"]]),
    "fieldservice:return_list": ("fieldservice.view", "get", lambda w: []),
    "fieldservice:return_create": ("return.fill", "get", lambda w: []),
    "fieldservice:return_detail": ("fieldservice.view", "get", lambda w: [w["return_form_id"]]),
    "fieldservice:return_pdf": ("fieldservice.view", "get", lambda w: [w["return_form_id"]]),
    "fieldservice:return_edit": ("return.fill", "get", lambda w: [w["fs_draft"].pk]),
    "fieldservice:return_countersign": ("return.fill", "post", lambda w: [w["fs_draft"].pk]),
    "fieldservice:return_check": ("warehouse.handle", "post", lambda w: [w["fs_signed"].pk]),
    "fieldservice:return_correct": ("return.fill", "post", lambda w: [w["fs_signed"].pk]),
    "fieldservice:return_cancel": ("return.fill", "post", lambda w: [w["fs_draft"].pk]),
    "fieldservice:feedback_mine": ("feedback.view", "get", lambda w: []),
    "fieldservice:feedback_compliance": ("feedback.view", "get", lambda w: []),
    "fieldservice:feedback_week": ("feedback.view", "get", _week_args),
    "fieldservice:feedback_submit": ("feedback.submit", "post", _week_args),
    "fieldservice:feedback_review": (
        "feedback.review",
        "post",
        lambda w: [w["weekly_feedback_id"]],
    ),
    "fieldservice:feedback_return": (
        "feedback.review",
        "post",
        lambda w: [w["weekly_feedback_id"]],
    ),
    "fieldservice:infoform_list": ("infoform.view", "get", lambda w: []),
    "fieldservice:infoform_create": ("infoform.manage", "get", lambda w: []),
    "fieldservice:infoform_detail": ("infoform.view", "get", lambda w: [w["info_form_id"]]),
    "fieldservice:infoform_edit": ("infoform.manage", "get", lambda w: [w["info_form_id"]]),
    "fieldservice:infoform_issue": ("infoform.manage", "post", lambda w: [w["info_form_id"]]),
    "fieldservice:infoform_flag_major": ("infoform.manage", "post", lambda w: [w["info_form_id"]]),
    "fieldservice:infoform_acknowledge": (
        "infoform.acknowledge",
        "post",
        lambda w: [w["info_routing_id"]],
    ),
}
EXPORTS = {
    "fieldservice:where": "fieldservice.export",
    "fieldservice:record_list": "fieldservice.export",
    "fieldservice:escalation_list": "fieldservice.export",
    "fieldservice:return_list": "fieldservice.export",
    "fieldservice:balances": "fieldservice.export",
    "fieldservice:feedback_compliance": "feedback.view",
}


# The exact status each allowed call answers in the matrix world (issue 17); a dict gives
# {role: status, "*": status} where roles meet different rules. A 4xx is the rule the world
# meets, quoted in the comment above the row (the world's state, or a record of another
# person or department); test_permission_matrix_declared makes every allowed call declare one.
EXPECT = {
    ("get", "/api/v1/resident-assignments/"): 200,
    ("get", "/api/v1/resident-assignments/who-is-where"): 200,
    ("post", "/api/v1/resident-assignments/"): 201,
    ("get", "/api/v1/resident-assignments/{assignment_id}"): 200,
    ("patch", "/api/v1/resident-assignments/{assignment_id}"): 200,
    ("post", "/api/v1/resident-assignments/{assignment_id}/end"): 200,
    ("get", "/api/v1/escalations/"): 200,
    ("post", "/api/v1/escalations/"): 201,
    ("get", "/api/v1/escalations/{escalation_id}"): 200,
    ("post", "/api/v1/escalations/{escalation_id}/coordinate"): 200,
    ("post", "/api/v1/escalations/{escalation_id}/due"): 200,
    ("post", "/api/v1/escalations/{escalation_id}/agree"): 200,
    ("post", "/api/v1/escalations/{escalation_id}/complete"): 200,
    ("post", "/api/v1/escalations/{escalation_id}/reopen"): 200,
    ("post", "/api/v1/escalations/{escalation_id}/notes"): 201,
    ("get", "/api/v1/service-records/"): 200,
    # 422 (deliberate: the rule this call enforces for the role): <user> is neither a service
    # engineer nor an agent.
    ("post", "/api/v1/service-records/"): {"admin": 422, "*": 201},
    ("get", "/api/v1/service-records/defaults"): 200,
    ("get", "/api/v1/service-records/{service_record_id}"): 200,
    # 422 (deliberate: the rule this call enforces for the role): You can only correct your own
    # service records.
    ("patch", "/api/v1/service-records/{service_record_id}"): {
        "agent": 422,
        "service_engineer": 422,
        "*": 200,
    },
    ("post", "/api/v1/service-records/{service_record_id}/flag-major"): 200,
    ("post", "/api/v1/service-records/{service_record_id}/handling"): 200,
    # 422 (deliberate: the rule this call enforces for the role): Parts are accounted by the
    # engineer of the record.
    ("post", "/api/v1/service-records/{service_record_id}/parts-used"): {
        "service_engineer": 422,
        "*": 201,
    },
    ("get", "/api/v1/parts/"): 200,
    ("post", "/api/v1/parts/"): 201,
    ("get", "/api/v1/parts/{spare_part_id}"): 200,
    ("patch", "/api/v1/parts/{spare_part_id}"): 200,
    ("get", "/api/v1/parts-requests/"): 200,
    ("post", "/api/v1/parts-requests/"): 201,
    ("get", "/api/v1/parts-requests/failure-frequency"): 200,
    ("get", "/api/v1/parts-requests/{parts_request_id}"): 200,
    ("post", "/api/v1/parts-requests/{parts_request_id}/approve"): 200,
    ("post", "/api/v1/parts-requests/{parts_request_id}/reject"): 200,
    ("post", "/api/v1/parts-requests/{parts_request_id}/issue"): 200,
    ("post", "/api/v1/parts-requests/{parts_request_id}/close"): 200,
    # 422 (deliberate: the rule this call enforces for the role): Only the requester can withdraw
    # a request.
    ("post", "/api/v1/parts-requests/{parts_request_id}/cancel"): {"admin": 200, "*": 422},
    ("get", "/api/v1/warehouse-queue/"): 200,
    ("get", "/api/v1/part-balances/"): 200,
    ("get", "/api/v1/part-movements/"): 200,
    ("post", "/api/v1/part-movements/returns"): 201,
    ("get", "/api/v1/nonconforming-tags/"): 200,
    ("post", "/api/v1/nonconforming-tags/"): 201,
    ("get", "/api/v1/nonconforming-tags/{nc_tag_id}"): 200,
    ("patch", "/api/v1/nonconforming-tags/{nc_tag_id}"): 200,
    ("post", "/api/v1/nonconforming-tags/{nc_tag_id}/resolve"): 200,
    ("get", "/api/v1/return-forms/"): 200,
    # 422 (deliberate: the rule this call enforces for the role): <user> is not a service
    # engineer.
    ("post", "/api/v1/return-forms/"): {"admin": 422, "*": 201},
    ("get", "/api/v1/return-forms/{return_form_id}"): 200,
    # 422 (deliberate: the rule this call enforces for the role): Only <user>, the engineer named
    # on the form, may do this.
    ("patch", "/api/v1/return-forms/{return_form_id}"): {"service_engineer": 422, "*": 200},
    # 422 (deliberate: the rule this call enforces for the role): Only <user>, the engineer named
    # on the form, may do this.
    ("post", "/api/v1/return-forms/{return_form_id}/countersign"): {
        "service_engineer": 422,
        "*": 200,
    },
    ("post", "/api/v1/return-forms/{return_form_id}/check"): 200,
    # 422 (deliberate: the rule this call enforces for the role): Only <user>, the engineer named
    # on the form, may do this.
    ("post", "/api/v1/return-forms/{return_form_id}/correct"): {"service_engineer": 422, "*": 200},
    # 422 (deliberate: the rule this call enforces for the role): Only <user>, the engineer named
    # on the form, may do this.
    ("post", "/api/v1/return-forms/{return_form_id}/cancel"): {"service_engineer": 422, "*": 200},
    ("get", "/api/v1/weekly-feedback/"): 200,
    ("get", "/api/v1/weekly-feedback/week"): 200,
    ("get", "/api/v1/weekly-feedback/compliance"): 200,
    # 422 (deliberate: the rule this call enforces for the role): <user> is not a service
    # engineer.
    ("post", "/api/v1/weekly-feedback/submit"): {"admin": 422, "*": 200},
    ("get", "/api/v1/weekly-feedback/{weekly_feedback_id}"): 200,
    ("post", "/api/v1/weekly-feedback/{weekly_feedback_id}/review"): 200,
    ("post", "/api/v1/weekly-feedback/{weekly_feedback_id}/return"): 200,
    ("get", "/api/v1/information-feedback-forms/"): 200,
    ("post", "/api/v1/information-feedback-forms/"): 201,
    ("get", "/api/v1/information-feedback-forms/{info_form_id}"): 200,
    ("patch", "/api/v1/information-feedback-forms/{info_form_id}"): 200,
    ("post", "/api/v1/information-feedback-forms/{info_form_id}/issue"): 200,
    ("post", "/api/v1/information-feedback-forms/{info_form_id}/flag-major"): 200,
    # 422 (deliberate: the rule this call enforces for the role): Only a member of Quality
    # Management acknowledges for it.
    ("post", "/api/v1/information-feedback-forms/routings/{info_routing_id}/acknowledge"): {
        "admin": 200,
        "quality": 200,
        "*": 422,
    },
}
# Pages: a GET answers 200 (302 where the page sends on); the matrix POSTs no form, so a
# POST that needs fields answers 400 (the form's errors) and one that needs none acts and
# redirects (302).
UI_EXPECT = {
    "fieldservice:home": 200,
    "fieldservice:where": 200,
    "fieldservice:assignment_list": 200,
    "fieldservice:assignment_create": 200,
    "fieldservice:assignment_detail": 200,
    "fieldservice:assignment_edit": 200,
    "fieldservice:assignment_end": 400,
    "fieldservice:escalation_list": 200,
    "fieldservice:escalation_create": 200,
    "fieldservice:escalation_detail": 200,
    "fieldservice:escalation_coordinate": 400,
    "fieldservice:escalation_due": 400,
    "fieldservice:escalation_agree": 400,
    "fieldservice:escalation_complete": 400,
    "fieldservice:escalation_reopen": 400,
    "fieldservice:escalation_note": 400,
    "fieldservice:record_list": 200,
    "fieldservice:record_create": 200,
    "fieldservice:record_quick": 200,
    "fieldservice:record_detail": 200,
    "fieldservice:record_edit": 200,
    "fieldservice:record_flag_major": 302,
    "fieldservice:record_handling": 400,
    "fieldservice:record_use_parts": 400,
    "fieldservice:record_import": 302,
    "fieldservice:part_list": 200,
    "fieldservice:part_create": 200,
    "fieldservice:part_edit": 200,
    "fieldservice:request_list": 200,
    "fieldservice:request_create": 200,
    "fieldservice:request_frequency": 200,
    "fieldservice:request_detail": 200,
    "fieldservice:request_approve": 302,
    "fieldservice:request_reject": 400,
    "fieldservice:request_issue": 400,
    "fieldservice:request_close": 400,
    "fieldservice:request_cancel": 400,
    "fieldservice:warehouse": 200,
    "fieldservice:balances": 200,
    "fieldservice:parts_return": 200,
    "fieldservice:tag_list": 200,
    "fieldservice:tag_create": 200,
    "fieldservice:tag_detail": 200,
    "fieldservice:tag_edit": 200,
    "fieldservice:tag_resolve": 400,
    "fieldservice:return_list": 200,
    "fieldservice:return_create": 200,
    "fieldservice:return_detail": 200,
    "fieldservice:return_pdf": 200,
    "fieldservice:return_edit": 200,
    "fieldservice:return_countersign": {"service_engineer": 400, "*": 302},
    "fieldservice:return_check": 400,
    "fieldservice:return_correct": 400,
    "fieldservice:return_cancel": 400,
    "fieldservice:feedback_mine": {"service_engineer": 200, "*": 302},
    "fieldservice:feedback_compliance": 200,
    "fieldservice:feedback_week": 200,
    "fieldservice:feedback_submit": 400,
    "fieldservice:feedback_review": 302,
    "fieldservice:feedback_return": 400,
    "fieldservice:infoform_list": 200,
    "fieldservice:infoform_create": 200,
    "fieldservice:infoform_detail": 200,
    "fieldservice:infoform_edit": 200,
    "fieldservice:infoform_issue": 400,
    "fieldservice:infoform_flag_major": 302,
    "fieldservice:infoform_acknowledge": {"admin": 302, "quality": 302, "*": 400},
}
