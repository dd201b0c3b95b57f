"""Pages of customer requirements (R-5.1.1), result letters (R-5.2.5) and the sales
leadership's view of what is late."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.communications.selectors import communication_get
from serviceloop.core.exports import xlsx_response
from serviceloop.core.files import file_response
from serviceloop.core.models import Department
from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    form_page,
    list_page,
    run_service,
)

from .. import selectors, services
from ..documents import result_docx_response, result_pdf_response
from ..forms import (
    ActionForm,
    ConcludeForm,
    EvaluationForm,
    ListFilterForm,
    RequirementAttachmentForm,
    RequirementForm,
    ResultForm,
)
from ..models import EVALUATING_DEPARTMENTS, RequirementStatus
from ..services.common import acts_for
from .common import post_action


def requirement_list(request: AuthedRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None, statuses=RequirementStatus.choices)
    return list_page(
        request,
        selectors.requirement_list(request.user, **form.filters()),
        form=form,
        full="presales/requirement_list.html",
        export=_export,
        export_permission="requirement.export",
        can_create=can(request.user, "requirement.create"),
    )


def _export(qs: Any) -> HttpResponse:
    headers = [
        _("Number"),
        _("Customer"),
        _("Received at"),
        _("Subject"),
        _("Status"),
        _("Evaluations due"),
        _("Evaluations"),
        _("Outcome"),
        _("Late"),
    ]
    now = timezone.now()
    rows = (
        [
            r.number,
            r.customer.name,
            r.received_at,
            r.subject,
            r.get_status_display(),
            r.evaluation_due_at,
            "; ".join(
                f"{e.department}: {e.get_verdict_display() or '—'}" for e in r.evaluations.all()
            ),
            r.outcome,
            _("yes") if r.is_late(now) else "",
        ]
        for r in qs
    )
    return xlsx_response("customer-requirements.xlsx", _("Customer requirements"), headers, rows)


def requirement_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "requirement.create")
    initial = {
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "evaluators": list(Department.objects.filter(code__in=EVALUATING_DEPARTMENTS)),
        "customer": request.GET.get("customer"),
    }
    form = RequirementForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        lambda d: services.requirement_register(
            actor=request.user, **{**d, "evaluators": list(d["evaluators"])}
        ),
        template="presales/form.html",
        context={"title": _("Record a customer requirement"), "back": "presales:requirements"},
        done=lambda req: _("Registered as %s.") % req.number,
        success_url=lambda req: reverse("presales:requirement", args=[req.pk]),
        invalid_status=200,
    )


def requirement_detail(request: AuthedRequest, pk: int, forms_: dict | None = None) -> HttpResponse:
    req = selectors.requirement_get(request.user, pk)
    user = request.user
    evaluations = list(req.evaluations.select_related("department", "evaluated_by"))
    mine = [
        e.department
        for e in evaluations
        if e.evaluated_at is None
        and can(user, "requirement.evaluate")
        and acts_for(user, e.department)
    ]
    eval_form = EvaluationForm(prefix="evaluate")
    department_field: Any = eval_form.fields["department"]
    department_field.queryset = Department.objects.filter(pk__in=[d.pk for d in mine])
    if mine:
        eval_form.initial["department"] = mine[0].pk
    orders = (
        selectors.order_list(user, customer=req.customer_id) if can(user, "order.view") else None
    )
    ctx = {
        "req": req,
        "evaluations": evaluations,
        "now": timezone.now(),
        "evaluate_form": eval_form,
        "can_evaluate": bool(mine),
        "conclude_form": ConcludeForm(prefix="conclude", orders=orders),
        "can_conclude": can(user, "requirement.conclude")
        and req.status == RequirementStatus.EVALUATED,
        "waiting": [e.department for e in evaluations if e.evaluated_at is None],
        "action_form": ActionForm(prefix="action"),
        "actions": req.actions.select_related("owner"),
        "result_form": ResultForm(prefix="result"),
        "results": req.result_letters.all(),
        "can_result": can(user, "result.create"),
        "can_manage": can(user, "requirement.conclude"),
        "history": record_history("presales.customerrequirement", req.pk),
        "attachments": req.attachments.select_related("uploaded_by", "evaluation__department"),
    }
    targets = attach_targets(user, req, evaluations)
    ctx["attach_form"] = RequirementAttachmentForm(prefix="attach", targets=targets)
    ctx["can_attach"] = bool(targets)
    if forms_ and "attach_form" in forms_:
        forms_["attach_form"].fields["target"].choices = targets
    if forms_ and "evaluate_form" in forms_:
        field: Any = forms_["evaluate_form"].fields["department"]
        field.queryset = department_field.queryset
    if forms_ and "conclude_form" in forms_:
        field = forms_["conclude_form"].fields["order"]
        field.queryset = orders
    ctx.update(forms_ or {})
    return render(request, "presales/requirement_detail.html", ctx, status=400 if forms_ else 200)


def attach_targets(user: Any, req: Any, evaluations: list) -> list[tuple[int, str]]:
    """Where the user may add a file: the requirement itself (Sales; 0) and the evaluations
    of their own departments — nothing once the requirement is concluded."""
    if req.status == RequirementStatus.CONCLUDED:
        return []
    out: list[tuple[int, str]] = []
    if can(user, "requirement.create"):
        out.append((0, _("The requirement (drawing, specification)")))
    if can(user, "requirement.evaluate"):
        out += [
            (e.pk, _("Evaluation of %s") % e.department)
            for e in evaluations
            if acts_for(user, e.department)
        ]
    return out


@require_POST
def requirement_attach(request: AuthedRequest, pk: int) -> HttpResponse:
    """Upload a drawing or specification (Sales) or a file of one's evaluation."""
    req = selectors.requirement_get(request.user, pk)
    require(request.user, "requirement.attach")
    evaluations = list(req.evaluations.select_related("department"))
    targets = attach_targets(request.user, req, evaluations)
    form = RequirementAttachmentForm(request.POST, request.FILES, prefix="attach", targets=targets)
    if form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: services.requirement_attach(
                actor=request.user,
                requirement=req,
                upload=d["file"],
                evaluation=d["target"] or None,
                description=d["description"],
            ),
        )
        if done is not None:
            messages.success(request, _("File attached."))
            return redirect("presales:requirement", pk)
    return requirement_detail(request, pk, {"attach_form": form, "open_action": "attach_form"})


