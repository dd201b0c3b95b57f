"""core.services.save_audited / delete_audited and core.numbering.save_numbered: the ends of a
service's write that every app shares."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from serviceloop.core.audit import AuditAction, snapshot
from serviceloop.core.models import AuditEntry
from serviceloop.core.numbering import save_numbered
from serviceloop.core.roles import RoleCode
from serviceloop.core.services import delete_audited, save_audited
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.customers.models import Contact
from serviceloop.visits.models import VisitRecord

pytestmark = pytest.mark.django_db


def _last() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq").first()


def test_save_audited_saves_and_records_what_changed():
    actor = user_with(RoleCode.ADMIN)
    contact = Contact.objects.create(customer=CustomerFactory(), name="Li")
    before = snapshot(contact)
    contact.phone = "123"
    assert save_audited(contact, actor=actor, before=before, reason="typo") is contact
    assert Contact.objects.get(pk=contact.pk).phone == "123"
    entry = _last()
    assert entry.action == AuditAction.UPDATE and entry.reason == "typo"
    assert entry.before["phone"] == "" and entry.after["phone"] == "123"


def test_save_audited_writes_the_action_given():
    actor = user_with(RoleCode.ADMIN)
    contact = Contact.objects.create(customer=CustomerFactory(), name="Li")
    before = snapshot(contact)
    contact.is_primary = True
    save_audited(contact, actor=actor, before=before, action=AuditAction.TRANSITION)
    entry = _last()
    assert entry.action == AuditAction.TRANSITION and entry.after["is_primary"] is True


def test_save_audited_clean_refuses_naming_the_field_and_saves_nothing():
    actor = user_with(RoleCode.ADMIN)
    contact = Contact.objects.create(customer=CustomerFactory(), name="Li")
    before, seen = snapshot(contact), AuditEntry.objects.count()
    contact.email = "not an address"
    with pytest.raises(ValidationError) as err:
        save_audited(contact, actor=actor, before=before, clean=True)
    assert list(err.value.message_dict) == ["email"]
    assert Contact.objects.get(pk=contact.pk).email == ""
    assert AuditEntry.objects.count() == seen


def test_save_audited_without_before_audits_a_creation():
    contact = Contact(customer=CustomerFactory(), name="Wang")
    save_audited(contact, actor=None, before=None, system="import", clean=True)
    entry = _last()
    assert contact.pk is not None
    assert entry.action == AuditAction.CREATE and entry.object_id == str(contact.pk)
    assert entry.actor_label == "system:import" and entry.after["name"] == "Wang"


def test_delete_audited_records_the_last_values_then_deletes():
    actor = user_with(RoleCode.ADMIN)
    contact = Contact.objects.create(customer=CustomerFactory(), name="Zhao")
    pk = contact.pk
    delete_audited(contact, actor=actor, reason="left the company")
    assert not Contact.objects.filter(pk=pk).exists()
    entry = _last()
    assert entry.action == AuditAction.DELETE and entry.object_id == str(pk)
    assert entry.before["name"] == "Zhao" and entry.after is None
    assert entry.reason == "left the company" and entry.object_repr == "Zhao"


def _visit(actor, customer, **kw) -> VisitRecord:
    return VisitRecord(
        customer=customer,
        visited_at=kw.pop("visited_at", timezone.now()),
        summary=kw.pop("summary", "talked"),
        visitors="Sales",
        satisfaction=4,
        created_by=actor,
        number="pending",
        **kw,
    )


def test_save_numbered_numbers_a_valid_record_only():
    actor = user_with(RoleCode.ADMIN)
    customer = CustomerFactory()
    bad = _visit(actor, customer, summary="")
    with pytest.raises(ValidationError) as err:
        save_numbered(bad, "VIS", bad.visited_at, actor=actor)
    assert "summary" in err.value.message_dict and bad.pk is None
    good = _visit(actor, customer)
    save_numbered(good, "VIS", good.visited_at, actor=actor)
    year = timezone.localtime(good.visited_at).year
    assert good.number == f"VIS-{year}-00001"  # the refused one took no number
    entry = _last()
    assert entry.action == AuditAction.CREATE and entry.after["number"] == good.number
