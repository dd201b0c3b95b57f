"""Factories for field-service tests (design rule 9: factories, not fixtures)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import factory
from django.utils import timezone

from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.fieldservice import services
from serviceloop.fieldservice.models import Part


class PartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part

    part_number = factory.Sequence(lambda n: f"SA-{1000 + n}")
    name = factory.Sequence(lambda n: f"减振器总成{n}")


def engineer(**kwargs: Any):
    return user_with("service_engineer", **kwargs)


def record(eng, customer=None, part=None, day: date | None = None, **kwargs: Any):
    return services.service_record_create(
        actor=kwargs.pop("actor", eng),
        engineer=eng,
        customer=customer or CustomerFactory(),
        part=part or PartFactory(),
        service_date=day or timezone.localdate() - timedelta(days=1),
        defect=kwargs.pop("defect", "减振器漏油"),
        failure_mode=kwargs.pop("failure_mode", "leak"),
        outcome=kwargs.pop("outcome", "replaced"),
        oem=kwargs.pop("oem", "华北重型汽车集团"),
        vehicle=kwargs.pop("vehicle", "HN1090"),
        **kwargs,
    )


def assignment(eng, customer=None, *, actor=None, **kwargs: Any):
    return services.assignment_create(
        actor=actor or user_with("sales"),
        kind=kwargs.pop("kind", "resident"),
        engineer=eng,
        customer=customer or CustomerFactory(),
        start_date=kwargs.pop("start_date", timezone.localdate() - timedelta(days=60)),
        site=kwargs.pop("site", "总装二厂"),
        **kwargs,
    )


def issue_parts(holder, part, qty: int, customer=None):
    """Put `qty` of `part` in `holder`'s hands through request, approval and issue."""
    sales = user_with("sales")
    req = services.parts_request_create(
        actor=sales,
        kind="urgent",
        customer=customer or CustomerFactory(),
        holder=holder,
        lines=[{"part": part, "quantity": qty}],
        reason="现场急需",
    )
    req = services.parts_request_approve(actor=user_with("sales_leader"), request=req)
    return services.parts_request_issue(actor=user_with("warehouse"), request=req)


def return_form(eng, customer=None, *, lines=None, **kwargs: Any):
    return services.return_create(
        actor=eng,
        customer=customer or CustomerFactory(),
        return_date=kwargs.pop("return_date", timezone.localdate()),
        reason=kwargs.pop("reason", "总成漏油,现场无法修复"),
        lines=lines or [{"part": PartFactory(), "quantity": 3, "lot": "L2401", "fault": "漏油"}],
        **kwargs,
    )
