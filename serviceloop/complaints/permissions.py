"""Who may do what with complaints and 8D reports (R-5.5); rows of the one table in
core.permissions, plus the record-level rule of the 8D team.

Decisions:
- Everybody inside the company sees the register and the 8D reports. An agent sees the
  register rows of the customers it serves (scope_by_customer) — status, 8D number, reply
  date — but not the 8D content: root causes name operators and inspectors (R-5.5.5),
  which stays inside the company.
- Sales receives complaints and converts them into 8D reports (R-5.5.1); Quality may
  convert too. Sales and Quality may correct a register entry.
- Quality Management leads every 8D ("eightd.edit" at role level: team, owners, due dates,
  any content, verification). Beyond that, record level: a member of the 8D team (D1) may
  edit the content of any discipline, and the owner of a discipline or of an action item
  (say Production for D3, Technical for a work-instruction revision, R-5.5.4) may work on
  what they own even without being on the team (`may_contribute`, `may_work_on`).
- Re-inspection of reworked goods is Quality's (R-5.5.3); Production Quality may do it too.
- Quality closes the 8D and drafts the reply letter; Sales sends it (R-5.5.6) and records
  the negotiation with a customer whose own design or manufacture caused it (R-5.5.7).
- The Management Representative and the General Manager acknowledge the circulation
  (R-5.5.8). The administrator may pass every gate (the matrix expects it), but a
  circulation still needs one of the two addressees to acknowledge it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from serviceloop.core.permissions import EVERYONE, INTERNAL, SALES_SIDE, can, register_actions
from serviceloop.core.roles import RoleCode as R

QUALITY_LEAD = frozenset({R.QUALITY, R.ADMIN})

register_actions(
    {
        "complaint.view": EVERYONE,
        "complaint.create": SALES_SIDE,
        "complaint.change": SALES_SIDE | QUALITY_LEAD,
        "complaint.export": INTERNAL,
        "eightd.view": INTERNAL,
        "eightd.open": SALES_SIDE | QUALITY_LEAD,
        "eightd.edit": QUALITY_LEAD,
        "eightd.close": QUALITY_LEAD,
        # Complete an 8D action item someone else owns (issue 10 §4); the owner and the 8D
        # leader may complete it anyway (may_complete_action).
        "action.complete_any": QUALITY_LEAD,
        "containment.reinspect": QUALITY_LEAD | {R.PRODUCTION_QUALITY},
        "complaint.negotiate": SALES_SIDE,
        "reply.view": INTERNAL,
        "reply.draft": QUALITY_LEAD,
        "reply.send": SALES_SIDE,
        "circulation.acknowledge": frozenset({R.MGMT_REP, R.GENERAL_MANAGER, R.ADMIN}),
        "review.view": frozenset(
            {
                R.QUALITY,
                R.MGMT_REP,
                R.GENERAL_MANAGER,
                R.COMPANY_LEADER,
                R.SALES_LEADER,
                R.DEPT_HEAD,
                R.ADMIN,
            }
        ),
    }
)


def is_team_member(user: Any, report: Any) -> bool:
    return bool(user.pk) and report.team.filter(user_id=user.pk).exists()


def may_contribute(user: Any, report: Any, code: str | None = None) -> bool:
    """May the user edit the content of this report (or of one discipline of it)?"""
    if can(user, "eightd.edit"):
        return True
    if not can(user, "eightd.view"):
        return False
    if is_team_member(user, report):
        return True
    return code is not None and report.disciplines.filter(code=code, owner_id=user.pk).exists()


def require_contribute(user: Any, report: Any, code: str | None = None) -> None:
    if not may_contribute(user, report, code):
        raise PermissionDenied("eightd.edit")


def may_work_on(user: Any, task: Any) -> bool:
    """May the user record the outcome of an action item or containment?"""
    if not can(user, "eightd.view"):
        return False
    if task.owner_id == user.pk:
        return True
    if may_contribute(user, task.report, getattr(task, "discipline", "d3")):
        return True
    if task.owner_id is not None:
        return bool(task.owner_id == user.pk)
    return task.department_id is not None and task.department_id == user.department_id


def require_work_on(user: Any, task: Any) -> None:
    if not may_work_on(user, task):
        raise PermissionDenied("eightd.edit")


def may_complete_action(user: Any, item: Any) -> bool:
    """Only the action's owner, the 8D leader or Quality may report an action item done; an
    action assigned to a department (no owner named yet) may be reported by its members."""
    if not can(user, "eightd.view") or not user.pk:
        return False
    if can(user, "action.complete_any"):
        return True
    if user.pk in (item.owner_id, item.report.leader_id):
        return True
    return (
        item.owner_id is None
        and item.department_id is not None
        and (item.department_id == user.department_id)
    )


def require_complete_action(user: Any, item: Any) -> None:
    if not may_complete_action(user, item):
        raise PermissionDenied("action.complete_any")
