"""`{% retention_info record as info %}`: what the retention panel of a record's page shows."""

from typing import Any

from django import template

from serviceloop.records.selectors import RecordRetention, record_retention

register = template.Library()


@register.simple_tag
def retention_info(record: Any) -> RecordRetention | None:
    return record_retention(record) if record is not None else None


@register.simple_tag
def can_hold(user: Any) -> bool:
    from serviceloop.core.permissions import can

    return can(user, "records.hold")


@register.filter
def record_type_label(key: str) -> Any:
    from serviceloop.records import policy

    t = policy.TYPES.get(key)
    return t.label if t is not None else key
