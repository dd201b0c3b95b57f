"""The periodic sweep of pre-sale deadlines: late evaluations, overdue sample and special
request steps, late orders. Idempotent: each lateness is flagged, audited and announced once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_noop

from serviceloop.core.audit import audit_flag
from serviceloop.core.notifications import Message, choice_label, notify, users_with_roles
from serviceloop.core.roles import RoleCode

from ..models import Evaluation, Order, SampleRequest, SpecialRequest
from ..models.orders import late_q
from ..models.samples import CLOSED_SAMPLE
from ..models.special import CLOSED_SPECIAL
from .common import department_people, url


def _flag(model: type[Model], pk: int, flag: str, now: datetime, reason: str) -> Model | None:
    obj = model.objects.select_for_update().get(pk=pk)  # type: ignore[attr-defined]
    if getattr(obj, flag) is not None:
        return None
    audit_flag(obj, flag, now, system="presales_sweep", reason=reason)
    return obj


def sweep_overdue(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    leaders = list(users_with_roles(RoleCode.SALES_LEADER))
    counts = {"evaluations": 0, "samples": 0, "special": 0, "orders": 0}
    ids: Any = Evaluation.objects.filter(
        evaluated_at__isnull=True, due_at__lt=now, late_flagged_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(ids):
        with transaction.atomic():
            ev = _flag(Evaluation, pk, "late_flagged_at", now, "evaluation deadline passed")
            if not isinstance(ev, Evaluation):
                continue
            req = ev.requirement
            notify(
                [req.owner, *leaders, *department_people(ev.department)],
                kind="evaluation_late",
                title=Message(
                    gettext_noop("Evaluation late: %(n)s %(s)s (%(d)s)"),
                    n=req.number,
                    s=req.subject,
                    d=ev.department,
                ),
                url=url("requirement", req.pk),
                dedupe_key=f"evaluation_late:{ev.pk}",
            )
            counts["evaluations"] += 1
    for model, closed, key, name in (
        (SampleRequest, CLOSED_SAMPLE, "samples", "sample"),
        (SpecialRequest, CLOSED_SPECIAL, "special", "special_detail"),
    ):
        ids = (
            model.objects.filter(step_due_at__lt=now, step_overdue_flagged_at__isnull=True)
            .exclude(status__in=closed)
            .values_list("pk", flat=True)
        )
        for pk in list(ids):
            with transaction.atomic():
                obj = _flag(model, pk, "step_overdue_flagged_at", now, "step deadline passed")
                if obj is None:
                    continue
                notify(
                    [obj.requested_by, *leaders],  # type: ignore[attr-defined]
                    kind=f"{key}_overdue",
                    title=Message(
                        gettext_noop("Overdue: %(n)s (%(s)s)"),
                        n=obj.number,  # type: ignore[attr-defined]
                        s=choice_label(obj, "status"),
                    ),
                    url=url(name, obj.pk),
                    dedupe_key=f"{key}_overdue:{obj.pk}:{obj.status}",  # type: ignore[attr-defined]
                )
                counts[key] += 1
    today = timezone.localdate(now)
    ids = (
        Order.objects.filter(late_q(today), late_flagged_at__isnull=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    for pk in list(ids):
        with transaction.atomic():
            order = _flag(Order, pk, "late_flagged_at", now, "order late")
            if not isinstance(order, Order):
                continue
            notify(
                [*([order.owner] if order.owner else []), *leaders],
                kind="order_late",
                title=Message(
                    gettext_noop("Order late: %(o)s %(p)s (promised %(d)s)"),
                    o=order.order_number,
                    p=order.parts,
                    d=order.promised_date,
                ),
                url=url("order", order.pk),
                dedupe_key=f"order_late:{order.pk}",
            )
            counts["orders"] += 1
    return counts
