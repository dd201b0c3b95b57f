"""A select's blank choice reads as words in the UI language — "— 请选择 —" where a choice is
required, "— 无 —" where it may stay empty — never Django's raw "---------" (issue 10's
screenshot review: the customer on the quick service record)."""

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from serviceloop.core.testing.factories import user_with
from serviceloop.customers.models import Customer

pytestmark = pytest.mark.django_db


class _Form(forms.Form):
    customer = forms.ModelChoiceField(queryset=Customer.objects.all())
    other = forms.ModelChoiceField(queryset=Customer.objects.all(), required=False)
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")])
    labelled = forms.ModelChoiceField(queryset=Customer.objects.all(), empty_label="All")


def _blank_option(html: str) -> str:
    start = html.index('<option value=""')
    return html[html.index(">", start) + 1 : html.index("</option>", start)]


def test_required_and_optional_blanks_are_worded_in_each_language():
    form = _Form()
    with translation.override("zh-hans"):
        assert _blank_option(str(form["customer"])) == "— 请选择 —"
        assert _blank_option(str(form["other"])) == "— 无 —"
        assert _blank_option(str(form["kind"])) == "— 请选择 —"
    with translation.override("en"):
        assert _blank_option(str(form["customer"])) == "— choose —"
        assert _blank_option(str(form["other"])) == "— none —"
    # a blank the form words itself keeps its words
    assert _blank_option(str(form["labelled"])) == "All"


@pytest.mark.parametrize(
    "url_name",
    [
        "communications:create",
        "complaints:create",
        "warranty:create",
        "fieldservice:record_quick",
        "visits:create",
    ],
)
def test_create_pages_show_no_raw_dashes(client, settings, url_name):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(user_with("admin"))
    r = client.get(reverse(url_name))
    assert r.status_code == 200
    page = r.content.decode()
    assert "---------" not in page
    assert "— 请选择 —" in page
