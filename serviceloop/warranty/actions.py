"""What may be done to a warranty claim, each action declared once (core.actions)."""

from django.utils.translation import gettext_lazy as _

from serviceloop.core.actions import Action, service_call

from . import services
from .forms import NoteForm, OverrideForm, ReasonForm, SettleForm
from .schemas import ClaimNoteIn, ClaimReasonIn, OverrideIn, SettleIn

OVERRIDE = Action(
    "override",
    permission="warranty.override",
    form=OverrideForm,
    schema=OverrideIn,
    call=lambda actor, claim, d: services.claim_override(
        actor=actor,
        claim=claim,
        decision=d["decision"] or None,
        remedy=d["remedy"] or None,
        reason=d["reason"],
    ),
    done=_("The override was recorded."),
)
APPROVE = Action(
    "approve",
    permission="warranty.approve",
    form=NoteForm,
    schema=ClaimNoteIn,
    call=service_call(services.claim_approve, "claim", "note"),
    done=_("The claim was approved."),
)
REJECT = Action(
    "reject",
    permission="warranty.approve",
    form=NoteForm,
    schema=ClaimNoteIn,
    call=service_call(services.claim_reject, "claim", "note"),
    done=_("The claim was rejected."),
)
REOPEN = Action(
    "reopen",
    permission="warranty.approve",
    form=ReasonForm,
    schema=ClaimReasonIn,
    call=service_call(services.claim_reopen, "claim", "reason"),
    done=_("The claim was reopened."),
)
SETTLE = Action(
    "settle",
    permission="warranty.settle",
    form=SettleForm,
    schema=SettleIn,
    call=service_call(services.claim_settle, "claim"),
    done=_("The claim was settled."),
)
CLOSE = Action(
    "close",
    permission="warranty.settle",
    form=ReasonForm,
    schema=ClaimReasonIn,
    call=service_call(services.claim_close, "claim", "reason"),
    done=_("The claim was closed."),
)
