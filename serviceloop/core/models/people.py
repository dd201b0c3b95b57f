"""People: departments, roles, agents, users and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..fields import department_ref, optional_ref, optional_time
from ..roles import RoleCode


class BilingualName(models.Model):
    """Something with a Chinese and an English name, shown in the UI's language."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = get_language() or "zh-hans"
        if lang.startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class Department(BilingualName):
    """A department of the company (configurable; see requirements.md, Actors)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class Role(BilingualName):
    """A role of the procedure; codes are fixed (RoleCode), names configurable."""

    code = models.CharField(_("code"), max_length=40, unique=True, choices=RoleCode.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")


class Agent(models.Model):
    """An agency (代理商) that serves retail customers on the company's behalf (R-5.3.5)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.CharField(_("region"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who uses ServiceLoop. Roles decide what they may do (core/permissions.py)."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    department = department_ref(related_name="members", optional=True)
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True, related_name="users")
    agent = optional_ref(
        Agent,
        _("agent"),
        related_name="users",
        help_text=_("For an agent's login: the agency whose customers it may see."),
    )
    # The language the person last chose in the header (notices and e-mails are rendered in
    # it); empty: the company language (Simplified Chinese).
    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.LANGUAGES
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        from ..people import display_name

        return display_name(self)

    def get_full_name(self) -> str:
        """First and last name in the order of their script ("张三", "John Smith")."""
        from ..people import full_name

        return full_name(self.first_name, self.last_name)


def _token_expiry() -> Any:
    from django.conf import settings

    return timezone.now() + timedelta(days=settings.SERVICELOOP_TOKEN_DAYS)


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        """Tokens neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def authenticate(self, raw: str) -> User | None:
        token = self.active().select_related("user").filter(key_hash=_hash_token(raw)).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user


class ApiToken(models.Model):
    """A bearer token for the HTTP API. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when issued: SERVICELOOP_TOKEN_DAYS (default 90) after creation (issue 9).
    expires_at = models.DateTimeField(default=_token_expiry)
    last_used_at = optional_time()
    revoked_at = optional_time()

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user: User) -> tuple[ApiToken, str]:
        """A new token (use `core.tokens.token_issue`, which audits and bounds the count)."""
        raw = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, key_hash=_hash_token(raw), prefix=raw[:8])
        return token, raw
