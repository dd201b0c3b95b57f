"""API shapes of complaints and 8D reports (interface.md: `complaints`, `eight-d-reports`)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from ninja import Schema
from pydantic import AwareDatetime, Field

from serviceloop.core.api_support import LocalDateTime
from serviceloop.core.schemas import CustomerNameOut
from serviceloop.records.schemas import RetainedOut

from ..models import DisciplineCode, Kind, Severity

# --- complaints --------------------------------------------------------------------------


class ComplaintIn(Schema):
    customer: int
    received_at: AwareDatetime
    part_number: str = ""
    part_name: str = ""
    lot: str = ""
    quantity: int | None = None
    description: str = ""
    in_production: bool = False
    severity: Severity = Severity.MEDIUM
    kind: Kind = Field(Kind.COMPLAINT, description="complaint or return (R-5.5.7)")
    customer_reference: str = ""
    leader: int | None = Field(None, description="8D leader, for a return (its 8D opens at once)")


class ComplaintPatch(Schema):
    customer_reference: str | None = None
    received_at: AwareDatetime | None = None
    part_number: str | None = None
    part_name: str | None = None
    lot: str | None = None
    quantity: int | None = None
    description: str | None = None
    in_production: bool | None = None
    severity: Severity | None = None
    reason: str = ""


class ComplaintOut(RetainedOut, CustomerNameOut):
    id: int
    number: str
    kind: str
    customer: int = Field(alias="customer_id")
    customer_name: str
    customer_reference: str
    received_at: LocalDateTime
    received_by: int | None = Field(None, alias="received_by_id")
    part_number: str
    part_name: str
    lot: str
    quantity: int | None
    description: str
    in_production: bool
    severity: str
    status: str
    closed_at: LocalDateTime | None
    eight_d: int | None
    eight_d_number: str | None
    reply_sent_at: LocalDateTime | None
    source_type: str
    source_id: str
    source_label: str

    @staticmethod
    def _report(obj):
        return getattr(obj, "eight_d", None)

    @staticmethod
    def resolve_eight_d(obj) -> int | None:
        report = ComplaintOut._report(obj)
        return report.pk if report else None

    @staticmethod
    def resolve_eight_d_number(obj) -> str | None:
        report = ComplaintOut._report(obj)
        return report.number if report else None

    @staticmethod
    def resolve_reply_sent_at(obj):
        report = ComplaintOut._report(obj)
        reply = getattr(report, "reply", None) if report else None
        return reply.sent_at if reply else None


class EightDOpenIn(Schema):
    leader: int | None = None


# --- parts of an 8D -----------------------------------------------------------------------


class TeamMemberOut(Schema):
    id: int
    user: int = Field(alias="user_id")
    name: str
    role: str
    department: str | None
    responsibility: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj.user)

    @staticmethod
    def resolve_department(obj) -> str | None:
        return str(obj.department) if obj.department_id else None


class TaskOut(Schema):
    id: int
    owner: int | None = Field(None, alias="owner_id")
    department: int | None = Field(None, alias="department_id")
    due_at: LocalDateTime
    done_at: LocalDateTime | None
    done_by: int | None = Field(None, alias="done_by_id")
    result: str
    overdue: bool


class ContainmentOut(TaskOut):
    location: str
    action: str
    quantity_checked: int
    quantity_found: int
    quantity_isolated: int
    quantity_tagged: int
    quantity_reworked: int
    reinspection: str
    reinspected_at: LocalDateTime | None
    reinspected_by: int | None = Field(None, alias="reinspected_by_id")
    reinspection_note: str


class RootCauseOut(Schema):
    id: int
    kind: str
    category: str
    description: str
    why_analysis: str
    responsibility: str
    department: int | None = Field(None, alias="department_id")
    work_station: str
    operator: str
    inspector: str
    process_card_ref: str
    production_report_ref: str
    inspection_record_ref: str
    verified: bool


class ActionOut(TaskOut):
    report: int = Field(alias="report_id")
    report_number: str
    discipline: str
    kind: str
    description: str
    status: str
    root_cause: int | None = Field(None, alias="root_cause_id")
    document_ref: str
    trainees: str
    needs_verification: bool
    verified_at: LocalDateTime | None
    verified_by: int | None = Field(None, alias="verified_by_id")
    verification_note: str
    cancel_reason: str

    @staticmethod
    def resolve_report_number(obj) -> str:
        return obj.report.number


class CirculationOut(Schema):
    id: int
    role: str
    circulated_at: LocalDateTime
    acknowledged_at: LocalDateTime | None
    acknowledged_by: int | None = Field(None, alias="acknowledged_by_id")
    note: str


class DisciplineOut(Schema):
    code: str
    title: str
    status: str
    owner: int | None
    due_at: LocalDateTime | None
    completed_at: LocalDateTime | None
    summary: str
    overdue: bool


class D1Out(DisciplineOut):
    leader: int | None
    team: list[TeamMemberOut]


class D2Out(DisciplineOut):
    problem_statement: str
    what: str
    why: str
    where: str
    when: str
    who: str
    how: str
    how_many: str


class D3Out(DisciplineOut):
    containments: list[ContainmentOut]


class D4Out(DisciplineOut):
    root_causes: list[RootCauseOut]


class ActionsDisciplineOut(DisciplineOut):
    actions: list[ActionOut]


class D8Out(DisciplineOut):
    closed_at: LocalDateTime | None
    closed_by: int | None
    circulation: list[CirculationOut]


class ReplyOut(Schema):
    id: int
    report: int = Field(alias="report_id")
    status: str
    title: str
    subject: str
    body: str
    attach_8d: bool
    drafted_by: int = Field(alias="drafted_by_id")
    sent_at: LocalDateTime | None
    sent_by: int | None = Field(None, alias="sent_by_id")
    sent_to: str
    send_method: str
    pdf_url: str
    docx_url: str

    @staticmethod
    def resolve_pdf_url(obj) -> str:
        return reverse("api:reply_pdf", args=[obj.report_id])

    @staticmethod
    def resolve_docx_url(obj) -> str:
        return reverse("api:reply_docx", args=[obj.report_id])


def _discipline(obj, code: str) -> dict[str, Any]:
    disc = next(d for d in obj.disciplines.all() if d.code == code)
    now = timezone.now()
    return {
        "code": code,
        "title": str(DisciplineCode(code).label),
        "status": disc.status,
        "owner": disc.owner_id,
        "due_at": disc.due_at,
        "completed_at": disc.completed_at,
        "summary": disc.summary,
        "overdue": bool(disc.status == "open" and disc.due_at and now > disc.due_at),
    }


def _actions(obj, code: str) -> list:
    return [a for a in obj.actions.all() if a.discipline == code]


class EightDOut(RetainedOut):
    id: int
    number: str
    complaint: int = Field(alias="complaint_id")
    complaint_number: str
    customer: int
    status: str
    leader: int | None = Field(None, alias="leader_id")
    created_at: LocalDateTime
    closed_at: LocalDateTime | None
    referred_at: LocalDateTime | None
    referral_reason: str
    negotiation_outcome: str
    negotiation_text: str
    negotiated_at: LocalDateTime | None
    d0: DisciplineOut
    d1: D1Out
    d2: D2Out
    d3: D3Out
    d4: D4Out
    d5: ActionsDisciplineOut
    d6: ActionsDisciplineOut
    d7: ActionsDisciplineOut
    d8: D8Out

    @staticmethod
    def resolve_complaint_number(obj) -> str:
        return obj.complaint.number

    @staticmethod
    def resolve_customer(obj) -> int:
        return obj.complaint.customer_id

    @staticmethod
    def resolve_d0(obj):
        return _discipline(obj, "d0")

    @staticmethod
    def resolve_d1(obj):
        return {**_discipline(obj, "d1"), "leader": obj.leader_id, "team": list(obj.team.all())}

    @staticmethod
    def resolve_d2(obj):
        return {
            **_discipline(obj, "d2"),
            "problem_statement": obj.problem_statement,
            **{k: getattr(obj, f"d2_{k}") for k in ("what", "why", "where", "when", "who", "how")},
            "how_many": obj.d2_how_many,
        }

    @staticmethod
    def resolve_d3(obj):
        return {**_discipline(obj, "d3"), "containments": list(obj.containments.all())}

    @staticmethod
    def resolve_d4(obj):
        return {**_discipline(obj, "d4"), "root_causes": list(obj.root_causes.all())}

    @staticmethod
    def resolve_d5(obj):
        return {**_discipline(obj, "d5"), "actions": _actions(obj, "d5")}

    @staticmethod
    def resolve_d6(obj):
        # D6 shows the implementation and verification of the D5 corrective actions.
        return {**_discipline(obj, "d6"), "actions": _actions(obj, "d5") + _actions(obj, "d6")}

    @staticmethod
    def resolve_d7(obj):
        return {**_discipline(obj, "d7"), "actions": _actions(obj, "d7")}

    @staticmethod
    def resolve_d8(obj):
        return {
            **_discipline(obj, "d8"),
            "closed_at": obj.closed_at,
            "closed_by": obj.closed_by_id,
            "circulation": list(obj.circulation.all()),
        }


class EightDDetailOut(EightDOut):
    close_blockers: dict[str, str] = Field(
        description="What still keeps the report from closing, by field (empty when closed)."
    )

    @staticmethod
    def resolve_close_blockers(obj) -> dict[str, str]:
        if obj.status == "closed":
            return {}
        from ..services.gaps import close_blockers

        return close_blockers(obj, summary="-")
