"""Writes to special requests (R-5.1.3)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core.audit import AuditAction, snapshot
from serviceloop.core.files import check_upload
from serviceloop.core.models import Department, User
from serviceloop.core.notifications import Message, choice_label, notify
from serviceloop.core.numbering import save_numbered
from serviceloop.core.permissions import has_role, require
from serviceloop.core.roles import RoleCode
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import locked
from serviceloop.customers.models import Customer

from ..models import SPECIAL_TRANSITIONS, SpecialKind, SpecialRequest, SpecialStatus
from ..models.special import DEFAULT_RESPONSIBLE
from .common import acts_for, customer_for, department, due_after, required_text, transition, url


def responsible_department(kind: str) -> Department:
    """The department whose head decides a kind of request (configurable by setting
    SERVICELOOP_SPECIAL_REQUEST_DEPARTMENTS, kind -> department code)."""
    mapping = {
        **DEFAULT_RESPONSIBLE,
        **getattr(settings, "SERVICELOOP_SPECIAL_REQUEST_DEPARTMENTS", {}),
    }
    return department(mapping[kind], "kind")


def _heads(dept: Department):
    return User.objects.filter(is_active=True, department=dept, roles__code=RoleCode.DEPT_HEAD)


@transaction.atomic
def special_request(
    *, actor: User, customer: Customer | int, kind: str, description: str
) -> SpecialRequest:
    """Sales' written application; the head of the responsible department decides."""
    require(actor, "special.create")
    cust = customer_for(actor, customer)
    if kind not in SpecialKind.values:
        raise ValidationError({"kind": _("Choose a kind of special request.")})
    now = timezone.now()
    special = SpecialRequest(
        customer=cust,
        kind=kind,
        description=required_text("description", description),
        requested_by=actor,
        created_by=actor,
        department=responsible_department(kind),
        step_due_at=due_after(now, "special_decision"),
        number="pending",
    )
    save_numbered(special, "SPR", now, actor=actor)
    notify(
        _heads(special.department),
        kind="special_decide",
        title=Message(
            gettext_noop("Decide special request %(n)s: %(k)s"),
            n=special.number,
            k=choice_label(special, "kind"),
        ),
        body=Message.verbatim(special.description),
        url=url("special_detail", special.pk),
        dedupe_key=f"special_decide:{special.pk}",
    )
    return special


@transaction.atomic
def special_decide(
    *, actor: User, special: SpecialRequest, feasible: bool, note: str = ""
) -> SpecialRequest:
    """The head of the responsible department decides: feasible (the department provides
    it) or not (Sales explains politely to the customer)."""
    require(actor, "special.decide")
    special = locked(special)
    if not has_role(actor, RoleCode.ADMIN) and special.department_id != actor.department_id:
        raise ValidationError(
            {
                "feasible": _("Only the head of %(d)s decides this request.")
                % {"d": special.department}
            }
        )
    if not feasible and not (note or "").strip():
        raise ValidationError({"note": _("Say why it is not feasible.")})
    before = snapshot(special)
    now = timezone.now()
    if feasible:
        transition(special, SPECIAL_TRANSITIONS, SpecialStatus.APPROVED)
        special.step_due_at = due_after(now, "special_fulfil")
    else:
        transition(special, SPECIAL_TRANSITIONS, SpecialStatus.DECLINED)
        special.step_due_at = due_after(now, "special_explain")
    special.step_overdue_flagged_at = None
    special.decided_at, special.decided_by = now, actor
    special.decision_note = (note or "").strip()
    save_audited(special, actor=actor, before=before, action=AuditAction.TRANSITION)
    notify(
        [special.requested_by],
        kind="special_decided",
        title=Message(
            gettext_noop("Special request %(n)s is feasible")
            if feasible
            else gettext_noop("Special request %(n)s is not feasible"),
            n=special.number,
        ),
        body=Message.verbatim(special.decision_note),
        url=url("special_detail", special.pk),
        dedupe_key=f"special_decided:{special.pk}",
    )
    return special


@transaction.atomic
def special_fulfil(
    *,
    actor: User,
    special: SpecialRequest,
    note: str,
    document: UploadedFile | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> SpecialRequest:
    """The responsible department provides it, with the delivered document; an agreement
    gets its validity dates and is listed on the customer's archive page."""
    require(actor, "special.fulfil")
    special = locked(special)
    before = snapshot(special)
    transition(special, SPECIAL_TRANSITIONS, SpecialStatus.FULFILLED)
    if not acts_for(actor, special.department) and not has_role(actor, RoleCode.DEPT_HEAD):
        raise ValidationError(
            {"note": _("Only %(d)s provides this request.") % {"d": special.department}}
        )
    special.fulfil_note = required_text("note", note)
    if special.is_agreement:
        if valid_from is None:
            raise ValidationError(
                {"valid_from": _("An agreement needs the date it is valid from.")}
            )
        if valid_to is not None and valid_to < valid_from:
            raise ValidationError({"valid_to": _("The end lies before the start.")})
        special.valid_from, special.valid_to = valid_from, valid_to
    if document is not None:
        check_upload(document, field="document")  # size, accepted type, content
        special.document.save(document.name or "document", document, save=False)
    special.fulfilled_at, special.fulfilled_by = timezone.now(), actor
    special.step_due_at, special.step_overdue_flagged_at = None, None
    return save_audited(special, actor=actor, before=before, action=AuditAction.TRANSITION)


@transaction.atomic
def special_decline_notice(*, actor: User, special: SpecialRequest, text: str) -> SpecialRequest:
    """Sales records the polite explanation given to the customer (a letter, PDF/DOCX)."""
    require(actor, "special.explain")
    special = locked(special)
    before = snapshot(special)
    transition(special, SPECIAL_TRANSITIONS, SpecialStatus.EXPLAINED)
    special.explanation = required_text("text", text)
    special.explained_at, special.explained_by = timezone.now(), actor
    special.step_due_at, special.step_overdue_flagged_at = None, None
    return save_audited(special, actor=actor, before=before, action=AuditAction.TRANSITION)


def default_explanation(special: SpecialRequest) -> str:
    """A polite Chinese explanation drafted from the decision, for Sales to edit."""
    return (
        f"{special.customer.name}:\n\n"
        f"感谢贵公司对我公司产品的信任与支持。贵公司提出的{_kind_zh(special)}申请"
        f"(编号 {special.number})已由我公司{special.department.name_zh}认真研究。"
        f"经评估,{special.decision_note or '由于目前条件所限'},暂时无法满足贵公司的这一要求,"
        "敬请谅解。\n\n如贵公司有其他需要,我们将尽力配合,并在条件具备时第一时间与贵公司联系。\n\n"
        "此致\n敬礼!"
    )


def _kind_zh(special: SpecialRequest) -> str:
    from django.utils import translation

    with translation.override("zh-hans"):
        return str(special.get_kind_display())
