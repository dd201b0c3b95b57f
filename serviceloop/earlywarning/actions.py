"""Handling an early-warning alert: acknowledge, dismiss, close (core.actions)."""

from django.utils.translation import gettext_lazy as _

from serviceloop.core.actions import Action

from . import services
from .forms import NoteForm, ReasonForm
from .schemas import NoteIn, ReasonIn

ALERT_ACKNOWLEDGE = Action(
    "acknowledge",
    permission="ew.alert.handle",
    form=NoteForm,
    schema=NoteIn,
    call=lambda actor, alert, d: services.alert_acknowledge(
        actor=actor, alert=alert, note=d["note"]
    ),
    done=_("Alert acknowledged."),
)
ALERT_DISMISS = Action(
    "dismiss",
    permission="ew.alert.handle",
    form=ReasonForm,
    schema=ReasonIn,
    call=lambda actor, alert, d: services.alert_dismiss(
        actor=actor, alert=alert, reason=d["reason"]
    ),
    done=_("Alert dismissed."),
)
ALERT_CLOSE = Action(
    "close",
    permission="ew.report.notify",
    form=NoteForm,
    schema=NoteIn,
    call=lambda actor, alert, d: services.alert_close(actor=actor, alert=alert, note=d["note"]),
    done=_("Alert closed."),
)
