"""Clocks that stop and stretch, court notices after the award, and the archived file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case import Case, Party, PostAward
from .documents import CaseDocument, Volume


class SuspensionReason(models.TextChoices):
    """办案规则 art. 47 (1)–(7)."""

    WORKER_DIED = "worker_died", _("The worker died; waiting for the heirs")
    WORKER_INCAPACITATED = (
        "worker_incapacitated",
        _("The worker lost capacity; no legal representative yet"),
    )
    EMPLOYER_TERMINATED = "employer_terminated", _("The employer ended; no successor yet")
    FORCE_MAJEURE = "force_majeure", _("Force majeure prevents a party")
    DEPENDS_ON_OTHER_CASE = "depends_on_other_case", _("Depends on another unfinished case")
    AWAITING_APPRAISAL = (
        "awaiting_appraisal",
        _("Awaiting work-injury determination, disability grading or another appraisal"),
    )
    OTHER = "other", _("Other reason provided by law")


class Suspension(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspensions")
    reason = models.CharField(max_length=32, choices=SuspensionReason.choices)
    note = models.TextField(blank=True)
    started_on = models.DateField()
    approved_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    excluded_days = models.PositiveIntegerField(default=0)
    document = models.ForeignKey(
        CaseDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_suspension",
            )
        ]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")

    def __str__(self) -> str:
        return f"{self.case_id} {self.started_on}"


class Extension(models.Model):
    """延长审理期限: at most 15 days in all, approved before the 45 days run out (LDMAL 43)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField()
    reasons = models.TextField()
    approved_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        CaseDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "approved_at"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self) -> str:
        return f"{self.case_id} +{self.days}"


class CourtNotice(models.Model):
    """What a court told the commission about an award (spec §12.2), recorded with its document."""

    class Kind(models.TextChoices):
        SUIT_FILED = "suit_filed", _("A party sued")
        SUIT_ENDED = "suit_ended", _("The suit was dismissed or withdrawn")
        JUDGMENT = "judgment", _("Judgment in the suit")
        SET_ASIDE_APPLIED = "set_aside_applied", _("Application to set aside the award")
        SET_ASIDE_GRANTED = "set_aside_granted", _("Award set aside")
        SET_ASIDE_REFUSED = "set_aside_refused", _("Application to set aside refused")
        ENFORCEMENT_FILED = "enforcement_filed", _("Enforcement applied for")
        ENFORCEMENT_REFUSED = "enforcement_refused", _("Court refused enforcement")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="court_notices")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The party who sued or applied."),
    )  # fmt: skip
    court_name = models.CharField(max_length=100)
    court_case_number = models.CharField(max_length=80, blank=True)
    court_date = models.DateField(help_text=_("The date on the court's document."))
    document = models.ForeignKey(CaseDocument, on_delete=models.PROTECT, related_name="+")
    post_award_before = models.CharField(
        max_length=24, choices=PostAward.choices, blank=True,
        help_text=_("What became of the award before this notice."),
    )  # fmt: skip
    post_award_after = models.CharField(
        max_length=24, choices=PostAward.choices, blank=True,
        help_text=_("What became of the award after this notice."),
    )  # fmt: skip
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "recorded_at"]
        verbose_name = _("court notice")
        verbose_name_plural = _("court notices")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class ArchiveEntry(models.Model):
    """One entry of the archived file's table of contents (卷内目录), frozen at archiving."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="archive_entries")
    volume = models.CharField(max_length=16, choices=Volume.choices)
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=32)
    reference = models.CharField(max_length=64, help_text=_("model:id of the archived item."))
    dated = models.DateTimeField()
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["case", "volume", "order"]
        constraints = [
            models.UniqueConstraint(fields=["case", "volume", "order"], name="archive_entry_order")
        ]
        verbose_name = _("archive entry")
        verbose_name_plural = _("archive entries")

    def __str__(self) -> str:
        return f"{self.case_id} {self.volume} {self.order}"
