"""The customer-contact picker of every form that asks for a customer's contact person
(communications, customer requirements, customer notifications, ...): a select of the contacts
recorded on the chosen customer, reloaded with htmx when the customer changes. Where the record
also stores a name as text, that text field stays for a contact not yet in the archive."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Contact
from .selectors import contact_options


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        return contact_label(obj)


def contact_label(contact: Contact) -> str:
    return " · ".join(p for p in (str(contact), contact.phone) if p)


def _chosen_customer(form: forms.BaseForm, customer: str) -> Any:
    if form.is_bound:
        return form.data.get(form.add_prefix(customer))
    value = form.initial.get(customer)
    if value is None and getattr(form, "instance", None) is not None:
        value = getattr(form.instance, f"{customer}_id", None)  # type: ignore[attr-defined]
    return getattr(value, "pk", value)


def contact_picker(
    form: forms.BaseForm,
    user: Any,
    *,
    customer: str = "customer",
    contact: str = "contact",
    customer_id: Any = None,
) -> None:
    """Make ``form.fields[contact]`` a select of the chosen customer's contacts (the customer is
    ``customer_id`` when the form has no customer field) and make the customer field reload it."""
    chosen = customer_id if customer_id is not None else _chosen_customer(form, customer)
    old = form.fields.get(contact)
    form.fields[contact] = ContactChoiceField(
        label=old.label if old else _("Customer contact"),
        queryset=contact_options(user, getattr(chosen, "pk", chosen)),
        required=bool(old and old.required),
        empty_label=_("— choose from the customer's contacts —"),
        help_text=old.help_text if old else "",
    )
    if customer in form.fields:
        url = reverse("customers:contact_options")
        form.fields[customer].widget.attrs.update(
            {
                "hx-get": f"{url}?from={form.add_prefix(customer)}",
                "hx-target": f"#{form[contact].auto_id}",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )
