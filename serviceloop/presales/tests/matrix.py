"""Permission-matrix rows of pre-sale service and orders (core/tests/test_permission_matrix.py)."""

from datetime import timedelta
from itertools import count

from django.core.files.base import ContentFile
from django.utils import timezone

from serviceloop.core.files import store_upload
from serviceloop.core.models import Department
from serviceloop.core.testing.factories import user_with
from serviceloop.core.testing.imports import Multipart
from serviceloop.presales import services
from serviceloop.presales.models import SampleAttachment
from serviceloop.presales.tests.factories import PDF, pdf_upload

_numbers = count(1)


def build(w: dict) -> None:
    sales = user_with("sales")
    customer = w["customer"]
    req = services.requirement_register(
        actor=sales,
        customer=customer,
        received_at=timezone.now(),
        subject="新车型减振器阻尼要求",
        description="阻尼力提高 10%",
    )
    action = services.requirement_add_action(
        actor=sales,
        requirement=req,
        description="更新控制计划",
        owner=sales,
        due_date=timezone.localdate() + timedelta(days=10),
    )
    sample = services.sample_request(
        actor=sales,
        customer=customer,
        part_number="SA-2041",
        quantity=5,
        needed_by=timezone.localdate() + timedelta(days=30),
        purpose="装车验证",
    )
    special = services.special_request(
        actor=sales, customer=customer, kind="technical_data", description="安装说明"
    )
    order = services.order_create(
        actor=sales,
        customer=customer,
        order_number="SO-M-1",
        part_number="SA-2041",
        quantity=100,
        promised_date=timezone.localdate() + timedelta(days=20),
    )
    (routing,) = services.order_route(
        actor=sales,
        order=order,
        departments=[Department.objects.get(code="production")],
        instruction="排产",
    )
    letter = services.result_letter_create(actor=sales, source=req)
    attachment = services.requirement_attach(
        actor=sales, requirement=req, upload=pdf_upload(), description="图纸"
    )
    sample_file = store_upload(
        SampleAttachment(sample=sample, uploaded_by=sales), pdf_upload("检验报告.pdf"), actor=sales
    )
    special.document.save("技术资料.pdf", ContentFile(PDF))
    w.update(_records_in_state(sales, customer))
    w.update(
        ps_sample_file_id=sample_file.pk,
        ps_req_id=req.pk,
        ps_action_id=action.pk,
        ps_sample_id=sample.pk,
        ps_special_id=special.pk,
        ps_order_id=order.pk,
        ps_routing_id=routing.pk,
        ps_letter_id=letter.pk,
        ps_attachment_id=attachment.pk,
    )


def _records_in_state(sales, customer) -> dict:
    """A record for each transition the matrix calls (KEY_ALIASES), in the state it starts
    from: the world's own records have already moved on (or wait for other departments)."""
    admin = user_with("admin")  # acts for every department
    evaluated = services.requirement_register(
        actor=sales,
        customer=customer,
        received_at=timezone.now(),
        subject="包装要求",
        description="每箱 20 件",
    )
    for ev in evaluated.evaluations.all():
        services.requirement_evaluate(
            actor=admin, requirement=evaluated, department=ev.department, verdict="feasible"
        )
    samples = []
    for steps in range(4):  # approved; scheduled; made; delivered
        sample = services.sample_request(
            actor=sales,
            customer=customer,
            part_number="SA-2042",
            quantity=2,
            needed_by=timezone.localdate() + timedelta(days=30),
            purpose="试装",
        )
        for approval in sample.approvals.all():
            services.sample_approve(actor=admin, sample=sample, department=approval.department)
        if steps >= 1:
            services.sample_schedule(actor=admin, sample=sample, planned_date=timezone.localdate())
        if steps >= 2:
            services.sample_record_made(
                actor=admin, sample=sample, lot="L2", inspection_result="ok"
            )
        if steps >= 3:
            services.sample_deliver(actor=admin, sample=sample, delivered_at=timezone.now())
        samples.append(sample.pk)
    feasible, infeasible = (
        services.special_request(
            actor=sales, customer=customer, kind="technical_data", description="安装说明"
        )
        for _ in range(2)
    )
    services.special_decide(actor=admin, special=feasible, feasible=True, note="可提供")
    services.special_decide(actor=admin, special=infeasible, feasible=False, note="无法提供")
    return {
        "ps_evaluated_req_id": evaluated.pk,
        "ps_approved_sample_id": samples[0],
        "ps_scheduled_sample_id": samples[1],
        "ps_made_sample_id": samples[2],
        "ps_delivered_sample_id": samples[3],
        "ps_feasible_special_id": feasible.pk,
        "ps_infeasible_special_id": infeasible.pk,
    }


