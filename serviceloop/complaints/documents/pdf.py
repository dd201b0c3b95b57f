"""PDF documents (WeasyPrint, HTML templates → PDF) in Noto Sans CJK SC, so Chinese prints
correctly (the Debian package fonts-noto-cjk supplies the font and WeasyPrint embeds it)."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from serviceloop.core.documents import html_to_pdf, render_pdf

__all__ = ["eightd_pdf", "html_to_pdf", "render_pdf", "reply_pdf"]


def eightd_pdf(report: Any) -> bytes:
    from .structure import eightd_sections, header_facts

    return render_pdf(
        "complaints/pdf/eightd.html",
        {"report": report, "facts": header_facts(report), "sections": eightd_sections(report)},
    )


def reply_pdf(letter: Any) -> bytes:
    """The reply letter in Chinese, the form the customers read; with the full 8D report
    after it where the customer's form asks for one."""
    from .structure import eightd_sections, header_facts

    report = letter.report
    with translation.override("zh-hans"):
        context: dict[str, Any] = {
            "letter": letter,
            "report": report,
            "complaint": report.complaint,
        }
        if letter.attach_8d:
            context.update(facts=header_facts(report), sections=eightd_sections(report))
        return render_pdf("complaints/pdf/reply.html", context)
