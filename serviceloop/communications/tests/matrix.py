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
    # Last: the feedback closes the communication. Technical may not have replied to its
    # routing (only Technical answers it), so the reason is given.
    ("post", "/api/v1/communications/{comm_id}/feedback"): (
        "communication.respond",
        lambda w: {"text": "t", "reason": "已电话答复客户"},
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


# The exact status each allowed call answers in the matrix world (issue 17); a dict gives
# {role: status, "*": status} where roles meet different rules. A 4xx is the rule the world
# meets, quoted in the comment above the row (the world's state, or a record of another
# person or department); test_permission_matrix_declared makes every allowed call declare one.
EXPECT = {
    ("get", "/api/v1/communications/"): 200,
    ("post", "/api/v1/communications/"): 201,
    ("get", "/api/v1/communications/{comm_id}"): 200,
    ("patch", "/api/v1/communications/{comm_id}"): 200,
    ("post", "/api/v1/communications/{comm_id}/answer"): 200,
    ("post", "/api/v1/communications/{comm_id}/extend"): 200,
    ("post", "/api/v1/communications/{comm_id}/route"): 200,
    ("post", "/api/v1/communications/{comm_id}/flag-major"): 200,
    # 422: Only a member of Technical can answer this routing (core.routing; the world's
    # routing is to Technical).
    ("post", "/api/v1/communications/routings/{routing_id}/respond"): {
        "technical": 200,
        "*": 422,
    },
    ("post", "/api/v1/communications/{comm_id}/feedback"): 200,
}
# Pages: a GET answers 200 (302 where the page sends on); the matrix POSTs no form, so a
# POST that needs fields answers 400 (the form's errors) and one that needs none acts and
# redirects (302).
UI_EXPECT = {
    "communications:list": 200,
    "communications:create": 200,
    "communications:detail": 200,
    "communications:edit": 200,
    "communications:answer": 400,
    "communications:feedback": 400,
    "communications:extend": 400,
    "communications:route": 400,
    "communications:flag_major": 400,
    "communications:respond": 400,
}
