"""Orders and contracts followed by Sales (R-5.2.1): production milestones planned and
actual, each update told to the customer, late orders flagged to the sales leadership."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from serviceloop.core import deadlines, fields
from serviceloop.core.models import DetailLink, TrackedModel
from serviceloop.core.routing import DepartmentRouting, overdue_q


class OrderStatus(models.TextChoices):
    OPEN = "open", _("In progress")  # being produced; milestones followed
    DELIVERED = "delivered", _("Delivered")  # the delivered milestone is done; closed


ORDER_TRANSITIONS: dict[tuple[str, str], str] = {
    (OrderStatus.OPEN, OrderStatus.DELIVERED): "progress",  # the "delivered" milestone
}


class MilestoneCode(models.TextChoices):
    MATERIAL_READY = "material_ready", _("Material ready")
    IN_PRODUCTION = "in_production", _("In production")
    INSPECTED = "inspected", _("Inspected")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")


def local_today() -> date:
    return timezone.localdate()


def _start_of(today: date | None) -> datetime:
    """The first instant of `today` (default: the company's today): a date-only deadline
    (stored as the end of its day) is late from the next day on."""
    day = today or local_today()
    return deadlines.local_day_bounds(day, day)[0]


def late_q(today: date) -> Q:
    """Open orders whose promised date has passed, with a line undelivered past its due
    date, or with a milestone past its plan."""
    return Q(status=OrderStatus.OPEN) & (
        Q(promised_date__lt=today)
        | Q(lines__due_date__lt=today, lines__delivered_at__isnull=True)
        | Q(milestones__planned_date__lt=today, milestones__actual_at__isnull=True)
        | overdue_q(_start_of(today), prefix="routings__")
    )


class Order(DetailLink, TrackedModel):
    detail_view = "presales:order"

    order_number = models.CharField(_("order / contract number"), max_length=60)
    customer = fields.customer_ref()
    ordered_on = models.DateField(_("ordered on"), null=True, blank=True)
    promised_date = models.DateField(_("promised date"))
    owner = fields.user_ref(_("owner (Sales)"))
    status = fields.status_field(OrderStatus, OrderStatus.OPEN)
    late_flagged_at = fields.sweep_flag()
    import_batch = fields.optional_ref("core.ImportJob", on_delete=models.SET_NULL)

    class Meta:
        ordering = ["promised_date", "order_number"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [models.Index(fields=["status", "promised_date"])]

    def __str__(self) -> str:
        return f"{self.order_number} · {self.customer.code}"

    def is_late(self, today: date | None = None) -> bool:
        today = today or local_today()
        if self.status != OrderStatus.OPEN:
            return False
        if self.promised_date < today:
            return True
        if any(line.is_late(today) for line in self.lines.all()):
            return True
        if any(m.is_late(today) for m in self.milestones.all()):
            return True
        return any(r.is_late(today) for r in self.routings.all())

    @property
    def late(self) -> bool:
        return self.is_late()

    @property
    def parts(self) -> str:
        """The order's parts in one line (lists, notices)."""
        return "、".join(f"{line.part_number} × {line.quantity}" for line in self.lines.all())


class OrderLine(models.Model):
    """One part of an order: part number, description, quantity and its own due date; late
    while undelivered after it; delivered by the "delivered" milestone recorded for it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("line"))
    part_number = models.CharField(_("part number"), max_length=60)
    description = models.CharField(_("part name"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    due_date = models.DateField(_("due date"))
    delivered_at = fields.optional_time(_("delivered at"))

    class Meta:
        ordering = ["order", "position"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="orderline_unique_position"),
            models.UniqueConstraint(fields=["order", "part_number"], name="orderline_unique_part"),
        ]

    def __str__(self) -> str:
        return f"{self.part_number} × {self.quantity}"

    def is_late(self, today: date | None = None) -> bool:
        today = today or local_today()
        return (
            self.delivered_at is None
            and self.order.status == OrderStatus.OPEN
            and self.due_date < today
        )

    @property
    def late(self) -> bool:
        return self.is_late()


class Milestone(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="milestones")
    code = models.CharField(_("milestone"), max_length=20, choices=MilestoneCode.choices)
    planned_date = models.DateField(_("planned"), null=True, blank=True)
    actual_at = fields.optional_time(_("actual"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("milestone")
        constraints = [
            models.UniqueConstraint(fields=["order", "code"], name="milestone_unique_code")
        ]

    def __str__(self) -> str:
        return self.get_code_display()

    def is_late(self, today: date | None = None) -> bool:
        today = today or local_today()
        return (
            self.actual_at is None and self.planned_date is not None and self.planned_date < today
        )


class ProgressUpdate(models.Model):
    """An update on the order's progress, and whether (and when) the customer was told."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="updates")
    line = fields.optional_ref(OrderLine, _("order line"), related_name="updates")
    milestone = models.CharField(
        _("milestone"), max_length=20, choices=MilestoneCode.choices, blank=True
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)
    customer_told = models.BooleanField(_("customer told"), default=False)
    recorded_by = fields.required_user_ref(None)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.order} {self.milestone} {self.at:%Y-%m-%d}"


class OrderRouting(DepartmentRouting):
    """Sales passes an order (or a change of it: a new line, a new date) on to a department
    that must act (R-5.2.1, as communications are routed under R-5.2.4; core.routing): every
    member of the department sees it on "my work" until one of them acknowledges it. Due at
    the end of its due date (`due_date`)."""

    parent_field = "order"
    respond_permission = "order.acknowledge"
    routed_kind = "order.routed"
    answered_kind = "order.acknowledged"
    routed_title = gettext_noop("Order routed to %(dept)s: %(number)s (due %(due)s)")
    answered_title = gettext_noop("%(dept)s acknowledged order %(number)s")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="routings")
    line = fields.optional_ref(OrderLine, _("order line"), related_name="routings")

    class Meta:
        ordering = ["routed_at", "pk"]
        verbose_name = _("order routing")
        verbose_name_plural = _("order routings")
        indexes = [models.Index(fields=["department", "responded_at"])]

    def __str__(self) -> str:
        return f"{self.order.order_number} → {self.department}"

    @property
    def due_date(self) -> date | None:
        return deadlines.local_date(self.due_at) if self.due_at else None

    def is_late(self, today: date | None = None) -> bool:
        return self.is_overdue(_start_of(today))

    @property
    def late(self) -> bool:
        return self.is_late()

    def notice_params(self) -> dict[str, Any]:
        due = self.due_date
        return {"number": self.order.order_number, "due": due.isoformat() if due else ""}
