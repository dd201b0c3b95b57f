"""Permission-matrix rows of the warranty app (see core/tests/test_permission_matrix.py)."""

from datetime import date

from serviceloop.core.testing.factories import user_with
from serviceloop.core.testing.imports import Multipart
from serviceloop.warranty.services import attachment_add, claim_approve
from serviceloop.warranty.tests.factories import make_claim, png_upload


def build(w: dict) -> None:
    quality = user_with("quality")
    claim = make_claim(quality, w["customer"])
    attachment = attachment_add(actor=quality, claim=claim, upload=png_upload())
    # Claims of their own for the calls the world's claim has moved past (KEY_ALIASES): one
    # decided as not covered (to reject), one approved (to settle), one decided (takes files).
    not_covered = make_claim(quality, w["customer"], purchase_date=date(2015, 3, 10))
    approved = make_claim(quality, w["customer"])
    claim_approve(actor=quality, claim=approved)
    open_claim = make_claim(quality, w["customer"])
    w.update(
        claim_not_covered_id=not_covered.pk,
        claim_approved_id=approved.pk,
        claim_open_id=open_claim.pk,
    )
    w.update(
        claim=claim,
        claim_id=claim.pk,
        attachment=attachment,
        attachment_id=attachment.pk,
    )


CLAIM = "/api/v1/warranty-claims/{claim_id}"
API = {
    ("get", "/api/v1/warranty-claims/"): ("warranty.view", lambda w: None),
    ("post", "/api/v1/warranty-claims/"): (
        "warranty.create",
        lambda w: {
            "customer": w["customer"].pk,
            "purchase_date": "2025-03-10",
            "failure_date": "2025-09-01",
            "mileage_km": 1000,
            "findings": ["manufacturing_defect"],
            "repairable": True,
        },
    ),
    ("get", CLAIM): ("warranty.view", lambda w: None),
    ("patch", CLAIM): ("warranty.change", lambda w: {"description": "拆检发现油封漏油"}),
    ("get", CLAIM + "/decisions"): ("warranty.view", lambda w: None),
    ("post", CLAIM + "/override"): (
        "warranty.override",
        lambda w: {"remedy": "refund", "reason": "用户选择退货"},
    ),
    ("post", CLAIM + "/redecide"): ("warranty.change", lambda w: {}),
    ("post", CLAIM + "/approve"): ("warranty.approve", lambda w: {}),
    ("post", CLAIM + "/reject"): ("warranty.approve", lambda w: {}),
    ("post", CLAIM + "/reopen"): ("warranty.approve", lambda w: {"reason": "新证据"}),
    ("post", CLAIM + "/settle"): ("warranty.settle", lambda w: {}),
    ("post", CLAIM + "/close"): ("warranty.settle", lambda w: {"reason": "已告知客户"}),
    ("get", CLAIM + "/attachments"): ("warranty.view", lambda w: None),
    ("post", CLAIM + "/attachments"): (
        "warranty.change",
        lambda w: Multipart(file=png_upload(), description="油封照片"),
    ),
    ("get", CLAIM + "/attachments/{attachment_id}"): ("warranty.view", lambda w: None),
}

KEY_ALIASES = {
    ("post", CLAIM + "/reject"): {"claim_id": "claim_not_covered_id"},
    ("post", CLAIM + "/settle"): {"claim_id": "claim_approved_id"},
    ("post", CLAIM + "/attachments"): {"claim_id": "claim_open_id"},
}


def _claim(w):
    return [w["claim"].pk]


UI = {
    "warranty:list": ("warranty.view", "get", lambda w: []),
    "warranty:create": ("warranty.create", "get", lambda w: []),
    "warranty:detail": ("warranty.view", "get", _claim),
    "warranty:decision_letter": ("warranty.view", "get", _claim),
    "warranty:edit": ("warranty.change", "get", _claim),
    "warranty:override": ("warranty.override", "post", _claim),
    "warranty:redecide": ("warranty.change", "post", _claim),
    "warranty:approve": ("warranty.approve", "post", _claim),
    "warranty:reject": ("warranty.approve", "post", _claim),
    "warranty:reopen": ("warranty.approve", "post", _claim),
    "warranty:settle": ("warranty.settle", "post", _claim),
    "warranty:close": ("warranty.settle", "post", _claim),
    "warranty:attachment_add": ("warranty.change", "post", _claim),
    "warranty:attachment": ("warranty.view", "get", lambda w: [w["claim"].pk, w["attachment"].pk]),
    "warranty:imports": ("warranty.import", "get", lambda w: []),
}
EXPORTS = {"warranty:list": "warranty.export"}


# The exact status each allowed call answers in the matrix world (issue 17); a dict gives
# {role: status, "*": status} where roles meet different rules. A 4xx is the rule the world
# meets, quoted in the comment above the row (the world's state, or a record of another
# person or department); test_permission_matrix_declared makes every allowed call declare one.
EXPECT = {
    ("get", "/api/v1/warranty-claims/"): 200,
    ("post", "/api/v1/warranty-claims/"): 201,
    ("get", "/api/v1/warranty-claims/{claim_id}"): 200,
    ("patch", "/api/v1/warranty-claims/{claim_id}"): 200,
    ("get", "/api/v1/warranty-claims/{claim_id}/decisions"): 200,
    ("post", "/api/v1/warranty-claims/{claim_id}/override"): 200,
    ("post", "/api/v1/warranty-claims/{claim_id}/redecide"): 200,
    ("post", "/api/v1/warranty-claims/{claim_id}/approve"): 200,
    ("post", "/api/v1/warranty-claims/{claim_id}/reject"): 200,
    ("post", "/api/v1/warranty-claims/{claim_id}/reopen"): 200,
    ("post", "/api/v1/warranty-claims/{claim_id}/settle"): 200,
    ("post", "/api/v1/warranty-claims/{claim_id}/close"): 200,
    ("get", "/api/v1/warranty-claims/{claim_id}/attachments"): 200,
    ("post", "/api/v1/warranty-claims/{claim_id}/attachments"): 201,
    ("get", "/api/v1/warranty-claims/{claim_id}/attachments/{attachment_id}"): 200,
}
# Pages: a GET answers 200 (302 where the page sends on); the matrix POSTs no form, so a
# POST that needs fields answers 400 (the form's errors) and one that needs none acts and
# redirects (302).
UI_EXPECT = {
    "warranty:list": 200,
    "warranty:create": 200,
    "warranty:detail": 200,
    "warranty:decision_letter": 200,
    "warranty:edit": 200,
    "warranty:override": 400,
    "warranty:redecide": 302,
    "warranty:approve": 302,
    "warranty:reject": 400,
    "warranty:reopen": 400,
    "warranty:settle": {"sales": 400, "*": 302},
    "warranty:close": 400,
    "warranty:attachment_add": 400,
    "warranty:attachment": 200,
    "warranty:imports": 302,
}
