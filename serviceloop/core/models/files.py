"""What a stored upload has (a requirement's drawing, a sample's inspection report, a claim's
photo …): the fields ``core.files.store_upload`` fills and audits, and the random name it is
stored under (``upload_path``; the user's own name is kept in ``original_name``, never in the
path). Each concrete model adds its ``file`` field, with an ``upload_to`` function of its own
module that calls ``upload_path`` with its folder, and the record it belongs to."""

from __future__ import annotations

from pathlib import PurePath
from uuid import uuid4

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import required_user_ref


def upload_path(folder: str, filename: str) -> str:
    """`folder`/<random hex><the file's suffix, lower case>."""
    return f"{folder}/{uuid4().hex}{PurePath(filename).suffix.lower()}"


class StoredFile(models.Model):
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("file description"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by = required_user_ref(_("uploaded by"))

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
