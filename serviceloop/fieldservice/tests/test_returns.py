"""Return-for-repair forms (退修单, R-5.9.2): fill, countersign, check; mismatches are held
(not an error) until corrected and checked again."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from serviceloop.core.models import AuditEntry, Notification
from serviceloop.core.testing.factories import user_with
from serviceloop.core.testing.notices import assert_each_reader_sees_own_language
from serviceloop.fieldservice import services
from serviceloop.fieldservice.models import ReturnForRepairForm

from .factories import return_form

pytestmark = pytest.mark.django_db


def _line(f):
    return f.lines.get()


def test_matching_goods_are_received(eng, oem, part, wh):
    f = return_form(eng, oem, lines=[{"part": part, "quantity": 3, "lot": "L1"}])
    assert f.status == "draft" and f.number.startswith("RFR-")
    f = services.return_countersign(actor=eng, form=f)
    assert f.status == "signed" and f.signed_by == eng and f.signed_at is not None
    assert Notification.objects.filter(recipient=wh, kind="fieldservice.return").exists()
    assert_each_reader_sees_own_language(Notification.objects.filter(kind="fieldservice.return"))
    f = services.return_check(actor=wh, form=f, counted={_line(f).pk: 3}, signatures_ok=True)
    assert f.status == "received" and f.received_at and f.discrepancy == ""


def test_mismatch_is_held_then_corrected_and_received(eng, oem, part, wh):
    f = services.return_countersign(
        actor=eng, form=return_form(eng, oem, lines=[{"part": part, "quantity": 5}])
    )
    line = _line(f)
    f = services.return_check(actor=wh, form=f, counted={line.pk: 4}, signatures_ok=True)
    assert f.status == "held" and f.received_at is None
    assert f.discrepancy == f"{part.part_number}: form says 5, counted 4"
    assert Notification.objects.filter(recipient=eng, kind="fieldservice.return").exists()
    with pytest.raises(ValidationError) as e:  # only the engineer named on the form
        services.return_correct(actor=user_with("service_engineer"), form=f, note="x")
    assert "engineer" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.return_correct(actor=eng, form=f, note="")
    assert "note" in e.value.error_dict
    f = services.return_correct(actor=eng, form=f, note="客户少交1件", quantities={line.pk: 4})
    assert f.status == "signed" and _line(f).quantity == 4 and _line(f).counted_quantity is None
    f = services.return_check(actor=wh, form=f, counted={line.pk: 4}, signatures_ok=True)
    assert f.status == "received"
    audit = AuditEntry.objects.filter(
        object_type="fieldservice.returnforrepairform", object_id=str(f.pk), action="transition"
    )
    assert audit.count() == 4


def test_incomplete_signatures_hold_the_goods(eng, oem, part, wh):
    f = services.return_countersign(actor=eng, form=return_form(eng, oem))
    f = services.return_check(actor=wh, form=f, counted={_line(f).pk: 3}, signatures_ok=False)
    assert f.status == "held" and "signatures" in f.discrepancy


def test_check_input_errors_store_nothing(eng, oem, wh):
    f = services.return_countersign(actor=eng, form=return_form(eng, oem))
    line = _line(f)
    for counted, field in (
        ({line.pk: -1}, "counted"),
        ({}, "counted"),
        ({line.pk: 3, 999: 1}, "counted"),
    ):
        with pytest.raises(ValidationError) as e:
            services.return_check(actor=wh, form=f, counted=counted, signatures_ok=True)
        assert field in e.value.error_dict
    f.refresh_from_db()
    assert f.status == "signed" and _line(f).counted_quantity is None


def test_guards_and_permissions(eng, oem, part, wh):
    with pytest.raises(ValidationError) as e:
        return_form(eng, oem, lines=[{"part": part, "quantity": 0}])
    assert "quantity" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        return_form(eng, oem, return_date=timezone.localdate() + timedelta(days=1))
    assert "return_date" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        return_form(eng, oem, lines=[{"part": 999999, "quantity": 1}])
    assert "part" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.return_create(
            actor=eng, customer=oem, return_date=timezone.localdate(), reason="x", lines=[]
        )
    assert "lines" in e.value.error_dict
    assert not ReturnForRepairForm.objects.exists()
    with pytest.raises(PermissionDenied):
        return_form(wh, oem)
    f = return_form(eng, oem)
    with pytest.raises(ValidationError):  # a draft is not checked
        services.return_check(actor=wh, form=f, counted={_line(f).pk: 3}, signatures_ok=True)
    with pytest.raises(ValidationError) as e:
        services.return_countersign(actor=user_with("service_engineer"), form=f)
    assert "engineer" in e.value.error_dict
    with pytest.raises(PermissionDenied):
        services.return_check(actor=eng, form=f, counted={}, signatures_ok=True)
    f = services.return_update(
        actor=eng, form=f, customer_signatory="赵明", lines=[{"part": part, "quantity": 7}]
    )
    assert _line(f).quantity == 7 and f.customer_signatory == "赵明"
    f = services.return_countersign(actor=eng, form=f)
    with pytest.raises(ValidationError):
        services.return_countersign(actor=eng, form=f)
    with pytest.raises(ValidationError):
        services.return_update(actor=eng, form=f, reason="x")
    other = return_form(eng, oem)
    with pytest.raises(ValidationError):
        services.return_cancel(actor=eng, form=other, reason="")
    assert services.return_cancel(actor=eng, form=other, reason="填错").status == "cancelled"


def test_api_flow(api_as, eng, oem, part, wh):
    e_api, w_api = api_as(eng), api_as(wh)
    r = e_api.post(
        "return-forms/",
        {
            "customer": oem.pk,
            "return_date": "2026-01-05",
            "reason": "漏油",
            "customer_signatory": "钱华",
            "lines": [{"part": part.pk, "quantity": 5, "lot": "L1"}],
        },
    )
    assert r.status_code == 201, r.content
    fid, lid = r.json()["id"], r.json()["lines"][0]["id"]
    r = e_api.post(
        "return-forms/",
        {
            "customer": oem.pk,
            "return_date": "2026-01-05",
            "reason": "x",
            "lines": [{"part": part.pk, "quantity": -2}],
        },
    )
    assert r.status_code == 422
    assert e_api.post(f"return-forms/{fid}/countersign").json()["status"] == "signed"
    r = w_api.post(
        f"return-forms/{fid}/check", {"lines": [{"line": lid, "counted": 3}], "signatures_ok": True}
    )
    assert r.status_code == 200 and r.json()["status"] == "held"
    assert "counted 3" in r.json()["discrepancy"]
    r = e_api.post(
        f"return-forms/{fid}/correct", {"note": "实收3件", "lines": [{"line": lid, "quantity": 3}]}
    )
    assert r.json()["status"] == "signed"
    r = w_api.post(
        f"return-forms/{fid}/check", {"lines": [{"line": lid, "counted": 3}], "signatures_ok": True}
    )
    assert r.json()["status"] == "received"
    assert e_api.get("return-forms/", {"status": "received"}).json()["count"] == 1
    assert api_as(user_with("agent")).get(f"return-forms/{fid}").status_code == 404
