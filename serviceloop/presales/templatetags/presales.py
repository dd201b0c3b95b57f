"""The customer archive page's pre-sale section (R-5.2.2 + R-5.1.x): requirements, samples,
special requests with the agreements and their validity, orders."""

from __future__ import annotations

from typing import Any

from django import template

from serviceloop.core.permissions import can

from .. import selectors

register = template.Library()


@register.inclusion_tag("presales/_customer_section.html", takes_context=True)
def presales_customer_section(context: Any, customer: Any) -> dict[str, Any]:
    user = context["request"].user
    out: dict[str, Any] = {"customer": customer, "perms_": {}}
    if can(user, "requirement.view"):
        out["requirements"] = selectors.requirement_list(user, customer=customer.pk)[:10]
        out["can_requirement"] = can(user, "requirement.create")
    if can(user, "sample.view"):
        out["samples"] = selectors.sample_list(user, customer=customer.pk)[:10]
        out["can_sample"] = can(user, "sample.create")
    if can(user, "special.view"):
        out["special"] = selectors.special_list(user, customer=customer.pk)[:10]
        out["agreements"] = selectors.agreements_of(user, customer.pk)
        out["can_special"] = can(user, "special.create")
    if can(user, "order.view"):
        out["orders"] = selectors.order_list(user, customer=customer.pk).order_by("-promised_date")[
            :10
        ]
    out["shown"] = any(k in out for k in ("requirements", "samples", "special", "orders"))
    return out


@register.inclusion_tag("presales/_communication_result.html", takes_context=True)
def presales_communication_result(context: Any, communication: Any) -> dict[str, Any]:
    """The result letter (R-5.2.5) on a communication's page: the letters drafted from it
    and, for a user who may draft one, the form; nothing for a user who may not see them."""
    from ..forms import ResultForm

    user = context["request"].user
    out: dict[str, Any] = {"comm": communication, "shown": False}
    if not can(user, "result.view"):
        return out
    out["shown"] = True
    out["letters"] = selectors.result_list(user).filter(communication=communication)
    out["can_result"] = can(user, "result.create")
    if out["can_result"]:
        out["result_form"] = ResultForm(prefix="result")
    return out
