"""The closing steps of an 8D report as declared actions (core.actions)."""

from django.utils.translation import gettext_lazy as _

from serviceloop.core.actions import Action

from . import services
from .forms.eightd import AcknowledgeForm, CloseForm, NegotiationForm, ReasonForm
from .schemas.workflow import AcknowledgeIn, CloseIn, EightDReasonIn, NegotiationIn

REFER = Action(
    "refer",
    permission="eightd.edit",
    form=ReasonForm,
    form_key="reason_form",
    schema=EightDReasonIn,
    call=lambda actor, report, d: services.eightd_refer_to_sales(
        actor=actor, report=report, reason=d["reason"]
    ),
    done=_("Handed to Sales for negotiation with the customer."),
)
NEGOTIATION = Action(
    "negotiation",
    permission="complaint.negotiate",
    form=NegotiationForm,
    prefix="neg",
    schema=NegotiationIn,
    call=lambda actor, report, d: services.eightd_record_negotiation(
        actor=actor, report=report, outcome=d["outcome"], text=d["text"]
    ),
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
    call=lambda actor, report, d: services.circulation_acknowledge(
        actor=actor, report=report, note=d["note"]
    ),
    done=_("Acknowledged."),
)
