"""The operators' screens (Django admin at /admin/, for staff users): users, roles,
departments, agents. Every save and delete made here is written to the audit log, like any
service write; the audit log itself is read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .audit import AuditAction, audit_record, snapshot
from .models import Agent, ApiToken, AuditEntry, Department, Role, User


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit entry for each save and delete made in the admin."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        obj._audited = True  # the user-created receiver must not record it a second time
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            self._audit(request, obj, before, change)

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        obj = form.instance
        before = snapshot(obj)
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            after = snapshot(obj)
            if after != before:
                keys = [k for k in after if after[k] != before.get(k)]
                audit_record(
                    actor=request.user,
                    action=AuditAction.UPDATE,
                    obj=obj,
                    before={k: before.get(k) for k in keys},
                    after={k: after[k] for k in keys},
                    reason="admin",
                )

    def _audit(self, request: Any, obj: Any, before: dict | None, change: bool) -> None:
        after = snapshot(obj)
        if not change:
            audit_record(
                actor=request.user, action=AuditAction.CREATE, obj=obj, after=after, reason="admin"
            )
            return
        keys = [k for k in after if before is None or after[k] != before.get(k)]
        if keys:
            audit_record(
                actor=request.user,
                action=AuditAction.UPDATE,
                obj=obj,
                before={k: (before or {}).get(k) for k in keys},
                after={k: after[k] for k in keys},
                reason="admin",
            )

    def delete_model(self, request: Any, obj: Any) -> None:
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action=AuditAction.DELETE,
                obj=obj,
                before=snapshot(obj),
                reason="admin",
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit_record(
                    actor=request.user,
                    action=AuditAction.DELETE,
                    obj=obj,
                    before=snapshot(obj),
                    reason="admin",
                )
            super().delete_queryset(request, queryset)


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ("username", "display_name", "department", "email", "is_active")
    list_filter = ("is_active", "department", "roles")
    search_fields = ("username", "display_name", "email")
    filter_horizontal = ("roles", "groups", "user_permissions")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("ServiceLoop"), {"fields": ("display_name", "phone", "department", "roles", "agent")}),
    )


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("code", "name_zh", "name_en")


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    list_display = ("code", "name_zh", "name_en")
    readonly_fields = ("code",)

    def has_add_permission(self, request: Any) -> bool:
        return False  # role codes are fixed; only their names are editable

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Agent)
class AgentAdmin(AuditedAdmin):
    list_display = ("code", "name", "region", "phone")


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ("prefix", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("seq", "at", "actor_label", "action", "object_type", "object_id", "reason")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_label", "reason")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


admin.site.site_header = _("ServiceLoop administration")
admin.site.site_title = "ServiceLoop"
