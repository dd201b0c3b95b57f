"""The company's own profile: the letterhead and signatory of every customer document."""

from __future__ import annotations

import base64

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CompanyProfile(models.Model):
    """One row (pk 1): who the customer documents come from. An administrator edits it on
    /settings/company/; every letter, report and form takes its header and signature from
    here through the shared letterhead include (core/documents/_letterhead.html)."""

    name_zh = models.CharField(_("company name (Chinese)"), max_length=200)
    name_en = models.CharField(_("company name (English)"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    fax = models.CharField(_("fax"), max_length=60, blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    signatory_name = models.CharField(_("signatory"), max_length=100, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=100, blank=True)
    # Images kept in the database (PNG or JPEG, small): documents embed them as data: URLs,
    # so nothing is fetched while printing and backups carry them with the records.
    logo = models.BinaryField(_("logo"), blank=True, default=b"", editable=False)
    logo_type = models.CharField(max_length=20, blank=True, editable=False)
    seal = models.BinaryField(_("seal"), blank=True, default=b"", editable=False)
    seal_type = models.CharField(max_length=20, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("company profile")
        verbose_name_plural = _("company profile")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def load(cls) -> CompanyProfile:
        """The profile; a fresh installation starts from SERVICELOOP_COMPANY_NAME."""
        found = CompanyProfile.objects.filter(pk=1).first()
        if found is not None:
            return found
        return CompanyProfile(pk=1, name_zh=str(settings.SERVICELOOP_COMPANY_NAME))

    @property
    def name(self) -> str:
        """The name in the current language (Chinese where no English name is set)."""
        lang = get_language() or "zh-hans"
        if lang.startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    @staticmethod
    def _data_url(data: bytes | memoryview, kind: str) -> str:
        if not data:
            return ""
        return f"data:{kind};base64," + base64.b64encode(bytes(data)).decode("ascii")

    @property
    def logo_url(self) -> str:
        return self._data_url(self.logo, self.logo_type)

    @property
    def seal_url(self) -> str:
        return self._data_url(self.seal, self.seal_type)
