"""PDF documents of complaints (core.documents: WeasyPrint, Noto Sans CJK SC, the company's
letterhead)."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from serviceloop.core.documents import html_to_pdf, pdf_with_appendix, render_html


def _eightd_html(report: Any) -> str:
    from .structure import eightd_sections, header_facts

    return render_html(
        "complaints/pdf/eightd.html",
        {"report": report, "facts": header_facts(report), "sections": eightd_sections(report)},
    )


def eightd_pdf(report: Any) -> bytes:
    return html_to_pdf(_eightd_html(report))


def reply_pdf(letter: Any) -> bytes:
    """The reply letter in Chinese, the form the customers read; where the letter is to
    carry the full 8D report ("附完整8D报告"), the 8D report's own pages follow it."""
    report = letter.report
    with translation.override("zh-hans"):
        context: dict[str, Any] = {
            "letter": letter,
            "report": report,
            "complaint": report.complaint,
            "signed_on": letter.sent_at,
            "department": translation.gettext("Quality Management"),
        }
        html = render_html("complaints/pdf/reply.html", context)
        if not letter.attach_8d:
            return html_to_pdf(html)
        return pdf_with_appendix(html, _eightd_html(report))
