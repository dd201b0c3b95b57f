"""Permission-matrix rows of summaries (see core/tests/test_permission_matrix.py)."""

from serviceloop.core.testing.factories import user_with
from serviceloop.summaries import services


def build(w: dict) -> None:
    s = services.summary_draft(actor=user_with("sales"), period="2019-H2")
    sales = user_with("sales")
    submitted = services.summary_draft(actor=sales, period="2019-H1")  # its own (approve)
    services.summary_edit(
        actor=sales, summary=submitted, achievements="a", shortcomings="s", direction="d"
    )
    services.summary_submit(actor=sales, summary=submitted)
    w.update(summary=s, summary_id=s.pk, summary_submitted_id=submitted.pk)


API = {
    ("get", "/api/v1/service-summaries/"): ("summary.view", lambda w: None),
    ("post", "/api/v1/service-summaries/"): ("summary.draft", lambda w: {"period": "2020-H1"}),
    ("get", "/api/v1/service-summaries/{summary_id}"): ("summary.view", lambda w: None),
    ("patch", "/api/v1/service-summaries/{summary_id}"): (
        "summary.draft",
        lambda w: {"achievements": "a", "shortcomings": "s", "direction": "d"},
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
KEY_ALIASES = {
    ("post", "/api/v1/service-summaries/{summary_id}/approve"): {
        "summary_id": "summary_submitted_id"
    },
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


# The exact status each allowed call answers in the matrix world (issue 17); a dict gives
# {role: status, "*": status} where roles meet different rules. A 4xx is the rule the world
# meets, quoted in the comment above the row (the world's state, or a record of another
# person or department); test_permission_matrix_declared makes every allowed call declare one.
EXPECT = {
    ("get", "/api/v1/service-summaries/"): 200,
    ("post", "/api/v1/service-summaries/"): 201,
    ("get", "/api/v1/service-summaries/{summary_id}"): 200,
    ("patch", "/api/v1/service-summaries/{summary_id}"): 200,
    ("post", "/api/v1/service-summaries/{summary_id}/refresh"): 200,
    ("post", "/api/v1/service-summaries/{summary_id}/submit"): 200,
    ("post", "/api/v1/service-summaries/{summary_id}/approve"): 200,
    ("get", "/api/v1/service-summaries/{summary_id}/pdf"): 200,
    ("get", "/api/v1/service-summaries/{summary_id}/docx"): 200,
}
# Pages: a GET answers 200 (302 where the page sends on); the matrix POSTs no form, so a
# POST that needs fields answers 400 (the form's errors) and one that needs none acts and
# redirects (302).
UI_EXPECT = {
    "summaries:list": 200,
    "summaries:create": 200,
    "summaries:detail": 200,
    "summaries:edit": 302,
    "summaries:refresh": 302,
    "summaries:submit": 400,
    "summaries:approve": 400,
    "summaries:pdf": 200,
    "summaries:docx": 200,
}
