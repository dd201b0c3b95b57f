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
