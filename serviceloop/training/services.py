"""Every write to trainings (R-5.8)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core import deadlines
from serviceloop.core.audit import AuditAction, audit_create, audit_record, snapshot
from serviceloop.core.models import User
from serviceloop.core.notifications import Message, notify, users_with_roles
from serviceloop.core.permissions import require
from serviceloop.core.roles import RoleCode
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import locked, transition
from serviceloop.core.validation import required_text

from .models import TRANSITIONS, Attendee, Status, Training, TrainingAttachment

WARNED_ROLES = (RoleCode.SALES, RoleCode.SALES_LEADER)
MAX_ATTACHMENT = 20 * 1024 * 1024


def _users(ids: Iterable[int | User]) -> list[User]:
    pks = [u.pk if isinstance(u, User) else int(u) for u in ids]
    found = list(User.objects.filter(pk__in=pks, is_active=True))
    missing = set(pks) - {u.pk for u in found}
    if missing:
        raise ValidationError({"attendees": _("Unknown user(s): %s") % sorted(missing)})
    return found


@transaction.atomic
def training_create(
    *,
    actor: User,
    title: str,
    held_on: date,
    trainer: str,
    hours: Decimal | float | str,
    content: str = "",
    location: str = "",
    attendees: Iterable[int | User] = (),
    external: Iterable[tuple[str, str] | str] = (),
) -> Training:
    """Plan (or record afterwards) a training with its invited people."""
    require(actor, "training.manage")
    training = Training(
        title=(title or "").strip(),
        held_on=held_on,
        trainer=(trainer or "").strip(),
        hours=Decimal(str(hours or 0)),
        content=content,
        location=location,
        created_by=actor,
    )
    training.full_clean()
    users = _users(attendees)
    training.save()
    Attendee.objects.bulk_create(Attendee(training=training, user=u) for u in users)
    for ext in external:
        name, org = (ext, "") if isinstance(ext, str) else ext
        if name.strip():
            Attendee.objects.create(
                training=training, external_name=name.strip()[:100], organisation=org[:100]
            )
    audit_create(actor=actor, obj=training)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=training,
        after={"attendees": [a.name for a in training.attendees.all()]},
    )
    return training


@transaction.atomic
def training_add_attendee(
    *,
    actor: User,
    training: Training,
    user: User | None = None,
    external_name: str = "",
    organisation: str = "",
) -> Attendee:
    require(actor, "training.manage")
    if user is None and not external_name.strip():
        raise ValidationError({"external_name": _("Choose a user or give a name.")})
    if user is not None and training.attendees.filter(user=user).exists():
        raise ValidationError({"user": _("Already on the list.")})
    att = Attendee(
        training=training,
        user=user,
        external_name=external_name.strip(),
        organisation=organisation.strip(),
    )
    return save_audited(att, actor=actor, before=None, clean=True)


@transaction.atomic
def training_record_attendance(
    *, actor: User, training: Training, results: Iterable[dict[str, Any]]
) -> Training:
    """Record who attended (signed) and each attendee's assessment (score or pass/fail);
    a planned training becomes held."""
    require(actor, "training.manage")
    t = locked(training)
    if t.status == Status.CANCELLED:
        raise ValidationError({"status": _("This training was cancelled.")})
    if t.held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The training has not taken place yet.")})
    by_id = {a.pk: a for a in t.attendees.all()}
    for row in results:
        att = by_id.get(int(row.get("id", 0)))
        if att is None:
            raise ValidationError({"attendees": _("Unknown attendee %s.") % row.get("id")})
        before = snapshot(att)
        att.attended = bool(row.get("attended", att.attended))
        for key in ("score", "passed", "assessment_note"):
            if key in row:
                setattr(att, key, row[key] if row[key] != "" else None)
        if att.assessment_note is None:
            att.assessment_note = ""
        if not att.attended and (att.score is not None or att.passed is not None):
            raise ValidationError(
                {"attendees": _("%s did not attend and cannot be assessed.") % att.name}
            )
        save_audited(att, actor=actor, before=before, clean=True)
    if t.status == Status.PLANNED:
        before = snapshot(t)
        transition(t, Status.HELD, actor=actor, table=TRANSITIONS, save=False)
        t.held_at, t.held_by = timezone.now(), actor
        save_audited(t, actor=actor, before=before, action=AuditAction.TRANSITION)
    return t


@transaction.atomic
def training_cancel(*, actor: User, training: Training, reason: str) -> Training:
    require(actor, "training.manage")
    required_text("reason", reason, _("Say why."))
    t = locked(training)
    before = snapshot(t)
    transition(t, Status.CANCELLED, actor=actor, table=TRANSITIONS, save=False)
    t.cancel_reason = reason.strip()
    return save_audited(t, actor=actor, before=before, action=AuditAction.TRANSITION)


@transaction.atomic
def training_attach(*, actor: User, training: Training, file: UploadedFile) -> TrainingAttachment:
    require(actor, "training.manage")
    if file.size is None or file.size > MAX_ATTACHMENT:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    att = TrainingAttachment(
        training=training,
        original_name=(file.name or "file")[:200],
        size=file.size,
        uploaded_by=actor,
    )
    att.file.save(file.name or "file", file, save=False)
    att.save()
    audit_create(actor=actor, obj=att)
    return att


def year_has_training(year: int) -> bool:
    """R-5.8: a training held or scheduled in the year (a cancelled one does not count)."""
    return Training.objects.filter(held_on__year=year).exclude(status=Status.CANCELLED).exists()


def training_warning_due(today: date) -> bool:
    return today >= deadlines.training_warning_from(today.year) and not year_has_training(
        today.year
    )


def sweep_training_warning(now: datetime | None = None) -> int:
    """From 1 October, warn Sales and sales leadership once a year when no training is held
    or scheduled (idempotent through the notice's dedupe key)."""
    today = timezone.localdate(now or timezone.now())
    if not training_warning_due(today):
        return 0
    with transaction.atomic():
        sent = notify(
            users_with_roles(*WARNED_ROLES),
            kind="training_warning",
            title=Message(
                gettext_noop("No service-staff training held or scheduled in %(y)s"), y=today.year
            ),
            body=Message(gettext_noop("SJ/QP-021 5.8: at least one skills training a year.")),
            url=reverse("training:list"),
            dedupe_key=f"training_warning:{today.year}",
        )
    return len(sent)
