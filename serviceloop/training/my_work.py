"""Trainings' contribution to "my work": from 1 October, Sales and sales leadership see that
no training is held or scheduled this year (R-5.8)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from serviceloop.core import deadlines
from serviceloop.core.my_work import WorkItem, register
from serviceloop.core.permissions import has_role

from .services import WARNED_ROLES, training_warning_due


@register
def training_work(user: Any) -> Iterator[WorkItem]:
    if not has_role(user, *WARNED_ROLES):
        return
    today = timezone.localdate()
    if training_warning_due(today):
        yield WorkItem(
            "training.warning",
            _("No service-staff training held or scheduled in %(y)s") % {"y": today.year},
            reverse("training:list"),
            deadlines.end_of_day(date(today.year, 12, 31)),
            _("SJ/QP-021 5.8: at least one skills training a year."),
        )
