"""API tokens (issue 9): issued with an expiry, at most MAX_ACTIVE alive per user (the oldest
is revoked when one more is issued), revoked when the password changes, listed and revoked by
their owner and by an administrator; issue and revocation are audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .audit import AuditAction, audit_record
from .models import ApiToken, User
from .permissions import has_role
from .roles import RoleCode

MAX_ACTIVE = 10


def is_admin(user: Any) -> bool:
    return has_role(user, RoleCode.ADMIN)


def visible_tokens(actor: User, *, user: User | None = None) -> Any:
    """Alive tokens: the actor's own; an administrator's view covers everybody (or `user`)."""
    qs = ApiToken.objects.active().select_related("user").order_by("-created_at")
    if is_admin(actor):
        return qs.filter(user=user) if user is not None else qs
    return qs.filter(user=actor)


def _audit(actor: User | None, token: ApiToken, event: str, system: str = "") -> None:
    audit_record(
        actor=actor,
        action=AuditAction.EVENT,
        obj=token,
        after={"event": event, "user": token.user.username, "prefix": token.prefix},
        system=system,
    )


@transaction.atomic
def token_issue(*, actor: User, user: User | None = None) -> tuple[ApiToken, str]:
    """A new token for `user` (the actor's own unless an administrator issues it)."""
    owner = user or actor
    if owner != actor and not is_admin(actor):
        raise PermissionDenied
    token, raw = ApiToken.issue(owner)
    _audit(actor, token, "token_issued")
    for old in ApiToken.objects.active().filter(user=owner).order_by("-created_at")[MAX_ACTIVE:]:
        _revoke(actor, old, "token_revoked_over_limit")
    return token, raw


def _revoke(actor: User | None, token: ApiToken, event: str, system: str = "") -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _audit(actor, token, event, system)


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> None:
    """Revoke one token: its owner or an administrator."""
    if token.user_id != actor.pk and not is_admin(actor):
        raise PermissionDenied
    if token.revoked_at is None:
        _revoke(actor, token, "token_revoked")


@transaction.atomic
def tokens_revoke_all(*, user: User, system: str) -> int:
    """Revoke every token of `user` (their password changed)."""
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        _revoke(None, token, "token_revoked_password_changed", system)
    return len(tokens)


LOCKED = gettext_lazy("Too many failed logins: try again in 15 minutes.")


def lockout_response(request: Any, original_response: Any, credentials: Any) -> Any:
    """What django-axes answers to a locked-out login (settings.AXES_LOCKOUT_CALLABLE): the
    API's JSON error shape under /api/, the explaining page elsewhere; 429 both."""
    from django.http import JsonResponse
    from django.shortcuts import render

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(LOCKED)}, status=429)
    return render(request, "core/locked_out.html", status=429)
