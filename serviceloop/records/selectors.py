"""Reads of retention: the queue, the holds, the policy as it is in force, one record's status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from serviceloop.core.filters import filter_given
from serviceloop.core.permissions import require

from . import policy
from .models import DisposalReview, LegalHold, ReviewStatus
from .services import active_holds, held_keys, is_held


def due_list(user: Any, *, record_type: str = "") -> list[DisposalReview]:
    """Pending reviews whose record is not under a legal hold (a held record is never
    offered for disposal), oldest retention end first."""
    require(user, "records.view")
    qs = DisposalReview.objects.filter(status=ReviewStatus.PENDING)
    qs = filter_given(qs, record_type=record_type)
    reviews = list(qs)
    records: dict[str, dict[Any, Any]] = {}
    for key in {r.record_type for r in reviews}:
        t = policy.get_type(key)
        model = t.model_class() if t else None
        ids = [r.record_id for r in reviews if r.record_type == key]
        records[key] = model._default_manager.in_bulk(ids) if model else {}
    held = held_keys()
    out = []
    for review in reviews:
        t = policy.get_type(review.record_type)
        obj = records[review.record_type].get(review.record_id)
        if t is None or obj is None or is_held(t, obj, held):
            continue
        review.record = obj  # type: ignore[attr-defined]
        out.append(review)
    return out


def review_get(user: Any, pk: int) -> DisposalReview:
    require(user, "records.view")
    return get_object_or_404(DisposalReview, pk=pk)


def decided_list(user: Any, limit: int = 50) -> QuerySet[DisposalReview]:
    require(user, "records.view")
    return DisposalReview.objects.exclude(status=ReviewStatus.PENDING).order_by("-decided_at")[
        :limit
    ]


def hold_list(user: Any, *, active: bool | None = None) -> QuerySet[LegalHold]:
    require(user, "records.view")
    qs = LegalHold.objects.select_related("set_by", "lifted_by")
    if active is True:
        qs = qs.filter(lifted_at__isnull=True)
    elif active is False:
        qs = qs.filter(lifted_at__isnull=False)
    return qs


def hold_get(user: Any, pk: int) -> LegalHold:
    require(user, "records.view")
    return get_object_or_404(LegalHold, pk=pk)


@dataclass
class PolicyRow:
    type: policy.RecordType
    years: int | None


def policy_rows() -> list[PolicyRow]:
    return [PolicyRow(t, policy.years_of(t)) for t in policy.available()]


@dataclass
class RecordRetention:
    """What a record's page shows about its retention."""

    record_type: str
    record_id: int
    retain_until: policy.Retain
    holds: list[LegalHold]
    rule: str
    years: int | None


def record_retention(obj: models.Model) -> RecordRetention | None:
    t = policy.type_of(obj)
    if t is None:
        return None
    return RecordRetention(
        t.key,
        obj.pk,
        policy.retain_until(obj),
        list(active_holds(t, obj)),
        t.rule,
        policy.years_of(t),
    )
