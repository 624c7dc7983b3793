"""Hearings (开庭): sessions in rooms, notices, postponements, attendance, the record (笔录)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case import Agent, Case, Party
from .documents import CaseDocument


class Hearing(models.Model):
    """One session. Booking holds the room, the arbitrators and the recorder for its span."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        POSTPONED = "postponed", _("Postponed")
        OPEN = "open", _("In session")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    session = models.PositiveSmallIntegerField(help_text=_("1 for the first hearing, 2 …"))
    room = models.ForeignKey(
        "orgs.HearingRoom",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hearings",
    )
    place = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Elsewhere, e.g. the employer's premises (art. 67)."),
    )
    online = models.BooleanField(default=False)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    people = models.ManyToManyField("orgs.Person", related_name="hearings", blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.SCHEDULED)
    notice = models.ForeignKey(
        CaseDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField()
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    adjourned = models.BooleanField(default=False, help_text=_("Another session is needed."))
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        help_text=_("The postponed hearing this one replaces (LDMAL art. 35)."),
    )

    class Meta:
        ordering = ["case", "session", "starts_at"]
        indexes = [models.Index(fields=["room", "starts_at"], name="hearing_room_time")]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self) -> str:
        return f"{self.case_id} #{self.session} {self.starts_at:%Y-%m-%d %H:%M}"


class PostponementRequest(models.Model):
    """延期开庭申请: at least 3 days before the hearing (LDMAL art. 35)."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="postponements")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField()
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
    notice = models.ForeignKey(
        CaseDocument,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The notice of postponement (延期开庭通知书), when granted."),
    )
    new_hearing = models.ForeignKey(
        Hearing, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["hearing", "filed_at"]
        verbose_name = _("postponement request")
        verbose_name_plural = _("postponement requests")

    def __str__(self) -> str:
        return f"{self.hearing_id}/{self.party_id}"


class Attendance(models.Model):
    class Presence(models.TextChoices):
        PRESENT = "present", _("Present")
        AGENT_ONLY = "agent_only", _("Represented by an agent")
        ABSENT = "absent", _("Absent")
        LEFT = "left", _("Left without permission")

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="attendance")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    presence = models.CharField(max_length=16, choices=Presence.choices)
    justified = models.BooleanField(default=False, help_text=_("A justified reason was shown."))
    note = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["hearing", "party"]
        constraints = [models.UniqueConstraint(fields=["hearing", "party"], name="attendance_once")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.hearing_id}/{self.party_id}: {self.presence}"


class HearingRecord(models.Model):
    """庭审笔录 (LDMAL art. 40). Each correction makes a new version; signatures sign a version."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="records")
    version = models.PositiveSmallIntegerField()
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    correction_reason = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        CaseDocument,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("This version as a document of the main volume (办案规则 art. 22)."),
    )

    class Meta:
        ordering = ["hearing", "version"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "version"], name="hearing_record_version")
        ]
        verbose_name = _("hearing record")
        verbose_name_plural = _("hearing records")

    def __str__(self) -> str:
        return f"{self.hearing_id} v{self.version}"


class RecordSignature(models.Model):
    class SignerRole(models.TextChoices):
        ARBITRATOR = "arbitrator", _("Arbitrator")
        RECORDER = "recorder", _("Recorder")
        PARTY = "party", _("Party")
        AGENT = "agent", _("Agent")
        OTHER = "other", _("Other participant")

    class Method(models.TextChoices):
        SCREEN = "screen", _("Signed on a screen in the room")
        ONLINE = "online", _("Signed online")
        PAPER = "paper", _("Signed on paper")

    record = models.ForeignKey(HearingRecord, on_delete=models.CASCADE, related_name="signatures")
    signer_role = models.CharField(max_length=16, choices=SignerRole.choices)
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "orgs.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The arbitrator or recorder who signed."),
    )
    name = models.CharField(max_length=50)
    method = models.CharField(max_length=16, choices=Method.choices)
    refused = models.BooleanField(default=False, help_text=_("Refusal to sign is recorded."))
    signed_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["record", "signed_at"]
        verbose_name = _("record signature")
        verbose_name_plural = _("record signatures")

    def __str__(self) -> str:
        return f"{self.record_id}: {self.name}"
