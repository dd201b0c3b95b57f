"""Column tables: what a kind of import reads, and how a header row maps onto them.

A kind lists its columns once — field, Chinese header as the template writes it, aliases
(English, older spellings), type, required, example, help — and the engine does the rest:
finding the header row, naming errors by the header as written in the file, parsing each
cell by its type with a message a person understands, and writing the template.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from . import cells

TEXT, DATE, MONTH, INTEGER, DECIMAL, BOOL, CHOICE, RAW = (
    "text",
    "date",
    "month",
    "integer",
    "decimal",
    "bool",
    "choice",
    "raw",
)
TYPES = (TEXT, DATE, MONTH, INTEGER, DECIMAL, BOOL, CHOICE, RAW)
DEFAULT_BOUND = Decimal(10) ** 12  # a number beyond this is a typo, not a quantity
HEADER_SEARCH_ROWS = 10


class CellError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ChoiceWords(Mapping[str, str]):
    """Words people write for a choice -> its stored value: the value itself, its label in
    English and in Chinese, and the synonyms given. Built on first use (labels need the
    translations, which are not loaded while apps register their kinds)."""

    def __init__(self, choices: Any, synonyms: Mapping[Any, list[str]] | None = None):
        self.choices, self.synonyms = choices, synonyms or {}
        self._words: dict[str, str] | None = None

    def _build(self) -> dict[str, str]:
        from django.utils import translation

        words: dict[str, str] = {}
        for value, label in self.choices.choices:
            words[cells.norm(value)] = str(value)
            for language in ("en", "zh-hans"):
                with translation.override(language):
                    words[cells.norm(label)] = str(value)
        for value, synonyms in self.synonyms.items():
            for word in synonyms:
                words[cells.norm(word)] = str(value)
        return words

    @property
    def words(self) -> dict[str, str]:
        if self._words is None:
            self._words = self._build()
        return self._words

    def __getitem__(self, key: str) -> str:
        return self.words[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # Chinese, as the template writes it
    type: str = TEXT
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: Any = ""
    help: Any = ""
    max_length: int | None = None
    min_value: Decimal | int | None = None
    max_value: Decimal | int | None = None
    places: int | None = None  # decimals are rounded to this many places
    choices: Mapping[str, str] | None = None  # normalised word (cells.norm) -> stored value
    choice_message: Any = ""
    not_future: bool = False  # dates and months
    in_template: bool = True
    names: tuple[str, ...] = dataclass_field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"column {self.field}: unknown type {self.type!r}")
        names = tuple(
            dict.fromkeys(cells.norm(n) for n in (self.header, self.field, *self.aliases))
        )
        object.__setattr__(self, "names", names)

    def parser(self, today: date) -> Callable[[Any], Any]:
        """A function raw cell -> value (CellError with the message when it is not one)."""
        return _PARSERS[self.type](self, today)


def _text(col: Column, today: date) -> Callable[[Any], Any]:
    limit = col.max_length

    def parse(raw: Any) -> str:
        value = cells.text(raw)
        if limit is not None and len(value) > limit:
            raise CellError(_("At most %(n)s characters.") % {"n": limit})
        if cells.CONTROL.search(value):
            raise CellError(_("Control characters are not allowed."))
        return value

    return parse


def _dated(col: Column, today: date, month: bool) -> Callable[[Any], Any]:
    latest: Any = f"{today:%Y-%m}" if month else today

    def parse(raw: Any) -> Any:
        try:
            value: Any = cells.parse_month(raw) if month else cells.parse_date(raw)
        except (ValueError, OverflowError):
            if month:
                raise CellError(_("Not a month; write it as YYYY-MM, e.g. 2025-03.")) from None
            raise CellError(_("Not a date; write it as YYYY-MM-DD.")) from None
        if col.not_future and value > latest:
            raise CellError(
                _("This month lies in the future.") if month else _("This date lies in the future.")
            )
        return value

    return parse


def _number(col: Column, today: date, whole: bool) -> Callable[[Any], Any]:
    low = Decimal(col.min_value) if col.min_value is not None else -DEFAULT_BOUND
    high = Decimal(col.max_value) if col.max_value is not None else DEFAULT_BOUND
    step = Decimal(1).scaleb(-col.places) if col.places is not None else None

    def parse(raw: Any) -> Any:
        try:
            number = cells.parse_decimal(raw)
        except ValueError:
            raise CellError(_("Not a whole number.") if whole else _("Not a number.")) from None
        if number < low:
            if low == 0:
                raise CellError(_("Must not be negative."))
            raise CellError(_("Must be at least %(n)s.") % {"n": low})
        if number > high:
            raise CellError(_("Too large; at most %(n)s.") % {"n": high})
        if whole:
            if number != number.to_integral_value():
                raise CellError(_("Must be a whole number."))
            return int(number)
        if step is not None:
            try:
                return number.quantize(step)
            except InvalidOperation:
                raise CellError(_("Not a number.")) from None
        return number

    return parse


def _bool(col: Column, today: date) -> Callable[[Any], Any]:
    def parse(raw: Any) -> bool:
        try:
            return cells.parse_bool(raw)
        except ValueError:
            raise CellError(_("Write 是 (yes), 否 (no) or leave it empty.")) from None

    return parse


def _choice(col: Column, today: date) -> Callable[[Any], Any]:
    choices = col.choices or {}

    def parse(raw: Any) -> str:
        found = choices.get(cells.norm(cells.text(raw)))
        if found is None:
            raise CellError(
                str(col.choice_message) or _("Unknown value %(v)s.") % {"v": cells.text(raw)[:40]}
            )
        return found

    return parse


_PARSERS: dict[str, Callable[[Column, date], Callable[[Any], Any]]] = {
    TEXT: _text,
    DATE: lambda c, t: _dated(c, t, month=False),
    MONTH: lambda c, t: _dated(c, t, month=True),
    INTEGER: lambda c, t: _number(c, t, whole=True),
    DECIMAL: lambda c, t: _number(c, t, whole=False),
    BOOL: _bool,
    CHOICE: _choice,
    RAW: lambda c, t: lambda raw: raw,
}


@dataclass
class Header:
    """A header row mapped onto a column table."""

    number: int  # spreadsheet row of the header
    index: dict[int, Column]  # cell position -> column
    written: dict[str, str]  # field -> header as written in the file (or the template's)
    missing: list[Column]
    twice: list[str]
    unknown: list[str]


def map_header(number: int, row: tuple[Any, ...], columns: tuple[Column, ...]) -> Header:
    by_name = {name: col for col in columns for name in col.names}
    index: dict[int, Column] = {}
    written: dict[str, str] = {}
    twice: list[str] = []
    unknown: list[str] = []
    for position, cell in enumerate(row):
        if cells.blank(cell):
            continue
        col = by_name.get(cells.norm(cell))
        if col is None:
            unknown.append(cells.text(cell)[:60])
        elif col.field in written:
            twice.append(cells.text(cell)[:60])
        else:
            index[position] = col
            written[col.field] = cells.text(cell)[:60]
    missing = [c for c in columns if c.required and c.field not in written]
    for col in columns:
        written.setdefault(col.field, col.header)
    return Header(number, index, written, missing, twice, unknown)


def find_header(
    rows: Iterator[tuple[int, tuple[Any, ...]]], columns: tuple[Column, ...]
) -> tuple[Header | None, Iterator[tuple[int, tuple[Any, ...]]]]:
    """The header is the first of the top rows that names every required column (a sheet
    may carry a title such as "2026年三包索赔汇总" above it), else the first non-empty row
    (whose missing columns are then reported). Returns it and the rows below it."""
    import itertools

    by_name = {name for col in columns for name in col.names}
    required = {c.field for c in columns if c.required}
    seen: list[tuple[int, tuple[Any, ...]]] = []
    for number, row in rows:
        seen.append((number, row))
        names = {cells.norm(c) for c in row if not cells.blank(c)} & by_name
        fields = {c.field for c in columns if set(c.names) & names}
        if fields and required <= fields:
            return map_header(number, row, columns), rows
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    for position, (number, row) in enumerate(seen):
        if not all(cells.blank(c) for c in row):
            return map_header(number, row, columns), itertools.chain(seen[position + 1 :], rows)
    return None, rows
