"""Warranty (三包) claims, R-5.6: the claim, each decision on it, its files, bulk imports.

The decision itself is made by the pure rule in `rules.py`; a claim stores the rule's
result together with the inputs and the rule version that produced it
(`WarrantyDecisionRecord`), so that a re-decision after a change of inputs, or an override
by Quality Management / Sales leadership, never loses what was decided before.

State machine of a claim (`Status`, `TRANSITIONS`; only `services` move a claim):

    registered ──decide──▶ decided ──approve──▶ approved ──settle──▶ settled
        ▲  │                │  ▲  ──reject───▶ rejected ──close───▶ closed
        │  └─────close──────┼──┼──────────────────────────────────▶ closed (withdrawn)
        └──────decide───────┘  └──reopen── approved / rejected

- A claim is *registered* while the rule needs a human (needs_review: purchase date missing
  or no covered defect confirmed) and *decided* once the effective decision is definite
  (covered / not_covered, by the rule or by an override). Changing the inputs re-decides and
  moves it between these two states.
- Only a covered claim can be approved and only a not-covered one rejected; a reviewer who
  disagrees with the rule overrides it first (with a recorded reason), then approves/rejects.
- An approved claim is settled when the remedy (repair / replace / refund) has been carried
  out and its costs booked; a rejected claim is closed once the customer has been told.
  A registered or decided claim may be closed as withdrawn. Settled and closed are final.
- A reviewer may reopen an approved or rejected claim (before settlement / closing) with a
  reason, e.g. on new evidence; it goes back to decided and its inputs may change again.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import PurePath
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serviceloop.core import fields
from serviceloop.core.models import DetailLink, StoredFile, TrackedModel, upload_path
from serviceloop.customers.models import ServiceAgreement

from .domain import rules

BUILD_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")  # entered; the rule needs review, no decision yet
    DECIDED = "decided", _("Decided")  # definite decision (rule or override); awaits approval
    APPROVED = "approved", _("Approved")  # accepted under warranty; the remedy is to be done
    REJECTED = "rejected", _("Rejected")  # declined; the customer is to be told why
    SETTLED = "settled", _("Settled")  # remedy carried out, costs booked (final)
    CLOSED = "closed", _("Closed")  # rejection communicated, or claim withdrawn (final)


# The allowed transitions, in one table (design rule 2): (from, to) -> the service's verb.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.REGISTERED, Status.DECIDED): "decide",
    (Status.DECIDED, Status.REGISTERED): "decide",
    (Status.DECIDED, Status.APPROVED): "approve",
    (Status.DECIDED, Status.REJECTED): "reject",
    (Status.APPROVED, Status.SETTLED): "settle",
    (Status.REJECTED, Status.CLOSED): "close",
    (Status.REGISTERED, Status.CLOSED): "close",  # withdrawn
    (Status.DECIDED, Status.CLOSED): "close",  # withdrawn
    (Status.APPROVED, Status.DECIDED): "reopen",
    (Status.REJECTED, Status.DECIDED): "reopen",
}
# States in which the decision inputs may change (and so the rule re-decides).
INPUTS_OPEN = frozenset({Status.REGISTERED, Status.DECIDED})
FINAL = frozenset({Status.SETTLED, Status.CLOSED})


class Decision(models.TextChoices):
    COVERED = rules.Decision.COVERED.value, _("Covered")
    NOT_COVERED = rules.Decision.NOT_COVERED.value, _("Not covered")
    NEEDS_REVIEW = rules.Decision.NEEDS_REVIEW.value, _("Needs review")


class Remedy(models.TextChoices):
    REPAIR = rules.Remedy.REPAIR.value, _("Repair")
    REPLACE = rules.Remedy.REPLACE.value, _("Replace")
    REFUND = rules.Remedy.REFUND.value, _("Refund")


def validate_build_month(value: str) -> None:
    if value and not BUILD_MONTH_RE.match(value):
        raise ValidationError(_("Give the production month as YYYY-MM, e.g. 2025-03."))


class WarrantyClaim(DetailLink, TrackedModel):
    """One warranty claim (三包索赔) with the rule's decision and any override (R-5.6)."""

    detail_view = "warranty:detail"

    number = fields.number_field()
    customer = fields.customer_ref(related_name="warranty_claims")
    status = fields.status_field(Status, Status.REGISTERED)
    reported_on = models.DateField(_("reported on"), default=timezone.localdate)

    # Inputs of the rule (warranty-rules.md).
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    failure_date = models.DateField(_("failure date"))
    mileage_km = models.DecimalField(
        _("mileage (km)"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    findings = models.JSONField(_("inspection findings"), default=list, blank=True)
    repairable = models.BooleanField(_("repairable"), null=True, blank=True)

    # The part, the vehicle and the failure.
    part_number = models.CharField(_("part number"), max_length=60, blank=True, db_index=True)
    part_name = models.CharField(_("part name"), max_length=100, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=60, blank=True)
    lot = models.CharField(_("lot"), max_length=60, blank=True)
    build_month = models.CharField(
        _("production month"),
        max_length=7,
        blank=True,
        validators=[validate_build_month],
        help_text=_("YYYY-MM; groups claims into production cohorts for early warning."),
    )
    oem = models.CharField(_("OEM (配套厂家)"), max_length=200, blank=True)
    vin = models.CharField(_("VIN"), max_length=30, blank=True)
    vehicle_model = models.CharField(_("vehicle model"), max_length=100, blank=True)
    failure_mode = models.CharField(_("failure mode"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    replacement_serial = models.CharField(_("replacement part serial"), max_length=60, blank=True)

    # Costs (CNY).
    cost_parts = models.DecimalField(
        _("parts cost"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    cost_labour = models.DecimalField(
        _("labour cost"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    cost_travel = models.DecimalField(
        _("travel cost"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    cost_total = models.DecimalField(
        _("total cost"), max_digits=13, decimal_places=2, default=Decimal("0.00"), editable=False
    )

    # The rule's decision on the current inputs (see WarrantyDecisionRecord for the history).
    rule_decision = models.CharField(_("rule decision"), max_length=20, choices=Decision.choices)
    rule_remedy = models.CharField(
        _("suggested remedy"), max_length=10, choices=Remedy.choices, blank=True
    )
    reasons = models.JSONField(_("reasons"), default=list)
    last_covered_day = models.DateField(_("last covered day"), null=True, blank=True)
    km_limit = models.PositiveIntegerField(_("km limit"))
    warranty_months = models.PositiveIntegerField(_("warranty months"))
    terms_from_agreement = models.BooleanField(_("terms from the service agreement"))
    agreement = fields.optional_ref(ServiceAgreement, _("service agreement"))
    rule_version = models.CharField(_("rule version"), max_length=20)
    rule_result = models.JSONField(default=dict, editable=False)  # WarrantyDecision.as_dict()
    decided_at = models.DateTimeField(_("decided at"))

    # An override by Quality Management / Sales leadership, shown distinctly.
    override_decision = models.CharField(
        _("override decision"), max_length=20, choices=Decision.choices, blank=True
    )
    override_remedy = models.CharField(
        _("override remedy"), max_length=10, choices=Remedy.choices, blank=True
    )
    override_reason = models.TextField(_("override reason"), blank=True)
    overridden_at, overridden_by = fields.done_fields(_("overridden at"), _("overridden by"))

    # What applies: the override where there is one, else the rule.
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    remedy = models.CharField(_("remedy"), max_length=10, choices=Remedy.choices, blank=True)

    reviewed_at, reviewed_by = fields.done_fields(
        _("approved / rejected at"), _("approved / rejected by")
    )
    review_note = models.TextField(_("review note"), blank=True)
    settled_at, settled_by = fields.done_fields(_("settled at"), _("settled by"))
    settlement_note = models.TextField(_("settlement note"), blank=True)
    closed_at, closed_by = fields.done_fields(_("closed at"), _("closed by"))
    close_reason = models.TextField(_("closing note"), blank=True)
    import_batch = fields.import_ref(editable=False)

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("warranty claim")
        verbose_name_plural = _("warranty claims")
        indexes = [
            models.Index(fields=["status", "decision"]),
            models.Index(fields=["customer", "failure_date"]),
            models.Index(fields=["part_number", "build_month"]),
            models.Index(fields=["customer", "serial_number"]),
            # issue 15: the list's default ordering, alone and under its filters
            models.Index(fields=["-reported_on", "-id"], name="claim_reported_desc"),
            models.Index(fields=["status", "-reported_on", "-id"], name="claim_status_reported"),
            models.Index(
                fields=["customer", "-reported_on", "-id"], name="claim_customer_reported"
            ),
            # issue 15: "has a claim of this part changed since the stored analysis?"
            # (earlywarning.engine.inputs.part_changed_since, on every dashboard view)
            models.Index(fields=["part_number", "updated_at"], name="claim_part_updated"),
        ]

    def __str__(self) -> str:
        part = f" {self.part_number}" if self.part_number else ""
        return f"{self.number}{part}"

    @property
    def overridden(self) -> bool:
        return self.overridden_at is not None

    @property
    def is_final(self) -> bool:
        return self.status in FINAL

    def rule_outcome(self) -> rules.WarrantyDecision:
        return rules.WarrantyDecision.from_dict(self.rule_result)

    def explanation(self, lang: str) -> list[str]:
        """The rule's decision in plain sentences (rules.explain) in the given language."""
        return rules.explain(self.rule_outcome(), lang)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name in ("cost_parts", "cost_labour", "cost_travel"):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = str(_("A cost cannot be negative."))
        month = self.build_month if BUILD_MONTH_RE.match(self.build_month or "") else ""
        if month and self.failure_date and month > self.failure_date.strftime("%Y-%m"):
            errors["build_month"] = str(_("The part cannot be produced after it failed."))
        if errors:
            raise ValidationError(errors)


class DecisionKind(models.TextChoices):
    RULE = "rule", _("Rule")  # the rule decided on the inputs of the time
    OVERRIDE = "override", _("Override")  # a person set the rule's decision or remedy aside


class WarrantyDecisionRecord(models.Model):
    """One decision on a claim, kept for ever: the inputs, what was decided, by which rule
    version or by whom. The last record is the one in force."""

    claim = models.ForeignKey(WarrantyClaim, on_delete=models.PROTECT, related_name="decisions")
    seq = models.PositiveIntegerField(_("no."))
    kind = models.CharField(_("kind"), max_length=10, choices=DecisionKind.choices)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    remedy = models.CharField(_("remedy"), max_length=10, choices=Remedy.choices, blank=True)
    reasons = models.JSONField(_("reasons"), default=list)
    inputs = models.JSONField(_("inputs"))
    result = models.JSONField(_("result"))  # rule: WarrantyDecision.as_dict(); override: its data
    rule_version = models.CharField(_("rule version"), max_length=20)
    note = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    decided_by = fields.user_ref(_("decided by"))
    actor_label = models.CharField(max_length=150)

    class Meta:
        ordering = ["claim", "seq"]
        verbose_name = _("warranty decision")
        verbose_name_plural = _("warranty decisions")
        constraints = [
            models.UniqueConstraint(fields=["claim", "seq"], name="warranty_decision_unique_seq")
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}#{self.seq} {self.kind} {self.decision}"


def _attachment_path(instance: ClaimAttachment, filename: str) -> str:
    return upload_path(f"warranty/claims/{instance.claim_id}", filename)


class ClaimAttachment(StoredFile):
    """A photo or document of a claim (the failed part, the odometer, the invoice …).
    Checked and stored through ``core.files``; served only through a view that checks the
    claim is visible to the user. Its description is labelled "description", and its
    uploader may be empty (as since migration 0001)."""

    claim = models.ForeignKey(WarrantyClaim, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = fields.user_ref(_("uploaded by"))

    class Meta(StoredFile.Meta):
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


def _import_path(instance: object, filename: str) -> str:
    """Kept because migration 0001 names it (the claims imports moved to core.ImportJob)."""
    return f"warranty/imports/{timezone.localdate():%Y}/{uuid4().hex}{PurePath(filename).suffix}"
