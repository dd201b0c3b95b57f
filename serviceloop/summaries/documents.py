"""The summary's PDF and DOCX, in Chinese on the company's letterhead (core.documents)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation

from serviceloop.core.company import company_profile
from serviceloop.core.documents import (
    a4_document,
    docx_bytes,
    docx_letterhead,
    docx_paragraph,
    docx_table,
    render_pdf,
)

from .charts import summary_charts
from .report import figure_sections, narrative_sections
from .selectors import REPORT_LANGUAGE as LANGUAGE


def _context(summary: Any) -> dict[str, Any]:
    return {
        "s": summary,
        "sections": figure_sections(summary.figures),
        "narrative": narrative_sections(summary),
        "charts": summary_charts(summary.figures),
        "printed_at": timezone.now(),
    }


def summary_pdf(summary: Any) -> bytes:
    with translation.override(LANGUAGE):
        return render_pdf("summaries/pdf.html", _context(summary), language=LANGUAGE)


def summary_docx(summary: Any) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    with translation.override(LANGUAGE):
        gettext = translation.gettext
        doc = a4_document()
        docx_letterhead(doc, company_profile())
        docx_paragraph(
            doc,
            gettext("Service work summary report"),
            size=18,
            bold=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )
        docx_paragraph(
            doc,
            f"{summary.period} · {summary.period_start:%Y-%m-%d} – {summary.period_end:%Y-%m-%d}"
            f" · {gettext('Status')}: {summary.get_status_display()}",
            size=10,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )
        for n, (heading, rows) in enumerate(figure_sections(summary.figures), start=1):
            docx_paragraph(doc, f"{n}. {heading}", size=13, bold=True)
            docx_table(doc, [gettext("Figure"), gettext("Value")], [list(r) for r in rows])
        for heading, text in narrative_sections(summary):
            docx_paragraph(doc, heading, size=13, bold=True)
            for line in (text or "—").splitlines():
                docx_paragraph(doc, line)
        if summary.approved_at:
            docx_paragraph(
                doc,
                f"{gettext('Approved')}: {summary.approved_by} "
                f"{timezone.localtime(summary.approved_at):%Y-%m-%d}",
                align=WD_ALIGN_PARAGRAPH.RIGHT,
            )
        return docx_bytes(doc)
