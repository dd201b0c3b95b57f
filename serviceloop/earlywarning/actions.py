"""Handling an early-warning alert: acknowledge, dismiss, close (core.actions)."""

from django.utils.translation import gettext_lazy as _

from serviceloop.core.actions import Action, service_call

from . import services
from .forms import NoteForm, ReasonForm
from .schemas import NoteIn, ReasonIn

ALERT_ACKNOWLEDGE = Action(
    "acknowledge",
    permission="ew.alert.handle",
    form=NoteForm,
    schema=NoteIn,
    call=service_call(services.alert_acknowledge, "alert", "note"),
    done=_("Alert acknowledged."),
)
ALERT_DISMISS = Action(
    "dismiss",
    permission="ew.alert.handle",
    form=ReasonForm,
    schema=ReasonIn,
    call=service_call(services.alert_dismiss, "alert", "reason"),
    done=_("Alert dismissed."),
)
ALERT_CLOSE = Action(
    "close",
    permission="ew.report.notify",
    form=NoteForm,
    schema=NoteIn,
    call=service_call(services.alert_close, "alert", "note"),
    done=_("Alert closed."),
)
