"""Pure rules of communications (no Django)."""

from __future__ import annotations

import re
from typing import TypedDict

_PART = re.compile(
    r"(?:零件号|图号|件号|物料号|part(?:\s*(?:no\.?|number))?)\s*[::#]?\s*([A-Za-z0-9][A-Za-z0-9._/-]{2,})",
    re.IGNORECASE,
)
_PART_CODE = re.compile(r"\b([A-Z]{1,5}-?\d{3,}[A-Z0-9-]*)\b")
_LOT = re.compile(r"(?:批次号|批号|批次|lot)\s*[::#]?\s*([A-Za-z0-9][A-Za-z0-9._/-]{2,})", re.I)
_QTY = re.compile(r"(\d{1,7})\s*(?:件|只|个|套|台|pcs\b|pieces\b)", re.IGNORECASE)


class PartFacts(TypedDict):
    part_number: str
    lot: str
    quantity: int | None


def part_facts(*texts: str) -> PartFacts:
    """Part number, lot and quantity as far as the words of a communication name them
    ("零件号 SA-1001, 批次 2409A, 共 20 件"): the guess that prefills the major-problem form,
    for the person flagging to correct."""
    text = "\n".join(t for t in texts if t)
    part = _PART.search(text) or _PART_CODE.search(text)
    lot = _LOT.search(text)
    qty = _QTY.search(text)
    return {
        "part_number": part.group(1) if part else "",
        "lot": lot.group(1) if lot else "",
        "quantity": int(qty.group(1)) if qty else None,
    }
