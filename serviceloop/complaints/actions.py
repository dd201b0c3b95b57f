"""The steps of an 8D report as declared actions (core.actions): the closing steps (page and
API), and the API's steps of the workflow (disciplines, team, causes, action items). An
action with ``permission=""`` leaves the check to its service (a rule such as "a member of
the 8D team working on that discipline" is not one permission)."""

from django.utils.translation import gettext_lazy as _

from serviceloop.core.actions import Action, service_call

from . import services
from .forms.eightd import AcknowledgeForm, CloseForm, NegotiationForm, ReasonForm
from .schemas.workflow import (
    AcknowledgeIn,
    ActionIn,
    CancelIn,
    CauseIn,
    CloseIn,
    CompleteIn,
    EightDReasonIn,
    NegotiationIn,
    ReinspectIn,
    TeamIn,
    VerifyIn,
)

REFER = Action(
    "refer",
    permission="eightd.edit",
    form=ReasonForm,
    form_key="reason_form",
    schema=EightDReasonIn,
    call=service_call(services.eightd_refer_to_sales, "report", "reason"),
    done=_("Handed to Sales for negotiation with the customer."),
)
NEGOTIATION = Action(
    "negotiation",
    permission="complaint.negotiate",
    form=NegotiationForm,
    prefix="neg",
    schema=NegotiationIn,
    call=service_call(services.eightd_record_negotiation, "report", "outcome", "text"),
    done=_("Negotiation outcome recorded."),
)
CLOSE = Action(
    "close",
    permission="eightd.close",
    form=CloseForm,
    schema=CloseIn,
    call=lambda actor, report, d: services.eightd_close(
        actor=actor, report=report, summary=d["summary"], at=d.get("at")
    ),
    done=_("8D closed; circulated to the Management Representative and the General Manager."),
)
ACKNOWLEDGE = Action(
    "acknowledge",
    permission="circulation.acknowledge",
    form=AcknowledgeForm,
    prefix="ack",
    schema=AcknowledgeIn,
    call=service_call(services.circulation_acknowledge, "report", "note"),
    done=_("Acknowledged."),
)

DISCIPLINE_COMPLETE = Action(
    "complete-discipline", "", service_call(services.discipline_complete, "report")
)
DISCIPLINE_REOPEN = Action(
    "reopen-discipline",
    "eightd.edit",
    service_call(services.discipline_reopen, "report"),
    schema=EightDReasonIn,
)
TEAM_ADD = Action("team", "eightd.edit", service_call(services.team_add, "report"), schema=TeamIn)
TEAM_REMOVE = Action(
    "remove", "eightd.edit", service_call(services.team_remove, "member"), schema=EightDReasonIn
)
REINSPECT = Action(
    "reinspect",
    "containment.reinspect",
    service_call(services.containment_reinspect, "containment"),
    schema=ReinspectIn,
)
CAUSE_ADD = Action("root-causes", "", service_call(services.cause_add, "report"), schema=CauseIn)
ACTION_ADD = Action(
    "action-items", "", service_call(services.action_add, "report"), schema=ActionIn
)
ACTION_COMPLETE = Action(
    "complete", "", service_call(services.action_complete, "action"), schema=CompleteIn
)
ACTION_VERIFY = Action(
    "verify", "", service_call(services.action_verify, "action"), schema=VerifyIn
)
ACTION_CANCEL = Action(
    "cancel", "eightd.edit", service_call(services.action_cancel, "action"), schema=CancelIn
)
