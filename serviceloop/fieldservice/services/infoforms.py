"""Information feedback forms (信息反馈单, R-5.9.5): Sales classifies and summarises the
quality information from service records into forms for Production, Quality and other
departments, who acknowledge them. A major typical problem goes out at once (8D)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core.audit import AuditAction, audit_create, audit_update, snapshot
from serviceloop.core.models import Department, User
from serviceloop.core.notifications import Message, notify
from serviceloop.core.numbering import next_number
from serviceloop.core.permissions import has_role, require
from serviceloop.core.roles import RoleCode
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import transition

from ..models import (
    INFOFORM_TRANSITIONS,
    InfoCategory,
    InfoFormRouting,
    InfoFormStatus,
    InformationFeedbackForm,
    ServiceRecord,
)
from ._common import announce_major, required_text

EDITABLE = ("title", "category", "period_from", "period_to", "summary", "requested_action")


def _records(ids: Iterable[int | ServiceRecord]) -> list[ServiceRecord]:
    pks = [r.pk if isinstance(r, ServiceRecord) else r for r in ids]
    found = list(ServiceRecord.objects.filter(pk__in=pks))
    missing = set(pks) - {r.pk for r in found}
    if missing:
        raise ValidationError({"records": _("Unknown service record(s): %s.") % sorted(missing)})
    return found


def _check(form: InformationFeedbackForm, records: list[ServiceRecord] | None) -> None:
    required_text("title", form.title)
    required_text("summary", form.summary, _("Summarise the information for the departments."))
    if form.category not in InfoCategory.values:
        raise ValidationError({"category": _("Choose a category.")})
    if form.period_from is None or form.period_to is None:
        raise ValidationError({"period_to": _("Give the period covered.")})
    if form.period_to < form.period_from:
        raise ValidationError({"period_to": _("The period ends before it starts.")})
    if form.period_to > timezone.localdate():
        raise ValidationError({"period_to": _("This date lies in the future.")})
    for rec in records or []:
        if not form.period_from <= rec.service_date <= form.period_to:
            raise ValidationError(
                {
                    "records": _("%(number)s (%(date)s) lies outside the period.")
                    % {"number": rec.number, "date": rec.service_date}
                }
            )


def _announce(form: InformationFeedbackForm, actor: User, reason: str) -> None:
    form.major_problem = True
    form.major_flagged_at = timezone.now()
    customers = Counter(r.customer for r in form.records.select_related("customer"))
    customer = customers.most_common(1)[0][0] if customers else None
    announce_major(
        sender=InformationFeedbackForm,
        instance=form,
        actor=actor,
        customer=customer,
        summary=f"{form.title}\n{form.summary}" + (f"\n{reason}" if reason else ""),
        title=Message(
            gettext_noop("Major typical problem: %(number)s %(title)s"),
            number=form.number,
            title=form.title,
        ),
        url=form.get_absolute_url(),
    )


@transaction.atomic
def infoform_create(
    *,
    actor: User,
    title: str,
    category: str,
    period_from: date,
    period_to: date,
    summary: str,
    requested_action: str = "",
    records: Iterable[int | ServiceRecord] = (),
    major_problem: bool = False,
) -> InformationFeedbackForm:
    require(actor, "infoform.manage")
    recs = _records(records)
    form = InformationFeedbackForm(
        title=(title or "").strip(),
        category=category,
        period_from=period_from,
        period_to=period_to,
        summary=(summary or "").strip(),
        requested_action=(requested_action or "").strip(),
        created_by=actor,
        number="pending",
    )
    _check(form, recs)
    form.full_clean(exclude=["number"])
    form.number = next_number("IFB", timezone.now())
    form.save()
    form.records.set(recs)
    audit_create(actor=actor, obj=form)
    if major_problem:
        _announce(form, actor, "")
        form.save(update_fields=["major_problem", "major_flagged_at"])
    return form


@transaction.atomic
def infoform_update(
    *,
    actor: User,
    form: InformationFeedbackForm,
    records: Iterable[int | ServiceRecord] | None = None,
    **data: Any,
) -> InformationFeedbackForm:
    require(actor, "infoform.manage")
    f = InformationFeedbackForm.objects.select_for_update(of=("self",)).get(pk=form.pk)
    if f.status != InfoFormStatus.DRAFT:
        raise ValidationError({"status": _("An issued form cannot be changed.")})
    unknown = [k for k in data if k not in EDITABLE]
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    before = snapshot(f)
    for key, value in data.items():
        setattr(f, key, value.strip() if isinstance(value, str) else value)
    recs = _records(records) if records is not None else list(f.records.all())
    _check(f, recs)
    f.full_clean()
    f.save()
    if records is not None:
        f.records.set(recs)
    audit_update(actor=actor, obj=f, before=before)
    return f


@transaction.atomic
def infoform_issue(
    *, actor: User, form: InformationFeedbackForm, departments: Iterable[Department]
) -> InformationFeedbackForm:
    """Send the form to Production, Quality and the other departments concerned."""
    require(actor, "infoform.manage")
    f = InformationFeedbackForm.objects.select_for_update(of=("self",)).get(pk=form.pk)
    depts = list(departments)
    if not depts:
        raise ValidationError({"departments": _("Choose at least one department.")})
    before = snapshot(f)
    transition(f, InfoFormStatus.ISSUED, actor=actor, table=INFOFORM_TRANSITIONS, save=False)
    f.issued_at, f.issued_by = timezone.now(), actor
    save_audited(f, actor=actor, before=before, action=AuditAction.TRANSITION)
    for dept in depts:
        routing, created = InfoFormRouting.objects.get_or_create(form=f, department=dept)
        if not created:
            continue
        audit_create(actor=actor, obj=routing)
        notify(
            dept.members.filter(is_active=True),
            kind="fieldservice.infoform",
            title=Message(
                gettext_noop("Information feedback form for %(dept)s: %(number)s %(title)s"),
                dept=dept,
                number=f.number,
                title=f.title,
            ),
            body=Message.verbatim(f.summary),
            url=f.get_absolute_url(),
            dedupe_key=f"fs_infoform_routed:{routing.pk}",
        )
    return f


@transaction.atomic
def infoform_acknowledge(
    *, actor: User, routing: InfoFormRouting, response: str = ""
) -> InfoFormRouting:
    """A receiving department acknowledges the form (with its response, if any); the last
    acknowledgement completes the form."""
    require(actor, "infoform.acknowledge")
    r = (
        InfoFormRouting.objects.select_for_update(of=("self",))
        .select_related("form", "department")
        .get(pk=routing.pk)
    )
    if actor.department_id != r.department_id and not has_role(actor, RoleCode.ADMIN):
        raise ValidationError(
            {"department": _("Only a member of %s acknowledges for it.") % r.department}
        )
    if r.acknowledged_at is not None:
        raise ValidationError({"department": _("%s has already acknowledged.") % r.department})
    before = snapshot(r)
    r.acknowledged_at, r.acknowledged_by = timezone.now(), actor
    r.response = (response or "").strip()
    save_audited(r, actor=actor, before=before, action=AuditAction.TRANSITION)
    f = InformationFeedbackForm.objects.select_for_update(of=("self",)).get(pk=r.form_id)
    if not f.routings.filter(acknowledged_at__isnull=True).exists():
        f_before = snapshot(f)
        transition(
            f, InfoFormStatus.ACKNOWLEDGED, actor=actor, table=INFOFORM_TRANSITIONS, save=False
        )
        f.acknowledged_at = r.acknowledged_at
        save_audited(f, actor=actor, before=f_before, action=AuditAction.TRANSITION)
    return r


@transaction.atomic
def infoform_flag_major(
    *, actor: User, form: InformationFeedbackForm, reason: str = ""
) -> InformationFeedbackForm:
    """A major typical problem goes out at once (R-5.9.5): the complaints app opens the 8D."""
    require(actor, "infoform.manage")
    f = InformationFeedbackForm.objects.select_for_update(of=("self",)).get(pk=form.pk)
    if f.major_problem:
        return f
    before = snapshot(f)
    _announce(f, actor, (reason or "").strip())
    return save_audited(f, actor=actor, before=before, reason=reason)