def _today() -> str:
    return timezone.localdate().isoformat()


def _now() -> str:
    return timezone.now().isoformat()


R = "/api/v1/customer-requirements"
S = "/api/v1/sample-requests"
P = "/api/v1/special-requests"
ORD = "/api/v1/orders"
L = "/api/v1/result-letters"

API = {
    ("get", f"{R}/"): ("requirement.view", lambda w: None),
    ("post", f"{R}/"): (
        "requirement.create",
        lambda w: {
            "customer": w["customer"].pk,
            "received_at": _now(),
            "subject": "s",
            "description": "d",
        },
    ),
    ("get", f"{R}/{{req_id}}"): ("requirement.view", lambda w: None),
    ("post", f"{R}/{{req_id}}/evaluations"): (
        "requirement.evaluate",
        lambda w: {"department": "rnd", "verdict": "feasible"},
    ),
    ("post", f"{R}/{{req_id}}/conclude"): ("requirement.conclude", lambda w: {"outcome": "o"}),
    ("get", f"{R}/{{req_id}}/attachments"): ("requirement.view", lambda w: None),
    ("post", f"{R}/{{req_id}}/attachments"): (
        "requirement.attach",
        lambda w: Multipart(file=pdf_upload(), description="图纸"),
    ),
    ("get", f"{R}/{{req_id}}/attachments/{{attachment_id}}"): ("requirement.view", lambda w: None),
    ("get", f"{S}/"): ("sample.view", lambda w: None),
    ("post", f"{S}/"): (
        "sample.create",
        lambda w: {
            "customer": w["customer"].pk,
            "part_number": "P",
            "quantity": 1,
            "needed_by": (timezone.localdate() + timedelta(days=9)).isoformat(),
            "purpose": "p",
        },
    ),
    ("get", f"{S}/{{sample_id}}"): ("sample.view", lambda w: None),
    ("post", f"{S}/{{sample_id}}/approve"): (
        "sample.approve",
        lambda w: {"department": "technical"},
    ),
    ("post", f"{S}/{{sample_id}}/reject"): (
        "sample.approve",
        lambda w: {"department": "production_quality", "reason": "r"},
    ),
    ("post", f"{S}/{{sample_id}}/schedule"): (
        "sample.make",
        lambda w: {"planned_date": _today()},
    ),
    ("post", f"{S}/{{sample_id}}/made"): (
        "sample.make",
        lambda w: {"lot": "L1", "inspection_result": "ok"},
    ),
    ("post", f"{S}/{{sample_id}}/deliver"): (
        "sample.deliver",
        lambda w: {"delivered_at": _now()},
    ),
    ("post", f"{S}/{{sample_id}}/confirm"): ("sample.deliver", lambda w: {"accepted": True}),
    ("get", f"{P}/"): ("special.view", lambda w: None),
    ("post", f"{P}/"): (
        "special.create",
        lambda w: {"customer": w["customer"].pk, "kind": "quality_agreement", "description": "d"},
    ),
    ("get", f"{P}/{{special_id}}"): ("special.view", lambda w: None),
    ("post", f"{P}/{{special_id}}/decide"): (
        "special.decide",
        lambda w: {"feasible": False, "note": "n"},
    ),
    ("post", f"{P}/{{special_id}}/fulfil"): ("special.fulfil", lambda w: {"note": "n"}),
    ("post", f"{P}/{{special_id}}/decline-notice"): ("special.explain", lambda w: {"text": "t"}),
    ("get", f"{P}/{{special_id}}/pdf"): ("special.view", lambda w: None),
    ("get", f"{P}/{{special_id}}/docx"): ("special.view", lambda w: None),
    ("get", f"{ORD}/"): ("order.view", lambda w: None),
    ("post", f"{ORD}/"): (
        "order.change",
        lambda w: {
            "customer": w["customer"].pk,
            "order_number": f"SO-M-{next(_numbers) + 1}",
            "part_number": "P",
            "quantity": 1,
            "promised_date": _today(),
        },
    ),
    ("get", f"{ORD}/{{order_id}}"): ("order.view", lambda w: None),
    ("post", f"{ORD}/{{order_id}}/lines"): (
        "order.change",
        lambda w: {"part_number": f"P-{next(_numbers)}", "quantity": 5},
    ),
    ("post", f"{ORD}/{{order_id}}/progress"): (
        "order.progress",
        lambda w: {"at": _now(), "note": "n", "customer_told": True},
    ),
    ("post", f"{ORD}/{{order_id}}/routings"): (
        "order.route",
        lambda w: {
            "departments": [Department.objects.get(code="warehouse").pk],
            "instruction": "备货",
        },
    ),
    ("post", f"{ORD}/{{order_id}}/routings/{{routing_id}}/acknowledge"): (
        "order.acknowledge",
        lambda w: {"note": "n"},
    ),
    ("get", f"{L}/"): ("result.view", lambda w: None),
    ("post", f"{L}/"): ("result.create", lambda w: {"requirement": w["ps_req_id"]}),
    ("get", f"{L}/{{letter_id}}"): ("result.view", lambda w: None),
    ("get", f"{L}/{{letter_id}}/pdf"): ("result.view", lambda w: None),
    ("get", f"{L}/{{letter_id}}/docx"): ("result.view", lambda w: None),
}


