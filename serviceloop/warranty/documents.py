"""The warranty decision letter to the customer (三包处理结果通知, R-5.6): the decision, the
remedy and the reasons with the clauses of SJ/QP-021 they rest on, on the company's
letterhead (core.documents), in Chinese."""

from __future__ import annotations

from django.utils import timezone

from serviceloop.core.documents import render_pdf

from .models import Status, WarrantyClaim

# A letter states a decision once somebody approved or rejected it.
REVIEWED = frozenset({Status.APPROVED, Status.REJECTED, Status.SETTLED, Status.CLOSED})


def decision_letter_pdf(claim: WarrantyClaim) -> bytes:
    return render_pdf(
        "warranty/pdf/decision_letter.html",
        {
            "claim": claim,
            "reviewed": claim.status in REVIEWED and claim.reviewed_at is not None,
            "explanation": [] if claim.overridden else claim.explanation("zh-hans"),
            "signed_on": claim.reviewed_at or timezone.now(),
        },
        language="zh-hans",
    )
