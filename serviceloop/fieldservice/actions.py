"""Field-service actions, each declared once for page and API (core.actions)."""

from django.utils.translation import gettext_lazy as _

from serviceloop.core.actions import Action
from serviceloop.core.api_support import departments

from . import services
from .forms import CoordinateForm, DueForm, NoteForm, ReasonForm, ResultForm, SolutionForm
from .schemas import CoordinateIn, DueIn, EscalationNoteIn, Reason, ResultIn, SolutionIn

# Escalations from resident engineers to Sales.
ESCALATION_COORDINATE = Action(
    "coordinate",
    permission="escalation.coordinate",
    form=CoordinateForm,
    schema=CoordinateIn,
    api_in=lambda d: {**d, "departments": departments(d["departments"])},
    call=lambda actor, e, d: services.escalation_coordinate(
        actor=actor,
        escalation=e,
        departments=d["departments"],
        due_date=d["due_date"],
        note=d["note"],
    ),
    done=_("You coordinate this escalation; the departments were notified."),
)
ESCALATION_DUE = Action(
    "due",
    permission="escalation.coordinate",
    form=DueForm,
    schema=DueIn,
    call=lambda actor, e, d: services.escalation_set_due(
        actor=actor, escalation=e, due_date=d["due_date"], reason=d["reason"]
    ),
    done=_("Due date moved."),
)
ESCALATION_AGREE = Action(
    "agree",
    permission="escalation.coordinate",
    form=SolutionForm,
    schema=SolutionIn,
    call=lambda actor, e, d: services.escalation_agree(
        actor=actor, escalation=e, solution=d["solution"]
    ),
    done=_("Solution recorded."),
)
ESCALATION_COMPLETE = Action(
    "complete",
    permission="escalation.coordinate",
    form=ResultForm,
    schema=ResultIn,
    call=lambda actor, e, d: services.escalation_complete(
        actor=actor, escalation=e, result=d["result"]
    ),
    done=_("Escalation done."),
)
ESCALATION_REOPEN = Action(
    "reopen",
    permission="escalation.coordinate",
    form=ReasonForm,
    schema=Reason,
    call=lambda actor, e, d: services.escalation_reopen(
        actor=actor, escalation=e, reason=d["reason"]
    ),
    done=_("Back to coordination."),
)
ESCALATION_NOTE = Action(
    "note",
    permission="escalation.note",
    form=NoteForm,
    schema=EscalationNoteIn,
    call=lambda actor, e, d: services.escalation_add_note(
        actor=actor, escalation=e, text=d["text"]
    ),
    done=_("Note added."),
)
