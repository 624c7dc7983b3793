"""The mediator pool (调解员库) and what the organisations keep about their mediators:
profiles for the draw, conflict declarations, parties' requests for another mediator, party
feedback and the guidance library. Training records are the roster's
(``orgs.TrainingRecord``)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .case import MediationCase, MediationParty


class MediatorProfile(models.Model):
    """What the draw filters on, for a mediator of the roster (``orgs.Person``, kind mediator)."""

    person = models.OneToOneField(
        "orgs.Person", on_delete=models.CASCADE, related_name="mediator_profile"
    )
    specialties = models.JSONField(
        default=list, blank=True, help_text=_("Causes of dispute (taxonomy codes).")
    )
    languages = models.JSONField(
        default=list, blank=True, help_text=_("Languages and dialects spoken besides Mandarin.")
    )
    available = models.BooleanField(default=True)
    unavailable_until = models.DateField(null=True, blank=True)
    max_load = models.PositiveSmallIntegerField(
        default=10, help_text=_("Most running cases at once.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG_FIELD = "person__organisation"

    class Meta:
        verbose_name = _("mediator profile")
        verbose_name_plural = _("mediator profiles")

    def __str__(self) -> str:
        return str(self.person_id)


class ConflictDeclaration(models.Model):
    """A mediator declares a conflict of interest in a case and steps aside."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="conflicts")
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "declared_at"]
        verbose_name = _("conflict declaration")
        verbose_name_plural = _("conflict declarations")

    def __str__(self) -> str:
        return f"{self.case_id}/{self.person_id}"


class MediatorChangeRequest(models.Model):
    """A party asks for another mediator; the organisation grants or refuses it with a reason."""

    case = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="change_requests"
    )
    party = models.ForeignKey(MediationParty, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, related_name="+", help_text=_("Who to replace.")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    granted = models.BooleanField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "party"],
                condition=Q(granted__isnull=True),
                name="mediation_one_pending_change_request",
            ),
        ]
        verbose_name = _("request for another mediator")
        verbose_name_plural = _("requests for another mediator")

    def __str__(self) -> str:
        return f"{self.case_id}/{self.party_id}"


class Feedback(models.Model):
    """A party's rating of the mediation once it ended (for the mediator's assessment)."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="feedback")
    party = models.ForeignKey(MediationParty, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "party"], name="mediation_feedback_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="mediation_feedback_score"
            ),
        ]
        verbose_name = _("party feedback")
        verbose_name_plural = _("party feedback")

    def __str__(self) -> str:
        return f"{self.case_id}/{self.party_id} {self.score}"


class Guide(models.Model):
    """Guidance for mediators: model agreements, scripts and checklists.

    ``organisation`` is the organisation (or the province or city above it) that wrote it; the
    mediators under it read it.
    """

    class Kind(models.TextChoices):
        MODEL_AGREEMENT = "model_agreement", _("Model agreement")
        SCRIPT = "script", _("Mediation script")
        CHECKLIST = "checklist", _("Checklist")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="mediation_guides"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=200)
    causes = models.JSONField(default=list, blank=True)
    body = models.TextField()
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG_FIELD = "organisation"

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("mediation guide")
        verbose_name_plural = _("mediation guides")

    def __str__(self) -> str:
        return self.title
