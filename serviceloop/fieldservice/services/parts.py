"""Parts: the catalogue, requests to the finished-goods warehouse — engineers' spare parts by
failure frequency (R-5.3.4.3) and Sales' urgent draws, served first (R-5.9.3) — and each
holder's ledger of parts issued, used on service records and returned."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core.audit import AuditAction, audit_create, audit_update, snapshot
from serviceloop.core.lookups import customer_for
from serviceloop.core.models import User
from serviceloop.core.notifications import Message, notify, users_with_roles
from serviceloop.core.numbering import next_number
from serviceloop.core.permissions import has_role, require
from serviceloop.core.roles import RoleCode
from serviceloop.core.services import apply_fields, save_audited, validated_save
from serviceloop.core.statemachine import transition
from serviceloop.customers.models import Customer

from .. import queries
from ..domain import rules
from ..models import (
    REQUEST_TRANSITIONS,
    MovementKind,
    Part,
    PartMovement,
    PartsRequest,
    PartsRequestLine,
    RequestKind,
    RequestStatus,
    ServiceRecord,
)
from ._common import (
    audit_with_lines,
    engineer_for,
    part_for,
    positive,
    required_text,
    snapshot_with_lines,
)

PART_FIELDS = ("part_number", "name", "is_assembly", "unit", "is_active")
LINE_FIELDS = ("part", "quantity", "failures_seen", "suggested", "issued_quantity")
URGENT_ROLES = (RoleCode.SALES, RoleCode.SALES_LEADER, RoleCode.ADMIN)


@dataclass(frozen=True)
class LineIn:
    part: Part | int
    quantity: int


@transaction.atomic
def part_create(*, actor: User, **data: Any) -> Part:
    require(actor, "part.manage")
    part = Part(created_by=actor)
    apply_fields(part, data, PART_FIELDS)
    part.part_number = (part.part_number or "").strip()
    validated_save(part)
    audit_create(actor=actor, obj=part)
    return part


@transaction.atomic
def part_update(*, actor: User, part: Part, **data: Any) -> Part:
    require(actor, "part.manage")
    part = Part.objects.select_for_update(of=("self",)).get(pk=part.pk)
    before = snapshot(part)
    apply_fields(part, data, PART_FIELDS)
    validated_save(part)
    audit_update(actor=actor, obj=part, before=before)
    return part


def _lines(lines: Iterable[LineIn | Mapping[str, Any]]) -> list[tuple[Part, int]]:
    out: list[tuple[Part, int]] = []
    seen: set[int] = set()
    for raw in lines:
        part_in = raw.part if isinstance(raw, LineIn) else raw.get("part")
        qty_in = raw.quantity if isinstance(raw, LineIn) else raw.get("quantity")
        part = part_for(part_in)
        qty = positive("quantity", qty_in)
        if part.pk in seen:
            raise ValidationError({"lines": _("Part %s is listed twice.") % part.part_number})
        seen.add(part.pk)
        out.append((part, qty))
    if not out:
        raise ValidationError({"lines": _("List at least one part.")})
    return out


@transaction.atomic
def parts_request_create(
    *,
    actor: User,
    kind: str,
    customer: Customer | int,
    lines: Iterable[LineIn | Mapping[str, Any]],
    holder: User | int | None = None,
    reason: str = "",
    weeks: int = rules.FREQUENCY_WEEKS,
    needed_by: date | None = None,
) -> PartsRequest:
    """Request parts from the finished-goods warehouse. Spare parts follow the holder's failure
    frequency over the last `weeks` weeks; asking for more than it suggests needs a reason.
    Urgent draws are Sales' for urgent field service and need the situation stated."""
    require(actor, "parts.request")
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("Choose spare parts or urgent draw.")})
    cust = customer_for(actor, customer)
    if not isinstance(weeks, int) or isinstance(weeks, bool) or not 1 <= weeks <= 52:
        raise ValidationError({"weeks": _("Give a window of 1 to 52 weeks.")})
    if needed_by is not None and needed_by < timezone.localdate():
        raise ValidationError({"needed_by": _("This date lies in the past.")})
    items = _lines(lines)
    text = (reason or "").strip()
    if kind == RequestKind.URGENT:
        if not has_role(actor, *URGENT_ROLES):
            raise ValidationError({"kind": _("Urgent draws are made by Sales (R-5.9.3).")})
        person = actor if holder is None else engineer_or_self(actor, holder)
        required_text("reason", text, _("Describe the urgent field situation."))
    else:
        if holder is None and not has_role(actor, RoleCode.SERVICE_ENGINEER):
            raise ValidationError({"holder": _("Say which engineer the spare parts are for.")})
        person = engineer_for(holder if holder is not None else actor, "holder")
    now = timezone.now()
    req = PartsRequest(
        kind=kind,
        requested_by=actor,
        requested_at=now,
        holder=person,
        customer=cust,
        reason=text,
        weeks_basis=weeks,
        needed_by=needed_by,
        created_by=actor,
        number="pending",
    )
    req.full_clean(exclude=["number"])
    freq = {f.part.pk: f for f in queries.failure_counts(person.pk, weeks)}
    over = []
    line_objs = []
    for part, qty in items:
        f = freq.get(part.pk)
        failed = f.failed_units if f else 0
        suggested = (
            f.suggested
            if f
            else rules.suggest_quantity(0, weeks, queries.balance(person.pk, part.pk))
        )
        if kind == RequestKind.SPARE and qty > suggested:
            over.append(
                _(
                    "%(part)s: %(qty)d asked, %(suggested)d suggested by %(failed)d failed in "
                    "%(weeks)d weeks"
                )
                % {
                    "part": part.part_number,
                    "qty": qty,
                    "suggested": suggested,
                    "failed": failed,
                    "weeks": weeks,
                }
            )
        line_objs.append(
            PartsRequestLine(part=part, quantity=qty, failures_seen=failed, suggested=suggested)
        )
    if over and not text:
        raise ValidationError(
            {
                "reason": _("More than the failure frequency suggests — give a reason. ")
                + "; ".join(over)
            }
        )
    req.number = next_number("PRQ", now)
    req.save()
    for line in line_objs:
        line.request = req
        line.save()
    audit_with_lines(
        actor=actor, obj=req, before=None, fields=LINE_FIELDS, action="create", reason=text
    )
    notify(
        users_with_roles(RoleCode.SALES_LEADER, RoleCode.DEPT_HEAD),
        kind="fieldservice.parts_request",
        title=Message(
            gettext_noop("URGENT parts draw to approve: %(number)s %(customer)s")
            if kind == RequestKind.URGENT
            else gettext_noop("Spare-parts request to approve: %(number)s %(customer)s"),
            number=req.number,
            customer=cust.name,
        ),
        body=Message.verbatim(text),
        url=req.get_absolute_url(),
        dedupe_key=f"fs_request:{req.pk}",
    )
    return req


