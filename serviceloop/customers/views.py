from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from serviceloop.core.exports import xlsx_response
from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    form_page,
    list_page,
    paginate,
)

from . import selectors, services
from .contact_picker import contact_label
from .forms import AgreementForm, ContactForm, CustomerFilterForm, CustomerForm
from .services import AGREEMENT_FIELDS, CONTACT_FIELDS, CUSTOMER_FIELDS


def customer_list(request: AuthedRequest) -> HttpResponse:
    form = CustomerFilterForm(request.GET or None)
    return list_page(
        request,
        selectors.customer_list(request.user, **form.filters()),
        form=form,
        full="customers/list.html",
        partial="customers/_table.html",
        export=_export,
        export_permission="customer.export",
        can_create=can(request.user, "customer.create"),
    )


def _export(qs) -> HttpResponse:
    headers = [
        _("Customer code"),
        _("Name"),
        _("Tier"),
        _("Agent"),
        _("Province"),
        _("City"),
        _("Mailing address"),
        _("Phone"),
        _("Contacts"),
        _("Active"),
    ]
    rows = (
        [
            c.code,
            c.name,
            c.get_tier_display(),
            c.agent or "",
            c.province,
            c.city,
            c.mailing_address,
            c.phone,
            "; ".join(f"{p.name} {p.title} {p.phone} {p.email}".strip() for p in c.contacts.all()),
            _("yes") if c.is_active else _("no"),
        ]
        for c in qs.prefetch_related("contacts")
    )
    return xlsx_response("customers.xlsx", _("Customers"), headers, rows)


def customer_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(request.user, pk)
    from serviceloop.communications.selectors import communication_list
    from serviceloop.visits.selectors import customer_visits

    return render(
        request,
        "customers/detail.html",
        {
            "customer": customer,
            "contacts": customer.contacts.all(),
            "agreements": customer.agreements.all(),
            "communications": communication_list(request.user, customer=customer.pk)[:20],
            "history": record_history("customers.customer", customer.pk),
            "can_change": can(request.user, "customer.change"),
            "can_agreement": can(request.user, "agreement.change"),
            "visits": customer_visits(request.user, customer.pk),
        },
    )


def customer_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "customer.create")
    form = CustomerForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda d: services.customer_create(actor=request.user, **_pick(d, CUSTOMER_FIELDS)),
        template="customers/form.html",
        context={"title": _("New customer")},
        done=lambda customer: _("Customer %s was created.") % customer,
        invalid_status=200,
    )


def _pick(data: dict, names) -> dict:
    return {k: data[k] for k in names}


def customer_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(request.user, pk)
    require(request.user, "customer.change")
    form = CustomerForm(request.POST or None, instance=customer)
    return form_page(
        request,
        form,
        lambda d: services.customer_update(
            actor=request.user,
            customer=customer,
            **_pick(d, CUSTOMER_FIELDS),
        ),
        template="customers/form.html",
        context=lambda: {"title": _("Edit customer %s") % customer, "customer": customer},
        done=_("Saved."),
        success_url=reverse("customers:detail", args=[pk]),
        invalid_status=200,
    )


def contact_create(request: AuthedRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(request.user, pk)
    require(request.user, "customer.change")
    form = ContactForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda d: services.contact_create(
            actor=request.user, customer=customer, **_pick(d, CONTACT_FIELDS)
        ),
        template="customers/form.html",
        context=lambda: {"title": _("New contact for %s") % customer, "customer": customer},
        success_url=customer.get_absolute_url(),
        invalid_status=200,
    )


def contact_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(request.user, pk)
    require(request.user, "customer.change")
    form = ContactForm(request.POST or None, instance=contact)
    return form_page(
        request,
        form,
        lambda d: services.contact_update(
            actor=request.user,
            contact=selectors.contact_get(request.user, pk),
            **_pick(d, CONTACT_FIELDS),
        ),
        template="customers/form.html",
        context=lambda: {
            "title": _("Edit contact %s") % contact,
            "customer": contact.customer,
        },
        success_url=reverse("customers:detail", args=[contact.customer_id]),
        invalid_status=200,
    )


def agreement_list(request: AuthedRequest) -> HttpResponse:
    qs = selectors.agreement_list(request.user)
    return render(request, "customers/agreement_list.html", {"page": paginate(request, qs)})


def agreement_create(request: AuthedRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(request.user, pk)
    require(request.user, "agreement.change")
    form = AgreementForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda d: services.agreement_create(
            actor=request.user, customer=customer, **_pick(d, AGREEMENT_FIELDS)
        ),
        template="customers/form.html",
        context=lambda: {
            "title": _("New service agreement for %s") % customer,
            "customer": customer,
        },
        done=_("Service agreement saved."),
        success_url=customer.get_absolute_url(),
        invalid_status=200,
    )


def agreement_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(request.user, pk)
    require(request.user, "agreement.change")
    form = AgreementForm(request.POST or None, instance=agreement)
    return form_page(
        request,
        form,
        lambda d: services.agreement_update(
            actor=request.user,
            agreement=get_object_or_404(type(agreement), pk=pk),
            **_pick(d, AGREEMENT_FIELDS),
        ),
        template="customers/form.html",
        context=lambda: {
            "title": _("Edit service agreement %s") % agreement,
            "customer": agreement.customer,
        },
        done=_("Service agreement saved."),
        success_url=reverse("customers:detail", args=[agreement.customer_id]),
        invalid_status=200,
    )


def contact_options(request: AuthedRequest) -> HttpResponse:
    """The options of a contact picker (htmx): the contacts on record for the customer named
    by the parameter ``from`` names (default ``customer``); 404 for a customer the user may
    not see."""
    param = request.GET.get("from", "customer")
    customer = request.GET.get(param, "")
    if customer.isdigit():
        selectors.customer_get(request.user, int(customer))  # 404 unless visible
    options = [(c.pk, contact_label(c)) for c in selectors.contact_options(request.user, customer)]
    return render(request, "customers/_contact_options.html", {"options": options})
