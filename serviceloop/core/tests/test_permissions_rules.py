"""The one permission mechanism (core/permissions.py), function by function (issue 17): the
action table, the role codes of a login, and the customer scope of an agent."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from serviceloop.core import permissions
from serviceloop.core.permissions import (
    ACTIONS,
    can,
    has_role,
    is_agent_only,
    register_actions,
    require,
    role_codes,
    scope_by_customer,
    visible_customers,
)
from serviceloop.core.testing.factories import (
    AgentFactory,
    ContactFactory,
    CustomerFactory,
    UserFactory,
    user_with,
)
from serviceloop.customers.models import Contact, Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def table(monkeypatch):
    monkeypatch.setattr(permissions, "ACTIONS", dict(ACTIONS))
    return permissions.ACTIONS


def test_register_actions_adds_rows_and_refuses_conflicts(table):
    register_actions({"test.thing": frozenset({"sales", "quality"})})
    assert table["test.thing"] == frozenset({"sales", "quality"})
    assert isinstance(table["test.thing"], frozenset)
    register_actions({"test.thing": frozenset({"quality", "sales"})})  # the same again: fine
    register_actions({"test.list": ["sales"]})
    assert table["test.list"] == frozenset({"sales"})
    with pytest.raises(
        ValueError, match=r"^action 'test.thing' is registered twice with different roles$"
    ):
        register_actions({"test.thing": frozenset({"sales"})})
    with pytest.raises(
        ValueError, match=r"^action 'test.other' names unknown roles \['boss', 'clerk'\]$"
    ):
        register_actions({"test.other": frozenset({"sales", "clerk", "boss"})})
    assert "test.other" not in table


def test_role_codes_of_logins():
    assert role_codes(AnonymousUser()) == frozenset()
    assert role_codes(object()) == frozenset()
    sales = user_with("sales")
    assert role_codes(sales) == frozenset({"sales"})
    inactive = user_with("sales", is_active=False)
    assert role_codes(inactive) == frozenset()
    boss = UserFactory(roles=["quality"], is_superuser=True)
    assert role_codes(boss) == frozenset({"quality", "admin"})
    assert role_codes(UserFactory(is_superuser=True)) == frozenset({"admin"})


def test_role_codes_are_cached_on_the_user(django_assert_num_queries):
    user = user_with("quality")
    assert role_codes(user) == frozenset({"quality"})
    assert user._role_codes == frozenset({"quality"})
    with django_assert_num_queries(0):
        assert role_codes(user) == frozenset({"quality"})
        assert can(user, "customer.view")


def test_has_role_can_and_require():
    user = user_with("quality")
    assert has_role(user, "quality") and has_role(user, "sales", "quality")
    assert not has_role(user, "sales") and not has_role(user)
    assert can(user, "audit.view") is False and can(user, "customer.view") is True
    assert can(user_with("admin"), "audit.view") is True
    with pytest.raises(KeyError, match=r"unknown action 'no.such'"):
        can(user, "no.such")
    require(user, "customer.view")
    with pytest.raises(PermissionDenied, match=r"^audit.view$"):
        require(user, "audit.view")


def test_is_agent_only():
    assert is_agent_only(user_with("agent"))
    assert not is_agent_only(user_with("sales"))
    assert not is_agent_only(UserFactory(roles=["agent", "sales"], agent=AgentFactory()))
    assert not is_agent_only(AnonymousUser())


@pytest.fixture
def served():
    agency, other = AgentFactory(), AgentFactory()
    mine = CustomerFactory(agent=agency, tier="retail")
    theirs = CustomerFactory(agent=other, tier="retail")
    nobody = CustomerFactory(tier="retail")
    contacts = {c: ContactFactory(customer=c) for c in (mine, theirs, nobody)}
    return agency, mine, theirs, nobody, contacts


def test_visible_customers(served):
    agency, mine, theirs, nobody, _ = served
    everyone = {mine, theirs, nobody}
    assert set(visible_customers(user_with("sales"))) >= everyone
    assert set(visible_customers(user_with("agent", agent=agency))) == {mine}
    assert not visible_customers(user_with("agent", agent=None)).exists()
    assert not visible_customers(UserFactory()).exists()  # no role: nothing
    both = UserFactory(roles=["agent", "sales"], agent=agency)
    assert set(visible_customers(both)) >= everyone
    subset = Customer.objects.filter(pk__in=[mine.pk, theirs.pk])
    assert set(visible_customers(user_with("quality"), subset)) == {mine, theirs}
    assert set(visible_customers(user_with("agent", agent=agency), subset)) == {mine}


def test_scope_by_customer(served):
    agency, mine, _theirs, _nobody, contacts = served
    qs = Contact.objects.filter(pk__in=[c.pk for c in contacts.values()])
    assert set(scope_by_customer(user_with("sales"), qs)) == set(contacts.values())
    assert set(scope_by_customer(user_with("agent", agent=agency), qs)) == {contacts[mine]}
    assert not scope_by_customer(user_with("agent", agent=None), qs).exists()
    assert not scope_by_customer(UserFactory(), qs).exists()
