"""Look-ups a service makes on the actor's behalf, answered as a ValidationError keyed by the
field (never a leak: a record the actor may not see is as unknown as one that does not exist).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from serviceloop.customers.models import Customer

from .permissions import visible_customers


def customer_for(
    actor: Any, customer: Customer | int | str | None, field: str = "customer"
) -> Customer:
    """The customer (an instance or its id) if the actor may see it; jobs (actor None) see
    all. Missing: "This field is required."; unknown or out of scope: "Unknown customer."."""
    if customer is None or customer == "":
        raise ValidationError({field: _("This field is required.")})
    pk = customer.pk if isinstance(customer, Customer) else customer
    qs = Customer.objects.all() if actor is None else visible_customers(actor)
    try:
        found = qs.filter(pk=pk).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise ValidationError({field: _("Unknown customer.")})
    return found
