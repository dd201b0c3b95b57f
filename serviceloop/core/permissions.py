"""The one permission mechanism: UI views, API endpoints and exports all ask here.

Two questions, answered in one place:
- `can(user, action)`: may this user perform this kind of action at all? Actions are
  strings like "customer.view"; the table below maps each to the roles that may.
- `visible_customers(user)`: which customers' records may the user see? Agents see only
  the customers they serve (R-5.3.5); everybody inside the company sees all. Every list,
  detail, API endpoint and export filters through a selector that applies this scope, so a
  record outside it is a 404, never a leak.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from .roles import RoleCode as R

if TYPE_CHECKING:
    from django.db.models import QuerySet

INTERNAL = frozenset(R) - {R.AGENT}
EVERYONE = frozenset(R)
SALES_SIDE = frozenset({R.SALES, R.SALES_LEADER, R.DEPT_HEAD, R.ADMIN})
LEADERS = frozenset({R.SALES_LEADER, R.COMPANY_LEADER, R.GENERAL_MANAGER, R.MGMT_REP})

# The one table of actions -> roles. Each app contributes its rows from its own
# `permissions.py` (imported by its AppConfig.ready) through `register_actions`, so the
# table grows with the product while every check still goes through `can`.
ACTIONS: dict[str, frozenset[str]] = {
    # Operators.
    "audit.view": frozenset({R.ADMIN, R.MGMT_REP, R.GENERAL_MANAGER}),
    # The company profile: letterhead and signatory of customer documents.
    "company.edit": frozenset({R.ADMIN}),
    # Backups: the list of runs and "back up now" (issue 13).
    "backup.manage": frozenset({R.ADMIN}),
}


def register_actions(actions: dict[str, frozenset[str]]) -> None:
    for name, roles in actions.items():
        if name in ACTIONS and ACTIONS[name] != roles:
            raise ValueError(f"action {name!r} is registered twice with different roles")
        unknown = set(roles) - set(R.values)
        if unknown:
            raise ValueError(f"action {name!r} names unknown roles {sorted(unknown)}")
        ACTIONS[name] = frozenset(roles)


def role_codes(user: Any) -> frozenset[str]:
    """The user's role codes, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_role_codes", None)
    if cached is None:
        cached = frozenset(user.roles.values_list("code", flat=True))
        if user.is_superuser:
            cached = cached | {R.ADMIN}
        user._role_codes = cached
    return cached


def has_role(user: Any, *codes: str) -> bool:
    return bool(role_codes(user) & set(codes))


def can(user: Any, action: str) -> bool:
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    return bool(role_codes(user) & ACTIONS[action])


def require(user: Any, action: str) -> None:
    """Raise PermissionDenied (403) unless the user may perform the action."""
    if not can(user, action):
        raise PermissionDenied(action)


def is_agent_only(user: Any) -> bool:
    """True for an agent's login: such a user is limited to the agent's own customers."""
    codes = role_codes(user)
    return R.AGENT in codes and not (codes & INTERNAL)


def visible_customers(user: Any, qs: QuerySet | None = None) -> QuerySet:
    """Customers the user may see (R-5.3.5: an agent serves only its own customers)."""
    from serviceloop.customers.models import Customer

    qs = Customer.objects.all() if qs is None else qs
    if not role_codes(user):
        return qs.none()
    if is_agent_only(user):
        if user.agent_id is None:
            return qs.none()
        return qs.filter(agent_id=user.agent_id)
    return qs


def scope_by_customer(user: Any, qs: QuerySet, field: str = "customer") -> QuerySet:
    """Restrict any queryset of customer-owned records to the customers the user may see."""
    if not role_codes(user):
        return qs.none()
    if is_agent_only(user):
        if user.agent_id is None:
            return qs.none()
        return qs.filter(**{f"{field}__agent_id": user.agent_id})
    return qs


def visible(user: Any, action: str, qs: QuerySet, field: str = "customer") -> QuerySet:
    """What a selector reads: the permission ``action`` (403 without it), then the records of
    ``qs`` whose customer (``field``) the user may see (``scope_by_customer``)."""
    require(user, action)
    return scope_by_customer(user, qs, field)
