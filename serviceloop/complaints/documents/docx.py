"""The reply letter as DOCX (python-docx). The East-Asian font is set explicitly
(w:rFonts w:eastAsia) so that Word shows the Chinese text in a Chinese font."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

from serviceloop.core.documents import docx_bytes, docx_paragraph, docx_table, letter_docx

_paragraph = docx_paragraph
_table = docx_table


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


def reply_docx(letter: Any) -> bytes:
    report = letter.report
    complaint = report.complaint
    with translation.override("zh-hans"):
        sent = letter.sent_at or timezone.now()
        dated = timezone.localtime(sent).strftime("%Y-%m-%d")
        doc = letter_docx(
            title=letter.title,
            headers=[_("To"), _("Our reference"), _("Date")],
            facts=[complaint.customer.name, f"{complaint.number} / {report.number}", dated],
            subject_line=_("Subject: %s") % letter.subject,
            body=letter.body,
            signature=_("Quality Management"),
            dated=dated,
        )
        if letter.attach_8d:
            _attach_report(doc, report)
        return docx_bytes(doc)
