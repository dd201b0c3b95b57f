"""Permission-matrix rows of the early warning (see core/tests/test_permission_matrix.py)."""

from datetime import date

from django.utils import timezone

from serviceloop.core.testing.factories import user_with
from serviceloop.earlywarning import services
from serviceloop.earlywarning.tests import factories as f

EW = "/api/v1/early-warning"


def build(w: dict) -> None:
    quality = user_with("quality")
    volume = services.production_volume_create(
        actor=quality, part_number="SA-2041", build_month="2025-01", quantity=1200
    )
    purchase = services.purchase_volume_create(
        actor=quality, customer=w["customer"], month="2025-01", quantity=300
    )
    survey = services.survey_response_create(
        actor=quality,
        kind="customer_satisfaction",
        customer=w["customer"],
        date=date(2025, 1, 15),
        raw_score=4,
        scale=5,
    )
    baseline = services.claim_baseline_set(
        actor=quality, part_number="SA-2041", mis=1, rate_per_unit=0.002, source="设计目标"
    )
    alert = f.raise_alert(f.claims_finding(cohort="2025-01"))
    draft = f.drafted_report(f.raise_alert(f.claims_finding(cohort="2025-02")), quality)
    issued = f.issued_report(f.raise_alert(f.claims_finding(cohort="2025-03")), quality)
    run = f.new_run()
    # Records of their own for the calls the world's records have moved past (KEY_ALIASES): an
    # acknowledged alert (a report is drafted for it), an issued report (customers are
    # notified of it), and an alert whose customers were notified (it closes).
    to_draft = f.raise_alert(f.claims_finding(cohort="2025-04"))
    services.alert_acknowledge(actor=quality, alert=to_draft, note="跟进")
    to_notify = f.issued_report(f.raise_alert(f.claims_finding(cohort="2025-05")), quality)
    notified = f.issued_report(f.raise_alert(f.claims_finding(cohort="2025-06")), quality)
    services.notification_record(
        actor=user_with("sales"),
        report=notified,
        customer=w["customer"],
        notified_on=timezone.localdate(),
        channel="visit",
        agreed_solution="更换",
    )
    w.update(
        ew_alert_to_draft_id=to_draft.pk,
        ew_report_to_notify_id=to_notify.pk,
        ew_alert_notified_id=notified.alert_id,
    )
    w.update(
        ew_alert=alert,
        ew_draft=draft,
        ew_issued=issued,
        ew_volume=volume,
        ew_purchase=purchase,
        ew_survey=survey,
        ew_baseline=baseline,
        ew_run=run,
        alert_id=alert.pk,
        ew_report_id=draft.pk,
        run_id=run.pk,
        production_id=volume.pk,
        baseline_id=baseline.pk,
        purchase_id=purchase.pk,
        response_id=survey.pk,
        part_number="SA-2041",
    )


