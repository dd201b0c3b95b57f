"""Flagging a major quality problem on a communication (issue 10, item 5): the form asks for
part, lot and quantity (prefilled from the communication), the complaint and 8D it opens
carry them and are linked both ways, and the 8D waits on Quality's "my work" for a leader."""

import pytest

from serviceloop.communications.domain import part_facts
from serviceloop.communications.models import Communication
from serviceloop.complaints.models import Complaint
from serviceloop.core.selectors import work_items
from serviceloop.core.testing.factories import register_communication, user_with

pytestmark = pytest.mark.django_db

BODY = "客户反映减振器 SA-1001 批次号: 2409A 共 35 件漏油。"


def test_part_facts_from_the_words():
    assert part_facts("漏油", BODY) == {"part_number": "SA-1001", "lot": "2409A", "quantity": 35}
    assert part_facts("零件号:DZ-5530, lot L2409-3") == {
        "part_number": "DZ-5530",
        "lot": "L2409-3",
        "quantity": None,
    }
    assert part_facts("发票问题") == {"part_number": "", "lot": "", "quantity": None}


def test_the_flag_form_is_prefilled_and_the_records_are_linked(client):
    sales = user_with("sales")
    quality = user_with("quality")
    comm = register_communication(sales, subject="减振器漏油", body=BODY)
    client.force_login(sales)
    page = client.get(f"/communications/{comm.pk}/flag-major/").content.decode()
    assert 'value="SA-1001"' in page and 'value="2409A"' in page and 'value="35"' in page
    # a refusal stores nothing: the part number is required
    r = client.post(f"/communications/{comm.pk}/flag-major/", {"description": "漏油"})
    assert r.status_code == 400 and not Complaint.objects.exists()
    assert not Communication.objects.get(pk=comm.pk).major_quality_issue
    r = client.post(
        f"/communications/{comm.pk}/flag-major/",
        {
            "part_number": "SA-1001",
            "part_name": "减振器",
            "lot": "2409B",
            "quantity": "40",
            "description": "批量漏油",
            "reason": "三台车同时漏油",
        },
    )
    assert r.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.part_number, complaint.part_name, complaint.lot, complaint.quantity) == (
        "SA-1001",
        "减振器",
        "2409B",
        40,
    )
    assert complaint.description == "批量漏油"
    report = complaint.eight_d
    assert report.leader is None
    detail = client.get(f"/communications/{comm.pk}/").content.decode()
    assert complaint.number in detail and report.number in detail
    assert f"/complaints/{complaint.pk}/" in detail and f"/complaints/8d/{report.pk}/" in detail
    client.force_login(quality)
    eightd = client.get(f"/complaints/8d/{report.pk}/").content.decode()
    assert f"/communications/{comm.pk}/" in eightd and comm.number in eightd
    items = [i for i in work_items(quality) if i.kind == "eightd.lead"]
    assert any(report.number in i.title for i in items)


def test_the_service_takes_the_part_or_guesses_it():
    sales = user_with("sales")
    comm = register_communication(sales, subject="减振器漏油", body=BODY)
    from serviceloop.communications.services import communication_flag_major

    communication_flag_major(actor=sales, communication=comm, part_number="X-1", quantity=3)
    complaint = Complaint.objects.get()
    assert (complaint.part_number, complaint.lot, complaint.quantity) == ("X-1", "", 3)
    # flagged at registration: taken from the words
    register_communication(sales, subject="断裂", body=BODY, major_quality_issue=True)
    second = Complaint.objects.exclude(pk=complaint.pk).get()
    assert (second.part_number, second.lot, second.quantity) == ("SA-1001", "2409A", 35)
