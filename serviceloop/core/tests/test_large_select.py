"""core.widgets.LargeSelect (issue 15): the options Django's Select gives, selected the same,
labels escaped, and for a model field the records' labels read without building records."""

import re

import pytest
from django import forms

from serviceloop.core.testing.factories import CustomerFactory
from serviceloop.core.widgets import LargeSelect
from serviceloop.customers.models import Customer
from serviceloop.customers.selectors import choice_rows

pytestmark = pytest.mark.django_db

OPTION = re.compile(r'<option value="([^"]*)"(\s+selected)?>([^<]*)</option>')


def options(html):
    return [(v, bool(sel), label) for v, sel, label in OPTION.findall(html)]


def _form(widget):
    class F(forms.Form):
        customer = forms.ModelChoiceField(
            queryset=Customer.objects.order_by("code"),
            required=False,
            empty_label="All customers",
            widget=widget,
        )

    return F


def test_same_options_as_django_select_and_fewer_queries(django_assert_num_queries):
    customers = [CustomerFactory(name=f"客户 <{i}> & co") for i in range(4)]
    chosen = customers[2]
    plain = str(_form(forms.Select)(initial={"customer": chosen.pk})["customer"])
    with django_assert_num_queries(1):
        large = str(
            _form(LargeSelect(rows=choice_rows))(initial={"customer": chosen.pk})["customer"]
        )
    found = options(large)
    assert found == options(plain)
    assert len(found) == 5 and found[0] == ("", False, "All customers")
    assert [o for o in found if o[1]] == [
        (str(chosen.pk), True, f"{chosen.code} 客户 &lt;2&gt; &amp; co")
    ]
    assert 'name="customer"' in large and 'id="id_customer"' in large


def test_plain_choices():
    widget = LargeSelect(choices=[("a", "A <1>"), ("b", "B")])
    html = widget.render("x", "b")
    assert options(html) == [("a", False, "A &lt;1&gt;"), ("b", True, "B")]
