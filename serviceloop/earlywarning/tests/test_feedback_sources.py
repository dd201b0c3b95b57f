"""Signal (a) counts every after-sales report of a failure once (R-5.4.3 (a), issue 14 item 5):
warranty claims, service records (and the information feedback forms that report them) and
complaints, merged when they describe the same failure; the evidence names the sources."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from serviceloop.core.testing.factories import CustomerFactory
from serviceloop.earlywarning.documents import narrative
from serviceloop.earlywarning.engine import inputs
from serviceloop.earlywarning.engine.feedback import (
    FIELD_REPORT,
    merge_feedback,
    source_counts,
    vin_in,
)
from serviceloop.earlywarning.engine.warranty import Clock, prepare_part
from serviceloop.warranty.selectors import AnalysisRow

VIN = "LFV2A21K5G3041234"
DAY = date(2026, 5, 12)


def claim(**kw) -> AnalysisRow:
    base = dict(
        part_number="SA-1",
        build_month="2026-01",
        failure_date=DAY,
        purchase_date=date(2026, 2, 20),
        mileage_km=8000.0,
        failure_mode="漏油",
        decision="covered",
    )
    return AnalysisRow(**{**base, **kw})


def record(id: int, **kw) -> dict:
    base = dict(
        id=id,
        number=f"FS-{id}",
        part_number="SA-1",
        date=DAY,
        mileage_km=8000.0,
        failure_mode="leak",
        vehicle="",
        units=1,
        information_forms=[],
    )
    return {**base, **kw}


def complaint(id: int, **kw) -> dict:
    base = dict(id=id, number=f"CC-{id}", part_number="SA-1", lot="", date=DAY, source=None)
    return {**base, **kw}


def test_vin_found_in_free_text_vehicle_field():
    assert vin_in(f"重卡 HN1090 车架号 {VIN.lower()}") == VIN
    assert vin_in("HN1090") == ""
    assert vin_in("LFV2A21K5G304123O") == ""  # O is never in a VIN


def test_claim_and_service_record_of_one_vehicle_are_one_failure():
    rows = merge_feedback([claim(vin=VIN)], [record(1, vehicle=f"车架号 {VIN}")])
    assert len(rows) == 1
    assert rows[0].sources == "warranty_claim+service_record"
    assert rows[0].decision == "covered"  # the claim's decision stays in force


def test_same_serial_merges_but_another_part_does_not():
    rows = merge_feedback(
        [claim(serial_number="sn-77"), claim(part_number="SA-2", serial_number="SN-77")],
        complaints=[complaint(1, lot="")],
    )
    assert len(rows) == 3  # the complaint names no lot, VIN or serial: its own failure
    assert sorted(r.sources for r in rows) == ["complaint", "warranty_claim", "warranty_claim"]


def test_same_part_lot_and_day_is_one_failure_another_day_is_not():
    rows = merge_feedback(
        [claim(lot="L-0412")],
        complaints=[
            complaint(1, lot="l-0412"),
            complaint(2, lot="L-0412", date=DAY + timedelta(days=1)),
        ],
    )
    assert [r.sources for r in rows] == ["warranty_claim+complaint", "complaint"]
    # the second complaint's lot is tied to a build month by the part's claims
    assert rows[1].build_month == "2026-01" and rows[1].decision == FIELD_REPORT


def test_complaint_opened_from_a_service_record_is_that_record():
    rows = merge_feedback(
        [],
        [record(5, information_forms=["IF-2026-001"])],
        [complaint(1, source=("fieldservice.servicerecord", "5"))],
    )
    assert len(rows) == 1
    assert rows[0].sources == "service_record+information_feedback_form+complaint"
    assert rows[0].build_month == ""  # no build month: counted in the evidence, not on the clock


def test_a_record_of_several_parts_counts_each_part():
    rows = merge_feedback([], [record(1, units=3)])
    assert len(rows) == 3
    assert source_counts(r.sources for r in rows) == {"service_record": 3}


def test_evidence_counts_sources_and_double_reports():
    rows = merge_feedback(
        [claim(vin=VIN), claim(failure_date=DAY - timedelta(days=40))],
        [record(1, vehicle=VIN), record(2, date=DAY - timedelta(days=3))],
        [complaint(1, lot="L-9")],
    )
    from serviceloop.warranty.selectors import analysis_columns

    pa = prepare_part("SA-1", analysis_columns(rows), {"2026-01": 1000}, date(2026, 8, 1), Clock())
    assert pa.sources == {"warranty_claim": 2, "service_record": 2, "complaint": 1}
    assert pa.reported_twice == 1
    assert pa.excluded["no_build_month"] == 2  # the lone service record and complaint
    lines = narrative._clock_lines(
        {"feedback_sources": pa.sources, "feedback_reported_twice": pa.reported_twice}
    )
    assert any("service records 2" in line or "服务记录 2" in line for line in lines)


@pytest.mark.django_db
def test_the_engine_reads_every_source_from_the_database():
    from serviceloop.complaints.tests.factories import register_complaint
    from serviceloop.fieldservice.tests.factories import PartFactory, engineer
    from serviceloop.fieldservice.tests.factories import record as service_record
    from serviceloop.warranty.tests.factories import make_claim

    customer = CustomerFactory()
    part = PartFactory(part_number="SA-2041")
    make_claim(customer=customer, vin=VIN, lot="L-1")
    eng = engineer()
    service_record(eng, customer, part, day=date(2025, 9, 1), vehicle=f"车架号 {VIN}")
    service_record(eng, customer, part, day=date(2025, 9, 2), vehicle="HN1090", quantity=2)
    service_record(eng, customer, part, outcome="not_ours")  # not our failure: left out
    register_complaint(
        customer=customer,
        part_number="SA-2041",
        lot="L-1",
        received_at=timezone.make_aware(datetime(2025, 9, 1, 10)),
    )
    register_complaint(customer=customer, part_number="SA-9")  # another part

    cols = inputs.load_part_claims("SA-2041")
    assert sorted(cols["sources"].tolist()) == [
        "service_record",
        "service_record",
        "warranty_claim+service_record+complaint",
    ]
    assert len(inputs.load_claims()["sources"]) == 4
