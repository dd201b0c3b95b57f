"""What may be done to a warranty claim, each action declared once (core.actions)."""

from django.utils.translation import gettext_lazy as _

from serviceloop.core.actions import Action, action_kind, service_call

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
_noted = action_kind("claim", "note", form=NoteForm, schema=ClaimNoteIn)
_reasoned = action_kind("claim", "reason", form=ReasonForm, schema=ClaimReasonIn)

APPROVE = _noted(
    "approve", "warranty.approve", services.claim_approve, _("The claim was approved.")
)
REJECT = _noted("reject", "warranty.approve", services.claim_reject, _("The claim was rejected."))
REOPEN = _reasoned(
    "reopen", "warranty.approve", services.claim_reopen, _("The claim was reopened.")
)
SETTLE = Action(
    "settle",
    permission="warranty.settle",
    form=SettleForm,
    schema=SettleIn,
    call=service_call(services.claim_settle, "claim"),
    done=_("The claim was settled."),
)
CLOSE = _reasoned("close", "warranty.settle", services.claim_close, _("The claim was closed."))
