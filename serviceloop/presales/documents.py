"""Letters to the customer as PDF and DOCX, in Chinese: the polite explanation of a special
request found not feasible (R-5.1.3) and the result of analysis and corrective action
(R-5.2.5). Built on the shared helpers in core.documents."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from serviceloop.core.documents import (
    DOCX_TYPE,
    docx_bytes,
    file_response,
    letter_docx,
    render_pdf,
)

from .models import ResultLetter, SpecialRequest


def _letter(obj: Any) -> dict[str, Any]:
    """Title, subject, body, reference and date of the letter for a record."""
    if isinstance(obj, SpecialRequest):
        from .services.special import default_explanation

        when = obj.explained_at or timezone.now()
        return {
            "title": "情况说明函",
            "subject": f"关于{obj.get_kind_display()}申请(编号 {obj.number})的说明",
            "body": obj.explanation or default_explanation(obj),
            "reference": obj.number,
            "signature": "销售部",
            "customer": obj.customer,
            "dated": timezone.localtime(when).strftime("%Y-%m-%d"),
        }
    assert isinstance(obj, ResultLetter)
    when = obj.sent_at or timezone.now()
    source = obj.requirement or obj.communication
    return {
        "title": "分析与纠正措施结果通知函",
        "subject": obj.subject,
        "body": obj.body,
        "reference": f"{obj.number} / {source.number}" if source else obj.number,
        "signature": "销售部",
        "customer": obj.customer,
        "dated": timezone.localtime(when).strftime("%Y-%m-%d"),
    }


def letter_pdf(obj: Any) -> bytes:
    with translation.override("zh-hans"):
        return render_pdf("presales/pdf/letter.html", _letter(obj))


def letter_docx_bytes(obj: Any) -> bytes:
    with translation.override("zh-hans"):
        data = _letter(obj)
        doc = letter_docx(
            title=data["title"],
            headers=[_("To"), _("Our reference"), _("Date")],
            facts=[data["customer"].name, data["reference"], data["dated"]],
            subject_line=_("Subject: %s") % data["subject"],
            body=data["body"],
            signature=data["signature"],
            dated=data["dated"],
        )
        return docx_bytes(doc)


def decline_pdf_response(special: SpecialRequest) -> HttpResponse:
    return file_response(letter_pdf(special), f"{special.number}.pdf", "application/pdf")


def decline_docx_response(special: SpecialRequest) -> HttpResponse:
    return file_response(letter_docx_bytes(special), f"{special.number}.docx", DOCX_TYPE)


def result_pdf_response(letter: ResultLetter) -> HttpResponse:
    return file_response(letter_pdf(letter), f"{letter.number}.pdf", "application/pdf")


def result_docx_response(letter: ResultLetter) -> HttpResponse:
    return file_response(letter_docx_bytes(letter), f"{letter.number}.docx", DOCX_TYPE)
