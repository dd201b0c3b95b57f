"""Permission-matrix rows of summaries (see core/tests/test_permission_matrix.py)."""

from serviceloop.core.testing.factories import user_with
from serviceloop.summaries import services


def build(w: dict) -> None:
    s = services.summary_draft(actor=user_with("sales"), period="2019-H2")
    w.update(summary=s, summary_id=s.pk)


API = {
    ("get", "/api/v1/service-summaries/"): ("summary.view", lambda w: None),
    ("post", "/api/v1/service-summaries/"): ("summary.draft", lambda w: {"period": "2020-H1"}),
    ("get", "/api/v1/service-summaries/{summary_id}"): ("summary.view", lambda w: None),
    ("patch", "/api/v1/service-summaries/{summary_id}"): (
        "summary.draft",
        lambda w: {"achievements": "a"},
    ),
    ("post", "/api/v1/service-summaries/{summary_id}/refresh"): ("summary.draft", lambda w: {}),
    ("post", "/api/v1/service-summaries/{summary_id}/submit"): ("summary.draft", lambda w: {}),
    ("post", "/api/v1/service-summaries/{summary_id}/approve"): (
        "summary.approve",
        lambda w: {"comment": "ok"},
    ),
    ("get", "/api/v1/service-summaries/{summary_id}/pdf"): ("summary.view", lambda w: None),
    ("get", "/api/v1/service-summaries/{summary_id}/docx"): ("summary.view", lambda w: None),
}
UI = {
    "summaries:list": ("summary.view", "get", lambda w: []),
    "summaries:create": ("summary.draft", "get", lambda w: []),
    "summaries:detail": ("summary.view", "get", lambda w: [w["summary"].pk]),
    "summaries:edit": ("summary.draft", "post", lambda w: [w["summary"].pk]),
    "summaries:refresh": ("summary.draft", "post", lambda w: [w["summary"].pk]),
    "summaries:submit": ("summary.draft", "post", lambda w: [w["summary"].pk]),
    "summaries:approve": ("summary.approve", "post", lambda w: [w["summary"].pk]),
    "summaries:pdf": ("summary.view", "get", lambda w: [w["summary"].pk]),
    "summaries:docx": ("summary.view", "get", lambda w: [w["summary"].pk]),
}
