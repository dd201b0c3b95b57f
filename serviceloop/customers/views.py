from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from serviceloop.core.exports import xlsx_response
from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    list_template,
    paginate,
    querystring_without_page,
    run_service,
)

from . import selectors, services
from .contact_picker import contact_label
from .forms import AgreementForm, ContactForm, CustomerFilterForm, CustomerForm
from .services import AGREEMENT_FIELDS, CONTACT_FIELDS, CUSTOMER_FIELDS


def customer_list(request: AuthedRequest) -> HttpResponse:
    form = CustomerFilterForm(request.GET or None)
    qs = selectors.customer_list(request.user, **form.filters())
    if request.GET.get("export") == "xlsx":
        require(request.user, "customer.export")
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
                "; ".join(
                    f"{p.name} {p.title} {p.phone} {p.email}".strip() for p in c.contacts.all()
                ),
                _("yes") if c.is_active else _("no"),
            ]
            for c in qs.prefetch_related("contacts")
        )
        return xlsx_response("customers.xlsx", _("Customers"), headers, rows)
    ctx = {
        "form": form,
        "page": paginate(request, qs),
        "qs": querystring_without_page(request),
        "can_create": can(request.user, "customer.create"),
    }
    return render(
        request, list_template(request, "customers/list.html", "customers/_table.html"), ctx
    )


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
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in CUSTOMER_FIELDS}
        customer = run_service(form, lambda: services.customer_create(actor=request.user, **data))
        if customer:
            messages.success(request, _("Customer %s was created.") % customer)
            return redirect("customers:detail", customer.pk)
    return render(request, "customers/form.html", {"form": form, "title": _("New customer")})


def customer_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(request.user, pk)
    require(request.user, "customer.change")
    form = CustomerForm(request.POST or None, instance=customer)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in CUSTOMER_FIELDS}
        fresh = selectors.customer_get(request.user, pk)
        if run_service(
            form, lambda: services.customer_update(actor=request.user, customer=fresh, **data)
        ):
            messages.success(request, _("Saved."))
            return redirect("customers:detail", pk)
    return render(
        request,
        "customers/form.html",
        {"form": form, "title": _("Edit customer %s") % customer, "customer": customer},
    )


def contact_create(request: AuthedRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(request.user, pk)
    require(request.user, "customer.change")
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in CONTACT_FIELDS}
        if run_service(
            form, lambda: services.contact_create(actor=request.user, customer=customer, **data)
        ):
            return redirect("customers:detail", pk)
    return render(
        request,
        "customers/form.html",
        {"form": form, "title": _("New contact for %s") % customer, "customer": customer},
    )


def contact_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(request.user, pk)
    require(request.user, "customer.change")
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in CONTACT_FIELDS}
        fresh = selectors.contact_get(request.user, pk)
        if run_service(
            form, lambda: services.contact_update(actor=request.user, contact=fresh, **data)
        ):
            return redirect("customers:detail", contact.customer_id)
    return render(
        request,
        "customers/form.html",
        {"form": form, "title": _("Edit contact %s") % contact, "customer": contact.customer},
    )


def agreement_list(request: AuthedRequest) -> HttpResponse:
    qs = selectors.agreement_list(request.user)
    return render(request, "customers/agreement_list.html", {"page": paginate(request, qs)})


def agreement_create(request: AuthedRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(request.user, pk)
    require(request.user, "agreement.change")
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in AGREEMENT_FIELDS}
        if run_service(
            form, lambda: services.agreement_create(actor=request.user, customer=customer, **data)
        ):
            messages.success(request, _("Service agreement saved."))
            return redirect("customers:detail", pk)
    return render(
        request,
        "customers/form.html",
        {"form": form, "title": _("New service agreement for %s") % customer, "customer": customer},
    )


def agreement_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(request.user, pk)
    require(request.user, "agreement.change")
    form = AgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in AGREEMENT_FIELDS}
        fresh = get_object_or_404(type(agreement), pk=pk)
        if run_service(
            form, lambda: services.agreement_update(actor=request.user, agreement=fresh, **data)
        ):
            messages.success(request, _("Service agreement saved."))
            return redirect("customers:detail", agreement.customer_id)
    return render(
        request,
        "customers/form.html",
        {
            "form": form,
            "title": _("Edit service agreement %s") % agreement,
            "customer": agreement.customer,
        },
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
