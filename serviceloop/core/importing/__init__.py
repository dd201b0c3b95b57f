"""The one importing engine (issue 8): column tables, streaming XLSX/CSV with limits, row
errors, error report, preview, modes, idempotency, templates — and imports as background
jobs behind the `imports` API resource and pages.

An app supplies a `Kind` (its column table, `clean`, `store`) and registers it in its
AppConfig.ready with `register`; see kinds.py, and docs/architecture.md for a new kind.
"""

from .checking import Row, RowError
from .columns import BOOL, CHOICE, DATE, DECIMAL, INTEGER, MONTH, RAW, TEXT, ChoiceWords, Column
from .kinds import Kind, StoreContext, Stored, get_kind, kinds_for, register
from .limits import FileRefused, Limits

__all__ = [
    "BOOL",
    "CHOICE",
    "DATE",
    "DECIMAL",
    "INTEGER",
    "MONTH",
    "RAW",
    "TEXT",
    "ChoiceWords",
    "Column",
    "FileRefused",
    "Kind",
    "Limits",
    "Row",
    "RowError",
    "StoreContext",
    "Stored",
    "get_kind",
    "kinds_for",
    "register",
]
