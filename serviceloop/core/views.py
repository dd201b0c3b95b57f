from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import tokens
from .models import ApiToken
from .notifications import mark_read
from .permissions import require, role_codes
from .selectors import audit_trail, notifications_for, work_groups
from .views_support import AuthedRequest, paginate, querystring_without_page


def home(request: AuthedRequest) -> HttpResponse:
    return redirect("core:my_work")


def my_work(request: AuthedRequest) -> HttpResponse:
    now = timezone.now()
    groups = work_groups(request.user, now)
    for g in groups:
        g.shown = [item.as_dict(now) for item in g.items]  # type: ignore[attr-defined]
    return render(
        request,
        "core/my_work.html",
        {
            "groups": groups,
            "total": sum(g.count for g in groups),
            "overdue_count": sum(g.overdue for g in groups),
            "notifications": notifications_for(request.user, unread_only=True)[:10],
            "now": now,
        },
    )


def notifications(request: AuthedRequest) -> HttpResponse:
    page = paginate(request, notifications_for(request.user), 30)
    return render(request, "core/notifications.html", {"page": page})


@require_POST
def notifications_read(request: AuthedRequest) -> HttpResponse:
    ids = request.POST.getlist("id")
    mark_read(actor=request.user, notification_ids=[int(i) for i in ids if i.isdigit()] or None)
    return redirect(request.POST.get("next") or "core:notifications")


def _record_types() -> list[tuple[str, str]]:
    """The audit filter's record types: (``app_label.model``, the model's name in the UI
    language), sorted by name; the product's models only."""
    from django.apps import apps

    found = [
        (m._meta.label_lower, str(m._meta.verbose_name))
        for m in apps.get_models()
        if m.__module__.startswith("serviceloop.")
    ]
    return sorted(found, key=lambda t: t[1])


def audit(request: AuthedRequest) -> HttpResponse:
    require(request.user, "audit.view")
    qs = audit_trail(
        request.user,
        object_type=request.GET.get("object_type", ""),
        object_id=request.GET.get("object_id", ""),
    )
    return render(
        request,
        "core/audit.html",
        {
            "page": paginate(request, qs, 50),
            "qs": querystring_without_page(request),
            "record_types": _record_types(),
            "object_type": request.GET.get("object_type", ""),
        },
    )


def profile(request: AuthedRequest) -> HttpResponse:
    """The user's own page: roles, department, API tokens."""
    new_token = None
    if request.method == "POST" and request.POST.get("action") == "new_token":
        _token, new_token = tokens.token_issue(actor=request.user)
        messages.success(request, _("A new API token was issued. Copy it now; it is shown once."))
    elif request.method == "POST" and request.POST.get("action") == "revoke":
        found = ApiToken.objects.filter(user=request.user, pk=request.POST.get("token", "")).first()
        if found is not None:
            tokens.token_revoke(actor=request.user, token=found)
        messages.success(request, _("The token was revoked."))
        return redirect("core:profile")
    alive = tokens.visible_tokens(request.user, user=request.user)
    return render(
        request,
        "core/profile.html",
        {
            "roles": sorted(role_codes(request.user)),
            "tokens": alive,
            "new_token": new_token,
        },
    )
