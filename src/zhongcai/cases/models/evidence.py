"""Defence, evidence and cross-examination, changed claims, counter-applications, added parties."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case import Case, Party
from .documents import CaseDocument


class Defence(models.Model):
    """答辩书 (LDMAL art. 30), or the respondent's waiver of the period (办案规则 art. 58)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="defences")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="defences")
    text = models.TextField(blank=True)
    waived = models.BooleanField(default=False)
    document = models.ForeignKey(
        CaseDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    late = models.BooleanField(default=False)

    class Meta:
        ordering = ["case", "submitted_at"]
        verbose_name = _("defence")
        verbose_name_plural = _("defences")

    def __str__(self) -> str:
        return f"{self.case_id}/{self.party_id}"


class EvidenceItem(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    number = models.PositiveSmallIntegerField()
    party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
        help_text=_("Empty when the commission collected it (办案规则 arts. 16–17)."),
    )
    title = models.CharField(max_length=200)
    purpose = models.TextField(blank=True, help_text=_("What it is offered to prove."))
    file = models.FileField(upload_to="cases/evidence/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    late = models.BooleanField(
        default=False, help_text=_("Submitted after the evidence period (办案规则 art. 15).")
    )

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="evidence_number_unique")
        ]
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class CrossExamination(models.Model):
    """质证意见 of one party on one item (LDMAL art. 38)."""

    class Opinion(models.TextChoices):
        ADMITTED = "admitted", _("Admitted")
        DISPUTED = "disputed", _("Disputed")
        PARTLY = "partly", _("Partly admitted")

    evidence = models.ForeignKey(
        EvidenceItem, on_delete=models.CASCADE, related_name="examinations"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    authenticity = models.CharField(max_length=16, choices=Opinion.choices)
    legality = models.CharField(max_length=16, choices=Opinion.choices)
    relevance = models.CharField(max_length=16, choices=Opinion.choices)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["evidence", "recorded_at"]
        verbose_name = _("cross-examination")
        verbose_name_plural = _("cross-examinations")

    def __str__(self) -> str:
        return f"{self.evidence_id}/{self.party_id}"


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class ClaimChange(models.Model):
    """增加/变更仲裁请求 before the evidence period ends (办案规则 art. 44)."""

    class Kind(models.TextChoices):
        ADD = "add", _("Add claims")
        CHANGE = "change", _("Change claims")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="claim_changes")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    items = models.JSONField(help_text=_("The claims as they will read: number, type, amount."))
    reasons = models.TextField(blank=True)
    filed_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "filed_at"]
        verbose_name = _("claim change")
        verbose_name_plural = _("claim changes")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class CounterApplication(models.Model):
    """反申请 within the defence period, decided in 5 days (办案规则 art. 36)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        JOINED = "joined", _("Accepted and joined")
        SEPARATE = "separate", _("To be filed separately")
        REFUSED = "refused", _("Not accepted")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="counter_applications")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(help_text=_("The counter-claims: number, type, description, amount."))
    facts_and_reasons = models.TextField()
    filed_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "filed_at"]
        verbose_name = _("counter-application")
        verbose_name_plural = _("counter-applications")

    def __str__(self) -> str:
        return f"{self.case_id}/{self.party_id}"