KEY_ALIASES = {
    ("post", f"{EW}/alerts/{{alert_id}}/report"): {"alert_id": "ew_alert_to_draft_id"},
    ("post", f"{EW}/alerts/{{alert_id}}/close"): {"alert_id": "ew_alert_notified_id"},
    ("post", f"{EW}/reports/{{report_id}}/notifications"): {"report_id": "ew_report_to_notify_id"},
}
API = {
    ("get", f"{EW}/alerts/"): ("ew.view", lambda w: None),
    ("get", f"{EW}/alerts/{{alert_id}}"): ("ew.view", lambda w: None),
    ("post", f"{EW}/alerts/{{alert_id}}/acknowledge"): ("ew.alert.handle", lambda w: {"note": "n"}),
    ("post", f"{EW}/alerts/{{alert_id}}/dismiss"): ("ew.alert.handle", lambda w: {"reason": "r"}),
    ("post", f"{EW}/alerts/{{alert_id}}/report"): ("ew.report.write", lambda w: {}),
    ("post", f"{EW}/alerts/{{alert_id}}/close"): ("ew.report.notify", lambda w: {"note": "n"}),
    ("get", f"{EW}/reports/"): ("ew.view", lambda w: None),
    ("get", f"{EW}/reports/{{report_id}}"): ("ew.view", lambda w: None),
    ("patch", f"{EW}/reports/{{report_id}}"): ("ew.report.write", lambda w: {"causes": "原因"}),
    ("post", f"{EW}/reports/{{report_id}}/refresh-evidence"): ("ew.report.write", lambda w: {}),
    ("post", f"{EW}/reports/{{report_id}}/issue"): ("ew.report.write", lambda w: {}),
    ("post", f"{EW}/reports/{{report_id}}/notifications"): (
        "ew.report.notify",
        lambda w: {
            "customer": w["customer"].pk,
            "notified_on": timezone.localdate().isoformat(),
            "channel": "visit",
            "agreed_solution": "更换",
        },
    ),
    ("get", f"{EW}/reports/{{report_id}}/pdf"): ("ew.view", lambda w: None),
    ("get", f"{EW}/runs/"): ("ew.view", lambda w: None),
    ("post", f"{EW}/runs/"): ("ew.run", lambda w: {}),
    ("get", f"{EW}/runs/{{run_id}}"): ("ew.view", lambda w: None),
    ("get", f"{EW}/claim-baselines/"): ("ew.view", lambda w: None),
    ("post", f"{EW}/claim-baselines/"): (
        "ew.baseline",
        lambda w: {"part_number": "SA-9", "mis": 2, "rate_per_unit": 0.001, "source": "gen 1"},
    ),
    ("post", f"{EW}/claim-baselines/{{baseline_id}}/delete"): ("ew.baseline", lambda w: {}),
    ("get", f"{EW}/production-volumes/"): ("ew.view", lambda w: None),
    ("post", f"{EW}/production-volumes/"): (
        "ew.data",
        lambda w: {"part_number": "SA-9", "build_month": "2024-05", "quantity": 5},
    ),
    ("get", f"{EW}/production-volumes/{{production_id}}"): ("ew.view", lambda w: None),
    ("patch", f"{EW}/production-volumes/{{production_id}}"): ("ew.data", lambda w: {"quantity": 9}),
    ("get", f"{EW}/purchase-volumes/"): ("ew.view", lambda w: None),
    ("post", f"{EW}/purchase-volumes/"): (
        "ew.data",
        lambda w: {"customer": w["customer"].pk, "month": "2024-05", "quantity": 5},
    ),
    ("get", f"{EW}/purchase-volumes/{{purchase_id}}"): ("ew.view", lambda w: None),
    ("patch", f"{EW}/purchase-volumes/{{purchase_id}}"): ("ew.data", lambda w: {"quantity": 9}),
    ("get", f"{EW}/surveys/"): ("ew.view", lambda w: None),
    ("post", f"{EW}/surveys/"): (
        "ew.data",
        lambda w: {"kind": "end_user", "date": "2025-01-05", "score": 80},
    ),
    ("get", f"{EW}/surveys/{{response_id}}"): ("ew.view", lambda w: None),
    ("patch", f"{EW}/surveys/{{response_id}}"): ("ew.data", lambda w: {"comments": "c"}),
    ("get", f"{EW}/parts/"): ("ew.view", lambda w: None),
    ("get", f"{EW}/parts/{{part_number}}"): ("ew.view", lambda w: None),
}

