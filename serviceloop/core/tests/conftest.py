from .import_kind import notes_kind  # noqa: F401  (a fixture for the import engine's tests)
