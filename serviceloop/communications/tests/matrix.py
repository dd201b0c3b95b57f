"""Permission-matrix rows of communications (see core/tests/test_permission_matrix.py)."""

from datetime import timedelta

from django.utils import timezone

from serviceloop.communications.services import communication_route
from serviceloop.core.models import Department
from serviceloop.core.testing.factories import register_communication, user_with


def build(w: dict) -> None:
    owner = user_with("sales")
    comm = register_communication(owner, w["customer"])
    dept = Department.objects.get(code="technical")
    routing = communication_route(actor=owner, communication=comm, departments=[dept])[0]
    w.update(comm=comm, dept=dept, routing=routing, comm_id=comm.pk, routing_id=routing.pk)


def _now():
    return timezone.now().isoformat()


API = {
    ("get", "/api/v1/communications/"): ("communication.view", lambda w: None),
    ("post", "/api/v1/communications/"): (
        "communication.create",
        lambda w: {
            "customer": w["customer"].pk,
            "channel": "call",
            "received_at": _now(),
            "subject": "s",
            "body": "b",
        },
    ),
    ("get", "/api/v1/communications/{comm_id}"): ("communication.view", lambda w: None),
    ("patch", "/api/v1/communications/{comm_id}"): (
        "communication.change",
        lambda w: {"subject": "新主题"},
    ),
    ("post", "/api/v1/communications/{comm_id}/answer"): (
        "communication.respond",
        lambda w: {"text": "t"},
    ),
    ("post", "/api/v1/communications/{comm_id}/feedback"): (
        "communication.respond",
        lambda w: {"text": "t"},
    ),
    ("post", "/api/v1/communications/{comm_id}/extend"): (
        "communication.extend",
        lambda w: {
            "new_due": (w["comm"].feedback_due_at + timedelta(days=2)).isoformat(),
            "reason": "r",
        },
    ),
    ("post", "/api/v1/communications/{comm_id}/route"): (
        "communication.route",
        lambda w: {"departments": [w["dept"].pk]},
    ),
    ("post", "/api/v1/communications/{comm_id}/flag-major"): (
        "communication.change",
        lambda w: {"reason": "r"},
    ),
    ("post", "/api/v1/communications/routings/{routing_id}/respond"): (
        "communication.respond",
        lambda w: {"text": "t"},
    ),
}
UI = {
    "communications:list": ("communication.view", "get", lambda w: []),
    "communications:create": ("communication.create", "get", lambda w: []),
    "communications:detail": ("communication.view", "get", lambda w: [w["comm"].pk]),
    "communications:edit": ("communication.change", "get", lambda w: [w["comm"].pk]),
    "communications:answer": ("communication.respond", "post", lambda w: [w["comm"].pk]),
    "communications:feedback": ("communication.respond", "post", lambda w: [w["comm"].pk]),
    "communications:extend": ("communication.extend", "post", lambda w: [w["comm"].pk]),
    "communications:route": ("communication.route", "post", lambda w: [w["comm"].pk]),
    "communications:flag_major": ("communication.change", "post", lambda w: [w["comm"].pk]),
    "communications:respond": ("communication.respond", "post", lambda w: [w["routing"].pk]),
}
EXPORTS = {"communications:list": "communication.export"}