KEY_ALIASES = {
    ("post", f"{R}/{{req_id}}/conclude"): {"req_id": "ps_evaluated_req_id"},
    ("post", f"{S}/{{sample_id}}/schedule"): {"sample_id": "ps_approved_sample_id"},
    ("post", f"{S}/{{sample_id}}/made"): {"sample_id": "ps_scheduled_sample_id"},
    ("post", f"{S}/{{sample_id}}/deliver"): {"sample_id": "ps_made_sample_id"},
    ("post", f"{S}/{{sample_id}}/confirm"): {"sample_id": "ps_delivered_sample_id"},
    ("post", f"{P}/{{special_id}}/fulfil"): {"special_id": "ps_feasible_special_id"},
    ("post", f"{P}/{{special_id}}/decline-notice"): {"special_id": "ps_infeasible_special_id"},
}


def _pk(key):
    return lambda w: [w[key]]


UI = {
    "presales:requirements": ("requirement.view", "get", lambda w: []),
    "presales:requirement_create": ("requirement.create", "get", lambda w: []),
    "presales:requirement": ("requirement.view", "get", _pk("ps_req_id")),
    "presales:requirement_evaluate": ("requirement.evaluate", "post", _pk("ps_req_id")),
    "presales:requirement_conclude": ("requirement.conclude", "post", _pk("ps_req_id")),
    "presales:requirement_attach": ("requirement.attach", "post", _pk("ps_req_id")),
    "presales:requirement_attachment": (
        "requirement.view",
        "get",
        lambda w: [w["ps_req_id"], w["ps_attachment_id"]],
    ),
    "presales:requirement_action": ("requirement.conclude", "post", _pk("ps_req_id")),
    "presales:requirement_result": ("result.create", "post", _pk("ps_req_id")),
    "presales:followup_done": ("requirement.conclude", "post", _pk("ps_action_id")),
    "presales:communication_result": ("result.create", "post", _pk("comm_id")),
    "presales:result": ("result.view", "get", _pk("ps_letter_id")),
    "presales:result_send": ("result.create", "post", _pk("ps_letter_id")),
    "presales:result_pdf": ("result.view", "get", _pk("ps_letter_id")),
    "presales:result_docx": ("result.view", "get", _pk("ps_letter_id")),
    "presales:samples": ("sample.view", "get", lambda w: []),
    "presales:sample_create": ("sample.create", "get", lambda w: []),
    "presales:sample": ("sample.view", "get", _pk("ps_sample_id")),
    "presales:sample_approve": ("sample.approve", "post", _pk("ps_sample_id")),
    "presales:sample_reject": ("sample.approve", "post", _pk("ps_sample_id")),
    "presales:sample_schedule": ("sample.make", "post", _pk("ps_sample_id")),
    "presales:sample_made": ("sample.make", "post", _pk("ps_sample_id")),
    "presales:sample_deliver": ("sample.deliver", "post", _pk("ps_sample_id")),
    "presales:sample_confirm": ("sample.deliver", "post", _pk("ps_sample_id")),
    "presales:sample_attachment": (
        "sample.view",
        "get",
        lambda w: [w["ps_sample_id"], w["ps_sample_file_id"]],
    ),
    "presales:special": ("special.view", "get", lambda w: []),
    "presales:special_create": ("special.create", "get", lambda w: []),
    "presales:special_detail": ("special.view", "get", _pk("ps_special_id")),
    "presales:special_decide": ("special.decide", "post", _pk("ps_special_id")),
    "presales:special_fulfil": ("special.fulfil", "post", _pk("ps_special_id")),
    "presales:special_explain": ("special.explain", "post", _pk("ps_special_id")),
    "presales:special_document": ("special.view", "get", _pk("ps_special_id")),
    "presales:special_letter_pdf": ("special.view", "get", _pk("ps_special_id")),
    "presales:special_letter_docx": ("special.view", "get", _pk("ps_special_id")),
    "presales:orders": ("order.view", "get", lambda w: []),
    "presales:order_create": ("order.change", "get", lambda w: []),
    "presales:order_import": ("order.import", "get", lambda w: []),
    "presales:order": ("order.view", "get", _pk("ps_order_id")),
    "presales:order_progress": ("order.progress", "post", _pk("ps_order_id")),
    "presales:order_add_line": ("order.change", "post", _pk("ps_order_id")),
    "presales:order_plan": ("order.progress", "post", _pk("ps_order_id")),
    "presales:order_route": ("order.route", "post", _pk("ps_order_id")),
    "presales:order_routing_acknowledge": (
        "order.acknowledge",
        "post",
        lambda w: [w["ps_order_id"], w["ps_routing_id"]],
    ),
    "presales:leadership": ("presales.leadership", "get", lambda w: []),
}
EXPORTS = {"presales:requirements": "requirement.export", "presales:orders": "order.export"}
ALIASES = {
    "req_id": "ps_req_id",
    "sample_id": "ps_sample_id",
    "special_id": "ps_special_id",
    "order_id": "ps_order_id",
    "routing_id": "ps_routing_id",
    "letter_id": "ps_letter_id",
    "attachment_id": "ps_attachment_id",
}