def engineer_or_self(actor: User, holder: User | int) -> User:
    pk = holder.pk if isinstance(holder, User) else holder
    if pk == actor.pk:
        return actor
    return engineer_for(holder, "holder")


def _load(request: PartsRequest) -> PartsRequest:
    return (
        PartsRequest.objects.select_for_update(of=("self",))
        .select_related("customer", "holder", "requested_by")
        .get(pk=request.pk)
    )


@transaction.atomic
def parts_request_approve(*, actor: User, request: PartsRequest, note: str = "") -> PartsRequest:
    """The formalities (R-5.9.3): a sales leader or department head approves; then the request
    joins the warehouse queue (urgent draws first)."""
    require(actor, "parts.approve")
    req = _load(request)
    if req.requested_by_id == actor.pk:
        raise ValidationError(
            {"status": _("A request is approved by someone other than the requester.")}
        )
    before = snapshot(req)
    transition(req, RequestStatus.APPROVED, actor=actor, table=REQUEST_TRANSITIONS, save=False)
    req.decided_by, req.decided_at, req.decision_note = actor, timezone.now(), (note or "").strip()
    save_audited(req, actor=actor, before=before, action=AuditAction.TRANSITION)
    urgent = req.kind == RequestKind.URGENT
    notify(
        [*users_with_roles(RoleCode.WAREHOUSE), req.requested_by],
        kind="fieldservice.parts_request",
        title=Message(
            gettext_noop("URGENT: issue parts for %(number)s %(customer)s")
            if urgent
            else gettext_noop("Issue spare parts for %(number)s %(customer)s"),
            number=req.number,
            customer=req.customer.name,
        ),
        url=req.get_absolute_url(),
        dedupe_key=f"fs_request_approved:{req.pk}",
    )
    return req


