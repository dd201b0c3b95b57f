"""Who may do what with the half-year service work summary (R-5.9.6): Sales drafts it and
writes its narrative; sales leadership and company management approve it; managers and
Quality read it."""

from serviceloop.core.permissions import LEADERS, SALES_SIDE, register_actions
from serviceloop.core.roles import RoleCode as R

register_actions(
    {
        "summary.view": SALES_SIDE | LEADERS | {R.QUALITY},
        "summary.draft": SALES_SIDE,
        "summary.approve": LEADERS | {R.ADMIN},
    }
)
