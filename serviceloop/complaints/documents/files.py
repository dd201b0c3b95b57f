"""Download responses for the documents of complaints (shared by pages and API)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from serviceloop.core.documents import DOCX_TYPE, file_response

__all__ = ["DOCX_TYPE", "file_response"]


def reply_pdf_response(letter: Any) -> HttpResponse:
    from .pdf import reply_pdf

    return file_response(reply_pdf(letter), f"reply-{letter.report.number}.pdf", "application/pdf")


def reply_docx_response(letter: Any) -> HttpResponse:
    from .docx import reply_docx

    return file_response(reply_docx(letter), f"reply-{letter.report.number}.docx", DOCX_TYPE)


def eightd_pdf_response(report: Any) -> HttpResponse:
    from .pdf import eightd_pdf

    return file_response(eightd_pdf(report), f"{report.number}.pdf", "application/pdf")
