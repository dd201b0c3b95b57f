"""Who may do what with visits (R-5.1.4, R-5.7): Sales plans and records visits, the
department head reviews a record, sales leadership reviews and company leadership approves
the annual plan; receiving departments confirm reading their copy."""

from serviceloop.core.permissions import EVERYONE, INTERNAL, SALES_SIDE, register_actions
from serviceloop.core.roles import RoleCode as R

register_actions(
    {
        "visit_record.view": EVERYONE,
        "visit_record.create": SALES_SIDE | {R.SERVICE_ENGINEER},
        "visit_record.review": frozenset({R.DEPT_HEAD, R.SALES_LEADER, R.ADMIN}),
        "visit_record.distribute": SALES_SIDE,
        "visit_record.read": INTERNAL,
        "visit_record.raise": SALES_SIDE,
        "visit_action.view": INTERNAL,
        "visit_action.create": SALES_SIDE,
        "visit_action.close": INTERNAL,
        "visit_action.verify": SALES_SIDE,
        "visit_plan.view": INTERNAL,
        "visit_plan.draft": SALES_SIDE,
        "visit_plan.review": frozenset({R.SALES_LEADER, R.ADMIN}),
        "visit_plan.approve": frozenset({R.COMPANY_LEADER, R.GENERAL_MANAGER, R.ADMIN}),
        "visit_record.export": INTERNAL,
    }
)
