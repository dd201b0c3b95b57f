"""PDF documents shared by every app: HTML templates → PDF with WeasyPrint, in Noto Sans CJK
SC (Debian's fonts-noto-cjk), with the company's letterhead (core.company.letterhead).

Documents are self-contained (inline CSS, SVG and data: images): the fetcher allows data:
URLs only, so a value typed into a record can never make the server fetch anything."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from .company import letterhead
from .files import PDF_TYPE, file_response


def _html(html: str) -> Any:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"]))


def html_to_pdf(html: str) -> bytes:
    return _html(html).write_pdf()


def render_html(template: str, context: dict[str, Any], *, language: str | None = None) -> str:
    """A document template rendered with the letterhead context (and in `language`)."""
    with translation.override(language) if language else nullcontext():
        return render_to_string(template, letterhead(**context))


def render_pdf(template: str, context: dict[str, Any], *, language: str | None = None) -> bytes:
    return html_to_pdf(render_html(template, context, language=language))


def pdf_with_appendix(main_html: str, *appendix_html: str) -> bytes:
    """One PDF of the main document followed by the pages of each appendix document (each
    laid out on its own, so its page numbers and running headers stay its own)."""
    main = _html(main_html).render()
    pages = list(main.pages)
    for html in appendix_html:
        pages.extend(_html(html).render().pages)
    return main.copy(pages).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF as a download (core.files.file_response)."""
    return file_response(content, filename, PDF_TYPE)
