"""Every write to the customer archive (R-5.2.2) goes through these services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from serviceloop.core.audit import audit_create, audit_update, snapshot
from serviceloop.core.models import User
from serviceloop.core.permissions import require
from serviceloop.core.services import apply_fields, save_audited, validated_save
from serviceloop.core.statemachine import locked

from .models import Contact, Customer, ServiceAgreement

CUSTOMER_FIELDS = (
    "code",
    "name",
    "tier",
    "agent",
    "province",
    "city",
    "mailing_address",
    "postal_code",
    "phone",
    "notes",
    "is_active",
)
CONTACT_FIELDS = ("name", "title", "phone", "email", "is_primary")
AGREEMENT_FIELDS = (
    "reference",
    "valid_from",
    "valid_to",
    "warranty_months",
    "warranty_km",
    "notes",
)


@transaction.atomic
def customer_create(*, actor: User | None, system: str = "", **data: Any) -> Customer:
    if actor is not None:
        require(actor, "customer.create")
    customer = Customer(created_by=actor)
    apply_fields(customer, data, CUSTOMER_FIELDS)
    validated_save(customer)
    audit_create(actor=actor, obj=customer, system=system)
    return customer


@transaction.atomic
def customer_update(*, actor: User, customer: Customer, reason: str = "", **data: Any) -> Customer:
    require(actor, "customer.change")
    customer = locked(customer)
    before = snapshot(customer)
    apply_fields(customer, data, CUSTOMER_FIELDS)
    validated_save(customer)
    audit_update(actor=actor, obj=customer, before=before, reason=reason)
    return customer


def _single_primary(contact: Contact) -> None:
    if contact.is_primary:
        Contact.objects.filter(customer=contact.customer, is_primary=True).exclude(
            pk=contact.pk
        ).update(is_primary=False)


@transaction.atomic
def contact_create(
    *, actor: User | None, customer: Customer, system: str = "", **data: Any
) -> Contact:
    if actor is not None:
        require(actor, "customer.change")
    contact = Contact(customer=customer, created_by=actor)
    apply_fields(contact, data, CONTACT_FIELDS)
    validated_save(contact)
    _single_primary(contact)
    audit_create(actor=actor, obj=contact, system=system)
    return contact


@transaction.atomic
def contact_update(*, actor: User, contact: Contact, **data: Any) -> Contact:
    require(actor, "customer.change")
    before = snapshot(contact)
    apply_fields(contact, data, CONTACT_FIELDS)
    validated_save(contact)
    _single_primary(contact)
    audit_update(actor=actor, obj=contact, before=before)
    return contact


def _check_overlap(agreement: ServiceAgreement) -> None:
    others = ServiceAgreement.objects.filter(customer_id=agreement.customer_id).exclude(
        pk=agreement.pk
    )
    for other in others:
        if agreement.overlaps(other):
            raise ValidationError(
                {
                    "valid_from": _(
                        "The validity overlaps agreement %(other)s; "
                        "the terms in force must be unambiguous."
                    )
                    % {"other": other}
                }
            )


@transaction.atomic
def agreement_create(
    *, actor: User | None, customer: Customer, system: str = "", **data: Any
) -> ServiceAgreement:
    if actor is not None:
        require(actor, "agreement.change")
    agreement = ServiceAgreement(customer=customer, created_by=actor)
    apply_fields(agreement, data, AGREEMENT_FIELDS)
    agreement.full_clean()
    _check_overlap(agreement)
    agreement.save()
    audit_create(actor=actor, obj=agreement, system=system)
    return agreement


@transaction.atomic
def agreement_update(
    *, actor: User, agreement: ServiceAgreement, reason: str = "", **data: Any
) -> ServiceAgreement:
    require(actor, "agreement.change")
    before = snapshot(agreement)
    apply_fields(agreement, data, AGREEMENT_FIELDS)
    agreement.full_clean()
    _check_overlap(agreement)
    return save_audited(agreement, actor=actor, before=before, reason=reason)