UI = {
    "earlywarning:alert_list": ("ew.view", "get", lambda w: []),
    "earlywarning:alert_detail": ("ew.view", "get", lambda w: [w["ew_alert"].pk]),
    "earlywarning:alert_acknowledge": ("ew.alert.handle", "post", lambda w: [w["ew_alert"].pk]),
    "earlywarning:alert_dismiss": ("ew.alert.handle", "post", lambda w: [w["ew_alert"].pk]),
    "earlywarning:alert_close": ("ew.report.notify", "post", lambda w: [w["ew_alert"].pk]),
    "earlywarning:report_create": ("ew.report.write", "post", lambda w: [w["ew_alert"].pk]),
    "earlywarning:report_list": ("ew.view", "get", lambda w: []),
    "earlywarning:report_detail": ("ew.view", "get", lambda w: [w["ew_issued"].pk]),
    "earlywarning:report_pdf": ("ew.view", "get", lambda w: [w["ew_issued"].pk]),
    "earlywarning:report_edit": ("ew.report.write", "get", lambda w: [w["ew_draft"].pk]),
    "earlywarning:report_refresh": ("ew.report.write", "post", lambda w: [w["ew_draft"].pk]),
    "earlywarning:report_issue": ("ew.report.write", "post", lambda w: [w["ew_draft"].pk]),
    "earlywarning:notification_create": (
        "ew.report.notify",
        "post",
        lambda w: [w["ew_issued"].pk],
    ),
    "earlywarning:part_list": ("ew.view", "get", lambda w: []),
    "earlywarning:part_dashboard": ("ew.view", "get", lambda w: ["SA-2041"]),
    "earlywarning:part_recompute": ("ew.run", "post", lambda w: ["SA-2041"]),
    "earlywarning:run_list": ("ew.view", "get", lambda w: []),
    "earlywarning:run_detail": ("ew.view", "get", lambda w: [w["ew_run"].pk]),
    "earlywarning:run_now": ("ew.run", "post", lambda w: []),
    "earlywarning:production_list": ("ew.view", "get", lambda w: []),
    "earlywarning:production_create": ("ew.data", "get", lambda w: []),
    "earlywarning:production_edit": ("ew.data", "get", lambda w: [w["ew_volume"].pk]),
    "earlywarning:purchase_list": ("ew.view", "get", lambda w: []),
    "earlywarning:purchase_create": ("ew.data", "get", lambda w: []),
    "earlywarning:purchase_edit": ("ew.data", "get", lambda w: [w["ew_purchase"].pk]),
    "earlywarning:survey_list": ("ew.view", "get", lambda w: []),
    "earlywarning:survey_create": ("ew.data", "get", lambda w: []),
    "earlywarning:survey_edit": ("ew.data", "get", lambda w: [w["ew_survey"].pk]),
    "earlywarning:import_list": ("ew.view", "get", lambda w: []),
    "earlywarning:import_create": ("ew.data", "get", lambda w: []),
    "earlywarning:production_delete": ("ew.data", "post", lambda w: [w["ew_volume"].pk]),
    "earlywarning:purchase_delete": ("ew.data", "post", lambda w: [w["ew_purchase"].pk]),
    "earlywarning:survey_delete": ("ew.data", "post", lambda w: [w["ew_survey"].pk]),
    "earlywarning:baseline_list": ("ew.view", "get", lambda w: []),
    "earlywarning:baseline_create": ("ew.baseline", "get", lambda w: []),
    "earlywarning:baseline_edit": ("ew.baseline", "get", lambda w: [w["ew_baseline"].pk]),
    "earlywarning:baseline_delete": ("ew.baseline", "post", lambda w: [w["ew_baseline"].pk]),
}

EXPORTS = {
    "earlywarning:alert_list": "ew.export",
    "earlywarning:production_list": "ew.export",
    "earlywarning:purchase_list": "ew.export",
    "earlywarning:survey_list": "ew.export",
    "earlywarning:baseline_list": "ew.export",
}

# Path placeholders of this app read these world keys (other apps use report_id too).
ALIASES = {"report_id": "ew_report_id"}


