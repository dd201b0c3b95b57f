"""Pages of the early warning (R-5.4)."""
