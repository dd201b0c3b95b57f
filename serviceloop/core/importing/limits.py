"""What an uploaded file may hold, and the refusal when it holds more.

Every limit is enforced while the file streams through the reader: the reader stops at the
first one it meets, so a hostile file costs at most the work up to that point (issue 9: a
300 MB cell hidden in a 300 KB XLSX, 1.5 million rows in 200 KB). Deployments may change the
defaults with the setting ``SERVICELOOP_IMPORT_LIMITS`` (a dict of these field names); a kind
may lower ``max_rows`` for itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * MB  # the uploaded file
    max_rows: int = 200_000  # data rows (rows of the sheet, blank ones included)
    max_cell: int = 32_767  # characters in one cell (Excel's own limit)
    max_columns: int = 200  # cells further right are ignored
    max_uncompressed: int = 400 * MB  # all parts of an XLSX, unpacked
    max_ratio: int = 100  # unpacked / packed size of one XLSX part (zip bombs)
    ratio_floor: int = MB  # parts smaller than this unpacked are not ratio-checked

    def with_rows(self, max_rows: int | None) -> Limits:
        return self if not max_rows else replace(self, max_rows=min(max_rows, self.max_rows))


def default_limits() -> Limits:
    overrides: dict[str, Any] = getattr(settings, "SERVICELOOP_IMPORT_LIMITS", {}) or {}
    return replace(Limits(), **overrides)


class FileRefused(ValueError):
    """The file as a whole cannot be imported (unreadable, or over a limit). The message is
    for people; `row` names the spreadsheet row where reading stopped, when there is one."""

    def __init__(self, message: str, row: int = 0):
        super().__init__(message)
        self.message = message
        self.row = row


def too_large(size: int, limit: int) -> FileRefused:
    return FileRefused(
        _("The file is too large (%(size)s); the limit is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
    )


def too_many_rows(limit: int, row: int) -> FileRefused:
    return FileRefused(
        _("The file has more than %(n)s rows; split it into smaller files.") % {"n": limit}, row
    )


def cell_too_long(limit: int, row: int) -> FileRefused:
    return FileRefused(
        _("A cell in row %(row)s holds more than %(n)s characters; the file is refused.")
        % {"row": row, "n": limit},
        row,
    )
