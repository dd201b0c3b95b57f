"""Reactions of complaints to other apps (core.signals), connected when AppConfig.ready imports
this module (core.wiring)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from serviceloop.core.signals import major_quality_problem

from .services import complaint_from_major_problem


@receiver(major_quality_problem, dispatch_uid="complaints.on_major_quality_problem")
def on_major_quality_problem(
    sender: Any,
    instance: Any,
    actor: Any = None,
    customer: Any = None,
    summary: str = "",
    part_number: str = "",
    part_name: str = "",
    lot: str = "",
    quantity: int | None = None,
    **_: Any,
) -> None:
    """R-5.9.5: a record flagged as a major typical quality problem goes out at once as an 8D
    (idempotent: the same record announced again changes nothing)."""
    complaint_from_major_problem(
        instance=instance,
        actor=actor,
        customer=customer,
        summary=summary,
        part_number=part_number,
        part_name=part_name,
        lot=lot,
        quantity=quantity,
    )
