"""Pre-sale contributions to "my work": each step of each flow on its owner's list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from serviceloop.core import routing
from serviceloop.core.my_work import WorkCount, WorkItem, register
from serviceloop.core.permissions import can, has_role, role_codes, scope_by_customer
from serviceloop.core.roles import RoleCode

from .models import (
    CustomerRequirement,
    Evaluation,
    FollowUpAction,
    Order,
    OrderRouting,
    SampleApproval,
    SampleRequest,
    SampleStatus,
    SpecialRequest,
    SpecialStatus,
)
from .models.orders import late_q


def _mine(user: Any, field: str = "department") -> Q:
    """Records addressed to a department the user speaks for (member or role of that code)."""
    cond = Q(**{f"{field}__code__in": list(role_codes(user))})
    if user.department_id:
        cond |= Q(**{f"{field}_id": user.department_id})
    return cond


def _end_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


@register
def presales_work(user: Any) -> Iterator[WorkItem | WorkCount]:
    if not can(user, "requirement.view"):
        return
    evaluations = scope_by_customer(
        user,
        Evaluation.objects.filter(_mine(user), evaluated_at__isnull=True).select_related(
            "requirement", "requirement__customer", "department"
        ),
        field="requirement__customer",
    )
    if can(user, "requirement.evaluate"):
        for ev in evaluations:
            req = ev.requirement
            yield WorkItem(
                "requirement.evaluate",
                _("Evaluate %(n)s %(c)s — %(s)s")
                % {"n": req.number, "c": req.customer.name, "s": req.subject},
                reverse("presales:requirement", args=[req.pk]),
                ev.due_at,
                str(ev.department),
            )
    for req in scope_by_customer(
        user,
        CustomerRequirement.objects.filter(owner_id=user.pk, status="evaluated").select_related(
            "customer"
        ),
    ):
        yield WorkItem(
            "requirement.conclude",
            _("Conclude with the customer: %(n)s %(s)s") % {"n": req.number, "s": req.subject},
            reverse("presales:requirement", args=[req.pk]),
            None,
        )
    if has_role(user, RoleCode.SALES_LEADER):
        late = Evaluation.objects.filter(evaluated_at__isnull=True, due_at__lt=timezone.now())
        for ev in late.select_related("requirement", "department"):
            yield WorkItem(
                "requirement.late",
                _("Evaluation late: %(n)s (%(d)s)")
                % {"n": ev.requirement.number, "d": ev.department},
                reverse("presales:requirement", args=[ev.requirement_id]),
                ev.due_at,
            )
    for action in FollowUpAction.objects.filter(
        owner_id=user.pk, done_at__isnull=True
    ).select_related("requirement"):
        yield WorkItem(
            "requirement.action",
            _("Follow-up action: %s") % action.description[:80],
            reverse("presales:requirement", args=[action.requirement_id]),
            _end_of(action.due_date),
            action.requirement.number,
        )
    yield from _sample_work(user)
    yield from _special_work(user)
    yield from _routing_work(user)
    for order in scope_by_customer(
        user, Order.objects.filter(late_q(timezone.localdate()), owner_id=user.pk).distinct()
    ):
        yield WorkItem(
            "order.late",
            _("Order late: %(o)s %(p)s") % {"o": order.order_number, "p": order.parts},
            reverse("presales:order", args=[order.pk]),
            _end_of(order.promised_date),
        )


def _sample_work(user: Any) -> Iterator[WorkItem]:
    if can(user, "sample.approve"):
        approvals = scope_by_customer(
            user,
            SampleApproval.objects.filter(
                _mine(user), decided_at__isnull=True, sample__status=SampleStatus.REQUESTED
            ).select_related("sample", "department"),
            field="sample__customer",
        )
        for a in approvals:
            yield WorkItem(
                "sample.approve",
                _("Approve sample %(n)s: %(p)s")
                % {"n": a.sample.number, "p": a.sample.part_number},
                reverse("presales:sample", args=[a.sample_id]),
                a.sample.step_due_at,
                str(a.department),
            )
    steps = []
    if can(user, "sample.make") and (
        has_role(user, RoleCode.PRODUCTION_QUALITY)
        or getattr(user.department, "code", "") == "production_quality"
    ):
        steps += [
            (SampleStatus.APPROVED, _("Schedule sample")),
            (SampleStatus.SCHEDULED, _("Make sample")),
        ]
    for status, label in steps:
        for s in scope_by_customer(user, SampleRequest.objects.filter(status=status)):
            yield WorkItem(
                f"sample.{status}",
                f"{label} {s.number}: {s.part_number} × {s.quantity}",
                reverse("presales:sample", args=[s.pk]),
                s.step_due_at,
            )
    owned = SampleRequest.objects.filter(
        requested_by_id=user.pk, status__in=[SampleStatus.MADE, SampleStatus.DELIVERED]
    )
    for s in scope_by_customer(user, owned):
        label = (
            _("Deliver sample")
            if s.status == SampleStatus.MADE
            else _("Record the customer's answer on sample")
        )
        yield WorkItem(
            f"sample.{s.status}",
            f"{label} {s.number}",
            reverse("presales:sample", args=[s.pk]),
            s.step_due_at,
        )


def _special_work(user: Any) -> Iterator[WorkItem]:
    if can(user, "special.decide") and user.department_id:
        for sp in scope_by_customer(
            user,
            SpecialRequest.objects.filter(
                status=SpecialStatus.REQUESTED, department_id=user.department_id
            ),
        ):
            yield WorkItem(
                "special.decide",
                _("Decide special request %(n)s") % {"n": sp.number},
                reverse("presales:special_detail", args=[sp.pk]),
                sp.step_due_at,
                sp.get_kind_display(),
            )
    if can(user, "special.fulfil"):
        for sp in scope_by_customer(
            user, SpecialRequest.objects.filter(_mine(user), status=SpecialStatus.APPROVED)
        ):
            yield WorkItem(
                "special.fulfil",
                _("Provide %(k)s: %(n)s") % {"k": sp.get_kind_display(), "n": sp.number},
                reverse("presales:special_detail", args=[sp.pk]),
                sp.step_due_at,
            )
    for sp in scope_by_customer(
        user,
        SpecialRequest.objects.filter(requested_by_id=user.pk, status=SpecialStatus.DECLINED),
    ):
        yield WorkItem(
            "special.explain",
            _("Explain the refusal to the customer: %(n)s") % {"n": sp.number},
            reverse("presales:special_detail", args=[sp.pk]),
            sp.step_due_at,
        )


def _routing_work(user: Any) -> Iterator[WorkItem | WorkCount]:
    """Orders routed to the user's department, for every member until one acknowledges."""
    yield from routing.work(
        user,
        OrderRouting,
        kind="order.routing",
        title=lambda r: (
            _("Order routed to your department: %(o)s %(c)s")
            % {"o": r.order.order_number, "c": r.order.customer.name}
        ),
        anchor="#routings",
    )
