"""The mediation agreement (调解协议书) and the arbitral review that may follow it.

The agreement's text is frozen when it is drafted (``content``, with its digest). Each signature
records the digest it signed; once anyone has signed, nothing of the agreement changes
(``mediation.agreement``). It takes effect when both parties and the mediator have signed and the
organisation has sealed it (LDMAL art. 14; 人民法院在线调解规则 art. 19 for the online form).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .case import MediationCase, MediationParty
from .room import Proposal, Side


class Agreement(models.Model):
    case = models.OneToOneField(MediationCase, on_delete=models.CASCADE, related_name="agreement")
    number = models.CharField(max_length=64, help_text=_("The organisation's document number."))
    proposal = models.ForeignKey(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The proposal both parties accepted, if it came from one."),
    )
    items = models.JSONField(help_text=_("The agreed terms, numbered."))
    content = models.JSONField(help_text=_("The document's blocks as drafted."))
    content_sha256 = models.CharField(max_length=64)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField()
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sealed_at = models.DateTimeField(null=True, blank=True)
    effective_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="mediation/agreements/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")

    def __str__(self) -> str:
        return self.number


class AgreementSignature(models.Model):
    """One electronic signature: a party's (by its own account) or the mediator's."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    side = models.CharField(max_length=16, choices=Side.choices)
    party = models.ForeignKey(
        MediationParty, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100, help_text=_("The name signed, as shown."))
    content_sha256 = models.CharField(
        max_length=64, help_text=_("The digest of the text that was signed.")
    )
    signed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    on_paper = models.BooleanField(
        default=False,
        help_text=_(
            "Signed (or sealed) by hand at the organisation, recorded by its staff with a scan "
            "(LDMAL art. 14: 签名或者盖章), for a party without an account."
        ),
    )
    scan = models.FileField(upload_to="mediation/signatures/%Y/", blank=True)
    scan_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["agreement", "signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "party"],
                condition=Q(party__isnull=False),
                name="mediation_party_signs_once",
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(side="mediator"),
                name="mediation_mediator_signs_once",
            ),
            models.CheckConstraint(
                condition=Q(side="mediator", party__isnull=True)
                | (~Q(side="mediator") & Q(party__isnull=False)),
                name="mediation_signature_side",
            ),
        ]
        verbose_name = _("signature of a mediation agreement")
        verbose_name_plural = _("signatures of mediation agreements")

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.side} {self.name}"


class ReviewStatus(models.TextChoices):
    # Joint application (办案规则 art. 74): the first party's request waits for the other's.
    AWAITING_PARTY = "awaiting_party", _("Waiting for the other party to join")
    REQUESTED = "requested", _("Applied, awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted, under review")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    ISSUED = "issued", _("调解书 issued")
    REFUSED = "refused", _("调解书 refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Review(models.Model):
    """Arbitral review of an agreement by a commission (仲裁审查, 办案规则 arts. 74–79)."""

    class Ground(models.TextChoices):
        # art. 75: not accepted
        OUT_OF_SCOPE = "out_of_scope", _("Not a dispute the commission handles")
        NOT_COMPETENT = "not_competent", _("Not within this commission's jurisdiction")
        LATE = "late", _("Applied after the 15-day period")
        CONFIRMS_RELATIONSHIP = (
            "confirms_relationship",
            _("The agreement confirms a labor relationship"),
        )
        COURT_CONFIRMED = "court_confirmed", _("Already confirmed by a court")
        # art. 78: no 调解书
        UNLAWFUL = "unlawful", _("Violates mandatory provisions of law")
        HARMS_OTHERS = "harms_others", _("Harms the state, the public or others' lawful rights")
        FALSE_EVIDENCE = "false_evidence", _("Evidence suspected to be false")
        NOT_VOLUNTARY = "not_voluntary", _("Not voluntary")
        UNCLEAR = "unclear", _("Content unclear")
        OTHER = "other", _("Other reason")

    case = models.ForeignKey(MediationCase, on_delete=models.PROTECT, related_name="reviews")
    commission = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="mediation_reviews"
    )
    status = models.CharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.AWAITING_PARTY
    )
    applicant_joined_at = models.DateTimeField(null=True, blank=True)
    respondent_joined_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When both parties had applied.")
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    decision_due = models.DateField(
        null=True, blank=True, help_text=_("5 working days from acceptance (art. 76).")
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ground = models.CharField(max_length=32, choices=Ground.choices, blank=True)
    reasons = models.TextField(blank=True)
    number = models.CharField(max_length=64, blank=True)
    content = models.JSONField(default=list, blank=True)
    pdf = models.FileField(upload_to="mediation/reviews/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Commission staff sit in its arbitration institute, a child of the commission.
    SCOPE_ORG_FIELD = "commission__children"

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["awaiting_party", "requested", "accepted"]),
                name="mediation_one_open_review",
            ),
        ]
        verbose_name = _("arbitral review of a mediation agreement")
        verbose_name_plural = _("arbitral reviews of mediation agreements")

    def __str__(self) -> str:
        return f"{self.case_id} → {self.commission_id}"