def requirement_attachment(request: AuthedRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    """The file itself (404 unless its requirement is visible to the user)."""
    return attachment_response(
        selectors.requirement_attachment_get(request.user, pk, attachment_pk)
    )


def attachment_response(attachment: Any) -> HttpResponseBase:
    return file_response(
        attachment.file.open("rb"),
        attachment.original_name,
        attachment.content_type,
        inline=attachment.is_image,
    )


@require_POST
def requirement_evaluate(request: AuthedRequest, pk: int) -> HttpResponse:
    req = selectors.requirement_get(request.user, pk)
    return post_action(
        request,
        permission="requirement.evaluate",
        form=EvaluationForm(request.POST, prefix="evaluate"),
        call=lambda d: services.requirement_evaluate(
            actor=request.user,
            requirement=req,
            department=d["department"],
            verdict=d["verdict"],
            note=d["note"],
            conditions=d["conditions"],
            cost_impact=d["cost_impact"],
            lead_time_impact=d["lead_time_impact"],
        ),
        done=_("Evaluation recorded."),
        success_url=("presales:requirement", pk),
        detail=lambda f: requirement_detail(request, pk, f),
        key="evaluate_form",
    )


@require_POST
def requirement_conclude(request: AuthedRequest, pk: int) -> HttpResponse:
    req = selectors.requirement_get(request.user, pk)
    orders = selectors.order_list(request.user, customer=req.customer_id)
    return post_action(
        request,
        permission="requirement.conclude",
        form=ConcludeForm(request.POST, prefix="conclude", orders=orders),
        call=lambda d: services.requirement_conclude(
            actor=request.user,
            requirement=req,
            outcome=d["outcome"],
            order=d["order"],
            contract_reference=d["contract_reference"],
            improvement_reference=d["improvement_reference"],
        ),
        done=_("Concluded."),
        success_url=("presales:requirement", pk),
        detail=lambda f: requirement_detail(request, pk, f),
        key="conclude_form",
    )


@require_POST
def requirement_action(request: AuthedRequest, pk: int) -> HttpResponse:
    req = selectors.requirement_get(request.user, pk)
    return post_action(
        request,
        permission="requirement.conclude",
        form=ActionForm(request.POST, prefix="action"),
        call=lambda d: services.requirement_add_action(
            actor=request.user,
            requirement=req,
            description=d["description"],
            owner=d["owner"],
            due_date=d["due_date"],
        ),
        done=_("Follow-up action added."),
        success_url=("presales:requirement", pk),
        detail=lambda f: requirement_detail(request, pk, f),
        key="action_form",
    )


@require_POST
def followup_done(request: AuthedRequest, pk: int) -> HttpResponse:
    action = selectors.followup_get(request.user, pk)
    try:
        services.followup_done(actor=request.user, action=action)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked done."))
    return redirect("presales:requirement", action.requirement_id)


def _result(request: AuthedRequest, source: Any, back: Any) -> HttpResponse:
    require(request.user, "result.create")
    form = ResultForm(request.POST, prefix="result")
    if form.is_valid():
        d = form.cleaned_data
        letter = run_service(
            form,
            lambda: services.result_letter_create(
                actor=request.user,
                source=source,
                subject=d["subject"],
                body=d["body"],
                improvement_reference=d["improvement_reference"],
                sent=d["sent"],
            ),
        )
        if letter:
            messages.success(request, _("Letter %s drafted.") % letter.number)
            return redirect("presales:result", letter.pk)
    return back(form)


@require_POST
def requirement_result(request: AuthedRequest, pk: int) -> HttpResponse:
    """Draft the letter telling the customer the result (R-5.2.5) from a requirement."""
    req = selectors.requirement_get(request.user, pk)
    return _result(
        request,
        req,
        lambda form: requirement_detail(
            request, pk, {"result_form": form, "open_action": "result_form"}
        ),
    )


@require_POST
def communication_result(request: AuthedRequest, pk: int) -> HttpResponse:
    """The same letter from a customer communication (R-5.2.5)."""
    comm = communication_get(request.user, pk)

    def back(form: Any) -> HttpResponse:
        messages.error(request, "; ".join(str(e) for e in form.errors.values()))
        return redirect("communications:detail", pk)

    return _result(request, comm, back)


def result_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = selectors.result_get(request.user, pk)
    return render(
        request,
        "presales/result_detail.html",
        {
            "letter": letter,
            "can_send": can(request.user, "result.create") and letter.sent_at is None,
            "history": record_history("presales.resultletter", letter.pk),
        },
    )


@require_POST
def result_send(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = selectors.result_get(request.user, pk)
    try:
        services.result_letter_send(actor=request.user, letter=letter)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Recorded as sent."))
    return redirect("presales:result", pk)


def result_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return result_pdf_response(selectors.result_get(request.user, pk))


def result_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    return result_docx_response(selectors.result_get(request.user, pk))


def leadership(request: AuthedRequest) -> HttpResponse:
    """The sales leadership's view: late evaluations, overdue sample and special-request
    steps, late orders."""
    require(request.user, "presales.leadership")
    user = request.user
    return render(
        request,
        "presales/leadership.html",
        {
            "now": timezone.now(),
            "requirements": selectors.requirement_list(user, late=True)[:200],
            "samples": selectors.sample_list(user, overdue=True)[:200],
            "special": selectors.special_list(user, overdue=True)[:200],
            "orders": selectors.order_list(user, late=True)[:200],
        },
    )
