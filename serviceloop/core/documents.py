"""PDF documents shared by every app: HTML templates → PDF with WeasyPrint, in Noto Sans CJK
SC (Debian's fonts-noto-cjk), with the company's letterhead (core.company.letterhead).

Documents are self-contained (inline CSS, SVG and data: images): the fetcher allows data:
URLs only, so a value typed into a record can never make the server fetch anything."""

from __future__ import annotations

from contextlib import nullcontext
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .company import company_profile, letterhead
from .files import DOCX_TYPE, PDF_TYPE, file_response

__all__ = [
    "DOCX_TYPE",
    "PDF_TYPE",
    "file_response",
    "html_to_pdf",
    "letter_docx",
    "pdf_response",
    "pdf_with_appendix",
    "render_html",
    "render_pdf",
]

EAST_ASIA_FONT = "宋体"  # SimSun: present with every Chinese edition of Word
LATIN_FONT = "Times New Roman"


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


def docx_letterhead(doc: Any, profile: Any) -> None:
    """The company's letterhead (core.company) in a DOCX: logo, names, address and phone."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    center = WD_ALIGN_PARAGRAPH.CENTER
    if profile.logo:
        p = doc.add_paragraph()
        p.alignment = center
        p.add_run().add_picture(BytesIO(bytes(profile.logo)), height=Mm(12))
    docx_paragraph(doc, profile.name_zh, size=14, bold=True, align=center)
    if profile.name_en:
        docx_paragraph(doc, profile.name_en, size=9, align=center)
    contact = [profile.address]
    if profile.phone:
        contact.append(f"{_('Tel.')} {profile.phone}")
    if profile.fax:
        contact.append(f"{_('Fax')} {profile.fax}")
    contact_line = " · ".join(c for c in contact if c)
    if contact_line:
        docx_paragraph(doc, contact_line, size=8, align=center)


def docx_signature(doc: Any, profile: Any, dated: str, department: str) -> None:
    """The company's signature block (seal, signatory) in a DOCX."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    docx_paragraph(doc, "")
    right = WD_ALIGN_PARAGRAPH.RIGHT
    if profile.seal:
        p = doc.add_paragraph()
        p.alignment = right
        p.add_run().add_picture(BytesIO(bytes(profile.seal)), height=Mm(28))
    docx_paragraph(doc, f"{profile.name_zh} {department}", align=right)
    if profile.signatory_name:
        who = profile.signatory_name
        if profile.signatory_title:
            who = f"{profile.signatory_title}: {who}"
        docx_paragraph(doc, who, align=right)
    docx_paragraph(doc, f"{_('Date')}: {dated}", align=right)


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
    """A letter to a customer on the company's letterhead: title, a table of
    addressee/reference/date, the subject, the body line by line, and the signature block.
    Returns the document, so a caller can append (e.g. a report) before `docx_bytes`."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = a4_document()
    profile = company_profile()
    docx_letterhead(doc, profile)
    docx_paragraph(doc, title, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    docx_table(doc, headers, [facts], size=10)
    docx_paragraph(doc, subject_line, bold=True)
    for line in body.splitlines():
        docx_paragraph(doc, line)
    docx_signature(doc, profile, dated, signature)
    return doc
