"""Who may do what in field service (R-5.3, R-5.9.2–R-5.9.5). Rows join the one permission
table in core.permissions. Agents see only their own customers' records (selectors apply
core.permissions.scope_by_customer). Checks that depend on the record (the engineer named on
a form, the department a form was routed to) are made by the services and answered as
validation errors naming the field."""

from serviceloop.core.permissions import EVERYONE, INTERNAL, SALES_SIDE, register_actions
from serviceloop.core.roles import RoleCode as R

ENGINEER = frozenset({R.SERVICE_ENGINEER, R.ADMIN})
APPROVERS = frozenset({R.SALES_LEADER, R.DEPT_HEAD, R.ADMIN})
WAREHOUSE = frozenset({R.WAREHOUSE, R.ADMIN})
# Departments that receive information feedback forms and their heads.
RECEIVING = frozenset(
    {
        R.PRODUCTION,
        R.PRODUCTION_QUALITY,
        R.QUALITY,
        R.TECHNICAL,
        R.RND,
        R.PURCHASING,
        R.DEPT_HEAD,
        R.ADMIN,
    }
)

register_actions(
    {
        "fieldservice.view": EVERYONE,
        "fieldservice.export": EVERYONE,
        # R-5.3.1/5.3.2, R-5.3.5: Sales places resident and named engineers.
        "assignment.manage": SALES_SIDE,
        # the resident engineer escalates; Sales coordinates.
        "escalation.create": ENGINEER,
        "escalation.coordinate": SALES_SIDE,
        "escalation.note": SALES_SIDE | ENGINEER | RECEIVING,
        # engineers (and agents for their customers) keep service records.
        "record.create": ENGINEER | {R.AGENT},
        "record.change": ENGINEER | {R.AGENT} | SALES_SIDE,
        "record.import": SALES_SIDE | ENGINEER,
        "record.flag_major": SALES_SIDE | ENGINEER,
        # R-5.3.4.2: the engineer on site decides repair or return/replace.
        "handling.decide": ENGINEER | SALES_SIDE,
        # R-5.3.4.3 / R-5.9.3: parts.
        "part.manage": SALES_SIDE | WAREHOUSE,
        "parts.request": ENGINEER | {R.SALES, R.SALES_LEADER},
        "parts.approve": APPROVERS,
        "parts.use": ENGINEER,
        "warehouse.handle": WAREHOUSE,
        "tag.manage": ENGINEER | SALES_SIDE | {R.PRODUCTION_QUALITY, R.QUALITY},
        # the engineer fills and countersigns the return-for-repair form.
        "return.fill": ENGINEER,
        # weekly feedback and information feedback forms.
        "feedback.submit": ENGINEER,
        "feedback.review": SALES_SIDE,
        "feedback.view": INTERNAL,
        "infoform.manage": SALES_SIDE,
        "infoform.acknowledge": RECEIVING,
        "infoform.view": INTERNAL,
    }
)
