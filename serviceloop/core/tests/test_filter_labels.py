"""A list filter's "not filtered" choice reads as a word in the UI language (全部 / All,
全部客户), not a dash or Django's "---------" (screenshot review, issue 10)."""

import pytest
from django.utils import translation

from serviceloop.core.testing.factories import user_with
from serviceloop.earlywarning.forms import AlertFilterForm, DataFilterForm
from serviceloop.visits.filters import RECORD_FILTERS

pytestmark = pytest.mark.django_db


def _first_label(field) -> str:
    return str(next(iter(field.choices))[1])


def test_filterspec_select_blank_reads_all():
    with translation.override("zh-hans"):
        assert _first_label(RECORD_FILTERS.form().fields["status"]) == "全部"
    with translation.override("en"):
        assert _first_label(RECORD_FILTERS.form().fields["status"]) == "All"


@pytest.mark.parametrize("form_class", [AlertFilterForm, DataFilterForm])
def test_early_warning_customer_filter_reads_all_customers(form_class):
    user = user_with("quality")
    with translation.override("zh-hans"):
        assert _first_label(form_class(user=user).fields["customer"]) == "全部客户"


def test_audit_log_filters_by_record_type_by_name(client, settings):
    """The audit log's record type is picked by its name, not typed as a code, and the rows
    show no model code."""
    from serviceloop.core.tests.test_chinese_pages import visible_text

    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(user_with("admin"))
    r = client.get("/audit/?object_type=core.user")
    assert r.status_code == 200
    page = r.content.decode()
    assert '<option value="core.user" selected>用户</option>' in page
    assert "core.user" not in visible_text(page)
