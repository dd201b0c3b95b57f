"""Who may do what in this app; rows join the one table in core.permissions."""

from serviceloop.core.permissions import register_actions

register_actions({})
