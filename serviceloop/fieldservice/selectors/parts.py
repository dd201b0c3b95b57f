"""Reads of parts, requests, the warehouse queue, balances, tags and return forms."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from serviceloop.core.filters import filter_given, search
from serviceloop.core.models import User
from serviceloop.core.permissions import (
    is_agent_only,
    require,
    visible,
)

from .. import queries
from ..filters import REQUEST_FILTERS
from ..models import (
    NonconformingTag,
    Part,
    PartMovement,
    PartsRequest,
    RequestKind,
    RequestStatus,
    ReturnForRepairForm,
)
from .placements import VIEW

# ---------------------------------------------------------------- parts


def part_list(user: Any, *, q: str = "", active: bool | None = None) -> QuerySet[Part]:
    require(user, VIEW)
    qs = Part.objects.all()
    qs = search(qs, q, "part_number", "name")
    qs = filter_given(qs, is_active=active)
    return qs


def part_get(user: Any, pk: int) -> Part:
    require(user, VIEW)
    return get_object_or_404(Part, pk=pk)


def request_list(
    user: Any, *, kind: str = "", status: str = "", mine: bool = False, q: str = ""
) -> QuerySet[PartsRequest]:
    qs = visible(user, VIEW, PartsRequest.objects.all()).select_related(
        "customer", "holder", "requested_by"
    )
    qs = REQUEST_FILTERS.apply(qs, kind=kind, status=status)
    if mine:
        qs = qs.filter(Q(requested_by=user) | Q(holder=user))
    if q:  # the search reaches the lines: one row per request
        fields = ("number", "customer__name", "reason", "lines__part__part_number")
        qs = search(qs, q, *fields).distinct()
    return qs


def request_get(user: Any, pk: int) -> PartsRequest:
    qs = visible(
        user,
        VIEW,
        PartsRequest.objects.select_related(
            "customer", "holder", "requested_by", "decided_by", "issued_by"
        ),
    )
    return get_object_or_404(qs, pk=pk)


def warehouse_queue(user: Any) -> QuerySet[PartsRequest]:
    """R-5.9.3: approved requests waiting at the finished-goods warehouse — urgent draws
    first, then in the order they were requested."""
    qs = visible(user, VIEW, PartsRequest.objects.filter(status=RequestStatus.APPROVED))
    return (
        qs.select_related("customer", "holder", "requested_by")
        .prefetch_related("lines__part")
        .annotate(
            priority=Case(
                When(kind=RequestKind.URGENT, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("priority", "requested_at", "pk")
    )


def returns_to_check(user: Any) -> QuerySet[ReturnForRepairForm]:
    return return_list(user, status="signed").order_by("signed_at", "pk")


def movement_list(
    user: Any, *, holder: int | None = None, part: int | None = None, kind: str = ""
) -> QuerySet[PartMovement]:
    require(user, VIEW)
    qs = PartMovement.objects.select_related("holder", "part", "service_record", "recorded_by")
    if is_agent_only(user):
        return qs.none()
    qs = filter_given(qs, holder_id=holder, part_id=part, kind=kind)
    return qs


def balance_rows(
    user: Any, *, holder: int | None = None, part: int | None = None, nonzero: bool = False
) -> list[dict[str, Any]]:
    """Per holder and part: issued, used, returned, balance (with the user and part objects)."""
    rows = queries.balances(movement_list(user, holder=holder, part=part))
    users = User.objects.in_bulk({r["holder_id"] for r in rows})
    parts = Part.objects.in_bulk({r["part_id"] for r in rows})
    out = []
    for r in rows:
        if nonzero and not r["balance"]:
            continue
        out.append({**r, "holder": users[r["holder_id"]], "part": parts[r["part_id"]]})
    return sorted(out, key=lambda r: (r["holder"].username, r["part"].part_number))


def failure_frequency(user: Any, engineer: int, weeks: int) -> list[queries.PartFrequency]:
    require(user, VIEW)
    if is_agent_only(user):
        return []
    return queries.failure_counts(engineer, weeks)


def tag_list(
    user: Any, *, status: str = "", customer: int | None = None, q: str = ""
) -> QuerySet[NonconformingTag]:
    qs = visible(user, VIEW, NonconformingTag.objects.all()).select_related(
        "customer", "part", "tagged_by"
    )
    qs = filter_given(qs, status=status, customer_id=customer)
    qs = search(qs, q, "number", "part__part_number", "lot", "customer__name")
    return qs


def tag_get(user: Any, pk: int) -> NonconformingTag:
    qs = visible(
        user,
        VIEW,
        NonconformingTag.objects.select_related(
            "customer", "part", "tagged_by", "resolved_by", "parts_request"
        ),
    )
    return get_object_or_404(qs, pk=pk)


# ---------------------------------------------------------------- returns


def return_list(
    user: Any, *, status: str = "", customer: int | None = None, mine: bool = False, q: str = ""
) -> QuerySet[ReturnForRepairForm]:
    qs = visible(user, VIEW, ReturnForRepairForm.objects.all()).select_related(
        "customer", "engineer"
    )
    qs = filter_given(qs, status=status, customer_id=customer)
    if mine:
        qs = qs.filter(engineer=user)
    if q:  # the search reaches the lines: one row per form
        qs = search(qs, q, "number", "customer__name", "lines__part__part_number").distinct()
    return qs


def return_get(user: Any, pk: int) -> ReturnForRepairForm:
    qs = visible(
        user,
        VIEW,
        ReturnForRepairForm.objects.select_related(
            "customer", "engineer", "signed_by", "checked_by", "service_record"
        ),
    )
    return get_object_or_404(qs, pk=pk)
