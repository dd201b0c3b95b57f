"""Labels of the rule's codes (decision, reason, finding, remedy) in the UI's language, taken
from the rule's own tables (rules.py) so that the page says exactly what `explain` says."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from serviceloop.warranty.domain import rules

register = template.Library()

BADGE: dict[str, str] = {
    rules.Decision.COVERED: "ok",
    rules.Decision.NOT_COVERED: "overdue",
    rules.Decision.NEEDS_REVIEW: "soon",
}


def column() -> int:
    return 1 if (get_language() or "zh-hans").lower().startswith("en") else 0


def label(code: Any) -> str:
    """The label of any of the rule's codes, or the code itself if it is not one."""
    if not code:
        return ""
    for table in (rules.DECISION_LABELS, rules.REASON_LABELS, rules.REMEDY_LABELS):
        if code in table:
            return table[code][column()]
    return str(code)


@register.filter
def rule_label(code: Any) -> str:
    return label(code)


@register.filter
def rule_labels(codes: Any) -> list[str]:
    return [label(c) for c in codes or ()]


def short_label(code: Any) -> str:
    """The short label of a decision or remedy (lists, badges); `label` otherwise."""
    from serviceloop.warranty.models import Decision, Remedy

    for choices in (Decision, Remedy):
        if code in choices.values:
            return str(choices(code).label)
    return label(code)


@register.filter(name="short_label")
def short_label_filter(code: Any) -> str:
    return short_label(code)


@register.simple_tag
def decision_badge(decision: str, remedy: str = "") -> str:
    text = short_label(decision)
    if remedy:
        text = f"{text} · {short_label(remedy)}"
    return format_html(
        '<span class="badge decision {}">{}</span>', BADGE.get(decision, "open"), text
    )
