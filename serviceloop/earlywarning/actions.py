"""Handling an early-warning alert: acknowledge, dismiss, close (core.actions)."""

from django.utils.translation import gettext_lazy as _

from serviceloop.core.actions import Action, action_kind, service_call

from . import services
from .forms import NoteForm, ReasonForm
from .schemas import NoteIn, ReasonIn

_noted = action_kind("alert", "note", form=NoteForm, schema=NoteIn)

ALERT_ACKNOWLEDGE = _noted(
    "acknowledge", "ew.alert.handle", services.alert_acknowledge, _("Alert acknowledged.")
)
ALERT_DISMISS = Action(
    "dismiss",
    permission="ew.alert.handle",
    form=ReasonForm,
    schema=ReasonIn,
    call=service_call(services.alert_dismiss, "alert", "reason"),
    done=_("Alert dismissed."),
)
ALERT_CLOSE = _noted("close", "ew.report.notify", services.alert_close, _("Alert closed."))
