"""Answering, feeding back on, extending and routing a communication (core.actions)."""

from django.utils.translation import gettext_lazy as _

from serviceloop.core.actions import Action

from . import services
from .forms import ExtendForm, RouteForm, TextForm
from .schemas import ExtendIn, TextIn

ANSWER = Action(
    "answer",
    permission="communication.respond",
    form=TextForm,
    schema=TextIn,
    call=lambda actor, comm, d: services.communication_answer(
        actor=actor, communication=comm, text=d["text"], at=d["at"], reason=d["reason"]
    ),
    done=_("Answer recorded."),
)
FEEDBACK = Action(
    "feedback",
    permission="communication.respond",
    form=TextForm,
    schema=TextIn,
    call=lambda actor, comm, d: services.communication_feedback(
        actor=actor, communication=comm, text=d["text"], at=d["at"], reason=d["reason"]
    ),
    done=_("Feedback recorded."),
)
EXTEND = Action(
    "extend",
    permission="communication.extend",
    form=ExtendForm,
    schema=ExtendIn,
    call=lambda actor, comm, d: services.communication_extend_feedback(
        actor=actor, communication=comm, new_due=d["new_due"], reason=d["reason"]
    ),
    done=_("Feedback deadline extended."),
)
# The page's form names departments; the API sends their ids (its own endpoint).
ROUTE = Action(
    "route",
    permission="communication.route",
    form=RouteForm,
    call=lambda actor, comm, d: services.communication_route(
        actor=actor,
        communication=comm,
        departments=d["departments"],
        instruction=d["instruction"],
        due_at=d["due_at"],
    ),
    done=_("Routed."),
)
