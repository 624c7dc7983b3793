"""The portal's own records: a worker's online application while it is being written."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationDraft(models.Model):
    """An online application (网上预立案) not yet submitted, kept on the server so that it can be
    resumed on another device. Private to its owner. Submitting it creates one case, once: an
    arbitration case, or a mediation case when the worker asks for mediation first."""

    class Destination(models.TextChoices):
        ARBITRATION = "arbitration", _("Arbitration")
        MEDIATION = "mediation", _("Mediation")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application_drafts"
    )
    commission = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The commission the worker chose among the competent ones."),
    )
    destination = models.CharField(
        max_length=16,
        choices=Destination.choices,
        default=Destination.ARBITRATION,
        help_text=_("What the worker applies for: arbitration, or mediation first."),
    )
    data = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text=_("Raised by every save; a save from an older version is refused.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_case = models.OneToOneField(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="online_draft",
    )
    submitted_mediation = models.OneToOneField(
        "mediation.MediationCase",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="online_draft",
    )

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("application draft")
        verbose_name_plural = _("application drafts")

    def __str__(self) -> str:
        return f"{self.owner_id}/{self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_case_id is not None or self.submitted_mediation_id is not None

    @property
    def for_mediation(self) -> bool:
        return self.destination == self.Destination.MEDIATION


class DraftAttachment(models.Model):
    """An evidence file uploaded into a draft; copied into the case's evidence on submission."""

    draft = models.ForeignKey(
        ApplicationDraft, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="portal/drafts/%Y/%m/")
    title = models.CharField(max_length=200)
    file_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["draft", "uploaded_at", "pk"]
        verbose_name = _("draft attachment")
        verbose_name_plural = _("draft attachments")

    def __str__(self) -> str:
        return self.title
