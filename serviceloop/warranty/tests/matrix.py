"""Permission-matrix rows of the warranty app (see core/tests/test_permission_matrix.py)."""

from serviceloop.core.testing.factories import user_with
from serviceloop.warranty.services import attachment_add
from serviceloop.warranty.tests.factories import make_claim, png_upload


def build(w: dict) -> None:
    quality = user_with("quality")
    claim = make_claim(quality, w["customer"])
    attachment = attachment_add(actor=quality, claim=claim, upload=png_upload())
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
    ("post", CLAIM + "/attachments"): ("warranty.change", lambda w: {}),
    ("get", CLAIM + "/attachments/{attachment_id}"): ("warranty.view", lambda w: None),
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
