"""Helpers shared by the services of this app: state transitions and customer look-ups within
the actor's scope (batch audit is core.audit's)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from serviceloop.core.permissions import visible_customers
from serviceloop.customers.models import Customer


def transition(obj: Any, table: dict[tuple[str, str], str], to: str, labels: Any) -> None:
    """Move ``obj.status`` to ``to`` if the table allows it; else a ValidationError."""
    if (obj.status, to) not in table:
        raise ValidationError(
            {
                "status": _("Cannot go from %(a)s to %(b)s.")
                % {"a": labels(obj.status).label, "b": labels(to).label}
            }
        )
    obj.status = to


def customer_for(actor: Any, customer: Customer | int | None, field: str = "customer") -> Customer:
    """A customer the actor may see (jobs, with actor None, see all)."""
    if customer is None or customer == "":
        raise ValidationError({field: _("This field is required.")})
    pk = customer.pk if isinstance(customer, Customer) else customer
    qs = Customer.objects.all() if actor is None else visible_customers(actor)
    found = qs.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("Unknown customer.")})
    return found
