"""Pages: weekly quality feedback (R-5.9.4) and information feedback forms (R-5.9.5)."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from serviceloop.core import deadlines
from serviceloop.core.exports import xlsx_response
from serviceloop.core.permissions import can, has_role, require
from serviceloop.core.roles import RoleCode
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    form_page,
    list_page,
    post_action,
)

from .. import selectors, services
from ..domain import rules
from ..forms import (
    AckForm,
    FlagForm,
    InfoFormFilterForm,
    InfoFormForm,
    IssueInfoForm,
    OptionalNoteForm,
    ReasonForm,
    SubmitFeedbackForm,
)
from ..models import FeedbackStatus, InfoFormStatus
from .common import ctx, parse_week, part_numbers

# Lazy: the labels are read in the language of each request, not of the moment of import.
STATE_LABELS = {
    "on_time": gettext_lazy("on time"),
    "late": gettext_lazy("late"),
    "missing": gettext_lazy("missing"),
    "pending": gettext_lazy("not due yet"),
    "not_owed": "—",
}


def _week_url(engineer_id: int, week) -> str:
    return reverse("fieldservice:feedback_week", args=[engineer_id, week.isoformat()])


def feedback_mine(request: AuthedRequest) -> HttpResponse:
    """An engineer's weeks: what he owes (oldest overdue first) and what he sent."""
    require(request.user, "feedback.view")
    user = request.user
    if not has_role(user, RoleCode.SERVICE_ENGINEER):
        return redirect("fieldservice:feedback_compliance")
    owed = selectors.owed_weeks_of(user)
    now = timezone.now()
    current = deadlines.week_start(timezone.localdate())
    owed_rows = [
        {
            "week": w,
            "label": rules.week_label(w),
            "end": rules.week_end(w),
            "due": deadlines.weekly_feedback_due(w),
            "url": _week_url(user.pk, w),
            "records": selectors.record_list(user, engineer=user.pk, week=w).count(),
        }
        for w in owed
    ]
    sent = selectors.feedback_list(user, engineer=user.pk).filter(submitted_at__isnull=False)
    return render(
        request,
        "fieldservice/feedback_mine.html",
        ctx(
            request,
            owed=owed_rows,
            sent=sent[:26],
            now=now,
            current_url=_week_url(user.pk, current),
            current_label=rules.week_label(current),
        ),
    )


def feedback_compliance(request: AuthedRequest) -> HttpResponse:
    """For Sales: each engineer's recent weeks — on time, late, missing (R-5.9.4)."""
    require(request.user, "feedback.view")
    try:
        weeks = min(max(int(request.GET.get("weeks", 8)), 1), 26)
    except ValueError:
        weeks = 8
    mondays, rows = selectors.feedback_compliance(request.user, weeks=weeks)
    if request.GET.get("export") == "xlsx":
        require(request.user, "fieldservice.export")
        return xlsx_response(
            "weekly-feedback.xlsx",
            _("Weekly feedback"),
            [
                _("Engineer"),
                *[rules.week_label(m) for m in mondays],
                _("Missing"),
                _("Late"),
                _("Late entries"),
            ],
            (
                [
                    r.engineer,
                    *[str(STATE_LABELS[c.state]) for c in r.cells],
                    r.missing,
                    r.late,
                    r.late_entries,
                ]
                for r in rows
            ),
        )
    to_review = selectors.feedback_list(request.user, status=FeedbackStatus.SUBMITTED).order_by(
        "week_start", "engineer__username"
    )
    problems = [(r.engineer, c) for r in rows for c in r.cells if c.state in ("missing", "late")]
    return render(
        request,
        "fieldservice/feedback_compliance.html",
        ctx(
            request,
            mondays=[(m, rules.week_label(m)) for m in mondays],
            rows=rows,
            weeks=weeks,
            labels=STATE_LABELS,
            to_review=to_review,
            problems=problems,
            can_review=can(request.user, "feedback.review"),
        ),
    )


