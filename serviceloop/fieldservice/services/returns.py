"""Return-for-repair forms (退修单, R-5.9.2): the engineer fills and countersigns; the
finished-goods warehouse checks quantities and signatures before receiving. A mismatch is
not an error: the goods are held with the discrepancy recorded until the form is corrected
and checked again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core.audit import AuditAction
from serviceloop.core.lookups import customer_for
from serviceloop.core.models import User
from serviceloop.core.notifications import Message, notify, users_with_roles
from serviceloop.core.numbering import next_number
from serviceloop.core.permissions import has_role, require
from serviceloop.core.roles import RoleCode
from serviceloop.core.statemachine import transition
from serviceloop.customers.models import Customer

from ..domain import rules
from ..models import (
    RETURN_TRANSITIONS,
    ReturnForRepairForm,
    ReturnLine,
    ReturnStatus,
    ServiceRecord,
)
from ._common import (
    audit_with_lines,
    check_past_date,
    engineer_for,
    local_noon,
    part_for,
    positive,
    required_text,
    snapshot_with_lines,
)

LINE_FIELDS = ("part", "lot", "quantity", "counted_quantity", "fault")


def _snap(form: ReturnForRepairForm) -> dict[str, Any]:
    return snapshot_with_lines(form, LINE_FIELDS)


def _audit(
    actor: User,
    form: ReturnForRepairForm,
    before: dict | None,
    action: str = "update",
    reason: str = "",
) -> None:
    audit_with_lines(
        actor=actor, obj=form, before=before, fields=LINE_FIELDS, action=action, reason=reason
    )


def _lines(lines: Iterable[Mapping[str, Any]]) -> list[ReturnLine]:
    out = []
    for raw in lines:
        out.append(
            ReturnLine(
                part=part_for(raw.get("part")),
                lot=(raw.get("lot") or "").strip(),
                quantity=positive("quantity", raw.get("quantity")),
                fault=(raw.get("fault") or "").strip(),
            )
        )
    if not out:
        raise ValidationError({"lines": _("List at least one returned item.")})
    return out


def _own(actor: User, form: ReturnForRepairForm, field: str = "engineer") -> None:
    if form.engineer_id != actor.pk and not has_role(actor, RoleCode.ADMIN):
        raise ValidationError(
            {field: _("Only %s, the engineer named on the form, may do this.") % form.engineer}
        )


def _check_record(form: ReturnForRepairForm) -> None:
    rec = form.service_record
    if rec is not None and rec.customer_id != form.customer_id:
        raise ValidationError(
            {"service_record": _("This service record belongs to another customer.")}
        )


@transaction.atomic
def return_create(
    *,
    actor: User,
    customer: Customer | int,
    return_date: date,
    reason: str,
    lines: Iterable[Mapping[str, Any]],
    engineer: User | int | None = None,
    customer_signatory: str = "",
    service_record: ServiceRecord | None = None,
) -> ReturnForRepairForm:
    """The engineer fills the return-for-repair form (draft until countersigned)."""
    require(actor, "return.fill")
    cust = customer_for(actor, customer)
    person = engineer_for(engineer if engineer is not None else actor)
    if person.pk != actor.pk and not has_role(actor, RoleCode.ADMIN):
        raise ValidationError({"engineer": _("You fill return forms in your own name.")})
    check_past_date("return_date", return_date)
    form = ReturnForRepairForm(
        customer=cust,
        engineer=person,
        return_date=return_date,
        reason=required_text("reason", reason, _("Say why the goods are returned.")),
        customer_signatory=(customer_signatory or "").strip(),
        service_record=service_record,
        created_by=actor,
        number="pending",
    )
    _check_record(form)
    items = _lines(lines)
    form.full_clean(exclude=["number"])
    form.number = next_number("RFR", local_noon(return_date))
    form.save()
    for line in items:
        line.form = form
        line.save()
    _audit(actor, form, None)
    return form


@transaction.atomic
def return_update(
    *,
    actor: User,
    form: ReturnForRepairForm,
    lines: Iterable[Mapping[str, Any]] | None = None,
    **data: Any,
) -> ReturnForRepairForm:
    """Change a draft: its fields and, when given, all of its lines."""
    require(actor, "return.fill")
    f = ReturnForRepairForm.objects.select_for_update(of=("self",)).get(pk=form.pk)
    _own(actor, f)
    if f.status != ReturnStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft can be edited.")})
    allowed = {"return_date", "reason", "customer_signatory", "service_record"}
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    before = _snap(f)
    for key, value in data.items():
        setattr(f, key, value.strip() if isinstance(value, str) else value)
    check_past_date("return_date", f.return_date)
    required_text("reason", f.reason, _("Say why the goods are returned."))
    _check_record(f)
    f.full_clean()
    f.save()
    if lines is not None:
        items = _lines(lines)
        f.lines.all().delete()
        for line in items:
            line.form = f
            line.save()
    _audit(actor, f, before)
    return f


@transaction.atomic
def return_countersign(*, actor: User, form: ReturnForRepairForm) -> ReturnForRepairForm:
    """The engineer countersigns (会签): his recorded confirmation, with the time."""
    require(actor, "return.fill")
    f = (
        ReturnForRepairForm.objects.select_for_update(of=("self",))
        .select_related("customer")
        .get(pk=form.pk)
    )
    _own(actor, f)
    before = _snap(f)
    transition(
        f,
        ReturnStatus.SIGNED,
        actor=actor,
        table=RETURN_TRANSITIONS,
        verb="countersign",
        save=False,
    )
    f.signed_by, f.signed_at = actor, timezone.now()
    f.save()
    _audit(actor, f, before, AuditAction.TRANSITION)
    notify(
        users_with_roles(RoleCode.WAREHOUSE),
        kind="fieldservice.return",
        title=Message(
            gettext_noop("Return to check: %(number)s %(customer)s"),
            number=f.number,
            customer=f.customer.name,
        ),
        url=f.get_absolute_url(),
        dedupe_key=f"fs_return_signed:{f.pk}:{f.signed_at.isoformat()}",
    )
    return f


@transaction.atomic
def return_check(
    *,
    actor: User,
    form: ReturnForRepairForm,
    counted: Mapping[int, int | None],
    signatures_ok: bool,
    note: str = "",
) -> ReturnForRepairForm:
    """The warehouse counts each line and checks the signatures (R-5.9.2): everything matches
    -> received; otherwise held with the discrepancy recorded (not an error)."""
    require(actor, "warehouse.handle")
    f = (
        ReturnForRepairForm.objects.select_for_update(of=("self",))
        .select_related("customer")
        .get(pk=form.pk)
    )
    lines = list(f.lines.select_related("part"))
    unknown = set(counted) - {line.pk for line in lines}
    if unknown:
        raise ValidationError({"counted": _("Unknown line(s): %s.") % sorted(unknown)})
    for line in lines:
        value = counted.get(line.pk)
        if value is None or isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(
                {"counted": _("Count every line (%s is missing).") % line.part.part_number}
            )
        if value < 0:
            raise ValidationError({"counted": _("A counted quantity cannot be negative.")})
    before = _snap(f)
    problems = rules.return_discrepancies(
        [
            rules.CountedLine(line.part.part_number, line.quantity, counted[line.pk])
            for line in lines
        ],
        countersigned=f.signed_at is not None,
        signatures_ok=bool(signatures_ok),
    )
    target = ReturnStatus.HELD if problems else ReturnStatus.RECEIVED
    transition(f, target, actor=actor, table=RETURN_TRANSITIONS, save=False)
    now = timezone.now()
    for line in lines:
        line.counted_quantity = counted[line.pk]
        line.save(update_fields=["counted_quantity"])
    f.checked_by, f.checked_at = actor, now
    f.signatures_ok = bool(signatures_ok)
    f.discrepancy = "; ".join(problems)
    f.check_note = (note or "").strip()
    if not problems:
        f.received_at = now
    f.save()
    _audit(actor, f, before, AuditAction.TRANSITION, f.discrepancy)
    if problems:
        notify(
            [f.engineer],
            kind="fieldservice.return",
            title=Message(
                gettext_noop("Return held by the warehouse: %(number)s"), number=f.number
            ),
            body=Message.verbatim(f.discrepancy),
            url=f.get_absolute_url(),
            dedupe_key=f"fs_return_held:{f.pk}:{now.isoformat()}",
        )
    return f


@transaction.atomic
def return_correct(
    *,
    actor: User,
    form: ReturnForRepairForm,
    note: str,
    quantities: Mapping[int, int] | None = None,
    customer_signatory: str | None = None,
) -> ReturnForRepairForm:
    """The engineer corrects a held form (the declared quantities, the customer's signatory)
    and countersigns it again; the warehouse then checks it again."""
    require(actor, "return.fill")
    f = (
        ReturnForRepairForm.objects.select_for_update(of=("self",))
        .select_related("customer")
        .get(pk=form.pk)
    )
    _own(actor, f)
    text = required_text("note", note, _("Say what was corrected."))
    lines = {line.pk: line for line in f.lines.select_related("part")}
    quantities = dict(quantities or {})
    unknown = set(quantities) - set(lines)
    if unknown:
        raise ValidationError({"quantities": _("Unknown line(s): %s.") % sorted(unknown)})
    for pk, qty in quantities.items():
        if qty is None or isinstance(qty, bool) or not isinstance(qty, int) or qty < 0:
            raise ValidationError(
                {"quantities": _("Give 0 or more for %s.") % lines[pk].part.part_number}
            )
    remaining = [pk for pk in lines if quantities.get(pk, lines[pk].quantity) > 0]
    if not remaining:
        raise ValidationError({"quantities": _("At least one item must remain on the form.")})
    before = _snap(f)
    transition(
        f, ReturnStatus.SIGNED, actor=actor, table=RETURN_TRANSITIONS, verb="correct", save=False
    )
    for pk, line in lines.items():
        qty = quantities.get(pk, line.quantity)
        if qty == 0:
            line.delete()
            continue
        line.quantity, line.counted_quantity = qty, None
        line.save(update_fields=["quantity", "counted_quantity"])
    if customer_signatory is not None:
        f.customer_signatory = customer_signatory.strip()
    f.correction_note = text
    f.signed_by, f.signed_at = actor, timezone.now()
    f.signatures_ok = None
    f.save()
    _audit(actor, f, before, AuditAction.TRANSITION, text)
    notify(
        users_with_roles(RoleCode.WAREHOUSE),
        kind="fieldservice.return",
        title=Message(
            gettext_noop("Corrected return to check again: %(number)s %(customer)s"),
            number=f.number,
            customer=f.customer.name,
        ),
        body=Message.verbatim(text),
        url=f.get_absolute_url(),
        dedupe_key=f"fs_return_signed:{f.pk}:{f.signed_at.isoformat()}",
    )
    return f


@transaction.atomic
def return_cancel(*, actor: User, form: ReturnForRepairForm, reason: str) -> ReturnForRepairForm:
    require(actor, "return.fill")
    f = ReturnForRepairForm.objects.select_for_update(of=("self",)).get(pk=form.pk)
    _own(actor, f)
    text = required_text("reason", reason, _("Say why the form is withdrawn."))
    before = _snap(f)
    transition(f, ReturnStatus.CANCELLED, actor=actor, table=RETURN_TRANSITIONS, save=False)
    f.correction_note = text
    f.save()
    _audit(actor, f, before, AuditAction.TRANSITION, text)
    return f
