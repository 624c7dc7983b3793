"""The monthly national report (月报, spec §7.1–7.2) as submitted: one row per version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlyReport(models.Model):
    """The indicator table of one reporting organisation for one month, frozen when submitted.

    A month is submitted once (version 1); the only way to change what was reported is a
    correction, a new version with its reason, and the earlier versions stay readable. ``figures``
    is the table exactly as submitted and ``checks`` the 校核 results at that moment; ``digest``
    is the sha256 of the canonical JSON of ``figures`` (``report.canonical``), which the national
    system receives with the figures. Written only by ``zhongcai.monitoring.report``.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")

    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The reporting organisation: the figures cover it and everything under it."),
    )
    month = models.DateField(help_text=_("The first day of the month reported."))
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    figures = models.JSONField(help_text=_("The indicator table as submitted."))
    checks = models.JSONField(default=list, help_text=_("The 校核 results at submission."))
    reason = models.TextField(
        blank=True, help_text=_("Why a correction was needed (version 2 on).")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    digest = models.CharField(max_length=64, help_text=_("sha256 of the canonical figures."))

    SCOPE_ORG_FIELD = "organisation"

    class Meta:
        ordering = ["organisation", "-month", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "version"], name="monthly_report_version_once"
            ),
            models.CheckConstraint(
                condition=models.Q(version=1) | ~models.Q(reason=""),
                name="monthly_report_correction_has_reason",
            ),
        ]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m} v{self.version}"

    @property
    def is_correction(self) -> bool:
        return self.version > 1
