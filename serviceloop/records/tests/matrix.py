"""Permission-matrix rows of retention (see core/tests/test_permission_matrix.py)."""

from datetime import timedelta

from django.utils import timezone

from serviceloop.communications.models import Communication
from serviceloop.core.testing.factories import register_communication, user_with
from serviceloop.records import services
from serviceloop.records.models import DisposalReview


def build(w: dict) -> None:
    sales = user_with("sales")
    admin = user_with("admin")
    # six years old: past its retention even after the matrix's policy call sets five years
    old = timezone.now() - timedelta(days=6 * 366)
    comm = register_communication(sales, subject="保留期测试")
    to_keep = register_communication(sales, subject="保留期延长")  # its own review (keep)
    Communication.objects.filter(pk__in=[comm.pk, to_keep.pk]).update(
        status="closed", feedback_at=old
    )
    services.sweep_disposal_review()
    review = DisposalReview.objects.get(record_type="communications", record_id=comm.pk)
    keep = DisposalReview.objects.get(record_type="communications", record_id=to_keep.pk)
    other = register_communication(sales, subject="法律保留")
    hold = services.hold_place(
        actor=admin, record_type="communications", record_id=other.pk, reason="诉讼"
    )
    w.update(
        retention_review=review.pk,
        retention_review_to_keep=keep.pk,
        legal_hold=hold.pk,
        held_comm=other.pk,
        retention_type="communications",
    )


API = {
    ("get", "/api/v1/retention/due"): ("records.view", lambda w: None),
    ("get", "/api/v1/retention/policy"): ("records.view", lambda w: None),
    ("post", "/api/v1/retention/policy/{record_type}"): (
        "records.settings",
        lambda w: {"years": 5},
    ),
    ("post", "/api/v1/retention/reviews/{review_id}/dispose"): (
        "records.dispose",
        lambda w: {"reason": "到期"},
    ),
    ("post", "/api/v1/retention/reviews/{review_id}/keep"): (
        "records.dispose",
        lambda w: {
            "reason": "仍需",
            "until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    ),
    ("get", "/api/v1/legal-holds/"): ("records.view", lambda w: None),
    ("post", "/api/v1/legal-holds/"): (
        "records.hold",
        lambda w: {"record_type": "customers", "record_id": w["customer"].pk, "reason": "审计"},
    ),
    ("get", "/api/v1/legal-holds/{hold_id}"): ("records.view", lambda w: None),
    ("post", "/api/v1/legal-holds/{hold_id}/lift"): ("records.hold", lambda w: {"reason": "结案"}),
}
ALIASES = {
    "record_type": "retention_type",
    "review_id": "retention_review",
    "hold_id": "legal_hold",
}
# dispose and keep each decide a review of their own
KEY_ALIASES = {
    ("post", "/api/v1/retention/reviews/{review_id}/keep"): {
        "review_id": "retention_review_to_keep"
    },
}
UI = {
    "records:retention": ("records.view", "get", lambda w: []),
    "records:dispose": ("records.dispose", "post", lambda w: [w["retention_review"]]),
    "records:keep": ("records.dispose", "post", lambda w: [w["retention_review"]]),
    "records:period": ("records.settings", "post", lambda w: []),
    "records:hold_place": ("records.hold", "post", lambda w: []),
    "records:hold_lift": ("records.hold", "post", lambda w: [w["legal_hold"]]),
}


# The exact status each allowed call answers in the matrix world (issue 17); a dict gives
# {role: status, "*": status} where roles meet different rules. A 4xx is the rule the world
# meets, quoted in the comment above the row (the world's state, or a record of another
# person or department); test_permission_matrix_declared makes every allowed call declare one.
EXPECT = {
    ("get", "/api/v1/retention/due"): 200,
    ("get", "/api/v1/retention/policy"): 200,
    ("post", "/api/v1/retention/policy/{record_type}"): 200,
    ("post", "/api/v1/retention/reviews/{review_id}/dispose"): 200,
    ("post", "/api/v1/retention/reviews/{review_id}/keep"): 200,
    ("get", "/api/v1/legal-holds/"): 200,
    ("post", "/api/v1/legal-holds/"): 201,
    ("get", "/api/v1/legal-holds/{hold_id}"): 200,
    ("post", "/api/v1/legal-holds/{hold_id}/lift"): 200,
}
# Pages: a GET answers 200 (302 where the page sends on); the matrix POSTs no form, so a
# POST that needs fields answers 400 (the form's errors) and one that needs none acts and
# redirects (302).
UI_EXPECT = {
    "records:retention": 200,
    "records:dispose": 400,
    "records:keep": 400,
    "records:period": 400,
    "records:hold_place": 400,
    "records:hold_lift": 400,
}
