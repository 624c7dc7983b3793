"""Templates with versions, the frozen content of each issued document, and signing keys.

A document's content is frozen when it is issued (``Rendition.content``: the blocks its template
version produced from the case data of that moment); its PDF and DOCX are made from those blocks
once and kept with their digests. Changing a template makes a new ``TemplateVersion``; it never
touches a document already issued.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TemplateVersion(models.Model):
    """One text of a catalogue template, effective from a date.

    ``province`` empty: the platform's own text (from ``documents/texts/``); otherwise the
    province's override for every commission under it.
    """

    code = models.CharField(max_length=48, db_index=True)
    province = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField()
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    effective_from = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["code", "-effective_from", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "province", "version"], name="template_version_once"
            ),
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=models.Q(province__isnull=True),
                name="template_builtin_version_once",
            ),
        ]
        verbose_name = _("document template version")
        verbose_name_plural = _("document template versions")

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Rendition(models.Model):
    """What was issued, as issued: the content blocks, then the PDF and DOCX made from them."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="renditions")
    document = models.OneToOneField(
        "cases.CaseDocument", on_delete=models.CASCADE, related_name="rendition"
    )
    code = models.CharField(max_length=48)
    template = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField(help_text=_("The blocks of the document as issued."))
    content_sha256 = models.CharField(max_length=64)
    pdf = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    docx = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    signed = models.BooleanField(default=False)
    produced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "pk"]
        verbose_name = _("rendered document")
        verbose_name_plural = _("rendered documents")

    def __str__(self) -> str:
        return f"{self.document_id} {self.code}"


class SigningIdentity(models.Model):
    """A certificate and its private key, kept on the server.

    The demo certificate authority (``organisation`` empty, ``is_ca``) issues one signing
    certificate per commission for the embedded default; a production deployment imports the
    commission's certificate from its CA instead. The key is stored encrypted with
    ``DOCUMENTS_KEY_PASSPHRASE``.
    """

    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_ca = models.BooleanField(default=False)
    subject = models.CharField(max_length=200)
    serial = models.CharField(max_length=64)
    certificate_pem = models.TextField()
    key_pem = models.TextField()
    not_before = models.DateTimeField()
    not_after = models.DateTimeField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-not_after"]
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")

    def __str__(self) -> str:
        return self.subject
