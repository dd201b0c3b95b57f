"""Input checks shared by the early-warning statistics (R-5.4.3).

Every check raises :class:`DataError` naming the row and column of the first bad cell, so a
user can find it at once (design rule 6). Rows are numbered from ``row_offset`` for the first
element: 1 for plain arrays, 2 for a CSV file whose header is row 1 (as a spreadsheet shows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class DataError(ValueError):
    """Input that cannot be analysed; ``row`` (1-based) and ``column`` name the culprit."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        self.detail = message
        self.row = row
        self.column = column
        where = []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


@dataclass(frozen=True)
class LifeData:
    """Validated life data: positive times, 0/1 failure flags and non-negative weights."""

    times: FloatArray
    failed: npt.NDArray[np.bool_]
    weights: FloatArray

    @property
    def n(self) -> float:
        return float(self.weights.sum())

    @property
    def failures(self) -> float:
        return float(self.weights @ self.failed)


def float_column(values: npt.ArrayLike, column: str, row_offset: int) -> FloatArray:
    """Convert to float64, naming the first cell that is not a finite number."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        items = list(np.asarray(values, dtype=object).ravel())
        for i, item in enumerate(items):
            try:
                float(item)
            except (TypeError, ValueError):
                what = "empty cell" if str(item).strip() == "" else f"{item!r} is not a number"
                raise DataError(what, row=i + row_offset, column=column) from None
        raise DataError("values are not numbers", column=column) from None
    if arr.ndim != 1:
        raise DataError(f"expected a 1-D column, got shape {arr.shape}", column=column)
    bad = ~np.isfinite(arr)
    if bad.any():
        i = int(np.argmax(bad))
        raise DataError(f"{arr[i]!r} is not a finite number", row=i + row_offset, column=column)
    return arr


def first_row(mask: npt.NDArray[np.bool_], row_offset: int) -> int:
    return int(np.argmax(mask)) + row_offset


def validate_life_data(
    times: npt.ArrayLike,
    events: npt.ArrayLike,
    counts: npt.ArrayLike | None = None,
    *,
    row_offset: int = 1,
    columns: Sequence[str] = ("time", "event", "count"),
) -> LifeData:
    """Check and convert life data; raise :class:`DataError` naming row and column.

    ``events`` holds 1 for a failure and 0 for a right-censored unit. ``row_offset`` is the
    row number reported for the first element (1 = first data row; the CLI passes 2 so that
    numbers match the CSV file, whose header is row 1).
    """
    t_col, e_col, c_col = columns
    t = float_column(times, t_col, row_offset)
    e = float_column(events, e_col, row_offset)
    if t.size == 0:
        raise DataError("no data rows")
    if e.shape != t.shape:
        raise DataError(f"{e.size} values but {t.size} times", column=e_col)
    nonpositive = t <= 0
    if nonpositive.any():
        i = first_row(nonpositive, row_offset)
        value = t[i - row_offset]
        raise DataError(f"times must be positive, got {value:g}", row=i, column=t_col)
    not_flag = (e != 0) & (e != 1)
    if not_flag.any():
        i = first_row(not_flag, row_offset)
        value = e[i - row_offset]
        raise DataError(f"must be 1 (failure) or 0 (censored), got {value:g}", row=i, column=e_col)
    if counts is None:
        w = np.ones_like(t)
    else:
        w = float_column(counts, c_col, row_offset)
        if w.shape != t.shape:
            raise DataError(f"{w.size} values but {t.size} times", column=c_col)
        negative = w < 0
        if negative.any():
            i = first_row(negative, row_offset)
            raise DataError(f"counts must be >= 0, got {w[i - row_offset]:g}", row=i, column=c_col)
        if not w.any():
            raise DataError("all counts are zero", column=c_col)
    failed = e == 1
    if not (w * failed).any():
        raise DataError(
            f"all {w.sum():g} units are censored (no failures): the life distribution "
            "cannot be estimated",
            column=e_col,
        )
    return LifeData(times=t, failed=failed, weights=w)


def integer_column(
    values: npt.ArrayLike, column: str, row_offset: int, *, minimum: int | None = None
) -> IntArray:
    """Convert to int64, naming the first cell that is not a whole number (>= minimum)."""
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        out = arr.astype(np.int64, copy=False)
        if out.ndim != 1:
            raise DataError(f"expected a 1-D column, got shape {out.shape}", column=column)
    else:
        f = float_column(values, column, row_offset)
        fractional = f != np.round(f)
        if fractional.any():
            i = first_row(fractional, row_offset)
            value = f[i - row_offset]
            raise DataError(f"{value:g} is not a whole number", row=i, column=column)
        out = f.astype(np.int64)
    if minimum is not None:
        below = out < minimum
        if below.any():
            i = first_row(below, row_offset)
            value = int(out[i - row_offset])
            raise DataError(f"must be >= {minimum}, got {value}", row=i, column=column)
    return out
