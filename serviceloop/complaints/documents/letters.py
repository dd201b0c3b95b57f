"""Reply letters (回答书, R-5.5.6): the default Chinese letter, the customers' own forms, and
filling either from the 8D report.

A letter form is text in Django's template language with the placeholders listed in
`PLACEHOLDERS`. It runs in an engine of its own with no template loaders, so a form can
neither include nor extend files; a form that does not parse is refused, naming the field.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Template
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serviceloop.core.company import company_profile

from ..models import (
    ActionKind,
    ActionStatus,
    CauseKind,
    EightDReport,
    ReplyTemplate,
)

# The company's default letter form: data, in the language the customers read.
DEFAULT_TITLE = "顾客投诉回答书"
DEFAULT_SUBJECT = "关于{{ customer }}投诉(编号 {{ complaint_number }})的答复"
_OPENING = (
    "贵公司于{{ received_date }}反馈的零件{{ part_number }}"
    "{% if part_name %}({{ part_name }}){% endif %}质量问题"
    '(批次号:{{ lot|default:"—" }},数量:{{ quantity|default:"—" }}),'
    "我公司已按8D方法组织调查和处理(8D报告编号:{{ report_number }})。"
    "现将调查处理结果答复如下:"
)
DEFAULT_BODY = (
    """{{ customer }}:

"""
    + _OPENING
    + """

一、问题描述
{{ problem }}

二、临时围堵措施
{{ containment }}

三、原因分析
产生原因:{{ occurrence_causes }}
流出原因:{{ escape_causes }}

四、纠正措施
{{ corrective_actions }}

五、预防再发生措施
{{ preventive_actions }}

六、效果验证
{{ verification }}

对此次质量问题给贵公司带来的不便,我们深表歉意。我公司将持续改进,杜绝类似问题再次发生。

此致
敬礼!
"""
)

PLACEHOLDERS: dict[str, Any] = {
    "customer": gettext_lazy("customer name"),
    "complaint_number": gettext_lazy("complaint number"),
    "customer_reference": gettext_lazy("the customer's own reference"),
    "report_number": gettext_lazy("8D number"),
    "received_date": gettext_lazy("date the complaint was received"),
    "part_number": gettext_lazy("part number"),
    "part_name": gettext_lazy("part name"),
    "lot": gettext_lazy("lot / batch"),
    "quantity": gettext_lazy("quantity"),
    "problem": gettext_lazy("problem statement (D2)"),
    "containment": gettext_lazy("containment by location (D3)"),
    "occurrence_causes": gettext_lazy("root causes of occurrence (D4)"),
    "escape_causes": gettext_lazy("root causes of escape (D4)"),
    "corrective_actions": gettext_lazy("corrective actions (D5)"),
    "verification": gettext_lazy("implementation and verification (D6)"),
    "preventive_actions": gettext_lazy("prevention (D7)"),
    "closure": gettext_lazy("closure summary (D8)"),
    "company": gettext_lazy("our company's name"),
    "today": gettext_lazy("today's date"),
}

_ENGINE = Engine(loaders=[], autoescape=False, debug=False)


def _compile(field: str, text: str) -> Template:
    try:
        return _ENGINE.from_string(text)
    except TemplateSyntaxError as exc:
        raise ValidationError({field: _("The form does not parse: %(e)s") % {"e": exc}}) from None


def validate_form(**fields: str) -> None:
    """Parse and trial-render each form, so that a broken one is refused when it is saved
    rather than when a letter is drafted."""
    sample = {name: "" for name in PLACEHOLDERS}
    for field, text in fields.items():
        render_form(field, text or "", sample)


def render_form(field: str, text: str, context: dict[str, Any]) -> str:
    try:
        return _compile(field, text).render(Context(context, autoescape=False)).strip()
    except ValidationError:
        raise
    except Exception as exc:  # a filter that fails on this data: the form's fault, say where
        raise ValidationError({field: _("The form failed: %(e)s") % {"e": exc}}) from None


def _lines(items: list[str]) -> str:
    if not items:
        return "—"
    if len(items) == 1:
        return items[0]
    return "\n".join(f"{i}. {text}" for i, text in enumerate(items, start=1))


def _date(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


def letter_context(report: EightDReport) -> dict[str, Any]:
    """The 8D report as plain text pieces, in Chinese, for filling a letter form."""
    complaint = report.complaint
    with translation.override("zh-hans"):
        containment = [
            _(
                "%(where)s: %(action)s (checked %(c)d, nonconforming %(f)d, isolated %(i)d, "
                "tagged %(t)d, reworked %(r)d; re-inspection: %(re)s)"
            )
            % {
                "where": c.get_location_display(),
                "action": c.action,
                "c": c.quantity_checked,
                "f": c.quantity_found,
                "i": c.quantity_isolated,
                "t": c.quantity_tagged,
                "r": c.quantity_reworked,
                "re": c.get_reinspection_display(),
            }
            for c in report.containments.all()
        ]
        causes = list(report.root_causes.all())

        def cause_text(kind: str) -> str:
            found = [
                c.description
                + (f"({_('work station')}:{c.work_station})" if c.work_station else "")
                for c in causes
                if c.kind == kind
            ]
            return _lines(found)

        actions = list(report.actions.exclude(status=ActionStatus.CANCELLED))
        corrective = [a.description for a in actions if a.discipline == "d5"]
        preventive = [
            a.description + (f"({a.document_ref})" if a.document_ref else "")
            for a in actions
            if a.discipline == "d7" or a.kind in (ActionKind.WORK_INSTRUCTION, ActionKind.TRAINING)
        ]
        verified = [
            f"{a.description}:{a.verification_note}"
            for a in actions
            if a.status == ActionStatus.VERIFIED and a.verification_note
        ]
        summaries = {d.code: d.summary for d in report.disciplines.all()}
        return {
            "customer": complaint.customer.name,
            "complaint_number": complaint.number,
            "customer_reference": complaint.customer_reference,
            "report_number": report.number,
            "received_date": _date(complaint.received_at),
            "part_number": complaint.part_number,
            "part_name": complaint.part_name,
            "lot": complaint.lot,
            "quantity": complaint.quantity or "",
            "problem": report.problem_statement or complaint.description,
            "containment": _lines(containment) if containment else summaries.get("d3") or "—",
            "occurrence_causes": cause_text(CauseKind.OCCURRENCE),
            "escape_causes": cause_text(CauseKind.ESCAPE),
            "corrective_actions": _lines(corrective),
            "verification": summaries.get("d6") or _lines(verified),
            "preventive_actions": summaries.get("d7") or _lines(preventive),
            "closure": summaries.get("d8") or "",
            "company": company_profile().name_zh,
            "today": _date(timezone.now()),
        }


def letter_from_form(report: EightDReport, form: ReplyTemplate | None) -> dict[str, Any]:
    """Title, subject and body of a new letter, filled from the 8D with the customer's form
    (or the default one)."""
    context = letter_context(report)
    title = form.title if form else DEFAULT_TITLE
    subject = form.subject if form else DEFAULT_SUBJECT
    body = form.body if form else DEFAULT_BODY
    return {
        "title": title,
        "subject": render_form("subject", subject, context),
        "body": render_form("body", body, context),
        "attach_8d": form.attach_8d if form else False,
    }
