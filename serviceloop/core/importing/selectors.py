"""Reads of import jobs: a user sees the jobs of the kinds they may import (or view)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from serviceloop.core.models import ImportJob

from .kinds import get_kind, kinds_for


def job_list(user: Any, *, kind: str = "", status: str = "") -> QuerySet[ImportJob]:
    names = [k.name for k in kinds_for(user, importing=False)]
    qs = ImportJob.objects.select_related("created_by").filter(kind__in=names)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs


def job_get(user: Any, pk: int) -> ImportJob:
    """A job of a kind the user may see; 403 for other kinds (as each app's imports were)."""
    job = get_object_or_404(ImportJob.objects.select_related("created_by", "confirmed_by"), pk=pk)
    kind = get_kind(job.kind)
    if kind is None or not kind.may_view(user):
        raise PermissionDenied("imports")
    return job
