"""Mediation inside arbitration, the award with its per-item finality, and the minimum wage."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case import Case, ClaimItem, Party
from .documents import CaseDocument


class MinimumWage(models.Model):
    """The monthly minimum wage of a division from a date (spec §3.3a; open question 5).

    A county without its own row takes its city's, then the province's. Rows are data, kept by
    administrators when the province publishes new tiers; never edited in code.
    """

    # No database constraint: the standards are seeded by a migration (0004), before the
    # divisions are imported; a row waits for its division rather than failing the deploy.
    division = models.ForeignKey(
        "orgs.Division",
        on_delete=models.PROTECT,
        related_name="minimum_wages",
        db_constraint=False,
    )
    tier = models.PositiveSmallIntegerField(help_text=_("The province's tier (档), 1 = highest."))
    monthly = models.DecimalField(max_digits=8, decimal_places=2, help_text=_("Yuan per month."))
    effective_from = models.DateField()
    source = models.CharField(max_length=200, blank=True, help_text=_("The notice that set it."))

    class Meta:
        ordering = ["division", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "effective_from"], name="minimum_wage_once_per_date"
            ),
            models.CheckConstraint(condition=models.Q(monthly__gt=0), name="minimum_wage_positive"),
        ]
        verbose_name = _("minimum wage")
        verbose_name_plural = _("minimum wages")

    def __str__(self) -> str:
        return f"{self.division_id} {self.effective_from}: {self.monthly}"


class MediationAttempt(models.Model):
    """先行调解 (LDMAL art. 42; 办案规则 art. 68): recorded before any award."""

    class Outcome(models.TextChoices):
        AGREED = "agreed", _("Agreement reached")
        PARTLY = "partly", _("Agreement on part of the claims")
        FAILED = "failed", _("No agreement")
        DECLINED = "declined", _("A party declined mediation")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="mediation_attempts")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "recorded_at"]
        verbose_name = _("mediation attempt")
        verbose_name_plural = _("mediation attempts")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.outcome}"


class Finality(models.TextChoices):
    FINAL = "final", _("Final")
    NON_FINAL = "non_final", _("Non-final")
    MIXED = "mixed", _("Final in part")


class Award(models.Model):
    """裁决书: the final award that closes the case, or a partial or advance-execution award."""

    class Kind(models.TextChoices):
        FULL = "full", _("Award")
        PARTIAL = "partial", _("Partial award (先行裁决)")
        ADVANCE_EXECUTION = "advance_execution", _("Advance-execution award (先予执行)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="awards")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    document = models.OneToOneField(CaseDocument, on_delete=models.PROTECT, related_name="award")
    finality = models.CharField(max_length=16, choices=Finality.choices)
    minimum_wage = models.ForeignKey(
        MinimumWage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    threshold = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("12 months of the local minimum wage when the award was made."),
    )  # fmt: skip
    facts = models.TextField(blank=True)
    reasoning = models.TextField(blank=True)
    legal_basis = models.TextField(blank=True)
    dissent = models.TextField(blank=True, help_text=_("A dissenting opinion (LDMAL art. 45)."))
    dissenting = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "made_at"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class ClaimClass(models.TextChoices):
    """spec §3.3a step 1: (a) LDMAL 47(1) money, (b) 47(2) standards, (c) anything else."""

    MONEY = "money", _("Remuneration, injury medical costs, compensation or damages (47(1))")
    STANDARDS = "standards", _("Working time, rest and leave, social insurance standards (47(2))")
    OTHER = "other", _("Other")


class AwardItem(models.Model):
    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Granted")
        PARTLY = "partly", _("Partly granted")
        REJECTED = "rejected", _("Rejected")

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    claim = models.ForeignKey(
        ClaimItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claim_class = models.CharField(max_length=16, choices=ClaimClass.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    ruling = models.TextField()
    obligor = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    obligee = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    perform_within_days = models.PositiveSmallIntegerField(null=True, blank=True)
    final = models.BooleanField()
    finality_reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["award", "number"]
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="award_item_number"),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="award_item_amount_not_negative",
            ),
        ]
        verbose_name = _("award item")
        verbose_name_plural = _("award items")

    def __str__(self) -> str:
        return f"{self.award_id}.{self.number}"


class AwardDraft(models.Model):
    """The award as the tribunal writes it, before it is issued (issue 5; spec §5.2).

    Edited by the tribunal (the structured items ``award_make`` takes, and free text), submitted,
    reviewed by the institute head or the presiding arbitrator, and issued only once approved:
    issuing makes the award from exactly this content and freezes the draft. ``version`` counts
    the saves: a save that names an older version is refused, so two arbitrators editing at once
    never overwrite each other, and a change after approval sends the draft back to review.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for changes")
        ISSUED = "issued", _("Issued")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="award_drafts")
    kind = models.CharField(max_length=24, choices=Award.Kind.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    items = models.JSONField(
        default=list, blank=True, help_text=_("The ruling items, as the award step takes them.")
    )
    facts = models.TextField(blank=True)
    reasoning = models.TextField(
        blank=True, help_text=_("The reasons; for advance execution, its grounds.")
    )
    legal_basis = models.TextField(blank=True)
    defence_summary = models.TextField(
        blank=True,
        help_text=_("The respondent's defence as the award states it; empty: as filed."),
    )
    dissent = models.TextField(blank=True, help_text=_("A dissenting opinion (LDMAL art. 45)."))
    dissenting = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The worker who applied for advance execution (LDMAL art. 44)."),
    )
    review_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    award = models.OneToOneField(
        Award, null=True, blank=True, on_delete=models.PROTECT, related_name="draft"
    )

    class Meta:
        ordering = ["case", "kind", "-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=~models.Q(state="issued"),
                name="one_open_award_draft_per_kind",
            )
        ]
        verbose_name = _("award draft")
        verbose_name_plural = _("award drafts")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} v{self.version} ({self.state})"
