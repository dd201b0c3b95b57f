from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .nav import ENTRIES
from .permissions import can


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"company_name": settings.SERVICELOOP_COMPANY_NAME}
    items = []
    for entry in ENTRIES:
        if entry.action is not None and not can(user, entry.action):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        active = request.path.startswith(url) and (url != "/" or request.path == "/")
        items.append({"url": url, "label": entry.label, "active": active})
    if user.is_staff:
        items.append(
            {
                "url": reverse("admin:index"),
                "label": _("Administration"),
                "active": request.path.startswith("/admin/"),
            }
        )
    return {
        "nav_items": items,
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        "company_name": settings.SERVICELOOP_COMPANY_NAME,
    }
