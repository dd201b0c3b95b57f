"""Resident and named engineers (R-5.3.1/5.3.2, R-5.3.4.1, R-5.3.5): who, where, since when,
until when; history kept; tier rule; who-is-where."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from serviceloop.core.models import AuditEntry, Notification
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.core.testing.notices import assert_each_reader_sees_own_language
from serviceloop.fieldservice import selectors, services
from serviceloop.fieldservice.models import EngineerAssignment

from .factories import assignment, engineer

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_resident_at_a_tier1_oem(sales, eng, oem):
    a = assignment(eng, oem, actor=sales, site="总装二厂")
    assert a.state == "active" and a.address == oem.mailing_address
    assert a.created_by == sales
    assert Notification.objects.filter(recipient=eng, kind="fieldservice.assignment").exists()
    assert_each_reader_sees_own_language(
        Notification.objects.filter(kind="fieldservice.assignment")
    )
    assert AuditEntry.objects.filter(object_type="fieldservice.engineerassignment").count() == 1


@pytest.mark.parametrize(
    ("kind", "tier"), [("resident", "oem_tier2"), ("resident", "retail"), ("named", "oem_tier1")]
)
def test_outside_the_intended_tier_needs_a_reason(sales, eng, kind, tier):
    customer = CustomerFactory(tier=tier)
    with pytest.raises(ValidationError) as e:
        assignment(eng, customer, actor=sales, kind=kind)
    assert "exception_reason" in e.value.error_dict
    if tier == "oem_tier2":
        assert "R-5.3.4.1" in str(e.value)
    assert not EngineerAssignment.objects.exists()
    a = assignment(eng, customer, actor=sales, kind=kind, exception_reason="主机厂新车型投产期")
    assert a.exception_reason


def test_named_engineer_for_a_key_retail_user(sales, eng):
    a = assignment(eng, CustomerFactory(tier="retail_key"), actor=sales, kind="named")
    assert a.get_kind_display() == "Named engineer"


def test_the_engineer_must_hold_the_engineer_role(sales, oem):
    with pytest.raises(ValidationError) as e:
        assignment(user_with("sales"), oem, actor=sales)
    assert "engineer" in e.value.error_dict


def test_one_resident_place_at_a_time(sales, eng, oem):
    assignment(eng, oem, actor=sales)
    with pytest.raises(ValidationError) as e:
        assignment(eng, CustomerFactory(tier="oem_tier1"), actor=sales)
    assert "engineer" in e.value.error_dict
    # ...but a named engineer may also serve a key retail user meanwhile
    assignment(eng, CustomerFactory(tier="retail_key"), actor=sales, kind="named")
    with pytest.raises(ValidationError) as e:
        assignment(eng, oem, actor=sales, kind="resident")
    assert "start_date" in e.value.error_dict


def test_end_keeps_history_and_frees_the_engineer(sales, eng, oem):
    a = assignment(eng, oem, actor=sales, start_date=TODAY() - timedelta(days=100))
    with pytest.raises(ValidationError) as e:
        services.assignment_end(actor=sales, assignment=a, end_date=TODAY(), reason="")
    assert "reason" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.assignment_end(
            actor=sales, assignment=a, end_date=TODAY() - timedelta(days=200), reason="调岗"
        )
    assert "end_date" in e.value.error_dict
    a = services.assignment_end(
        actor=sales, assignment=a, end_date=TODAY() - timedelta(days=1), reason="调岗"
    )
    assert a.state == "ended"
    with pytest.raises(ValidationError):
        services.assignment_end(actor=sales, assignment=a, end_date=TODAY(), reason="again")
    b = assignment(eng, CustomerFactory(tier="oem_tier1"), actor=sales, start_date=TODAY())
    assert b.state == "active"
    assert EngineerAssignment.objects.filter(engineer=eng).count() == 2


def test_update_and_validation(sales, eng, oem):
    a = assignment(eng, oem, actor=sales)
    a = services.assignment_update(actor=sales, assignment=a, site="三号门", reason="搬迁")
    assert a.site == "三号门"
    with pytest.raises(ValidationError) as e:
        services.assignment_update(actor=sales, assignment=a, end_date=a.start_date - timedelta(1))
    assert "end_date" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.assignment_update(actor=sales, assignment=a, engineer=eng)
    assert "engineer" in e.value.error_dict


def test_only_the_sales_side_assigns(eng, oem):
    with pytest.raises(PermissionDenied):
        assignment(eng, oem, actor=eng)


def test_who_is_where_shows_gaps(sales, eng, oem):
    other = CustomerFactory(tier="oem_tier1")
    key = CustomerFactory(tier="retail_key")
    assignment(eng, oem, actor=sales)
    planned = assignment(engineer(), other, actor=sales, start_date=TODAY() + timedelta(days=5))
    w = selectors.who_is_where(sales)
    assert [a.customer for a in w.resident] == [oem]
    assert other in w.tier1_without and oem not in w.tier1_without
    assert key in w.key_retail_without
    assert planned in w.planned
    assert planned.engineer in w.unplaced_engineers


def test_api_create_list_and_errors(sales_api, eng, oem, api_as):
    r = sales_api.post(
        "resident-assignments/",
        {
            "kind": "resident",
            "engineer": eng.pk,
            "customer": oem.pk,
            "start_date": TODAY().isoformat(),
            "site": "总装二厂",
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["state"] == "active" and r.json()["customer_tier"] == "oem_tier1"
    r = sales_api.post(
        "resident-assignments/",
        {
            "kind": "resident",
            "engineer": eng.pk,
            "customer": CustomerFactory(tier="oem_tier2").pk,
            "start_date": TODAY().isoformat(),
        },
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "exception_reason"
    r = sales_api.post(
        "resident-assignments/",
        {
            "kind": "resident",
            "engineer": eng.pk,
            "customer": 999999,
            "start_date": TODAY().isoformat(),
        },
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "customer"
    assert sales_api.get("resident-assignments/").json()["count"] == 1
    where = sales_api.get("resident-assignments/who-is-where").json()
    assert where["resident"][0]["engineer"] == eng.pk
    # an agent sees no tier-1 OEM's placement: 404
    agent = api_as(user_with("agent"))
    aid = EngineerAssignment.objects.get().pk
    assert agent.get(f"resident-assignments/{aid}").status_code == 404
    assert agent.get("resident-assignments/").json()["count"] == 0
    assert (
        api_as(eng)
        .post(
            "resident-assignments/",
            {
                "kind": "resident",
                "engineer": eng.pk,
                "customer": oem.pk,
                "start_date": TODAY().isoformat(),
            },
        )
        .status_code
        == 403
    )
