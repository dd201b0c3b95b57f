"""Parts: spare parts by failure frequency (R-5.3.4.3), urgent draws served first (R-5.9.3),
the holders' ledger, nonconforming tags."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import user_with
from serviceloop.fieldservice import queries, selectors, services
from serviceloop.fieldservice.models import PartMovement, PartsRequest

from .factories import PartFactory, issue_parts, record

pytestmark = pytest.mark.django_db


def _spare(eng, customer, part, qty, reason="", **kw):
    return services.parts_request_create(
        actor=eng,
        kind="spare",
        customer=customer,
        lines=[{"part": part, "quantity": qty}],
        reason=reason,
        **kw,
    )


def test_failure_frequency_justifies_the_quantity(eng, oem, part):
    today = timezone.localdate()
    for days, qty in ((1, 2), (8, 1), (20, 3), (70, 5)):  # the last one is outside 8 weeks
        record(eng, oem, part, day=today - timedelta(days=days), quantity=qty)
    freq = {f.part.pk: f for f in queries.failure_counts(eng.pk, 8)}
    f = freq[part.pk]
    assert (f.records, f.failed_units, f.balance) == (3, 6, 0)
    assert sum(f.per_week) == 6 and len(f.per_week) == 8
    assert f.suggested == 3  # 6 units in 8 weeks -> 3 for four weeks
    with pytest.raises(ValidationError) as e:
        _spare(eng, oem, part, 5)
    assert "reason" in e.value.error_dict and "3 suggested" in str(e.value)
    req = _spare(eng, oem, part, 3)
    line = req.lines.get()
    assert (line.failures_seen, line.suggested) == (6, 3) and req.holder == eng
    assert _spare(eng, oem, part, 5, reason="主机厂新车型上量").status == "submitted"


@pytest.mark.parametrize(("qty", "field"), [(0, "quantity"), (-1, "quantity"), (None, "quantity")])
def test_bad_quantities(eng, oem, part, qty, field):
    audit = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as e:
        _spare(eng, oem, part, qty, reason="x")
    assert field in e.value.error_dict
    assert not PartsRequest.objects.exists() and AuditEntry.objects.count() == audit


def test_request_guards(eng, oem, part, sales):
    with pytest.raises(ValidationError) as e:
        services.parts_request_create(
            actor=eng,
            kind="spare",
            customer=oem,
            reason="x",
            lines=[{"part": part, "quantity": 1}, {"part": part, "quantity": 2}],
        )
    assert "lines" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.parts_request_create(actor=eng, kind="spare", customer=oem, lines=[])
    assert "lines" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.parts_request_create(
            actor=eng,
            kind="urgent",
            customer=oem,
            reason="急",
            lines=[{"part": part, "quantity": 1}],
        )
    assert "kind" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.parts_request_create(
            actor=sales,
            kind="urgent",
            customer=oem,
            reason="",
            lines=[{"part": part, "quantity": 1}],
        )
    assert "reason" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        _spare(sales, oem, part, 1, reason="x")
    assert "holder" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        _spare(sales, oem, part, 1, reason="x", holder=user_with("production"))
    assert "holder" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        _spare(eng, oem, part, 1, reason="x", needed_by=timezone.localdate() - timedelta(1))
    assert "needed_by" in e.value.error_dict
    with pytest.raises(PermissionDenied):
        _spare(user_with("warehouse"), oem, part, 1, reason="x")


def test_approval_issue_close(eng, oem, part, leader, wh):
    req = _spare(eng, oem, part, 4, reason="备用")
    with pytest.raises(PermissionDenied):
        services.parts_request_approve(actor=eng, request=req)
    with pytest.raises(ValidationError):
        services.parts_request_issue(actor=wh, request=req)  # not approved yet
    req = services.parts_request_approve(actor=leader, request=req)
    assert req.status == "approved" and req.decided_by == leader
    line = req.lines.get()
    with pytest.raises(ValidationError) as e:
        services.parts_request_issue(actor=wh, request=req, quantities={line.pk: 5})
    assert "quantities" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.parts_request_issue(actor=wh, request=req, quantities={line.pk: 3})
    assert "note" in e.value.error_dict  # short issue needs a note
    with pytest.raises(ValidationError):
        services.parts_request_issue(actor=wh, request=req, quantities={line.pk: 0}, note="无货")
    req = services.parts_request_issue(
        actor=wh, request=req, quantities={line.pk: 3}, note="库存不足,先发3件"
    )
    assert req.status == "issued" and req.lines.get().issued_quantity == 3
    assert queries.balance(eng.pk, part.pk) == 3
    req = services.parts_request_close(actor=eng, request=req, note="已入柜")
    assert req.status == "closed"


def test_the_approver_is_not_the_requester(part, oem):
    lead = user_with("sales_leader")
    req = services.parts_request_create(
        actor=lead,
        kind="urgent",
        customer=oem,
        reason="停线",
        lines=[{"part": part, "quantity": 1}],
    )
    with pytest.raises(ValidationError):
        services.parts_request_approve(actor=lead, request=req)


def test_reject_and_cancel(eng, oem, part, leader):
    req = _spare(eng, oem, part, 1, reason="x")
    with pytest.raises(ValidationError) as e:
        services.parts_request_reject(actor=leader, request=req, reason="")
    assert "reason" in e.value.error_dict
    req = services.parts_request_reject(actor=leader, request=req, reason="库存充足")
    assert req.status == "rejected"
    with pytest.raises(ValidationError):
        services.parts_request_cancel(actor=eng, request=req, reason="x")
    other = _spare(eng, oem, part, 1, reason="x")
    with pytest.raises(ValidationError):
        services.parts_request_cancel(
            actor=user_with("service_engineer"), request=other, reason="x"
        )
    assert (
        services.parts_request_cancel(actor=eng, request=other, reason="不需要了").status
        == "cancelled"
    )


def test_ledger_use_and_return(eng, oem, part, wh):
    issue_parts(eng, part, 5, oem)
    r = record(eng, oem, part)
    services.parts_use(actor=eng, record=r, part=part, quantity=2)
    with pytest.raises(ValidationError) as e:
        services.parts_use(actor=eng, record=r, part=part, quantity=4)
    assert "quantity" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.parts_use(actor=eng, record=r, part=part, quantity=0)
    assert "quantity" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.parts_use(actor=user_with("service_engineer"), record=r, part=part, quantity=1)
    assert "record" in e.value.error_dict
    services.parts_return(actor=wh, holder=eng, part=part, quantity=1)
    with pytest.raises(ValidationError):
        services.parts_return(actor=wh, holder=eng, part=part, quantity=3)
    rows = selectors.balance_rows(wh)
    assert [(r["issued"], r["used"], r["returned"], r["balance"]) for r in rows] == [(5, 2, 1, 2)]
    assert PartMovement.objects.count() == 3
    assert selectors.balance_rows(user_with("agent")) == []


def test_warehouse_queue_urgent_first_then_by_time(eng, oem, leader, sales):
    part = PartFactory()
    now = timezone.now()
    made = []
    for minutes, kind in ((50, "spare"), (40, "urgent"), (30, "spare"), (20, "urgent")):
        req = services.parts_request_create(
            actor=sales if kind == "urgent" else eng,
            kind=kind,
            customer=oem,
            reason="r",
            holder=eng if kind == "spare" else None,
            lines=[{"part": part, "quantity": 1}],
        )
        PartsRequest.objects.filter(pk=req.pk).update(requested_at=now - timedelta(minutes=minutes))
        made.append(req)
    waiting = _spare(eng, oem, part, 1, reason="not approved")
    for req in made:
        services.parts_request_approve(actor=leader, request=req)
    queue = list(selectors.warehouse_queue(leader))
    assert queue == [made[1], made[3], made[0], made[2]]
    assert waiting not in queue


def test_api_requests_queue_and_ledger(api_as, eng, oem, part, leader, wh, sales):
    record(eng, oem, part, quantity=4)
    e_api = api_as(eng)
    freq = e_api.get("parts-requests/failure-frequency").json()
    assert freq[0]["part_number"] == part.part_number and freq[0]["failed_units"] == 4
    r = e_api.post(
        "parts-requests/",
        {"kind": "spare", "customer": oem.pk, "lines": [{"part": part.pk, "quantity": 0}]},
    )
    assert r.status_code == 422 and "quantity" in str(r.json()["detail"][0]["loc"])
    r = e_api.post(
        "parts-requests/",
        {"kind": "spare", "customer": oem.pk, "lines": [{"part": part.pk, "quantity": 2}]},
    )
    assert r.status_code == 201, r.content
    spare_id = r.json()["id"]
    assert r.json()["lines"][0]["failures_seen"] == 4
    r = api_as(sales).post(
        "parts-requests/",
        {
            "kind": "urgent",
            "customer": oem.pk,
            "reason": "停线",
            "holder": eng.pk,
            "lines": [{"part": part.pk, "quantity": 1}],
        },
    )
    urgent_id = r.json()["id"]
    assert r.json()["urgent"] is True
    lead = api_as(leader)
    assert lead.post(f"parts-requests/{spare_id}/approve", {}).status_code == 200
    assert lead.post(f"parts-requests/{urgent_id}/approve", {}).status_code == 200
    queue = api_as(wh).get("warehouse-queue/").json()
    assert [x["id"] for x in queue["items"]] == [urgent_id, spare_id]
    assert e_api.post(f"parts-requests/{urgent_id}/issue", {}).status_code == 403
    r = api_as(wh).post(f"parts-requests/{urgent_id}/issue", {})
    assert r.status_code == 200 and r.json()["status"] == "issued"
    bal = api_as(wh).get("part-balances/", {"holder": eng.pk}).json()
    assert bal["items"][0]["balance"] == 1
    r = api_as(wh).post(
        "part-movements/returns", {"holder": eng.pk, "part": part.pk, "quantity": 2}
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "quantity"
    assert api_as(wh).get("part-movements/").json()["count"] == 1


def test_nonconforming_tags(eng, oem, part, sales):
    today = timezone.localdate()
    kw = dict(
        customer=oem,
        part=part,
        quantity=12,
        location="二号库 A-3",
        found_on=today,
        nonconformity="油封漏装",
        disposition="repair_parts",
        lot="L2406",
    )
    with pytest.raises(ValidationError) as e:
        services.tag_create(actor=eng, **{**kw, "found_on": today + timedelta(days=1)})
    assert "found_on" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.tag_create(actor=eng, **{**kw, "quantity": 0})
    assert "quantity" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.tag_create(actor=eng, **{**kw, "disposition": "scrap"})
    assert "disposition" in e.value.error_dict
    tag = services.tag_create(actor=eng, **kw)
    assert tag.number.startswith("NCT-") and tag.status == "tagged"
    tag = services.tag_update(actor=eng, tag=tag, disposition="rework_assembly")
    with pytest.raises(ValidationError):
        services.tag_resolve(actor=eng, tag=tag, resolution=" ")
    tag = services.tag_resolve(actor=eng, tag=tag, resolution="总成返修合格")
    assert tag.status == "resolved"
    with pytest.raises(ValidationError):
        services.tag_update(actor=eng, tag=tag, lot="x")
    with pytest.raises(PermissionDenied):
        services.tag_create(actor=user_with("warehouse"), **kw)
