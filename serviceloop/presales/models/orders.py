"""Orders and contracts followed by Sales (R-5.2.1): production milestones planned and
actual, each update told to the customer, late orders flagged to the sales leadership."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serviceloop.core.models import Department, TrackedModel
from serviceloop.customers.models import Customer


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


def late_q(today: date) -> Q:
    """Open orders whose promised date has passed, with a line undelivered past its due
    date, or with a milestone past its plan."""
    return Q(status=OrderStatus.OPEN) & (
        Q(promised_date__lt=today)
        | Q(lines__due_date__lt=today, lines__delivered_at__isnull=True)
        | Q(milestones__planned_date__lt=today, milestones__actual_at__isnull=True)
        | Q(routings__due_date__lt=today, routings__acknowledged_at__isnull=True)
    )


class Order(TrackedModel):
    order_number = models.CharField(_("order / contract number"), max_length=60)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    ordered_on = models.DateField(_("ordered on"), null=True, blank=True)
    promised_date = models.DateField(_("promised date"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (Sales)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.OPEN
    )
    late_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)
    import_batch = models.ForeignKey(
        "core.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

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
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

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
    actual_at = models.DateTimeField(_("actual"), null=True, blank=True)

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
    line = models.ForeignKey(
        OrderLine,
        verbose_name=_("order line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="updates",
    )
    milestone = models.CharField(
        _("milestone"), max_length=20, choices=MilestoneCode.choices, blank=True
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)
    customer_told = models.BooleanField(_("customer told"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.order} {self.milestone} {self.at:%Y-%m-%d}"


class RoutingState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    LATE = "late", _("Overdue")


class OrderRouting(models.Model):
    """Sales passes an order (or a change of it: a new line, a new date) on to a department
    that must act (R-5.2.1, as communications are routed under R-5.2.4): every member of the
    department sees it on "my work" until one of them acknowledges it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="routings")
    line = models.ForeignKey(
        OrderLine,
        verbose_name=_("order line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routings",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    instruction = models.TextField(_("what is needed"))
    due_date = models.DateField(_("due date"))
    routed_at = models.DateTimeField(_("routed at"), default=timezone.now)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["routed_at", "pk"]
        verbose_name = _("order routing")
        verbose_name_plural = _("order routings")
        indexes = [models.Index(fields=["department", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.order.order_number} → {self.department}"

    def is_late(self, today: date | None = None) -> bool:
        today = today or local_today()
        return self.acknowledged_at is None and self.due_date < today

    @property
    def late(self) -> bool:
        return self.is_late()

    @property
    def state(self) -> str:
        if self.acknowledged_at is not None:
            return RoutingState.ACKNOWLEDGED
        return RoutingState.LATE if self.is_late() else RoutingState.PENDING

    def get_state_display(self) -> str:
        return str(RoutingState(self.state).label)
