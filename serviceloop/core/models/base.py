"""Base model: every business record knows who created it and when, and when it changed.

``DetailLink`` gives a record with a page its ``get_absolute_url()`` from one declaration,
``detail_view = "<app>:<view>"`` (the view takes the record's pk).
"""

from typing import Any, ClassVar

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import user_ref


class TrackedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = user_ref(_("created by"), editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class DetailLink:
    """Mixed into a model with a detail page: ``detail_view`` names the page's URL (its one
    argument the pk), and ``get_absolute_url()`` — the link of notices, "my work" and
    redirects — is made from it."""

    detail_view: ClassVar[str]
    pk: Any

    def get_absolute_url(self) -> str:
        return reverse(self.detail_view, args=[self.pk])
