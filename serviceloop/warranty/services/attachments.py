"""Photos and documents of a claim: checked for size and type (by content, not by the name
the browser sends), stored under MEDIA_ROOT, audited. They are never served from a public
URL — only through views that check the claim is visible to the user."""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from serviceloop.core.audit import audit_create
from serviceloop.core.models import User
from serviceloop.core.permissions import require

from ..models import FINAL, ClaimAttachment, WarrantyClaim

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# extension -> (content type, check of the first bytes)
_ZIP = (b"PK\x03\x04",)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".mp4": ("video/mp4", ()),  # checked below: "ftyp" at offset 4
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".txt": ("text/plain; charset=utf-8", ()),  # checked below: UTF-8 text
}


def check_upload(upload: Any, *, field: str = "file") -> tuple[str, str]:
    """(extension, content type) of an acceptable upload; ValidationError on `field`."""
    if upload is None or not hasattr(upload, "read"):
        raise ValidationError({field: _("Choose a file.")})
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise ValidationError({field: _("The file is empty.")})
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {
                field: _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(MAX_ATTACHMENT_BYTES)}
            }
        )
    ext = PurePath(upload.name or "").suffix.lower()
    if ext not in ALLOWED_TYPES:
        raise ValidationError(
            {
                field: _("Files of this type are not accepted. Accepted: %(types)s.")
                % {"types": ", ".join(sorted({e.lstrip(".") for e in ALLOWED_TYPES}))}
            }
        )
    content_type, magics = ALLOWED_TYPES[ext]
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    ok = any(head.startswith(m) for m in magics) if magics else True
    if ext == ".webp":
        ok = ok and head[8:12] == b"WEBP"
    elif ext == ".mp4":
        ok = head[4:8] == b"ftyp"
    elif ext == ".txt":
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            ok = exc.start > len(head) - 4  # a character cut at the end of the sample
    if not ok:
        raise ValidationError({field: _("The content of the file does not match its type.")})
    return ext, content_type


@transaction.atomic
def attachment_add(
    *, actor: User, claim: WarrantyClaim, upload: UploadedFile | Any, description: str = ""
) -> ClaimAttachment:
    """Attach a photo or document to a claim (until it is settled or closed)."""
    require(actor, "warranty.change")
    if claim.status in FINAL:
        raise ValidationError({"file": _("A settled or closed claim takes no more files.")})
    _ext, content_type = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    name = PurePath(upload.name or "file").name[:200]
    attachment = ClaimAttachment(
        claim=claim,
        original_name=name,
        content_type=content_type,
        size=int(upload.size or 0),
        sha256=digest.hexdigest(),
        description=(description or "").strip()[:200],
        uploaded_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
        audit_create(actor=actor, obj=attachment)
    except Exception:
        attachment.file.delete(save=False)  # no orphan file when the transaction fails
        raise
    return attachment
