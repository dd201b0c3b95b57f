"""Issue 10, item 11: the customer contact on a form is picked from the contacts recorded on
the customer (an htmx select reloaded when the customer changes), free text only for a new
contact, which can be added to the archive; the options show only customers the user may see."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from serviceloop.communications.models import Communication
from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import ContactFactory, CustomerFactory, user_with
from serviceloop.customers.models import Contact

pytestmark = pytest.mark.django_db

OPTIONS = reverse("customers:contact_options")


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def form_data(customer, **extra):
    return {
        "customer": customer.pk,
        "channel": "call",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "subject": "异响",
        "body": "客户反映异响",
        **extra,
    }


def test_options_list_the_customers_contacts_only():
    cust, other = CustomerFactory(), CustomerFactory()
    ContactFactory(customer=cust, name="赵明", title="", phone="138")
    ContactFactory(customer=other, name="钱华")
    page = client_for(user_with("sales")).get(OPTIONS, {"customer": cust.pk}).content.decode()
    assert "赵明 · 138" in page and "钱华" not in page and '<option value="">' in page
    empty = client_for(user_with("sales")).get(OPTIONS).content.decode()
    assert empty.count("<option") == 1  # only the empty choice until a customer is chosen


def test_options_name_the_parameter_of_a_prefixed_form():
    cust = CustomerFactory()
    ContactFactory(customer=cust, name="赵明")
    r = client_for(user_with("sales")).get(
        OPTIONS, {"from": "notify-customer", "notify-customer": cust.pk}
    )
    assert "赵明" in r.content.decode()


def test_an_agent_sees_only_contacts_of_its_agencys_customers():
    agent = user_with("agent")
    own = CustomerFactory(agent=agent.agent)
    foreign = CustomerFactory()
    ContactFactory(customer=own, name="赵明")
    ContactFactory(customer=foreign, name="钱华")
    c = client_for(agent)
    assert "赵明" in c.get(OPTIONS, {"customer": own.pk}).content.decode()
    assert c.get(OPTIONS, {"customer": foreign.pk}).status_code == 404
    assert client_for(user_with("sales")).get(OPTIONS, {"customer": foreign.pk}).status_code == 200


def test_anonymous_is_sent_to_login():
    r = Client().get(OPTIONS, {"customer": CustomerFactory().pk})
    assert r.status_code in (302, 401, 403) and "钱" not in r.content.decode()


def test_communication_form_picks_the_contact_and_reloads_it_with_htmx():
    sales = user_with("sales")
    cust = CustomerFactory()
    zhao = ContactFactory(customer=cust, name="赵明")
    ContactFactory(customer=CustomerFactory(), name="钱华")
    c = client_for(sales)
    page = c.get(reverse("communications:create"), {"customer": cust.pk}).content.decode()
    assert f'hx-get="{OPTIONS}?from=customer"' in page and 'hx-target="#id_contact"' in page
    assert "赵明" in page and "钱华" not in page  # the preselected customer's contacts
    data = form_data(cust, contact=zhao.pk)
    r = c.post(reverse("communications:create"), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Communication.objects.get().contact == zhao


def test_a_contact_of_another_customer_is_refused_on_the_field():
    sales = user_with("sales")
    cust = CustomerFactory()
    stranger = ContactFactory(customer=CustomerFactory())
    data = form_data(cust, contact=stranger.pk)
    r = client_for(sales).post(reverse("communications:create"), data)
    assert r.status_code == 200 and not Communication.objects.exists()
    assert "contact" in r.context["form"].errors


def test_a_new_contact_as_text_can_be_added_to_the_archive():
    sales = user_with("sales")
    cust = CustomerFactory()
    data = form_data(cust, contact_name="孙新", add_contact="on")
    r = client_for(sales).post(reverse("communications:create"), data)
    assert r.status_code == 302
    comm = Communication.objects.get()
    assert comm.contact.name == "孙新" and comm.contact.customer == cust
    assert AuditEntry.objects.filter(object_type__icontains="contact").exists()
    # without the tick it stays text on the communication only
    data.update(contact_name="周一", add_contact="")
    client_for(sales).post(reverse("communications:create"), data)
    assert not Contact.objects.filter(name="周一").exists()
    assert Communication.objects.filter(contact_name="周一", contact=None).exists()


def test_the_api_accepts_a_contact_id_and_adds_a_new_contact(sales_api, api_as):
    cust = CustomerFactory()
    zhao = ContactFactory(customer=cust, name="赵明")
    body = {
        "customer": cust.pk,
        "channel": "call",
        "received_at": timezone.now().isoformat(),
        "subject": "异响",
        "body": "客户反映异响",
    }
    r = sales_api.post("communications/", {**body, "contact": zhao.pk})
    assert r.status_code == 201 and r.json()["contact"] == zhao.pk
    r = sales_api.post("communications/", {**body, "contact_name": "孙新", "add_contact": True})
    assert r.status_code == 201 and r.json()["contact"] == Contact.objects.get(name="孙新").pk
    agent = user_with("agent")
    own = CustomerFactory(agent=agent.agent)
    r = api_as(agent).post(
        "communications/",
        {**body, "customer": own.pk, "contact_name": "吴新", "add_contact": True},
    )
    assert r.status_code == 422 and "add_contact" in {d.get("field") for d in r.json()["detail"]}


def test_requirement_form_offers_the_customers_contacts():
    cust = CustomerFactory()
    ContactFactory(customer=cust, name="赵明")
    page = client_for(user_with("sales")).get(
        reverse("presales:requirement_create"), {"customer": cust.pk}
    )
    assert "赵明" in page.content.decode() and 'hx-target="#id_contact"' in page.content.decode()
