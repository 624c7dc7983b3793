"""Quarterly verification (核准填报): each commission's quarter as a frozen snapshot.

The snapshot is written once, when the commission submits, and never again: whatever is edited
afterwards, an approved quarter stays what was approved. ``snapshot_digest`` (SHA-256 of the
canonical JSON) lets ``verify_events`` detect any later change to the stored snapshot.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tree import Organisation


class QuarterSubmission(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed by the city")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for correction")

    commission = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="quarter_submissions"
    )
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    snapshot = models.JSONField(editable=False)
    snapshot_digest = models.CharField(max_length=64, editable=False)
    base = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The last approved quarter when this one was submitted: the diff's base."),
    )
    note = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()

    SCOPE_ORG_FIELD = "commission"

    class Meta:
        ordering = ["-year", "-quarter", "-submitted_at"]
        constraints = [
            # One live submission per quarter; returned ones stay as history.
            models.UniqueConstraint(
                fields=["commission", "year", "quarter"],
                condition=~models.Q(status="returned"),
                name="quarter_one_live_submission",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_in_range"
            ),
        ]
        indexes = [models.Index(fields=["year", "quarter", "status"], name="quarter_status")]
        verbose_name = _("quarterly submission")
        verbose_name_plural = _("quarterly submissions")

    def __str__(self) -> str:
        return f"{self.commission_id} {self.year}Q{self.quarter}"

    @property
    def period_label(self) -> str:
        return _("%(year)d Q%(quarter)d") % {"year": self.year, "quarter": self.quarter}


class QuarterDecision(models.Model):
    """One reviewer's decision on a submission: the city forwards or returns, the province
    approves or returns."""

    class Step(models.TextChoices):
        CITY_REVIEW = "city_review", _("City review")
        PROVINCE_APPROVAL = "province_approval", _("Province approval")

    class Outcome(models.TextChoices):
        FORWARDED = "forwarded", _("Forwarded to the province")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for correction")

    submission = models.ForeignKey(
        QuarterSubmission, on_delete=models.CASCADE, related_name="decisions"
    )
    step = models.CharField(max_length=24, choices=Step.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["submission", "at", "pk"]
        verbose_name = _("verification decision")
        verbose_name_plural = _("verification decisions")

    def __str__(self) -> str:
        return f"{self.submission_id} {self.step} {self.outcome}"
