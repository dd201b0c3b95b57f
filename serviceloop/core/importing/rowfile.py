"""The checked rows of an import, kept between the check and the store.

The check writes every kept row (its cleaned values) here in chunks; the store — at once, or
after the user confirms, or again after a killed worker — reads them back chunk by chunk,
so the file is never read or checked a second time and memory stays bounded.

Format: a sequence of pickled chunks (lists of dicts of plain values). Reading goes through
an unpickler that refuses every class but dates, times and decimals, so a tampered file
cannot run code; the file lives in the media folder, which is never served.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime
import decimal
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings

ALLOWED = {
    ("builtins", "str"),
    ("builtins", "int"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("decimal", "Decimal"),
}


def folder() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports" / "checked"
    path.mkdir(parents=True, exist_ok=True)
    return path


def name_for(job_pk: int, token: str) -> str:
    """One file per attempt: a worker that lost its lease cannot write into the new one's."""
    return f"{job_pk}-{token}.rows"


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in ALLOWED:
            return getattr(
                {"datetime": datetime, "decimal": decimal, "builtins": builtins}[module], name
            )
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in checked rows")


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        """Choices and other str / int subclasses are kept as the plain value they stand for
        (the reader would refuse their classes)."""
        if isinstance(obj, str):
            return str, (str(obj),)
        if isinstance(obj, int) and not isinstance(obj, bool):
            return int, (int(obj),)
        return NotImplemented


class Writer:
    def __init__(self, path: Path):
        self.path = path
        self.stream: IO[bytes] = open(path, "wb")  # noqa: SIM115 (closed by close())
        self.count = 0

    def write(self, rows: list[dict[str, Any]]) -> None:
        _Pickler(self.stream, protocol=pickle.HIGHEST_PROTOCOL).dump(rows)
        self.count += len(rows)

    def close(self) -> None:
        self.stream.close()


def read(path: Path, skip: int = 0, chunk: int = 2000) -> Iterator[list[dict[str, Any]]]:
    """The kept rows from the `skip`-th on, in lists of at most `chunk` rows."""
    buffer: list[dict[str, Any]] = []
    with open(path, "rb") as stream:
        while True:
            try:
                rows = _Unpickler(stream).load()
            except EOFError:
                break
            if skip >= len(rows):
                skip -= len(rows)
                continue
            buffer.extend(rows[skip:])
            skip = 0
            while len(buffer) >= chunk:
                yield buffer[:chunk]
                del buffer[:chunk]
    if buffer:
        yield buffer


def remove_all(job_pk: int, keep: str = "") -> None:
    """Remove the job's checked-rows files (all, or all but `keep`)."""
    for path in folder().glob(f"{job_pk}-*.rows"):
        if path.name != keep:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
