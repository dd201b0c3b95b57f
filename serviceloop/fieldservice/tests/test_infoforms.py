"""Information feedback forms (信息反馈单, R-5.9.5): classified summaries for the departments,
acknowledged by them; a major typical problem goes out at once."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from serviceloop.core.models import Department, Notification
from serviceloop.core.selectors import work_items
from serviceloop.core.testing.factories import user_with
from serviceloop.fieldservice import selectors, services
from serviceloop.fieldservice.models import InformationFeedbackForm

from .factories import record

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _form(sales, records=(), **kw):
    return services.infoform_create(
        actor=sales,
        title="漏油汇总",
        category="product_quality",
        period_from=kw.pop("period_from", TODAY() - timedelta(days=30)),
        period_to=kw.pop("period_to", TODAY()),
        summary="油封渗油集中",
        records=records,
        **kw,
    )


def _dept(code):
    return Department.objects.get(code=code)


def test_issue_and_acknowledge(sales, eng, oem, part):
    r = record(eng, oem, part)
    quality, production = user_with("quality"), user_with("production")
    f = _form(sales, [r])
    assert f.number.startswith("IFB-") and list(f.records.all()) == [r]
    counts = selectors.classify(f.records.all())
    assert counts["failure_mode"] == [("Oil leak", 1, 1)]
    f = services.infoform_issue(
        actor=sales, form=f, departments=[_dept("quality"), _dept("production")]
    )
    assert f.status == "issued"
    assert Notification.objects.filter(recipient=quality, kind="fieldservice.infoform").exists()
    assert any(i.kind == "fieldservice.infoform" for i in work_items(quality))
    q_route = f.routings.get(department__code="quality")
    with pytest.raises(ValidationError) as e:
        services.infoform_acknowledge(actor=production, routing=q_route)
    assert "department" in e.value.error_dict
    services.infoform_acknowledge(actor=quality, routing=q_route, response="已安排分析")
    with pytest.raises(ValidationError):
        services.infoform_acknowledge(actor=quality, routing=q_route)
    assert InformationFeedbackForm.objects.get().status == "issued"
    services.infoform_acknowledge(
        actor=production, routing=f.routings.get(department__code="production")
    )
    f.refresh_from_db()
    assert f.status == "acknowledged" and f.acknowledged_at is not None
    with pytest.raises(ValidationError):
        services.infoform_update(actor=sales, form=f, title="x")


def test_guards(sales, eng, oem, part):
    old = record(eng, oem, part, day=TODAY() - timedelta(days=60))
    with pytest.raises(ValidationError) as e:
        _form(sales, [old])
    assert "records" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        _form(sales, period_from=TODAY(), period_to=TODAY() - timedelta(days=1))
    assert "period_to" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        _form(sales, period_to=TODAY() + timedelta(days=1))
    assert "period_to" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        _form(sales, [999999])
    assert "records" in e.value.error_dict
    assert not InformationFeedbackForm.objects.exists()
    f = _form(sales)
    with pytest.raises(ValidationError) as e:
        services.infoform_issue(actor=sales, form=f, departments=[])
    assert "departments" in e.value.error_dict
    with pytest.raises(PermissionDenied):
        _form(eng)
    with pytest.raises(PermissionDenied):
        selectors.infoform_list(user_with("agent"))


def test_major_typical_problem_goes_out_at_once(sales, eng, oem, part, leader, major_signals):
    r = record(eng, oem, part)
    f = _form(sales, [r])
    f = services.infoform_flag_major(actor=sales, form=f, reason="同批次多起")
    assert f.major_problem and len(major_signals) == 1
    sig = major_signals[0]
    assert sig["sender"] is InformationFeedbackForm and sig["customer"] == oem
    assert "同批次多起" in sig["summary"]
    assert Notification.objects.filter(recipient=leader, kind="major_quality_issue").exists()
    services.infoform_flag_major(actor=sales, form=f)
    assert len(major_signals) == 1
    _form(sales, major_problem=True)
    assert len(major_signals) == 2 and major_signals[1]["customer"] is None


def test_api(api_as, sales, eng, oem, part):
    r = record(eng, oem, part)
    s_api = api_as(sales)
    resp = s_api.post(
        "information-feedback-forms/",
        {
            "title": "汇总",
            "category": "product_quality",
            "period_from": "2020-01-01",
            "period_to": TODAY().isoformat(),
            "summary": "s",
            "records": [r.pk],
        },
    )
    assert resp.status_code == 201, resp.content
    fid = resp.json()["id"]
    resp = s_api.post(
        "information-feedback-forms/",
        {
            "title": "t",
            "category": "gossip",
            "period_from": "2020-01-01",
            "period_to": "2020-01-02",
            "summary": "s",
        },
    )
    assert resp.status_code == 422
    resp = s_api.post(
        f"information-feedback-forms/{fid}/issue", {"departments": [_dept("quality").pk]}
    )
    assert resp.json()["status"] == "issued"
    rid = resp.json()["routings"][0]["id"]
    q_api = api_as(user_with("quality"))
    resp = q_api.post(f"information-feedback-forms/routings/{rid}/acknowledge", {})
    assert resp.status_code == 200 and resp.json()["acknowledged_at"]
    assert s_api.get(f"information-feedback-forms/{fid}").json()["status"] == "acknowledged"
    assert api_as(eng).get(f"information-feedback-forms/{fid}").status_code == 200
    assert api_as(user_with("agent")).get(f"information-feedback-forms/{fid}").status_code == 403
