"""Who may do what with retention (R-7): the administrator and the management representative
review disposals and set legal holds; the administrator sets the periods the procedure leaves
open."""

from serviceloop.core.permissions import register_actions
from serviceloop.core.roles import RoleCode as R

RECORDS_OFFICERS = frozenset({R.ADMIN, R.MGMT_REP})

register_actions(
    {
        "records.view": RECORDS_OFFICERS,
        "records.dispose": RECORDS_OFFICERS,
        "records.hold": RECORDS_OFFICERS,
        "records.settings": frozenset({R.ADMIN}),
    }
)
