"""The company-profile settings page (/settings/company/): administrators only."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .company import (
    IMAGE_FIELDS,
    MAX_IMAGE_BYTES,
    TEXT_FIELDS,
    company_profile,
    company_profile_update,
)
from .models import CompanyProfile
from .permissions import require
from .selectors import record_history
from .views_support import AuthedRequest, run_service


class CompanyProfileForm(forms.ModelForm):
    logo_file = forms.FileField(
        label=gettext_lazy("Logo (PNG or JPEG, up to 1 MB)"), required=False
    )
    remove_logo = forms.BooleanField(label=gettext_lazy("Remove the logo"), required=False)
    seal_file = forms.FileField(
        label=gettext_lazy("Seal image (optional, PNG with transparency)"), required=False
    )
    remove_seal = forms.BooleanField(label=gettext_lazy("Remove the seal image"), required=False)

    class Meta:
        model = CompanyProfile
        fields = list(TEXT_FIELDS)


def company_settings(request: AuthedRequest) -> HttpResponse:
    require(request.user, "company.edit")
    profile = company_profile()
    form = CompanyProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        images: dict[str, bytes] = {}
        for key in IMAGE_FIELDS:
            upload = form.cleaned_data.get(f"{key}_file")
            if upload is not None:
                images[key] = upload.read(MAX_IMAGE_BYTES + 1)
        remove = tuple(k for k in IMAGE_FIELDS if form.cleaned_data.get(f"remove_{k}"))
        text = {k: form.cleaned_data[k] for k in TEXT_FIELDS}
        done = run_service(
            form,
            lambda: company_profile_update(
                actor=request.user, images=images, remove=remove, **text
            ),
        )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("core:company_settings")
    return render(
        request,
        "core/company.html",
        {
            "form": form,
            "profile": profile,
            "history": record_history("core.companyprofile", 1) if profile.pk else [],
        },
        status=400 if request.method == "POST" else 200,
    )
