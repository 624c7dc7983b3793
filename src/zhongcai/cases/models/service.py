"""Service (送达): every document served on a party is a record with its deemed service date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case import Case, Party
from .documents import CaseDocument


class ServiceMethod(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic service")
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Telephone")
    POST = "post", _("Post")
    IN_PERSON = "in_person", _("In person")
    POSTING = "posting", _("Left or posted at the premises, with photo")
    PUBLIC_NOTICE = "public_notice", _("Public notice")


# 办案规则 art. 59: simple means, only in simplified cases and never for 调解书 or 裁决书; a
# notice served this way that the party did not confirm grounds no default (spec §3.4).
SIMPLE_METHODS = frozenset({ServiceMethod.SMS, ServiceMethod.PHONE})


class ServiceAddress(models.Model):
    """送达地址确认书: where a party accepts service, and whether it consents to e-service."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="service_addresses")
    electronic_consent = models.BooleanField(default=False)
    mobile = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    postal_address = models.CharField(max_length=200, blank=True)
    confirmed_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["party", "-confirmed_at"]
        verbose_name = _("service address")
        verbose_name_plural = _("service addresses")

    def __str__(self) -> str:
        return f"{self.party_id} {self.confirmed_at:%Y-%m-%d}"


class ServiceRecord(models.Model):
    """送达回证 / electronic service record of one document to one party."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    document = models.ForeignKey(CaseDocument, on_delete=models.PROTECT, related_name="services")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="services")
    method = models.CharField(max_length=16, choices=ServiceMethod.choices)
    address = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField()
    delivered_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When it reached the addressee's system.")
    )
    signed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Signed receipt (签收), on paper or online.")
    )
    signed_by_name = models.CharField(max_length=50, blank=True)
    refused = models.BooleanField(default=False, help_text=_("The addressee refused to sign."))
    confirmed = models.BooleanField(
        default=False, help_text=_("The party confirmed receipt of a simple-means service.")
    )
    photo = models.FileField(upload_to="cases/service/%Y/%m/", blank=True)
    deemed_served_on = models.DateField(null=True, blank=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "sent_at", "pk"]
        verbose_name = _("service record")
        verbose_name_plural = _("service records")

    def __str__(self) -> str:
        return f"{self.document_id} → {self.party_id}"

    @property
    def proven(self) -> bool:
        """Whether this service can ground a default or a deemed withdrawal (办案规则 59)."""
        if self.deemed_served_on is None:
            return False
        return self.method not in SIMPLE_METHODS or self.confirmed
