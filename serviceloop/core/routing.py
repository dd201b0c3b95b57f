"""Routing a record to the departments that must act: the one mechanism (ADR 0009).

Sales passes a communication (R-5.2.4) or an order (R-5.2.1) on to departments; every member
of each department is told and sees it on "my work" until one of them answers (responds,
acknowledges); a routing not answered by its due time is overdue. An app keeps its routings
in a concrete subclass of `DepartmentRouting` (a foreign key to its record named by
`parent_field`, its permission, notice kinds and titles) and calls this module for every
write, its "my work" items and its overdue rule.

- `route(Model, actor=…, parent=…, departments=…, …)`: create, audit, notify;
- `respond(routing, actor=…, text=…)`: a member of the department answers, audited, the
  router and the record's owner told;
- `work(user, Model, kind=…, title=…)`: the department's open routings for "my work";
- `overdue_q(now)` / `DepartmentRouting.is_overdue(now)`: the one overdue rule;
- `register_history(Model)`: the routings' audit entries read in the parent's history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import history
from .audit import AuditAction, audit_create, audit_update, snapshot
from .models import Department
from .my_work import WorkCount, WorkItem, most_urgent
from .notifications import Message, notify
from .permissions import can, require, scope_by_customer


class RoutingState(models.TextChoices):
    PENDING = "pending", gettext_lazy("Pending")  # routed; no member has answered yet
    ACKNOWLEDGED = "acknowledged", gettext_lazy("Acknowledged")  # a member answered
    LATE = "late", gettext_lazy("Overdue")  # not answered and past its due time


def overdue_q(now: datetime, prefix: str = "") -> Q:
    """Routings not answered whose due time has passed (`prefix`: the path from another
    model, e.g. "routings__")."""
    return Q(**{f"{prefix}responded_at__isnull": True, f"{prefix}due_at__lt": now})


class DepartmentRouting(models.Model):
    """A record passed on to a department, with what is needed and by when; answered once by
    a member of the department."""

    # The concrete model says these.
    parent_field: ClassVar[str]  # the foreign key to the routed record
    respond_permission: ClassVar[str]  # who may answer (besides being a member)
    routed_kind: ClassVar[str]  # the notice kind told to the department
    answered_kind: ClassVar[str]  # the notice kind told to the router and the owner
    # The notices' titles (gettext_noop msgids), formatted with `dept` and `notice_params()`.
    routed_title: ClassVar[str]
    answered_title: ClassVar[str]
    one_per_department: ClassVar[bool] = False  # routing again to a department is a no-op

    department = models.ForeignKey(
        Department,
        verbose_name=gettext_lazy("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    instruction = models.TextField(gettext_lazy("what is needed"), blank=True)
    routed_at = models.DateTimeField(gettext_lazy("routed at"), default=timezone.now)
    due_at = models.DateTimeField(gettext_lazy("reply due"), null=True, blank=True)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    response = models.TextField(gettext_lazy("department's response"), blank=True)
    responded_at = models.DateTimeField(gettext_lazy("responded at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def parent(self) -> Any:
        return getattr(self, self.parent_field)

    def notice_params(self) -> dict[str, Any]:
        """What the notices' titles name besides the department (the record's number, …)."""
        return {"number": str(getattr(self.parent, "number", self.parent))}

    def notice(self, msgid: str) -> Message:
        return Message(msgid, dept=self.department, **self.notice_params())

    def is_overdue(self, now: datetime | None = None) -> bool:
        """The one overdue rule (as `overdue_q`): not answered and past its due time."""
        now = now or timezone.now()
        return self.responded_at is None and self.due_at is not None and self.due_at < now

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def state(self) -> str:
        if self.responded_at is not None:
            return RoutingState.ACKNOWLEDGED
        return RoutingState.LATE if self.is_overdue() else RoutingState.PENDING

    def get_state_display(self) -> str:
        return str(RoutingState(self.state).label)


R = TypeVar("R", bound=DepartmentRouting)


@transaction.atomic
def route(
    model: type[R],
    *,
    actor: Any,
    parent: models.Model,
    departments: Iterable[Department],
    instruction: str = "",
    due_at: datetime | None = None,
    default_due: datetime,
    due_field: str = "due_at",
    instruction_required: bool = False,
    **extra: Any,
) -> list[R]:
    """Route `parent` to each department (each once), to answer by `due_at` (default
    `default_due`, from core.deadlines). The caller has checked its permission and the
    parent's state. A given due time must be aware and not past (refused on `due_field`).
    Every member of each department is told; each routing is audited (in the parent's
    history). Returns the routings made (with `one_per_department`, none for a department
    already routed)."""
    depts = list({d.pk: d for d in departments}.values())
    if not depts:
        raise ValidationError({"departments": _("Choose at least one department.")})
    text = (instruction or "").strip()
    if instruction_required and not text:
        raise ValidationError({"instruction": _("This field is required.")})
    if due_at is not None:
        if due_at.tzinfo is None:
            raise ValidationError({due_field: _("Give the time with its time zone offset.")})
        if due_at < timezone.now():
            raise ValidationError({due_field: _("The due date cannot be in the past.")})
    due = due_at or default_due
    made: list[R] = []
    for dept in depts:
        values = {"routed_by": actor, "instruction": text, "due_at": due, **extra}
        if model.one_per_department:
            routing, created = model.objects.get_or_create(  # type: ignore[attr-defined]
                **{model.parent_field: parent}, department=dept, defaults=values
            )
            if not created:
                continue
        else:
            routing = model.objects.create(  # type: ignore[attr-defined]
                **{model.parent_field: parent}, department=dept, **values
            )
        audit_create(actor=actor, obj=routing)
        made.append(routing)
        notify(
            dept.members.filter(is_active=True),
            kind=model.routed_kind,
            title=routing.notice(model.routed_title),
            body=Message.verbatim(text) if text else None,
            url=parent.get_absolute_url(),  # type: ignore[attr-defined]
            dedupe_key=f"{model.routed_kind}:{routing.pk}",
        )
    return made


@transaction.atomic
def respond(
    routing: R, *, actor: Any, text: str = "", field: str = "text", text_required: bool = False
) -> R:
    """A member of the routed department answers the routing (once), with `text` (required
    when `text_required`; refusals on `field`, the caller's name for it). Audited; the
    router and the record's owner are told."""
    model = type(routing)
    require(actor, model.respond_permission)
    routing = model.objects.select_for_update().select_related("department").get(pk=routing.pk)  # type: ignore[attr-defined]
    if actor.department_id != routing.department_id:
        raise ValidationError(
            {
                "department": _("Only a member of %(dept)s can answer this routing.")
                % {"dept": routing.department}
            }
        )
    if routing.responded_at is not None:
        raise ValidationError({field: _("This routing was already answered.")})
    text = (text or "").strip()
    if text_required and not text:
        raise ValidationError({field: _("This field is required.")})
    before = snapshot(routing)
    routing.response, routing.responded_at, routing.responded_by = text, timezone.now(), actor
    routing.save()
    audit_update(actor=actor, obj=routing, before=before, action=AuditAction.TRANSITION)
    parent = routing.parent
    owner = getattr(parent, "owner", None)
    notify(
        list({u.pk: u for u in (routing.routed_by, owner) if u is not None}.values()),
        kind=model.answered_kind,
        title=routing.notice(model.answered_title),
        body=Message.verbatim(text) if text else None,
        url=parent.get_absolute_url(),
        dedupe_key=f"{model.answered_kind}:{routing.pk}",
    )
    return routing


def open_for(user: Any, model: type[R]) -> models.QuerySet[R]:
    """The routings to the user's department that no member has answered, scoped to the
    customers the user may see."""
    p = model.parent_field
    qs = model.objects.filter(  # type: ignore[attr-defined]
        department_id=user.department_id, responded_at__isnull=True
    ).select_related(p, f"{p}__customer")
    return scope_by_customer(user, qs, field=f"{p}__customer")


def work(
    user: Any,
    model: type[R],
    *,
    kind: str,
    title: Callable[[R], str],
    anchor: str = "",
) -> Iterator[WorkItem | WorkCount]:
    """ "My work" of every member of a department: its open routings, most urgent first, each
    linking to the routed record (`anchor` appended) with the instruction as detail."""
    if not user.department_id or not can(user, model.respond_permission):
        return
    yield from most_urgent(
        open_for(user, model),
        lambda r: WorkItem(
            kind, title(r), r.parent.get_absolute_url() + anchor, r.due_at, r.instruction
        ),
        kind=kind,
        order="due_at",
    )


def register_history(model: type[DepartmentRouting]) -> None:
    """The routings' audit entries (routed, answered) are lines of their parent's history."""
    parent = model._meta.get_field(model.parent_field).related_model
    history.register_children(
        parent._meta.label_lower,  # type: ignore[union-attr]
        model._meta.label_lower,
        model.parent_field,
    )