# The exact status each allowed call answers in the matrix world (issue 17); a dict gives
# {role: status, "*": status} where roles meet different rules. A 4xx is the rule the world
# meets, quoted in the comment above the row (the world's state, or a record of another
# person or department); test_permission_matrix_declared makes every allowed call declare one.
EXPECT = {
    ("get", "/api/v1/customer-requirements/"): 200,
    ("post", "/api/v1/customer-requirements/"): 201,
    ("get", "/api/v1/customer-requirements/{req_id}"): 200,
    # 422 (deliberate: the rule this call enforces for the role): You can only evaluate for your
    # own department.
    ("post", "/api/v1/customer-requirements/{req_id}/evaluations"): {
        "admin": 201,
        "rnd": 201,
        "*": 422,
    },
    # 422: Cannot conclude yet: waiting for the evaluation of Production Quality、Purchasing &
    # Supply.
    ("post", "/api/v1/customer-requirements/{req_id}/conclude"): 200,
    ("get", "/api/v1/sample-requests/"): 200,
    ("post", "/api/v1/sample-requests/"): 201,
    ("get", "/api/v1/sample-requests/{sample_id}"): 200,
    # 422 (deliberate: the rule this call enforces for the role): You can only decide for your
    # own department.
    ("post", "/api/v1/sample-requests/{sample_id}/approve"): {
        "admin": 200,
        "technical": 200,
        "*": 422,
    },
    # 422 (deliberate: the rule this call enforces for the role): You can only decide for your
    # own department.
    ("post", "/api/v1/sample-requests/{sample_id}/reject"): {
        "admin": 200,
        "production_quality": 200,
        "*": 422,
    },
    ("post", "/api/v1/sample-requests/{sample_id}/schedule"): 200,
    ("post", "/api/v1/sample-requests/{sample_id}/made"): 200,
    ("post", "/api/v1/sample-requests/{sample_id}/deliver"): 200,
    ("post", "/api/v1/sample-requests/{sample_id}/confirm"): 200,
    ("get", "/api/v1/special-requests/"): 200,
    ("post", "/api/v1/special-requests/"): 201,
    ("get", "/api/v1/special-requests/{special_id}"): 200,
    # 422 (deliberate: the rule this call enforces for the role): Only the head of Technical
    # decides this request.
    ("post", "/api/v1/special-requests/{special_id}/decide"): {"dept_head": 422, "*": 200},
    # 422 (deliberate: the rule this call enforces for the role): Only Technical provides this
    # request.
    ("post", "/api/v1/special-requests/{special_id}/fulfil"): {
        "production_quality": 422,
        "quality": 422,
        "*": 200,
    },
    ("post", "/api/v1/special-requests/{special_id}/decline-notice"): 200,
    ("get", "/api/v1/special-requests/{special_id}/pdf"): 200,
    ("get", "/api/v1/special-requests/{special_id}/docx"): 200,
    ("get", "/api/v1/orders/"): 200,
    ("post", "/api/v1/orders/"): 201,
    ("get", "/api/v1/orders/{order_id}"): 200,
    ("post", "/api/v1/orders/{order_id}/progress"): 200,
    ("post", "/api/v1/orders/{order_id}/routings"): 201,
    # 422 (deliberate: the rule this call enforces for the role): only a member of Production
    # can answer this routing (core.routing; the world's routing is to Production).
    ("post", "/api/v1/orders/{order_id}/routings/{routing_id}/acknowledge"): {
        "production": 200,
        "*": 422,
    },
    ("get", "/api/v1/result-letters/"): 200,
    ("post", "/api/v1/result-letters/"): 201,
    ("get", "/api/v1/result-letters/{letter_id}"): 200,
    ("get", "/api/v1/result-letters/{letter_id}/pdf"): 200,
    ("get", "/api/v1/result-letters/{letter_id}/docx"): 200,
    ("get", "/api/v1/customer-requirements/{req_id}/attachments"): 200,
    ("get", "/api/v1/customer-requirements/{req_id}/attachments/{attachment_id}"): 200,
    # 422: the matrix sends JSON, not a multipart file (and names no evaluation): "Choose your
    # department's evaluation to attach the file to." (test_attachments uploads real files)
    # 422 (deliberate: the rule this call enforces for the role): Choose your department's
    # evaluation to attach the file to.
    ("post", "/api/v1/customer-requirements/{req_id}/attachments"): {
        "production_quality": 422,
        "purchasing": 422,
        "rnd": 422,
        "*": 201,
    },
    ("post", "/api/v1/orders/{order_id}/lines"): 201,
}
# Pages: a GET answers 200 (302 where the page sends on); the matrix POSTs no form, so a
# POST that needs fields answers 400 (the form's errors) and one that needs none acts and
# redirects (302).
UI_EXPECT = {
    "presales:requirements": 200,
    "presales:requirement_create": 200,
    "presales:requirement": 200,
    "presales:requirement_evaluate": 400,
    "presales:requirement_conclude": 400,
    "presales:requirement_action": 400,
    "presales:requirement_result": 302,
    "presales:followup_done": 302,
    "presales:communication_result": 302,
    "presales:result": 200,
    "presales:result_send": 302,
    "presales:result_pdf": 200,
    "presales:result_docx": 200,
    "presales:samples": 200,
    "presales:sample_create": 200,
    "presales:sample": 200,
    "presales:sample_approve": 400,
    "presales:sample_reject": 400,
    "presales:sample_schedule": 400,
    "presales:sample_made": 400,
    "presales:sample_deliver": 400,
    "presales:sample_confirm": 400,
    "presales:special": 200,
    "presales:special_create": 200,
    "presales:special_detail": 200,
    "presales:special_decide": 400,
    "presales:special_fulfil": 400,
    "presales:special_explain": 400,
    "presales:special_letter_pdf": 200,
    "presales:special_letter_docx": 200,
    "presales:orders": 200,
    "presales:order_create": 200,
    "presales:order_import": 302,
    "presales:order": 200,
    "presales:order_progress": 400,
    "presales:order_plan": 302,
    # the form needs departments and an instruction
    "presales:order_route": 400,
    # Only a member of Production (the world's routing) acknowledges; the others get the
    # form's error.
    "presales:order_routing_acknowledge": {"production": 302, "*": 400},
    "presales:leadership": 200,
    "presales:order_add_line": 400,
    "presales:requirement_attach": 400,
    "presales:requirement_attachment": 200,
    "presales:sample_attachment": 200,
    "presales:special_document": 200,
}
