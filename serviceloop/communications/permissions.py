"""Who may do what with communications (R-5.2.3, R-5.2.4, R-5.9.1): whoever hears the
customer registers; Sales routes; any department responds; a sales leader extends."""

from serviceloop.core.permissions import (
    EVERYONE,
    INTERNAL,
    LEADERS,
    SALES_SIDE,
    register_actions,
)
from serviceloop.core.roles import RoleCode as R

register_actions(
    {
        "communication.view": EVERYONE,
        "communication.create": SALES_SIDE | {R.SERVICE_ENGINEER, R.AGENT} | LEADERS,
        "communication.change": SALES_SIDE | {R.SERVICE_ENGINEER, R.AGENT},
        "communication.route": SALES_SIDE,
        "communication.respond": INTERNAL | {R.AGENT},
        "communication.extend": frozenset({R.SALES_LEADER, R.ADMIN}),
        "communication.export": EVERYONE - {R.SERVICE_ENGINEER},
    }
)
