"""PDF documents (WeasyPrint, HTML templates → PDF) in Noto Sans CJK SC, so Chinese prints
correctly (the Debian package fonts-noto-cjk supplies the font and WeasyPrint embeds it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation


def html_to_pdf(html: str) -> bytes:
    """Documents are self-contained (inline CSS and SVG): the fetcher allows data: URLs
    only, so a value typed into a record can never make the server fetch anything."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=["data"])
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def render_pdf(template: str, context: dict[str, Any], *, language: str | None = None) -> bytes:
    base = {
        "company": settings.SERVICELOOP_COMPANY_NAME,
        "printed_at": timezone.localtime(),
    }
    if language:
        with translation.override(language):
            html = render_to_string(template, {**base, **context})
    else:
        html = render_to_string(template, {**base, **context})
    return html_to_pdf(html)


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
