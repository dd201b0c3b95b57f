"""The reply letter as DOCX (python-docx). The East-Asian font is set explicitly
(w:rFonts w:eastAsia) so that Word shows the Chinese text in a Chinese font."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from serviceloop.core.company import company_profile

EAST_ASIA_FONT = "宋体"  # SimSun: present with every Chinese edition of Word
LATIN_FONT = "Times New Roman"


def _fonts(style_or_run: Any, size: float | None = None, bold: bool | None = None) -> None:
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


def _paragraph(doc: Any, text: str, *, size: float = 11, bold: bool = False, align=None) -> Any:
    p = doc.add_paragraph()
    run = p.add_run(text)
    _fonts(run, size, bold)
    if align is not None:
        p.alignment = align
    return p


def _table(doc: Any, headers: list[str], rows: list[list[str]], size: float = 9) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        _fonts(cell.paragraphs[0].add_run(text), size, True)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = ""
            _fonts(cell.paragraphs[0].add_run(text), size)


def _attach_report(doc: Any, report: Any) -> None:
    from .structure import eightd_sections, header_facts

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _paragraph(
        doc, _("8D report %s") % report.number, size=15, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    _table(doc, [_("Item"), _("Value")], [[k, v] for k, v in header_facts(report)])
    for section in eightd_sections(report):
        _paragraph(doc, section.title, size=12, bold=True)
        _paragraph(doc, " · ".join(f"{k}: {v}" for k, v in section.facts), size=9)
        if section.text:
            for line in section.text.splitlines():
                _paragraph(doc, line)
        for record in section.records:
            _paragraph(doc, record.title, bold=True)
            _paragraph(doc, " · ".join(f"{k}: {v}" for k, v in record.facts), size=9)
            if record.text:
                _paragraph(doc, record.text, size=10)
        for table in section.tables:
            if table.rows:
                _table(doc, table.headers, table.rows)


def _letterhead(doc: Any, profile: Any) -> None:
    """The company's letterhead (core.company): logo, names, address and phone."""
    if profile.logo:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run().add_picture(BytesIO(bytes(profile.logo)), height=Mm(12))
    _paragraph(doc, profile.name_zh, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    if profile.name_en:
        _paragraph(doc, profile.name_en, size=9, align=WD_ALIGN_PARAGRAPH.CENTER)
    contact = [profile.address]
    if profile.phone:
        contact.append(f"{_('Tel.')} {profile.phone}")
    if profile.fax:
        contact.append(f"{_('Fax')} {profile.fax}")
    contact_line = " · ".join(c for c in contact if c)
    if contact_line:
        _paragraph(doc, contact_line, size=8, align=WD_ALIGN_PARAGRAPH.CENTER)


def _signature(doc: Any, profile: Any, signed: Any, department: str) -> None:
    _paragraph(doc, "")
    right = WD_ALIGN_PARAGRAPH.RIGHT
    if profile.seal:
        p = doc.add_paragraph()
        p.alignment = right
        p.add_run().add_picture(BytesIO(bytes(profile.seal)), height=Mm(28))
    _paragraph(doc, f"{profile.name_zh} {department}", align=right)
    if profile.signatory_name:
        who = profile.signatory_name
        if profile.signatory_title:
            who = f"{profile.signatory_title}: {who}"
        _paragraph(doc, who, align=right)
    _paragraph(doc, f"{_('Date')}: {timezone.localtime(signed).strftime('%Y-%m-%d')}", align=right)


def reply_docx(letter: Any) -> bytes:
    report = letter.report
    complaint = report.complaint
    with translation.override("zh-hans"):
        doc = Document()
        section = doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Mm(25))
        _fonts(doc.styles["Normal"], 11)
        profile = company_profile()
        _letterhead(doc, profile)
        _paragraph(doc, letter.title, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        sent = letter.sent_at or timezone.now()
        _table(
            doc,
            [_("To"), _("Our reference"), _("Date")],
            [
                [
                    complaint.customer.name,
                    f"{complaint.number} / {report.number}",
                    timezone.localtime(sent).strftime("%Y-%m-%d"),
                ]
            ],
            size=10,
        )
        _paragraph(doc, _("Subject: %s") % letter.subject, bold=True)
        for line in letter.body.splitlines():
            _paragraph(doc, line)
        _paragraph(doc, "")
        _signature(doc, profile, sent, _("Quality Management"))
        if letter.attach_8d:
            _attach_report(doc, report)
        buf = BytesIO()
        doc.save(buf)
        return buf.getvalue()