@transaction.atomic
def parts_request_reject(*, actor: User, request: PartsRequest, reason: str) -> PartsRequest:
    require(actor, "parts.approve")
    req = _load(request)
    text = required_text("reason", reason, _("Say why the request is rejected."))
    before = snapshot(req)
    transition(req, RequestStatus.REJECTED, actor=actor, table=REQUEST_TRANSITIONS, save=False)
    req.decided_by, req.decided_at, req.decision_note = actor, timezone.now(), text
    save_audited(req, actor=actor, before=before, action=AuditAction.TRANSITION, reason=text)
    notify(
        [req.requested_by],
        kind="fieldservice.parts_request",
        title=Message(gettext_noop("Rejected: %(number)s"), number=req.number),
        body=Message.verbatim(text),
        url=req.get_absolute_url(),
        dedupe_key=f"fs_request_rejected:{req.pk}",
    )
    return req


@transaction.atomic
def parts_request_cancel(*, actor: User, request: PartsRequest, reason: str) -> PartsRequest:
    require(actor, "parts.request")
    req = _load(request)
    if req.requested_by_id != actor.pk and not has_role(actor, RoleCode.ADMIN):
        raise ValidationError({"status": _("Only the requester can withdraw a request.")})
    text = required_text("reason", reason, _("Say why the request is withdrawn."))
    before = snapshot(req)
    transition(
        req,
        RequestStatus.CANCELLED,
        actor=actor,
        table=REQUEST_TRANSITIONS,
        verb="cancel",
        save=False,
    )
    req.close_note = text
    return save_audited(req, actor=actor, before=before, action=AuditAction.TRANSITION, reason=text)


@transaction.atomic
def parts_request_issue(
    *,
    actor: User,
    request: PartsRequest,
    quantities: Mapping[int, int] | None = None,
    note: str = "",
) -> PartsRequest:
    """The warehouse hands the parts over; each issued quantity enters the holder's ledger.
    `quantities` maps line ids to what was issued (default: all requested)."""
    require(actor, "warehouse.handle")
    req = _load(request)
    lines = list(req.lines.select_related("part"))
    quantities = dict(quantities or {})
    unknown = set(quantities) - {line.pk for line in lines}
    if unknown:
        raise ValidationError({"quantities": _("Unknown request line(s): %s.") % sorted(unknown)})
    issued: list[tuple[PartsRequestLine, int]] = []
    for line in lines:
        qty = quantities.get(line.pk, line.quantity)
        if qty is None or isinstance(qty, bool) or not isinstance(qty, int) or qty < 0:
            raise ValidationError(
                {
                    "quantities": _("%s: give the issued quantity (0 or more).")
                    % line.part.part_number
                }
            )
        if qty > line.quantity:
            raise ValidationError(
                {
                    "quantities": _("%(part)s: %(qty)d is more than the %(req)d requested.")
                    % {"part": line.part.part_number, "qty": qty, "req": line.quantity}
                }
            )
        issued.append((line, qty))
    if not any(q for _line, q in issued):
        raise ValidationError({"quantities": _("Nothing would be issued.")})
    text = (note or "").strip()
    short = [
        f"{line.part.part_number} {q}/{line.quantity}" for line, q in issued if q < line.quantity
    ]
    if short and not text:
        raise ValidationError(
            {"note": _("Say why less than requested is issued: %s") % ", ".join(short)}
        )
    before = snapshot_with_lines(req, LINE_FIELDS)
    transition(req, RequestStatus.ISSUED, actor=actor, table=REQUEST_TRANSITIONS, save=False)
    now = timezone.now()
    req.issued_by, req.issued_at, req.issue_note = actor, now, text
    req.save()
    for line, qty in issued:
        line.issued_quantity = qty
        line.save(update_fields=["issued_quantity"])
        if qty:
            mv = PartMovement.objects.create(
                holder=req.holder,
                part=line.part,
                kind=MovementKind.ISSUE,
                quantity=qty,
                at=now,
                recorded_by=actor,
                request_line=line,
                customer=req.customer,
                note=req.number,
            )
            audit_create(actor=actor, obj=mv)
    audit_with_lines(
        actor=actor, obj=req, before=before, fields=LINE_FIELDS, action=AuditAction.TRANSITION
    )
    notify(
        [req.holder, req.requested_by],
        kind="fieldservice.parts_request",
        title=Message(gettext_noop("Parts issued: %(number)s"), number=req.number),
        url=req.get_absolute_url(),
        dedupe_key=f"fs_request_issued:{req.pk}",
    )
    return req


