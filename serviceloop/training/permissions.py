"""Who may do what with trainings (R-5.8): Sales organises them; everybody inside the
company sees them and their own history."""

from serviceloop.core.permissions import INTERNAL, SALES_SIDE, register_actions

register_actions(
    {
        "training.view": INTERNAL,
        "training.manage": SALES_SIDE,
    }
)
