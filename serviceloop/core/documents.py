"""Document helpers shared by the apps' letters and reports: PDF from an HTML template
(WeasyPrint, Noto Sans CJK SC so Chinese prints correctly), DOCX pieces with the East-Asian
font set (python-docx), and the download response. Moved here from complaints (reply letters)
so that every app's letters come out of the same code."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EAST_ASIA_FONT = "宋体"  # SimSun: present with every Chinese edition of Word
LATIN_FONT = "Times New Roman"


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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


def docx_fonts(style_or_run: Any, size: float | None = None, bold: bool | None = None) -> None:
    """Set the Latin and the East-Asian font (w:rFonts w:eastAsia), so that Word shows the
    Chinese text in a Chinese font."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = style_or_run.font
    font.name = LATIN_FONT
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi"):
        rfonts.set(qn(attr), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), EAST_ASIA_FONT)


def docx_paragraph(doc: Any, text: str, *, size: float = 11, bold: bool = False, align=None) -> Any:
    p = doc.add_paragraph()
    run = p.add_run(text)
    docx_fonts(run, size, bold)
    if align is not None:
        p.alignment = align
    return p


def docx_table(doc: Any, headers: list[str], rows: list[list[str]], size: float = 9) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        docx_fonts(cell.paragraphs[0].add_run(text), size, True)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = ""
            docx_fonts(cell.paragraphs[0].add_run(text), size)


def a4_document() -> Any:
    """A portrait A4 document with 25 mm side margins in the letters' fonts."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(25))
    docx_fonts(doc.styles["Normal"], 11)
    return doc


def docx_bytes(doc: Any) -> bytes:
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


def letter_docx(
    *,
    title: str,
    headers: list[str],
    facts: list[str],
    subject_line: str,
    body: str,
    signature: str,
    dated: str,
) -> Any:
    """A letter to a customer: company, title, a table of addressee/reference/date, the
    subject, the body line by line, and the signature. Returns the document, so a caller can
    append (e.g. a report) before `docx_bytes`."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = a4_document()
    company = str(settings.SERVICELOOP_COMPANY_NAME)
    docx_paragraph(doc, company, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    docx_paragraph(doc, title, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    docx_table(doc, headers, [facts], size=10)
    docx_paragraph(doc, subject_line, bold=True)
    for line in body.splitlines():
        docx_paragraph(doc, line)
    docx_paragraph(doc, "")
    docx_paragraph(doc, f"{company} {signature}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    docx_paragraph(doc, dated, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return doc