@transaction.atomic
def parts_request_close(*, actor: User, request: PartsRequest, note: str = "") -> PartsRequest:
    """The requester settles an issued request (the parts are with the holder's ledger)."""
    require(actor, "parts.request")
    req = _load(request)
    before = snapshot(req)
    transition(req, RequestStatus.CLOSED, actor=actor, table=REQUEST_TRANSITIONS, save=False)
    req.closed_at, req.close_note = timezone.now(), (note or "").strip()
    return save_audited(req, actor=actor, before=before, action=AuditAction.TRANSITION)


@transaction.atomic
def parts_use(
    *, actor: User, record: ServiceRecord, part: Part | int, quantity: int, note: str = ""
) -> PartMovement:
    """The engineer accounts for spare parts fitted on a service case (R-5.3.4.3)."""
    require(actor, "parts.use")
    rec = ServiceRecord.objects.select_related("customer").get(pk=record.pk)
    if rec.engineer_id != actor.pk and not has_role(actor, RoleCode.ADMIN):
        raise ValidationError({"record": _("Parts are accounted by the engineer of the record.")})
    the_part = part_for(part)
    qty = positive("quantity", quantity)
    held = queries.balance(rec.engineer_id, the_part.pk)
    if qty > held:
        raise ValidationError(
            {
                "quantity": _("%(holder)s holds only %(held)d of %(part)s.")
                % {"holder": rec.engineer, "held": held, "part": the_part.part_number}
            }
        )
    mv = PartMovement.objects.create(
        holder_id=rec.engineer_id,
        part=the_part,
        kind=MovementKind.USE,
        quantity=qty,
        at=timezone.now(),
        recorded_by=actor,
        service_record=rec,
        customer=rec.customer,
        note=(note or "").strip()[:300] or rec.number,
    )
    audit_create(actor=actor, obj=mv)
    return mv


@transaction.atomic
def parts_return(
    *, actor: User, holder: User | int, part: Part | int, quantity: int, note: str = ""
) -> PartMovement:
    """The warehouse takes unused spare parts back from a holder."""
    require(actor, "warehouse.handle")
    pk = holder.pk if isinstance(holder, User) else holder
    person = User.objects.filter(pk=pk).first() if pk is not None else None
    if person is None:
        raise ValidationError({"holder": _("Unknown holder.")})
    the_part = part_for(part)
    qty = positive("quantity", quantity)
    held = queries.balance(person.pk, the_part.pk)
    if qty > held:
        raise ValidationError(
            {
                "quantity": _("%(holder)s holds only %(held)d of %(part)s.")
                % {"holder": person, "held": held, "part": the_part.part_number}
            }
        )
    mv = PartMovement.objects.create(
        holder=person,
        part=the_part,
        kind=MovementKind.RETURN,
        quantity=qty,
        at=timezone.now(),
        recorded_by=actor,
        note=(note or "").strip()[:300],
    )
    audit_create(actor=actor, obj=mv)
    return mv
