"""Photos and documents of a claim: checked for size and type (by content, not by the name
the browser sends), stored under MEDIA_ROOT, audited — through the one upload handling in
``core.files``. They are never served from a public URL — only through views that check the
claim is visible to the user."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from serviceloop.core.files import ALLOWED_TYPES, MAX_ATTACHMENT_BYTES, check_upload, store_upload
from serviceloop.core.models import User
from serviceloop.core.permissions import require

from ..models import FINAL, ClaimAttachment, WarrantyClaim

__all__ = ["ALLOWED_TYPES", "MAX_ATTACHMENT_BYTES", "attachment_add", "check_upload"]


@transaction.atomic
def attachment_add(
    *, actor: User, claim: WarrantyClaim, upload: UploadedFile | Any, description: str = ""
) -> ClaimAttachment:
    """Attach a photo or document to a claim (until it is settled or closed)."""
    require(actor, "warranty.change")
    if claim.status in FINAL:
        raise ValidationError({"file": _("A settled or closed claim takes no more files.")})
    attachment = ClaimAttachment(
        claim=claim, description=(description or "").strip()[:200], uploaded_by=actor
    )
    return store_upload(attachment, upload, actor=actor)
