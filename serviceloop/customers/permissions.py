"""Who may do what in the customer archive (R-5.2.2): Sales keeps it; all may read what they
may see (agents only their own customers, see core.permissions.visible_customers)."""

from serviceloop.core.permissions import EVERYONE, SALES_SIDE, register_actions
from serviceloop.core.roles import RoleCode as R

register_actions(
    {
        "customer.view": EVERYONE,
        "customer.create": SALES_SIDE,
        "customer.change": SALES_SIDE,
        "customer.export": EVERYONE - {R.SERVICE_ENGINEER},
        "agreement.view": EVERYONE,
        "agreement.change": SALES_SIDE,
    }
)
