"""Reads of trainings; `training_figures` answers the counts the half-year summary needs."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from serviceloop.core.filters import filter_given
from serviceloop.core.models import User
from serviceloop.core.permissions import can, require

from .models import Attendee, Status, Training


def training_list(user: Any, *, year: int | None = None, status: str = "") -> QuerySet[Training]:
    require(user, "training.view")
    qs = Training.objects.annotate(
        invited=Count("attendees", distinct=True),
        present=Count("attendees", filter=Q(attendees__attended=True), distinct=True),
    )
    qs = filter_given(qs, held_on__year=year, status=status)
    return qs


def training_get(user: Any, pk: int) -> Training:
    require(user, "training.view")
    return get_object_or_404(Training.objects.all(), pk=pk)


def person_history(viewer: Any, person: User) -> dict[str, Any]:
    """A person's trainings (R-5.8) and, when the viewer may see 8D actions, the 8D training
    actions that name the person as owner or among the people trained."""
    if viewer.pk != person.pk:
        require(viewer, "training.view")
    attended = (
        Attendee.objects.filter(user=person)
        .exclude(training__status=Status.CANCELLED)
        .select_related("training")
        .order_by("-training__held_on")
    )
    eightd: list[Any] = []
    if can(viewer, "eightd.view"):
        from serviceloop.complaints.models import ActionItem, ActionKind

        names = {n for n in (person.get_username(), str(person)) if n}
        q = Q(owner=person)
        for n in names:
            q |= Q(trainees__icontains=n)
        eightd = list(
            ActionItem.objects.filter(q, kind=ActionKind.TRAINING).select_related("report")
        )
    return {"attended": list(attended), "eightd": eightd}


def training_figures(user: Any, start: date, end: date) -> dict[str, Any]:
    """Trainings of a period for the half-year summary (R-5.9.6)."""
    qs = training_list(user).filter(held_on__range=(start, end))
    held = qs.filter(status=Status.HELD)
    agg = held.aggregate(hours=Sum("hours"))
    people = Attendee.objects.filter(training__in=held, attended=True)
    return {
        "trainings_held": held.count(),
        "trainings_planned": qs.filter(status=Status.PLANNED).count(),
        "hours": agg["hours"] or 0,
        "attendances": people.count(),
        "passed": people.filter(passed=True).count(),
    }
