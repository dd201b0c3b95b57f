"""Helpers shared by the field-service services: state transitions, input checks that name
the field, announcing a major quality problem."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from serviceloop.core import deadlines
from serviceloop.core.models import User
from serviceloop.core.notifications import Message, notify, users_with_roles
from serviceloop.core.permissions import has_role, role_codes
from serviceloop.core.roles import RoleCode
from serviceloop.core.signals import major_quality_problem
from serviceloop.core.validation import check_time
from serviceloop.core.validation import required_text as required_text
from serviceloop.customers.models import Customer

from ..models import Part

# R-5.9.1 / R-5.3.4.2: who hears of a major quality problem at once.
MAJOR_PROBLEM_ROLES = (
    RoleCode.SALES_LEADER,
    RoleCode.PRODUCTION_QUALITY,
    RoleCode.SALES,
    RoleCode.COMPANY_LEADER,
)
SALES_ROLES = (RoleCode.SALES, RoleCode.SALES_LEADER, RoleCode.DEPT_HEAD, RoleCode.ADMIN)


def check_past_date(field: str, value: date | None, *, required: bool = True) -> None:
    if value is None:
        if required:
            raise ValidationError({field: _("This field is required.")})
        return
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError({field: _("Enter a valid date.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("This date lies in the future.")})


def check_past_time(field: str, value: datetime) -> None:
    check_time(field, value)


def positive(field: str, value: Any) -> int:
    if value is None or isinstance(value, bool):
        raise ValidationError({field: _("This field is required.")})
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Enter a whole number.")}) from None
    if number != value and not isinstance(value, str):
        raise ValidationError({field: _("Enter a whole number.")})
    if number <= 0:
        raise ValidationError({field: _("The quantity must be greater than zero.")})
    return number


def part_for(part: Part | int | None, field: str = "part") -> Part:
    if part is None:
        raise ValidationError({field: _("This field is required.")})
    pk = part.pk if isinstance(part, Part) else part
    found = Part.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("Unknown part.")})
    if not found.is_active:
        raise ValidationError({field: _("Part %s is no longer active.") % found.part_number})
    return found


def is_engineer(user: Any) -> bool:
    return has_role(user, RoleCode.SERVICE_ENGINEER)


def is_sales_side(user: Any) -> bool:
    return bool(role_codes(user) & set(SALES_ROLES))


def engineer_for(user: User | int | None, field: str = "engineer") -> User:
    """A user who holds the service-engineer role."""
    if user is None:
        raise ValidationError({field: _("This field is required.")})
    pk = user.pk if isinstance(user, User) else user
    found = User.objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise ValidationError({field: _("Unknown engineer.")})
    if not is_engineer(found):
        raise ValidationError({field: _("%s is not a service engineer.") % found})
    return found


def local_noon(day: date) -> datetime:
    """A date as an aware datetime (for numbering by year)."""
    return datetime.combine(day, time(12)).replace(tzinfo=deadlines.company_tz())


def announce_major(
    *,
    sender: type[models.Model],
    instance: models.Model,
    actor: Any,
    customer: Customer | None,
    summary: str,
    title: Message,
    url: str,
) -> None:
    """R-5.3.4.2 / R-5.9.1 / R-5.9.5: a major quality problem goes at once to Sales leadership,
    Production Quality, Sales and company leadership; other apps (complaints: the 8D) react
    through core.signals.major_quality_problem."""
    notify(
        users_with_roles(*MAJOR_PROBLEM_ROLES),
        kind="major_quality_issue",
        title=title,
        body=Message.verbatim(summary),
        url=url,
        dedupe_key=f"major:{instance._meta.label_lower}:{instance.pk}",
    )
    major_quality_problem.send(
        sender=sender, instance=instance, actor=actor, customer=customer, summary=summary
    )


def snapshot_with_lines(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    """A record's audit snapshot including its lines (so line changes are audited too)."""
    from serviceloop.core.audit import snapshot

    data = snapshot(obj)
    data["lines"] = [
        [line.part.part_number if f == "part" else getattr(line, f) for f in fields]
        for line in obj.lines.select_related("part").order_by("pk")  # type: ignore[attr-defined]
    ]
    return data


def audit_with_lines(
    *,
    actor: Any,
    obj: models.Model,
    before: dict[str, Any] | None,
    fields: tuple[str, ...],
    action: str,
    reason: str = "",
) -> None:
    from serviceloop.core.audit import AuditAction, audit_record, changes

    after = snapshot_with_lines(obj, fields)
    if before is None:
        audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, after=after, reason=reason)
        return
    old, new = changes(before, after)
    if new or action != AuditAction.UPDATE:
        audit_record(actor=actor, action=action, obj=obj, before=old, after=new, reason=reason)
