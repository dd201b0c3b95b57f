"""Pages of field service, by section."""