def feedback_week(
    request: AuthedRequest, engineer: int, week: str, forms_: dict | None = None
) -> HttpResponse:
    require(request.user, "feedback.view")
    monday = parse_week(week)
    person, fb, records = selectors.feedback_week(request.user, engineer, monday)
    user = request.user
    submitted = fb is not None and fb.submitted_at is not None
    late_additions = [
        r for r in records if fb is not None and submitted and r.weekly_feedback_id != fb.pk
    ]
    c = ctx(
        request,
        person=person,
        fb=fb,
        week=monday,
        label=rules.week_label(monday),
        week_end=rules.week_end(monday),
        due=fb.due_at if fb else deadlines.weekly_feedback_due(monday),
        submitted_at=fb.submitted_at if fb else None,
        now=timezone.now(),
        records=records,
        late_additions=late_additions,
        counts=selectors.classify(records) if records else None,
        history=record_history("fieldservice.weeklyfeedback", fb.pk) if fb else [],
        can_submit=(
            can(user, "feedback.submit")
            and person.pk == user.pk
            and not submitted
            and monday <= deadlines.week_start(timezone.localdate())
        ),
        can_review=can(user, "feedback.review")
        and fb is not None
        and fb.status == FeedbackStatus.SUBMITTED,
        can_infoform=can(user, "infoform.manage"),
        submit_form=SubmitFeedbackForm(
            prefix="submit", initial={"summary": fb.summary if fb else ""}
        ),
        review_form=OptionalNoteForm(prefix="review"),
        return_form=ReasonForm(prefix="return"),
        prev_url=_week_url(person.pk, monday - timedelta(days=7)),
        next_url=_week_url(person.pk, monday + timedelta(days=7)),
    )
    c.update(forms_ or {})
    return render(request, "fieldservice/feedback_week.html", c, status=400 if forms_ else 200)


@require_POST
def feedback_submit(request: AuthedRequest, engineer: int, week: str) -> HttpResponse:
    monday = parse_week(week)
    return post_action(
        request,
        permission="feedback.submit",
        form=SubmitFeedbackForm(request.POST, prefix="submit"),
        prefix="submit",
        call=lambda d: services.weekly_feedback_submit(
            actor=request.user,
            week_start=monday,
            summary=d["summary"],
            engineer=selectors.feedback_week(request.user, engineer, monday)[0],
        ),
        done=_("Weekly feedback submitted to Sales."),
        success_url=_week_url(engineer, monday),
        rerender=lambda f: feedback_week(request, engineer, week, f),
    )


def _fb_action(request: AuthedRequest, pk: int, prefix: str, form, call, done):
    fb = selectors.feedback_get(request.user, pk)
    week = fb.week_start.isoformat()
    return post_action(
        request,
        permission="feedback.review",
        form=form,
        prefix=prefix,
        call=lambda d: call(fb, d),
        done=done,
        success_url=_week_url(fb.engineer_id, fb.week_start),
        rerender=lambda f: feedback_week(request, fb.engineer_id, week, f),
    )


@require_POST
def feedback_review(request: AuthedRequest, pk: int) -> HttpResponse:
    return _fb_action(
        request,
        pk,
        "review",
        OptionalNoteForm(request.POST, prefix="review"),
        lambda fb, d: services.weekly_feedback_review(
            actor=request.user, feedback=fb, note=d["note"]
        ),
        _("Marked as reviewed."),
    )


@require_POST
def feedback_return(request: AuthedRequest, pk: int) -> HttpResponse:
    return _fb_action(
        request,
        pk,
        "return",
        ReasonForm(request.POST, prefix="return"),
        lambda fb, d: services.weekly_feedback_return(
            actor=request.user, feedback=fb, reason=d["reason"]
        ),
        _("Returned to the engineer."),
    )


# ---------------------------------------------------------------- information forms


def infoform_list(request: AuthedRequest) -> HttpResponse:
    form = InfoFormFilterForm(request.GET or None)
    qs = selectors.infoform_list(request.user, **form.filters()).prefetch_related(
        "routings__department"
    )
    return list_page(
        request,
        qs,
        form=form,
        full="fieldservice/infoform_list.html",
        partial="fieldservice/_infoform_table.html",
        **ctx(
            request,
            can_manage=can(request.user, "infoform.manage"),
        ),
    )


def _records_for(request: AuthedRequest, form: InfoFormForm):
    return selectors.record_list(request.user, **form.record_filters())