# The exact status each allowed call answers in the matrix world (issue 17); a dict gives
# {role: status, "*": status} where roles meet different rules. A 4xx is the rule the world
# meets, quoted in the comment above the row (the world's state, or a record of another
# person or department); test_permission_matrix_declared makes every allowed call declare one.
EXPECT = {
    ("get", "/api/v1/early-warning/alerts/"): 200,
    ("get", "/api/v1/early-warning/alerts/{alert_id}"): 200,
    ("post", "/api/v1/early-warning/alerts/{alert_id}/acknowledge"): 200,
    ("post", "/api/v1/early-warning/alerts/{alert_id}/dismiss"): 200,
    ("post", "/api/v1/early-warning/alerts/{alert_id}/report"): 201,
    ("post", "/api/v1/early-warning/alerts/{alert_id}/close"): 200,
    ("get", "/api/v1/early-warning/reports/"): 200,
    ("get", "/api/v1/early-warning/reports/{report_id}"): 200,
    ("patch", "/api/v1/early-warning/reports/{report_id}"): 200,
    ("post", "/api/v1/early-warning/reports/{report_id}/refresh-evidence"): 200,
    ("post", "/api/v1/early-warning/reports/{report_id}/issue"): 200,
    ("post", "/api/v1/early-warning/reports/{report_id}/notifications"): 201,
    ("get", "/api/v1/early-warning/reports/{report_id}/pdf"): 200,
    ("get", "/api/v1/early-warning/runs/"): 200,
    ("post", "/api/v1/early-warning/runs/"): 201,
    ("get", "/api/v1/early-warning/runs/{run_id}"): 200,
    ("get", "/api/v1/early-warning/claim-baselines/"): 200,
    ("post", "/api/v1/early-warning/claim-baselines/"): 201,
    ("post", "/api/v1/early-warning/claim-baselines/{baseline_id}/delete"): 204,
    ("get", "/api/v1/early-warning/production-volumes/"): 200,
    ("post", "/api/v1/early-warning/production-volumes/"): 201,
    ("get", "/api/v1/early-warning/production-volumes/{production_id}"): 200,
    ("patch", "/api/v1/early-warning/production-volumes/{production_id}"): 200,
    ("get", "/api/v1/early-warning/purchase-volumes/"): 200,
    ("post", "/api/v1/early-warning/purchase-volumes/"): 201,
    ("get", "/api/v1/early-warning/purchase-volumes/{purchase_id}"): 200,
    ("patch", "/api/v1/early-warning/purchase-volumes/{purchase_id}"): 200,
    ("get", "/api/v1/early-warning/surveys/"): 200,
    ("post", "/api/v1/early-warning/surveys/"): 201,
    ("get", "/api/v1/early-warning/surveys/{response_id}"): 200,
    ("patch", "/api/v1/early-warning/surveys/{response_id}"): 200,
    ("get", "/api/v1/early-warning/parts/"): 200,
    ("get", "/api/v1/early-warning/parts/{part_number}"): 200,
}
# Pages: a GET answers 200 (302 where the page sends on); the matrix POSTs no form, so a
# POST that needs fields answers 400 (the form's errors) and one that needs none acts and
# redirects (302).
UI_EXPECT = {
    "earlywarning:alert_list": 200,
    "earlywarning:alert_detail": 200,
    "earlywarning:alert_acknowledge": 302,
    "earlywarning:alert_dismiss": 400,
    "earlywarning:alert_close": 400,
    "earlywarning:report_create": 302,
    "earlywarning:report_list": 200,
    "earlywarning:report_detail": 200,
    "earlywarning:report_pdf": 200,
    "earlywarning:report_edit": 200,
    "earlywarning:report_refresh": 302,
    "earlywarning:report_issue": 302,
    "earlywarning:notification_create": 400,
    "earlywarning:part_list": 200,
    "earlywarning:part_dashboard": 200,
    "earlywarning:run_list": 200,
    "earlywarning:run_detail": 200,
    "earlywarning:run_now": 302,
    "earlywarning:production_list": 200,
    "earlywarning:production_create": 200,
    "earlywarning:production_edit": 200,
    "earlywarning:purchase_list": 200,
    "earlywarning:purchase_create": 200,
    "earlywarning:purchase_edit": 200,
    "earlywarning:survey_list": 200,
    "earlywarning:survey_create": 200,
    "earlywarning:survey_edit": 200,
    "earlywarning:import_list": 302,
    "earlywarning:import_create": 302,
    "earlywarning:production_delete": 302,
    "earlywarning:purchase_delete": 302,
    "earlywarning:survey_delete": 302,
    "earlywarning:baseline_list": 200,
    "earlywarning:baseline_create": 200,
    "earlywarning:baseline_edit": 200,
    "earlywarning:baseline_delete": 302,
    "earlywarning:part_recompute": 302,
}
