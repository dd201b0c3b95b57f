"""Pages of reply letters (R-5.5.6) and of the customers' letter forms."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.permissions import can, require, visible_customers
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import AuthedRequest, run_service

from .. import selectors, services
from ..documents.files import reply_docx_response, reply_pdf_response
from ..documents.letters import DEFAULT_BODY, DEFAULT_SUBJECT, DEFAULT_TITLE, PLACEHOLDERS
from ..forms.letters import ReplyForm, SendForm, TemplateForm
from ..models import ReplyLetter, ReplyStatus, ReplyTemplate


def _letter(request: AuthedRequest, pk: int):
    report = selectors.report_get(request.user, pk)
    require(request.user, "reply.view")
    return report, ReplyLetter.objects.filter(report=report).first()


def reply(request: AuthedRequest, pk: int, send_form: SendForm | None = None) -> HttpResponse:
    """The reply letter of an 8D: Quality drafts and edits it, Sales sends it."""
    report, letter = _letter(request, pk)
    user = request.user
    can_draft = can(user, "reply.draft") and (letter is None or letter.status == ReplyStatus.DRAFT)
    form = ReplyForm(request.POST or None, instance=letter, prefix="reply")
    status = 200
    if request.method == "POST" and send_form is None:
        require(user, "reply.draft")
        regenerate = "regenerate" in request.POST
        if letter is None or regenerate:
            ticked = {"attach_8d": True} if request.POST.get("reply-attach_8d") else {}
            result = run_service(
                form,
                lambda: services.reply_draft(actor=user, report=report, regenerate=True, **ticked),
            )
            if result is not None:
                messages.success(request, _("Letter drafted from the 8D report."))
                return redirect("complaints:reply", pk)
        elif form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("title", "subject", "body", "attach_8d")}
            if run_service(form, lambda: services.reply_draft(actor=user, report=report, **data)):
                messages.success(request, _("Saved."))
                return redirect("complaints:reply", pk)
        status = 400
    ctx = {
        "report": report,
        "complaint": report.complaint,
        "letter": letter,
        "form": form,
        "send_form": send_form or SendForm(prefix="send"),
        "can_draft": can_draft,
        "can_send": can(user, "reply.send") and letter is not None and letter.status == "draft",
        "placeholders": PLACEHOLDERS,
        "history": record_history("complaints.replyletter", letter.pk) if letter else [],
    }
    return render(request, "complaints/reply.html", ctx, status=400 if send_form else status)


@require_POST
def reply_send(request: AuthedRequest, pk: int) -> HttpResponse:
    report, letter = _letter(request, pk)
    require(request.user, "reply.send")
    form = SendForm(request.POST, prefix="send")
    if letter is None:
        form.is_valid()
        form.add_error(None, _("There is no letter to send yet: Quality drafts it first."))
        return reply(request, pk, send_form=form)
    sent = None
    if form.is_valid():
        sent = run_service(
            form,
            lambda: services.reply_send(
                actor=request.user,
                letter=letter,
                sent_to=form.cleaned_data["sent_to"],
                method=form.cleaned_data["method"],
                at=form.cleaned_data["at"],
            ),
        )
    if sent:
        messages.success(request, _("Sending recorded."))
        return redirect("complaints:reply", pk)
    return reply(request, pk, send_form=form)


def reply_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    _report, letter = _letter(request, pk)
    if letter is None:
        raise Http404
    return reply_pdf_response(letter)


def reply_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    _report, letter = _letter(request, pk)
    if letter is None:
        raise Http404
    return reply_docx_response(letter)


def template_list(request: AuthedRequest) -> HttpResponse:
    forms_ = selectors.template_list(request.user)
    with_form = set(forms_.values_list("customer_id", flat=True))
    others = visible_customers(request.user).filter(is_active=True).exclude(pk__in=with_form)
    return render(
        request,
        "complaints/templates.html",
        {"forms": forms_, "others": others, "can_edit": can(request.user, "reply.draft")},
    )


def template_edit(request: AuthedRequest, customer_pk: int) -> HttpResponse:
    """The letter form one customer requires; starts from the default Chinese letter."""
    require(request.user, "reply.draft")
    customer = get_object_or_404(visible_customers(request.user), pk=customer_pk)
    current = ReplyTemplate.objects.filter(customer=customer).first()
    initial = {"title": DEFAULT_TITLE, "subject": DEFAULT_SUBJECT, "body": DEFAULT_BODY}
    form = TemplateForm(request.POST or None, instance=current, initial=initial)
    saved = None
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.reply_template_save(
                actor=request.user, customer=customer, **form.cleaned_data
            ),
        )
    if saved is not None:
        messages.success(request, _("Letter form saved."))
        return redirect("complaints:templates")
    return render(
        request,
        "complaints/template_form.html",
        {"form": form, "customer": customer, "placeholders": PLACEHOLDERS, "current": current},
        status=400 if request.method == "POST" else 200,
    )
