"""Monitoring (issue 10, spec §7): what is stored rather than computed — warnings with their
reasons (``warnings``). Indicators are computed from the case data (``indicators``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EarlyWarning(models.Model):
    """One warning: a rule that fired for one subject in one window (spec §7.2 risk prevention;
    人社部发〔2022〕71号 asks for risk monitoring and early warning).

    ``(kind, subject_key, window_key)`` is unique, so running the rules again finds the row it
    wrote before instead of writing another. ``reason`` holds the numbers the rule saw (counts,
    window, threshold, baseline) and ``message`` the sentence rendered from them when the row was
    written, in the platform's language. Every change is an event on the warning's own chain.
    Written only by ``zhongcai.monitoring.warnings``.
    """

    class Kind(models.TextChoices):
        DEADLINE_DUE = "deadline_due", _("Statutory deadline falls due soon")
        DEADLINE_OVERDUE = "deadline_overdue", _("Statutory deadline overdue")
        COLLECTIVE = "collective", _("Collective case accepted")
        EMPLOYER_CASES = "employer_cases", _("Many cases against one employer")
        WAGE_ARREARS_SPIKE = "wage_arrears_spike", _("Spike of wage-arrears cases")
        POLICY_SECTOR = "policy_sector", _("Cases in a sector named by policy")
        EMPLOYER_DISSOLVED = "employer_dissolved", _("Employer being dissolved")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    kind = models.CharField(max_length=32, choices=Kind.choices)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Whose data it is: decides who sees the warning (data scope)."),
    )
    subject_key = models.CharField(
        max_length=100, help_text=_("What it is about, e.g. deadline:12, employer:9137…, case:7.")
    )
    window_key = models.CharField(
        max_length=64, help_text=_("Which occasion: a due date, the first day of a window.")
    )
    window_start = models.DateField(null=True, blank=True)
    window_end = models.DateField(null=True, blank=True)
    reason = models.JSONField(
        default=dict, help_text=_("The numbers the rule saw: counts, window, threshold, baseline.")
    )
    message = models.TextField(help_text=_("Why it fired, as a sentence."))
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="monitoring_warnings")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_warnings",
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG_FIELD = "organisation"

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_key", "window_key"], name="warning_once_per_window"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="warning_org_status"),
            models.Index(fields=["kind", "subject_key"], name="warning_subject"),
        ]
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_key} {self.window_key}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.RESOLVED


from .figure_models import CaseFigure, DailyFigure, MediationFigure  # noqa: E402,F401
from .report_models import MonthlyReport  # noqa: E402,F401
