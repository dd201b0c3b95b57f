"""What is still missing: per discipline (before it may be marked done) and for the whole
report (before it may close). Each gap is keyed by the field or part that is missing, so
the UI and the API can name it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import (
    CUSTOMER_CARRIES,
    ActionItem,
    ActionStatus,
    CauseKind,
    Containment,
    DisciplineStatus,
    EightDReport,
    Reinspection,
    Responsibility,
)


def pending_actions(report: EightDReport, discipline: str | None = None) -> list[ActionItem]:
    qs = report.actions.exclude(status__in=[ActionStatus.VERIFIED, ActionStatus.CANCELLED])
    if discipline:
        qs = qs.filter(discipline=discipline)
    return [a for a in qs if a.is_pending]


def containment_gaps(report: EightDReport) -> list[str]:
    """D3 (R-5.5.2, R-5.5.3): containment set where the product is still in production,
    carried out everywhere, and reworked goods re-inspected before they go back to stock."""
    rows: list[Containment] = list(report.containments.all())
    gaps = []
    if report.complaint.in_production and not rows:
        gaps.append(
            _("Containment is missing although the product is still in production (R-5.5.2).")
        )
    not_done = [c for c in rows if c.done_at is None]
    if not_done:
        gaps.append(
            ngettext(
                "%(n)d containment action is not carried out yet.",
                "%(n)d containment actions are not carried out yet.",
                len(not_done),
            )
            % {"n": len(not_done)}
        )
    waiting = [c for c in rows if c.quantity_reworked and c.reinspection != Reinspection.PASSED]
    if waiting:
        gaps.append(
            _(
                "Reworked goods must pass Quality's re-inspection before going back to stock "
                "(R-5.5.3): %(where)s."
            )
            % {"where": ", ".join(str(c.get_location_display()) for c in waiting)}
        )
    return gaps


def _d4_gaps(report: EightDReport) -> list[str]:
    causes = list(report.root_causes.all())
    if any(c.responsibility == Responsibility.CUSTOMER for c in causes):
        return []
    gaps = []
    occurrence = [c for c in causes if c.kind == CauseKind.OCCURRENCE]
    if not occurrence:
        gaps.append(_("Record at least one root cause of occurrence."))
    elif not any(c.work_station for c in occurrence):
        gaps.append(_("Name the work station where the defect arose (R-5.5.1)."))
    if not any(c.kind == CauseKind.ESCAPE for c in causes):
        gaps.append(_("Record at least one root cause of escape."))
    return gaps


def discipline_gaps(report: EightDReport, code: str) -> dict[str, str]:
    """What keeps discipline `code` from being marked done; empty when nothing does."""
    disc = report.disciplines.get(code=code)
    gaps: list[str] = []
    if code == "d0" and not disc.summary:
        gaps.append(_("Describe the emergency response, or why none was needed."))
    elif code == "d1":
        if report.leader_id is None:
            gaps.append(_("Name the 8D leader."))
        if report.team.count() < 2:
            gaps.append(_("Name at least two people on the team."))
    elif code == "d2" and not (report.problem_statement and report.d2_what):
        gaps.append(_("State the problem and at least the 'what' of 5W2H."))
    elif code == "d3":
        gaps.extend(containment_gaps(report))
        if not report.containments.exists() and not disc.summary:
            gaps.append(_("Record the containment, or say why none is needed."))
    elif code == "d4":
        gaps.extend(_d4_gaps(report))
    elif (
        code == "d5"
        and not report.actions.filter(discipline="d5")
        .exclude(status=ActionStatus.CANCELLED)
        .exists()
    ):
        gaps.append(_("Choose at least one corrective action."))
    elif code == "d6":
        pending = pending_actions(report, "d5")
        if pending:
            gaps.append(
                _("Corrective actions not yet implemented and verified: %(n)d.")
                % {"n": len(pending)}
            )
        if not disc.summary:
            gaps.append(_("Summarise the implementation and how it was verified."))
    elif code == "d7":
        if not disc.summary:
            gaps.append(_("Say how recurrence is prevented (instructions, training, FMEA)."))
        pending = pending_actions(report, "d7")
        if pending:
            gaps.append(_("Preventive actions still open: %(n)d.") % {"n": len(pending)})
    return {code: " ".join(gaps)} if gaps else {}


def close_blockers(report: EightDReport, summary: str = "") -> dict[str, str]:
    """Everything that keeps the report from closing (D8), keyed by what is missing."""
    blockers: dict[str, str] = {}
    # D5–D7 do not apply once the customer carries the cause.
    skipped = (
        {"d5", "d6", "d7"}
        if report.status == "negotiation" and report.negotiation_outcome in CUSTOMER_CARRIES
        else set()
    )
    gaps = containment_gaps(report)
    if gaps:
        blockers["d3"] = " ".join(gaps)
    pending = pending_actions(report)
    if pending:
        blockers["action_items"] = ngettext(
            "%(n)d action item is still open: %(items)s",
            "%(n)d action items are still open: %(items)s",
            len(pending),
        ) % {
            "n": len(pending),
            "items": "; ".join(f"{a.discipline.upper()} {a.description[:40]}" for a in pending),
        }
    for disc in report.disciplines.exclude(code="d8").order_by("code"):
        if disc.status == DisciplineStatus.OPEN and disc.code not in {*blockers, *skipped}:
            blockers[disc.code] = _("%(d)s is not complete.") % {"d": disc.get_code_display()}
    if report.status == "negotiation" and not report.negotiation_outcome:
        blockers["negotiation_outcome"] = _("Sales has not recorded the negotiation outcome.")
    if not (summary or "").strip():
        blockers["summary"] = _("Summarise the closure (D8).")
    return blockers
