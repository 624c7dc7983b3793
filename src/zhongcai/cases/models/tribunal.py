"""The tribunal of a case (仲裁庭), declared relations, and recusal (回避)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case import Case, CaseDeadline, Party
from .documents import CaseDocument


class TribunalMember(models.Model):
    """One seat of a case's tribunal, or its recorder (who is never one of the arbitrators)."""

    class Seat(models.TextChoices):
        SOLE = "sole", _("Sole arbitrator")
        PRESIDING = "presiding", _("Presiding arbitrator")
        MEMBER = "member", _("Arbitrator")
        RECORDER = "recorder", _("Recorder")

    class Method(models.TextChoices):
        DRAWN = "drawn", _("Drawn at random")
        DESIGNATED = "designated", _("Designated")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tribunal")
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="seats")
    seat = models.CharField(max_length=16, choices=Seat.choices)
    method = models.CharField(max_length=16, choices=Method.choices)
    reason = models.TextField(blank=True, help_text=_("Why designated rather than drawn."))
    appointed_at = models.DateTimeField()
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=100, blank=True)
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        help_text=_("The seat this one fills after a replacement or an upheld recusal."),
    )

    class Meta:
        ordering = ["case", "ended_at", "seat", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"],
                condition=models.Q(ended_at__isnull=True),
                name="tribunal_person_once",
            )
        ]
        verbose_name = _("tribunal seat")
        verbose_name_plural = _("tribunal seats")

    def __str__(self) -> str:
        return f"{self.get_seat_display()} {self.person_id}"

    @property
    def is_arbitrator(self) -> bool:
        return self.seat != self.Seat.RECORDER


class ArbitratorRelation(models.Model):
    """A relation an arbitrator or recorder declared (LDMAL art. 33): never drawn for them."""

    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="relations")
    name = models.CharField(_("name of the person or unit"), max_length=100)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    relation = models.CharField(_("relation"), max_length=200)
    declared_at = models.DateTimeField(auto_now_add=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person", "name"]
        verbose_name = _("declared relation")
        verbose_name_plural = _("declared relations")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.name}"


class RecusalGround(models.TextChoices):
    """LDMAL art. 33 (1)–(4)."""

    RELATIVE = "relative", _("Is a party, or a close relative of a party or agent")
    INTEREST = "interest", _("Has an interest in the case")
    OTHER_RELATION = "other_relation", _("Another relation that may affect impartiality")
    PRIVATE_CONTACT = "private_contact", _("Met a party or agent privately or took gifts")


class RecusalApplication(models.Model):
    """回避申请: decided within 3 (working) days (办案规则 arts. 11–12)."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        UPHELD = "upheld", _("Upheld: withdraws")
        REJECTED = "rejected", _("Rejected")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(TribunalMember, on_delete=models.PROTECT, related_name="recusals")
    applicant = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for a self-recusal."),
    )
    ground = models.CharField(max_length=32, choices=RecusalGround.choices)
    reasons = models.TextField()
    learned_later = models.BooleanField(
        default=False,
        help_text=_("The ground became known after the hearing began (办案规则 art. 11)."),
    )
    filed_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reasons = models.TextField(blank=True)
    document = models.ForeignKey(
        CaseDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.ForeignKey(
        CaseDeadline,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The 3-working-day clock of this application (办案规则 art. 12)."),
    )

    class Meta:
        ordering = ["case", "filed_at"]
        verbose_name = _("recusal application")
        verbose_name_plural = _("recusal applications")

    def __str__(self) -> str:
        return f"{self.case_id}/{self.member_id}"
