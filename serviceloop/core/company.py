"""The company profile: editing it (an administrator, audited) and handing it to documents.

Every customer document (reply letters, 8D reports, the early-warning written report, the
return-for-repair form, warranty decision letters) takes its header and signature from
`letterhead()` through the one include `core/documents/_letterhead.html` (and
`_signature.html`), so the company's name, address, logo and signatory are typed once.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record
from .models import CompanyProfile
from .models.audit import AuditAction
from .permissions import require

TEXT_FIELDS = (
    "name_zh",
    "name_en",
    "address",
    "phone",
    "fax",
    "website",
    "signatory_name",
    "signatory_title",
)
IMAGE_FIELDS = ("logo", "seal")
MAX_IMAGE_BYTES = 1024 * 1024
_MAGIC = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def image_type(data: bytes) -> str:
    """The MIME type of a PNG or JPEG by its first bytes; '' for anything else."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    return ""


def company_profile() -> CompanyProfile:
    return CompanyProfile.load()


def _snapshot(profile: CompanyProfile) -> dict[str, Any]:
    data: dict[str, Any] = {f: getattr(profile, f) for f in TEXT_FIELDS}
    for f in IMAGE_FIELDS:  # images as a short digest: the log shows that they changed
        raw = bytes(getattr(profile, f) or b"")
        data[f] = "sha256:" + hashlib.sha256(raw).hexdigest()[:12] if raw else ""
    return data


@transaction.atomic
def company_profile_update(
    *,
    actor: Any,
    remove: tuple[str, ...] = (),
    images: dict[str, bytes] | None = None,
    **fields: str,
) -> CompanyProfile:
    """Edit the company profile (administrators only): the text fields given, images
    uploaded (PNG or JPEG up to 1 MB) and images removed; audited with what changed."""
    require(actor, "company.edit")
    unknown = [k for k in fields if k not in TEXT_FIELDS]
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    profile = CompanyProfile.objects.select_for_update().filter(pk=1).first()
    creating = profile is None
    if profile is None:
        profile = CompanyProfile.load()
    before = _snapshot(profile) if not creating else {}
    for key, value in fields.items():
        setattr(profile, key, (value or "").strip())
    for key in remove:
        if key in IMAGE_FIELDS:
            setattr(profile, key, b"")
            setattr(profile, f"{key}_type", "")
    for key, data in (images or {}).items():
        if key not in IMAGE_FIELDS:
            raise ValidationError({key: _("This field cannot be changed here.")})
        if len(data) > MAX_IMAGE_BYTES:
            raise ValidationError({key: _("The image is larger than 1 MB.")})
        kind = image_type(data)
        if not kind:
            raise ValidationError({key: _("Upload a PNG or JPEG image.")})
        setattr(profile, key, data)
        setattr(profile, f"{key}_type", kind)
    if not profile.name_zh:
        raise ValidationError({"name_zh": _("This field is required.")})
    profile.updated_at = timezone.now()
    profile.full_clean(exclude=list(IMAGE_FIELDS))
    profile.save()
    after = _snapshot(profile)
    changed = [k for k in after if before.get(k) != after.get(k)]
    if changed:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if creating else AuditAction.UPDATE,
            obj=profile,
            before={k: before.get(k) for k in changed} if not creating else None,
            after={k: after[k] for k in changed},
        )
    return profile


def letterhead(**extra: Any) -> dict[str, Any]:
    """The context every document template needs for its header and signature."""
    profile = company_profile()
    return {
        "company": profile.name_zh,
        "company_profile": profile,
        "printed_at": timezone.localtime(),
        **extra,
    }