def infoform_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "infoform.manage")
    today = timezone.localdate()
    initial = {
        "period_from": request.GET.get("from") or today - timedelta(days=30),
        "period_to": request.GET.get("to") or today,
        "engineer": request.GET.get("engineer"),
        "category": "product_quality",
    }
    form = InfoFormForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda d: services.infoform_create(
            actor=request.user,
            records=list(_records_for(request, form).values_list("pk", flat=True)),
            major_problem=d["major_problem"],
            **{k: d[k] for k in services.infoforms.EDITABLE},
        ),
        template="fieldservice/form.html",
        context=lambda: ctx(
            request,
            title=_("New information feedback form"),
            parts=part_numbers(),
            intro=_(
                "Classify and summarise the service records of a period for Production, "
                "Quality and the other departments (R-5.9.5). The records matching the period "
                "and filters are attached."
            ),
            cancel=reverse("fieldservice:infoform_list"),
        ),
        done=lambda f: _("Information feedback form %s drafted.") % f.number,
    )


def infoform_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    f = selectors.infoform_get(request.user, pk)
    require(request.user, "infoform.manage")
    initial = {k: getattr(f, k) for k in services.infoforms.EDITABLE}
    form = InfoFormForm(request.POST or None, initial=initial, editing=True)

    def save(d: dict) -> object:
        records = list(_records_for(request, form).values_list("pk", flat=True))
        return services.infoform_update(
            actor=request.user,
            form=selectors.infoform_get(request.user, pk),
            records=records,
            **{k: d[k] for k in services.infoforms.EDITABLE},
        )

    return form_page(
        request,
        form,
        save,
        template="fieldservice/form.html",
        context=lambda: ctx(
            request,
            title=_("Edit %s") % f.number,
            parts=part_numbers(),
            cancel=reverse("fieldservice:infoform_detail", args=[pk]),
        ),
        done=_("Saved."),
        success_url=reverse("fieldservice:infoform_detail", args=[pk]),
    )


def infoform_detail(request: AuthedRequest, pk: int, forms_: dict | None = None):
    f = selectors.infoform_get(request.user, pk)
    user = request.user
    records = f.records.select_related("customer", "part", "engineer")
    c = ctx(
        request,
        f=f,
        records=records,
        counts=selectors.classify(records) if records.exists() else None,
        routings=f.routings.select_related("department", "acknowledged_by"),
        history=record_history("fieldservice.informationfeedbackform", f.pk),
        can_manage=can(user, "infoform.manage"),
        can_ack=can(user, "infoform.acknowledge"),
        my_department=user.department_id,
        is_admin=has_role(user, RoleCode.ADMIN),
        issue_form=IssueInfoForm(prefix="issue"),
        ack_form=AckForm(prefix="ack"),
        flag_form=FlagForm(prefix="flag"),
        draft=f.status == InfoFormStatus.DRAFT,
    )
    c.update(forms_ or {})
    return render(request, "fieldservice/infoform_detail.html", c, status=400 if forms_ else 200)


def _if_action(request: AuthedRequest, pk: int, prefix: str, form, permission, call, done):
    f = selectors.infoform_get(request.user, pk)
    return post_action(
        request,
        permission=permission,
        form=form,
        prefix=prefix,
        call=lambda d: call(f, d),
        done=done,
        success_url=reverse("fieldservice:infoform_detail", args=[pk]),
        rerender=lambda extra: infoform_detail(request, pk, extra),
    )


@require_POST
def infoform_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    return _if_action(
        request,
        pk,
        "issue",
        IssueInfoForm(request.POST, prefix="issue"),
        "infoform.manage",
        lambda f, d: services.infoform_issue(
            actor=request.user, form=f, departments=d["departments"]
        ),
        _("Issued to the departments."),
    )


@require_POST
def infoform_flag_major(request: AuthedRequest, pk: int) -> HttpResponse:
    return _if_action(
        request,
        pk,
        "flag",
        FlagForm(request.POST, prefix="flag"),
        "infoform.manage",
        lambda f, d: services.infoform_flag_major(actor=request.user, form=f, reason=d["reason"]),
        _("Flagged as a major typical problem: the 8D goes out at once."),
    )


@require_POST
def infoform_acknowledge(request: AuthedRequest, pk: int) -> HttpResponse:
    routing = selectors.routing_get(request.user, pk)
    return post_action(
        request,
        permission="infoform.acknowledge",
        form=AckForm(request.POST, prefix="ack"),
        prefix="ack",
        call=lambda d: services.infoform_acknowledge(
            actor=request.user, routing=routing, response=d["response"]
        ),
        done=_("Acknowledged."),
        success_url=reverse("fieldservice:infoform_detail", args=[routing.form_id]),
        rerender=lambda extra: infoform_detail(request, routing.form_id, extra),
    )
