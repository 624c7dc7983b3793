"""Mediation cases (调解) before a mediation organisation: spec §9 and the states of §12.3.

The parties and claims have the shape of an arbitration application's
(``cases.application.clean_application``), so that a failed mediation becomes an arbitration
application without retyping. ``dispute`` names the dispute across both stages.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhongcai.cases.taxonomy import Category, ClaimType


class Status(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    MEDIATING = "mediating", _("Mediating")
    AGREED = "agreed", _("Agreement reached")
    FAILED = "failed", _("Mediation failed")
    # The paths of an agreement (spec §9.2, 办案规则 arts. 74–79).
    REVIEW_REQUESTED = "review_requested", _("Arbitral review requested")
    CONFIRMED = "confirmed", _("调解书 issued after arbitral review")
    REVIEW_REFUSED = "review_refused", _("Arbitral review refused")
    JUDICIAL_CONFIRMATION = "judicial_confirmation", _("Court confirmation requested")
    BREACHED = "breached", _("Agreement breached")


# The conclusion clock runs in these states (企业劳动争议协商调解规定: 15 days from acceptance).
RUNNING_STATES = frozenset({Status.ACCEPTED, Status.MEDIATING})


class Channel(models.TextChoices):
    ONLINE = "online", _("Online application")
    WALK_IN = "walk_in", _("Walk-in, recorded by a mediator")


class MediationCase(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="mediation_cases",
        help_text=_("The mediation organisation handling the case."),
    )
    number = models.CharField(
        max_length=64,
        help_text=_("The organisation's number for the case, e.g. 济历下调〔2026〕第1号."),
    )
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.APPLIED)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediation_cases",
        help_text=_("The public account that applied online; empty for a walk-in."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submission_key = models.CharField(
        max_length=36,
        blank=True,
        help_text=_("The form's one-time key: a second submission of it finds this case."),
    )
    dispute = models.UUIDField(
        default=uuid.uuid4,
        editable=False,
        db_index=True,
        help_text=_("The same dispute across mediation and a later arbitration."),
    )
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.LABOR)
    causes = models.JSONField(default=list, blank=True)
    workplace_division = models.ForeignKey(
        "orgs.Division", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facts = models.TextField(blank=True)
    received_at = models.DateTimeField()
    acceptance_due = models.DateField(help_text=_("3 working days from receipt."))
    accepted_at = models.DateTimeField(null=True, blank=True)
    conclusion_due = models.DateField(
        null=True,
        blank=True,
        help_text=_("15 days from acceptance, or later once extended by both parties."),
    )
    extended_at = models.DateTimeField(null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    mediator = models.ForeignKey(
        "orgs.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediation_cases",
    )
    draw = models.JSONField(
        default=dict, blank=True, help_text=_("Seed, candidates and who was drawn.")
    )
    decline_reason = models.TextField(blank=True)
    failure_reason = models.TextField(blank=True)
    agreed_items = models.JSONField(default=list, blank=True)
    arbitration_case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The arbitration application this failed mediation became."),
    )
    entrusted_by = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entrusted_mediations",
        help_text=_(
            "The arbitration case whose tribunal entrusted this mediation before the hearing "
            "(办案规则 art. 69)."
        ),
    )
    court = models.CharField(
        max_length=100, blank=True, help_text=_("The court asked to confirm the agreement.")
    )
    court_requested_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    breach_note = models.TextField(blank=True)

    SCOPE_ORG_FIELD = "organisation"

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="mediation_case_status_valid"
            ),
            models.UniqueConstraint(
                fields=["organisation", "number"], name="mediation_case_number_once"
            ),
            models.UniqueConstraint(
                fields=["created_by", "submission_key"],
                condition=~Q(submission_key=""),
                name="mediation_case_submitted_once",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "conclusion_due"], name="mediation_conclusion_due"),
        ]
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")

    def __str__(self) -> str:
        return self.number or f"{self.organisation_id}/{self.pk}"

    @classmethod
    def scope_for_public(cls, user: object) -> Q:
        """The public see the cases they applied for and those where they act for a party
        (``mediation.parties``)."""
        from zhongcai.mediation.parties import represented_q

        return Q(owner=user) | Q(
            pk__in=MediationParty.objects.filter(represented_q(user)).values("case")
        )


class MediationParty(models.Model):
    class Role(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        RESPONDENT = "respondent", _("Respondent")

    class Kind(models.TextChoices):
        WORKER = "worker", _("Worker")
        EMPLOYER = "employer", _("Employer")

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=16, choices=Role.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=100)
    id_number = models.CharField(max_length=18, blank=True)
    credit_code = models.CharField(max_length=18, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    sex = models.CharField(max_length=8, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    occupation = models.CharField(max_length=50, blank=True)
    domicile = models.CharField(max_length=200, blank=True)
    domicile_division = models.ForeignKey(
        "orgs.Division", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mailing_address = models.CharField(max_length=200, blank=True)
    legal_representative = models.CharField(max_length=50, blank=True)
    legal_representative_title = models.CharField(max_length=50, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediation_parties",
    )

    class Meta:
        ordering = ["case", "role", "pk"]
        verbose_name = _("mediation party")
        verbose_name_plural = _("mediation parties")

    def __str__(self) -> str:
        return self.name


class MediationClaim(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="claims")
    number = models.PositiveSmallIntegerField()
    type = models.CharField(max_length=32, choices=ClaimType.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="mediation_claim_number"),
        ]
        verbose_name = _("mediation claim")
        verbose_name_plural = _("mediation claims")

    def __str__(self) -> str:
        return f"{self.case_id}#{self.number}"
