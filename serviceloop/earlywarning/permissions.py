"""Who may do what in the early warning (R-5.4): everybody inside the company sees alerts
and reports (agents do not); Quality Management runs the analysis, handles alerts and writes
the report; Sales (and Quality) keep the input data, Quality the claim baselines; the sales
side records the customer notifications and closes."""

from serviceloop.core.permissions import INTERNAL, SALES_SIDE, register_actions
from serviceloop.core.roles import RoleCode as R

QUALITY = frozenset({R.QUALITY, R.ADMIN})

register_actions(
    {
        "ew.view": INTERNAL,
        "ew.data": SALES_SIDE | QUALITY,
        "ew.run": QUALITY,
        # the claim baselines judge every build month: a statistical input, Quality's
        "ew.baseline": QUALITY,
        "ew.alert.handle": QUALITY,
        "ew.report.write": QUALITY,
        "ew.report.notify": SALES_SIDE,
        "ew.export": INTERNAL,
    }
)
