"""Documents a case produces: notices, decisions (决定书), awards, 调解书, records, forms.

A ``CaseDocument`` is written by the service of the step that issues it, in the same transaction
and with the step's event; it says which volume of the file it belongs to (办案规则 arts. 21–22).
Rendering to DOCX/PDF with seals is the documents app's job; here is the content of record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case import Case


class Volume(models.TextChoices):
    """办案规则 arts. 21–23: parties may consult the main volume only."""

    MAIN = "main", _("Main volume (正卷)")
    SECONDARY = "secondary", _("Secondary volume (副卷)")


class DocumentKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    CORRECTION_NOTICE = "correction_notice", _("Correction notice")
    ACCEPTANCE_NOTICE = "acceptance_notice", _("Acceptance notice")
    REFUSAL_NOTICE = "refusal_notice", _("Notice of refusal to accept")
    JURISDICTION_NOTICE = "jurisdiction_notice", _("Notice of the competent commission")
    FILING_APPROVAL = "filing_approval", _("Filing approval form")
    TRIBUNAL_NOTICE = "tribunal_notice", _("Notice of the tribunal's composition")
    RESPONSE_NOTICE = "response_notice", _("Notice to respond, with the application copy")
    EVIDENCE_NOTICE = "evidence_notice", _("Evidence notice")
    SERVICE_ADDRESS = "service_address", _("Service address confirmation")
    DEFENCE = "defence", _("Defence")
    DEFENCE_COPY = "defence_copy", _("Copy of the defence")
    COUNTER_APPLICATION = "counter_application", _("Counter-application")
    CLAIM_CHANGE = "claim_change", _("Application to add or change claims")
    ADD_PARTY_NOTICE = "add_party_notice", _("Notice of an added party")
    HEARING_NOTICE = "hearing_notice", _("Hearing notice")
    POSTPONEMENT_NOTICE = "postponement_notice", _("Notice of postponement")
    HEARING_RECORD = "hearing_record", _("Hearing record")
    EXTENSION_NOTICE = "extension_notice", _("Notice of extension of the time limit")
    SUSPENSION_NOTICE = "suspension_notice", _("Notice of suspension")
    RESUMPTION_NOTICE = "resumption_notice", _("Notice of resumption")
    DECISION = "decision", _("Decision (决定书)")
    AWARD = "award", _("Award (裁决书)")
    MEDIATION_DOCUMENT = "mediation_document", _("Mediation document (调解书)")
    TRANSFER_LETTER = "transfer_letter", _("Transfer letter")
    INVESTIGATION_LETTER = "investigation_letter", _("Letter requesting evidence")
    RECOMMENDATION_LETTER = "recommendation_letter", _("Recommendation letter")
    PUBLIC_NOTICE = "public_notice", _("Public notice for service")
    COURT_DOCUMENT = "court_document", _("Court document")
    APPROVAL_FORM = "approval_form", _("Internal approval form")
    DELIBERATION_RECORD = "deliberation_record", _("Deliberation record")
    CLOSING_APPROVAL = "closing_approval", _("Closing approval form")
    OTHER = "other", _("Other document")


class DecisionKind(models.TextChoices):
    """What a 决定书 decides (spec §5.1)."""

    RECUSAL = "recusal", _("Recusal")
    JURISDICTION = "jurisdiction", _("Jurisdiction objection")
    REVOCATION = "revocation", _("Revocation of the case")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    DEEMED_WITHDRAWAL = "deemed_withdrawal", _("Deemed withdrawal")
    SUSPENSION = "suspension", _("Suspension")
    AWARD_CORRECTION = "award_correction", _("Correction of the award")
    TRANSFER = "transfer", _("Transfer")


class CaseDocument(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=32, choices=DocumentKind.choices)
    decision_kind = models.CharField(max_length=32, choices=DecisionKind.choices, blank=True)
    title = models.CharField(max_length=200)
    number = models.CharField(max_length=80, blank=True)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    volume = models.CharField(max_length=16, choices=Volume.choices, default=Volume.MAIN)
    file = models.FileField(upload_to="cases/documents/%Y/%m/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "issued_at", "pk"]
        indexes = [models.Index(fields=["case", "kind"], name="case_document_kind")]
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")

    def __str__(self) -> str:
        return self.title
