"""Printed forms of field service: the return-for-repair form (退修单, R-5.9.2) that travels
with the goods, on the company's letterhead (core.documents), in Chinese."""

from __future__ import annotations

from serviceloop.core.documents import render_pdf

from .models import ReturnForRepairForm


def return_form_pdf(form: ReturnForRepairForm) -> bytes:
    lines = list(form.lines.select_related("part"))
    counted = [line.counted_quantity for line in lines]
    return render_pdf(
        "fieldservice/pdf/return_form.html",
        {
            "f": form,
            "lines": lines,
            "total": sum(line.quantity for line in lines),
            "counted_total": sum(c for c in counted if c is not None)
            if any(c is not None for c in counted)
            else None,
        },
        language="zh-hans",
    )
