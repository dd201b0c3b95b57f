from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import can

NAV = [
    ("core:my_work", _("My work"), None),
    ("communications:list", _("Communications"), "communication.view"),
    ("customers:list", _("Customers"), "customer.view"),
    ("customers:agreement_list", _("Service agreements"), "agreement.view"),
    ("core:audit", _("Audit log"), "audit.view"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"company_name": settings.SERVICELOOP_COMPANY_NAME}
    items = [
        {"url": reverse(name), "label": label, "active": request.path.startswith(reverse(name))}
        for name, label, action in NAV
        if action is None or can(user, action)
    ]
    return {
        "nav_items": items,
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        "company_name": settings.SERVICELOOP_COMPANY_NAME,
    }
