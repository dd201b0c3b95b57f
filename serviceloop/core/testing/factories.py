"""Factories for tests (design rule 9: factories, not fixtures)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import factory
from django.utils import timezone

from serviceloop.core.models import Agent, Department, Role, User
from serviceloop.customers.models import Contact, Customer, ServiceAgreement, Tier

PASSWORD = "pw-for-tests-1"


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent

    code = factory.Sequence(lambda n: f"agent{n}")
    name = factory.Sequence(lambda n: f"代理商{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.roles.set(Role.objects.filter(code__in=list(extracted)))
        self.save()


def user_with(role: str, **kwargs: Any) -> User:
    """A user holding one role; an agent's login gets an agency; a department by role."""
    if role == "agent" and "agent" not in kwargs:
        kwargs["agent"] = AgentFactory()
    if "department" not in kwargs:
        kwargs["department"] = Department.objects.filter(code=role).first() or (
            Department.objects.get(code="sales") if role in {"sales", "sales_leader"} else None
        )
    return UserFactory(roles=[role], **kwargs)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    code = factory.Sequence(lambda n: f"C{n:04d}")
    name = factory.Sequence(lambda n: f"客户{n}")
    tier = Tier.OEM_TIER1


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = "赵明"
    title = "质量工程师"


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAgreement

    customer = factory.SubFactory(CustomerFactory)
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    warranty_months = 24


def register_communication(
    actor: User,
    customer: Customer | None = None,
    received_at: datetime | None = None,
    **kwargs: Any,
):
    from serviceloop.communications.services import communication_register

    return communication_register(
        actor=actor,
        customer=customer or CustomerFactory(),
        channel=kwargs.pop("channel", "call"),
        received_at=received_at or timezone.now() - timedelta(hours=1),
        subject=kwargs.pop("subject", "减振器异响"),
        body=kwargs.pop("body", "客户反映异响。"),
        **kwargs,
    )
