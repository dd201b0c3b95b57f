"""Answering, feeding back on, extending and routing a communication (core.actions)."""

from django.utils.translation import gettext_lazy as _

from serviceloop.core.actions import Action, service_call

from . import services
from .forms import ExtendForm, RouteForm, TextForm
from .schemas import ExtendIn, TextIn

ANSWER = Action(
    "answer",
    permission="communication.respond",
    form=TextForm,
    schema=TextIn,
    call=service_call(services.communication_answer, "communication", "text", "at", "reason"),
    done=_("Answer recorded."),
)
FEEDBACK = Action(
    "feedback",
    permission="communication.respond",
    form=TextForm,
    schema=TextIn,
    call=service_call(services.communication_feedback, "communication", "text", "at", "reason"),
    done=_("Feedback recorded."),
)
EXTEND = Action(
    "extend",
    permission="communication.extend",
    form=ExtendForm,
    schema=ExtendIn,
    call=service_call(services.communication_extend_feedback, "communication", "new_due", "reason"),
    done=_("Feedback deadline extended."),
)
# The page's form names departments; the API sends their ids (its own endpoint).
ROUTE = Action(
    "route",
    permission="communication.route",
    form=RouteForm,
    call=service_call(
        services.communication_route, "communication", "departments", "instruction", "due_at"
    ),
    done=_("Routed."),
)
