"""Sales places resident engineers at tier-1 OEMs (R-5.3.1/5.3.2) and named engineers at key
retail users (R-5.3.5). A tier-2 OEM normally gets none (R-5.3.4.1): placing one there, or
at any customer outside the intended tier, needs a recorded reason."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core.audit import audit_create, snapshot
from serviceloop.core.lookups import customer_for
from serviceloop.core.models import User
from serviceloop.core.notifications import Message, choice_label, notify
from serviceloop.core.permissions import require
from serviceloop.core.services import save_audited
from serviceloop.customers.models import Customer, Tier

from ..domain import rules
from ..models import AssignmentKind, EngineerAssignment
from ._common import engineer_for, required_text

EDITABLE = ("site", "address", "start_date", "end_date", "exception_reason", "notes")


def _check(a: EngineerAssignment) -> None:
    if a.kind not in AssignmentKind.values:
        raise ValidationError({"kind": _("Choose resident or named engineer.")})
    if a.start_date is None:
        raise ValidationError({"start_date": _("This field is required.")})
    if a.end_date is not None and a.end_date < a.start_date:
        raise ValidationError({"end_date": _("The end must not be before the start.")})
    if rules.needs_exception_reason(a.kind, a.customer.tier) and not a.exception_reason.strip():
        if a.kind == AssignmentKind.RESIDENT and a.customer.tier == Tier.OEM_TIER2:
            msg = _(
                "%(customer)s is a tier-2 OEM: it normally gets no resident engineer "
                "(R-5.3.4.1). Give a reason to assign one anyway."
            )
        elif a.kind == AssignmentKind.RESIDENT:
            msg = _(
                "%(customer)s is not a tier-1 OEM: resident engineers serve tier-1 OEMs "
                "(R-5.3.1). Give a reason to assign one anyway."
            )
        else:
            msg = _(
                "%(customer)s is not a key retail user: named engineers serve key retail "
                "users (R-5.3.5). Give a reason to assign one anyway."
            )
        raise ValidationError({"exception_reason": msg % {"customer": a.customer.name}})
    others = EngineerAssignment.objects.filter(engineer=a.engineer).exclude(pk=a.pk)
    for other in others.select_related("customer"):
        if not other.overlaps(a.start_date, a.end_date):
            continue
        if other.customer_id == a.customer_id:
            raise ValidationError(
                {
                    "start_date": _("%(engineer)s is already assigned to %(customer)s then.")
                    % {"engineer": a.engineer, "customer": a.customer.name}
                }
            )
        if a.kind == AssignmentKind.RESIDENT and other.kind == AssignmentKind.RESIDENT:
            raise ValidationError(
                {
                    "engineer": _(
                        "%(engineer)s is resident at %(customer)s from %(start)s: an engineer is "
                        "resident at one customer at a time. End that assignment first."
                    )
                    % {
                        "engineer": a.engineer,
                        "customer": other.customer.name,
                        "start": other.start_date.isoformat(),
                    }
                }
            )


@transaction.atomic
def assignment_create(
    *,
    actor: User,
    kind: str,
    engineer: User | int,
    customer: Customer | int,
    start_date: date,
    end_date: date | None = None,
    site: str = "",
    address: str = "",
    exception_reason: str = "",
    notes: str = "",
) -> EngineerAssignment:
    """Place an engineer at a customer (who, where, since when, until when)."""
    require(actor, "assignment.manage")
    cust = customer_for(actor, customer)
    a = EngineerAssignment(
        kind=kind,
        engineer=engineer_for(engineer),
        customer=cust,
        start_date=start_date,
        end_date=end_date,
        site=(site or "").strip(),
        address=(address or "").strip() or cust.mailing_address,
        exception_reason=(exception_reason or "").strip(),
        notes=(notes or "").strip(),
        created_by=actor,
    )
    _check(a)
    a.full_clean()
    a.save()
    audit_create(actor=actor, obj=a, reason=a.exception_reason)
    notify(
        [a.engineer],
        kind="fieldservice.assignment",
        title=Message(
            gettext_noop("You are assigned to %(customer)s (%(kind)s) from %(start)s"),
            customer=cust.name,
            kind=choice_label(a, "kind"),
            start=a.start_date,
        ),
        url=a.get_absolute_url(),
        dedupe_key=f"fs_assignment:{a.pk}",
    )
    return a


@transaction.atomic
def assignment_update(
    *, actor: User, assignment: EngineerAssignment, reason: str = "", **data: Any
) -> EngineerAssignment:
    require(actor, "assignment.manage")
    a = (
        EngineerAssignment.objects.select_for_update(of=("self",))
        .select_related("customer")
        .get(pk=assignment.pk)
    )
    before = snapshot(a)
    unknown = [k for k in data if k not in EDITABLE]
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    for key, value in data.items():
        setattr(a, key, value.strip() if isinstance(value, str) else value)
    _check(a)
    return save_audited(a, actor=actor, before=before, reason=reason, clean=True)


@transaction.atomic
def assignment_end(
    *, actor: User, assignment: EngineerAssignment, end_date: date, reason: str
) -> EngineerAssignment:
    """End an assignment on a date (the engineer leaves the site). History is kept."""
    require(actor, "assignment.manage")
    a = (
        EngineerAssignment.objects.select_for_update(of=("self",))
        .select_related("customer")
        .get(pk=assignment.pk)
    )
    text = required_text("reason", reason, _("Say why the assignment ends."))
    if end_date is None:
        raise ValidationError({"end_date": _("This field is required.")})
    if end_date < a.start_date:
        raise ValidationError({"end_date": _("The end must not be before the start.")})
    if a.end_reason:
        raise ValidationError({"end_date": _("This assignment has already ended.")})
    before = snapshot(a)
    a.end_date, a.end_reason = end_date, text
    return save_audited(a, actor=actor, before=before, reason=text)
