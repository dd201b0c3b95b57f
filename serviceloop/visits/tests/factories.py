"""Builders for visit tests and the permission matrix."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from serviceloop.core.models import User
from serviceloop.customers.models import Customer
from serviceloop.visits import services
from serviceloop.visits.models import VisitRecord


def record_visit(actor: User, customer: Customer, **kwargs: Any) -> VisitRecord:
    return services.visit_record_create(
        actor=actor,
        customer=customer,
        visited_at=kwargs.pop("visited_at", timezone.now() - timedelta(days=1)),
        summary=kwargs.pop("summary", "走访质量部，了解减振器使用情况。"),
        satisfaction=kwargs.pop("satisfaction", 4),
        problems=kwargs.pop("problems", "个别批次异响。"),
        **kwargs,
    )
