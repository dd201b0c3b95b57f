"""Field-service actions, each declared once for page and API (core.actions)."""

from django.utils.translation import gettext_lazy as _

from serviceloop.core.actions import Action, service_call
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
    call=service_call(
        services.escalation_coordinate, "escalation", "departments", "due_date", "note"
    ),
    done=_("You coordinate this escalation; the departments were notified."),
)
ESCALATION_DUE = Action(
    "due",
    permission="escalation.coordinate",
    form=DueForm,
    schema=DueIn,
    call=service_call(services.escalation_set_due, "escalation", "due_date", "reason"),
    done=_("Due date moved."),
)
ESCALATION_AGREE = Action(
    "agree",
    permission="escalation.coordinate",
    form=SolutionForm,
    schema=SolutionIn,
    call=service_call(services.escalation_agree, "escalation", "solution"),
    done=_("Solution recorded."),
)
ESCALATION_COMPLETE = Action(
    "complete",
    permission="escalation.coordinate",
    form=ResultForm,
    schema=ResultIn,
    call=service_call(services.escalation_complete, "escalation", "result"),
    done=_("Escalation done."),
)
ESCALATION_REOPEN = Action(
    "reopen",
    permission="escalation.coordinate",
    form=ReasonForm,
    schema=Reason,
    call=service_call(services.escalation_reopen, "escalation", "reason"),
    done=_("Back to coordination."),
)
ESCALATION_NOTE = Action(
    "note",
    permission="escalation.note",
    form=NoteForm,
    schema=EscalationNoteIn,
    call=service_call(services.escalation_add_note, "escalation", "text"),
    done=_("Note added."),
)
