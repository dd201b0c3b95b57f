"""Training (R-5.8): plan, attendance and assessment, the 1 October warning, history."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from conftest import ApiClient
from serviceloop.core.models import Notification
from serviceloop.core.selectors import work_items
from serviceloop.core.testing.factories import user_with
from serviceloop.core.testing.notices import assert_each_reader_sees_own_language
from serviceloop.training import selectors, services
from serviceloop.training.models import Status, Training

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def _training(actor, held_on, **kw):
    return services.training_create(
        actor=actor,
        title=kw.pop("title", "减振器装配与故障判断"),
        held_on=held_on,
        trainer="张伟",
        hours=kw.pop("hours", 3.5),
        **kw,
    )


def _warned(user):
    return any(i.kind == "training.warning" for i in work_items(user))


def test_plan_hold_and_assess(sales):
    eng, eng2 = user_with("service_engineer"), user_with("service_engineer")
    with freeze_time(datetime(2027, 5, 10, 9, tzinfo=SH)):
        t = _training(
            sales, date(2027, 5, 20), attendees=[eng.pk, eng2.pk], external=[("王师傅", "华东汽配")]
        )
        assert t.status == Status.PLANNED and t.attendees.count() == 3
        with pytest.raises(ValidationError):  # not yet taken place
            services.training_record_attendance(actor=sales, training=t, results=[])
    with freeze_time(datetime(2027, 5, 20, 18, tzinfo=SH)):
        a = {x.user_id or x.external_name: x for x in t.attendees.all()}
        with pytest.raises(ValidationError):
            services.training_record_attendance(
                actor=sales,
                training=t,
                results=[{"id": a[eng2.pk].pk, "attended": False, "passed": True}],
            )
        t = services.training_record_attendance(
            actor=sales,
            training=t,
            results=[
                {"id": a[eng.pk].pk, "attended": True, "score": 92, "passed": True},
                {"id": a[eng2.pk].pk, "attended": False},
                {
                    "id": a["王师傅"].pk,
                    "attended": True,
                    "passed": False,
                    "assessment_note": "补考",
                },
            ],
        )
        assert t.status == Status.HELD
        figures = selectors.training_figures(sales, date(2027, 1, 1), date(2027, 6, 30))
        assert figures == {
            "trainings_held": 1,
            "trainings_planned": 0,
            "hours": t.hours,
            "attendances": 2,
            "passed": 1,
        }
        history = selectors.person_history(eng, eng)
        assert [x.score for x in history["attended"]] == [92]


def test_only_sales_side_manages(sales):
    with pytest.raises(PermissionDenied):
        _training(user_with("service_engineer"), date(2027, 1, 1))
    with pytest.raises(ValidationError):
        _training(sales, date(2027, 1, 1), attendees=[999999])
    with pytest.raises(ValidationError):
        _training(sales, date(2027, 1, 1), hours=0)
    assert not Training.objects.exists()


def test_1_october_warning(sales):
    lead = user_with("sales_leader")
    other = user_with("quality")
    with freeze_time(datetime(2027, 9, 30, 23, 0, tzinfo=SH)):
        assert not _warned(sales)
        assert services.sweep_training_warning() == 0
    with freeze_time(datetime(2027, 10, 1, 0, 30, tzinfo=SH)):
        assert _warned(sales) and _warned(lead) and not _warned(other)
        assert services.sweep_training_warning() == 2
        assert services.sweep_training_warning() == 0  # idempotent
        assert Notification.objects.filter(kind="training_warning").count() == 2
        assert_each_reader_sees_own_language(Notification.objects.filter(kind="training_warning"))
        # a training last year does not count; one scheduled for December does
        _training(sales, date(2026, 11, 1))
        assert _warned(sales)
        t = _training(sales, date(2027, 12, 5))
        assert not _warned(sales)
        services.training_cancel(actor=sales, training=t, reason="讲师出差")
        assert _warned(sales)


def test_held_earlier_in_the_year_means_no_warning(sales):
    with freeze_time(datetime(2027, 3, 1, 9, tzinfo=SH)):
        _training(sales, date(2027, 3, 1))
    with freeze_time(datetime(2027, 10, 2, 9, tzinfo=SH)):
        assert not _warned(sales)
        assert services.sweep_training_warning() == 0


def test_api_year_filter_and_create(sales):
    eng = user_with("service_engineer")
    api = ApiClient(sales)
    r = api.post(
        "trainings/",
        {
            "title": "售后服务规范",
            "held_on": "2026-04-02",
            "trainer": "李娜",
            "hours": 2,
            "attendees": [eng.pk],
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["attendees"][0]["user"] == eng.pk
    api.post("trainings/", {"title": "x", "held_on": "2025-04-02", "trainer": "y", "hours": 1})
    assert api.get("trainings/?year=2026").json()["count"] == 1
    assert api.get("trainings/").json()["count"] == 2
    assert (
        api.post(
            "trainings/",
            {
                "title": "x",
                "held_on": "2025-04-02",
                "trainer": "y",
                "hours": 1,
                "attendees": [424242],
            },
        ).status_code
        == 422
    )
    assert ApiClient(user_with("agent")).get("trainings/").status_code == 403


def test_pages_and_history_with_attachment(sales):
    eng = user_with("service_engineer")
    with freeze_time(datetime(2026, 4, 2, 9, tzinfo=SH)):
        t = _training(sales, date(2026, 4, 1), attendees=[eng.pk])
    services.training_attach(
        actor=sales, training=t, file=SimpleUploadedFile("讲义.pdf", b"%PDF-1.4")
    )
    client = Client()
    client.force_login(sales)
    assert client.get(reverse("training:detail", args=[t.pk])).status_code == 200
    att = t.attendees.get()
    r = client.post(
        reverse("training:attendance", args=[t.pk]),
        {f"attended_{att.pk}": "on", f"score_{att.pk}": "88", f"passed_{att.pk}": "1"},
    )
    assert r.status_code == 302
    att.refresh_from_db()
    assert att.attended and att.score == 88 and att.passed is True
    page = client.get(reverse("training:person", args=[eng.pk])).content.decode()
    assert t.title in page
    f = t.attachments.get()
    assert client.get(reverse("training:attachment", args=[t.pk, f.pk])).status_code == 200
