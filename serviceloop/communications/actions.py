"""Answering, feeding back on, extending and routing a communication (core.actions)."""

from django.utils.translation import gettext_lazy as _

from serviceloop.core.actions import Action, action_kind, service_call

from . import services
from .forms import ExtendForm, RouteForm, TextForm
from .schemas import ExtendIn, TextIn

# An answer and a feedback: the text, when it was given and why late (if it was).
_told = action_kind("communication", "text", "at", "reason", form=TextForm, schema=TextIn)

ANSWER = _told(
    "answer", "communication.respond", services.communication_answer, _("Answer recorded.")
)
FEEDBACK = _told(
    "feedback", "communication.respond", services.communication_feedback, _("Feedback recorded.")
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
