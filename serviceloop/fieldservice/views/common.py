"""Helpers of the field-service pages: the section tabs, action forms posted from a detail
page, date parsing from URLs."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from serviceloop.core.permissions import can
from serviceloop.core.views_support import AuthedRequest

from ..models import Part

# (url name, label, action) of the section tabs shown on every field-service page.
TABS = [
    ("fieldservice:home", _("Overview"), "fieldservice.view"),
    ("fieldservice:where", _("Who is where"), "fieldservice.view"),
    ("fieldservice:record_list", _("Service records"), "fieldservice.view"),
    ("fieldservice:feedback_mine", _("Weekly feedback"), "feedback.view"),
    ("fieldservice:escalation_list", _("Escalations"), "fieldservice.view"),
    ("fieldservice:return_list", _("Return forms"), "fieldservice.view"),
    ("fieldservice:request_list", _("Parts requests"), "fieldservice.view"),
    ("fieldservice:warehouse", _("Warehouse queue"), "fieldservice.view"),
    ("fieldservice:balances", _("Parts balances"), "fieldservice.view"),
    ("fieldservice:tag_list", _("Nonconforming tags"), "fieldservice.view"),
    ("fieldservice:infoform_list", _("Information forms"), "infoform.view"),
    ("fieldservice:part_list", _("Parts catalogue"), "fieldservice.view"),
]


def tabs(request: AuthedRequest) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    path = request.path
    best = ""
    for name, label, action in TABS:
        if not can(request.user, action):
            continue
        url = reverse(name)
        if path.startswith(url) and len(url) > len(best):
            best = url
        out.append({"url": url, "label": label})
    for tab in out:
        tab["active"] = tab["url"] == best
    return out


def ctx(request: AuthedRequest, **values: Any) -> dict[str, Any]:
    """The context every field-service page gets: its tabs and the part numbers to suggest."""
    return {"fs_tabs": tabs(request), **values}


def part_numbers() -> list[Part]:
    return list(Part.objects.filter(is_active=True).only("part_number", "name")[:500])


def parse_week(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Http404 from None
    if day.weekday() != 0:
        raise Http404
    return day
