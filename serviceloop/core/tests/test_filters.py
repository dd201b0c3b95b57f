"""core.filters: the free-text search and the given-only equality filters of every list."""

import pytest

from serviceloop.core.filters import filter_given, search
from serviceloop.core.testing.factories import CustomerFactory
from serviceloop.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_search_any_field_case_insensitive_and_nothing_for_no_text():
    a = CustomerFactory(name="Shanghai Brake", code="SB01")
    b = CustomerFactory(name="Ningbo Axle", code="NB02")
    qs = Customer.objects.filter(pk__in=[a.pk, b.pk])
    assert list(search(qs, "brake", "name", "code")) == [a]
    assert list(search(qs, "nb0", "name", "code")) == [b]
    assert search(qs, "", "name") is qs


def test_filter_given_skips_none_and_empty_but_not_false():
    a = CustomerFactory(code="GV01")
    qs = Customer.objects.filter(pk=a.pk)
    assert filter_given(qs, code=None, name="") is qs
    assert list(filter_given(qs, code="GV01")) == [a]
    assert list(filter_given(qs, pk__in=[], code=None)) == []
