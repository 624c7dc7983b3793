"""The case room: what the mediator and the parties say, meet, share and propose online.

Everything here is seen either by everyone in the case (``Audience.JOINT``) or, in a caucus
(背靠背), by the mediator and one party only: ``party`` names that party, and nobody on the other
side ever reads it. What a party says or offers to reach agreement is settlement talk
(人民法院在线调解规则, spec §9.2): it is marked as such and never carried into a later
arbitration file.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .case import MediationCase, MediationParty


class Audience(models.TextChoices):
    JOINT = "joint", _("Everyone in the case")
    CAUCUS = "caucus", _("The mediator and one party (caucus)")


class Side(models.TextChoices):
    MEDIATOR = "mediator", _("Mediator")
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")


def _audience_constraint(name: str) -> models.CheckConstraint:
    """A caucus item names its party; a joint one names none."""
    return models.CheckConstraint(
        condition=(Q(audience=Audience.JOINT, party__isnull=True))
        | Q(audience=Audience.CAUCUS, party__isnull=False),
        name=name,
    )


class Message(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="messages")
    audience = models.CharField(max_length=16, choices=Audience.choices)
    party = models.ForeignKey(
        MediationParty,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("In a caucus: the party the mediator is talking with."),
    )
    side = models.CharField(max_length=16, choices=Side.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    settlement_talk = models.BooleanField(
        default=True,
        help_text=_(
            "Said to reach agreement: may not be used against the party later (except "
            "undisputed facts)."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "pk"]
        constraints = [_audience_constraint("mediation_message_audience")]
        verbose_name = _("mediation message")
        verbose_name_plural = _("mediation messages")

    def __str__(self) -> str:
        return f"{self.case_id}/{self.pk}"


class Meeting(models.Model):
    """A scheduled call or meeting: together, or a caucus with one party."""

    class Mode(models.TextChoices):
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Telephone")
        IN_PERSON = "in_person", _("In person")

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="meetings")
    audience = models.CharField(max_length=16, choices=Audience.choices)
    party = models.ForeignKey(
        MediationParty, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(max_length=16, choices=Mode.choices)
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=60)
    place = models.CharField(
        max_length=200, blank=True, help_text=_("The room, or how to join the call.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "starts_at", "pk"]
        constraints = [_audience_constraint("mediation_meeting_audience")]
        verbose_name = _("mediation meeting")
        verbose_name_plural = _("mediation meetings")

    def __str__(self) -> str:
        return f"{self.case_id}/{self.starts_at:%Y-%m-%d %H:%M}"


class SharedFile(models.Model):
    """A document or piece of evidence put into the room by the mediator or a party."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("Evidence")
        DOCUMENT = "document", _("Other document")

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="files")
    audience = models.CharField(max_length=16, choices=Audience.choices)
    party = models.ForeignKey(
        MediationParty, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(max_length=16, choices=Side.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.EVIDENCE)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="mediation/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "pk"]
        constraints = [_audience_constraint("mediation_file_audience")]
        verbose_name = _("mediation file")
        verbose_name_plural = _("mediation files")

    def __str__(self) -> str:
        return self.title


class Proposal(models.Model):
    """Settlement terms put to both parties, who accept or counter. A counter is a new proposal
    that ``replaces`` the one it answers."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted by both parties")
        COUNTERED = "countered", _("Countered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="proposals")
    number = models.PositiveSmallIntegerField()
    side = models.CharField(max_length=16, choices=Side.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    items = models.JSONField(help_text=_("Numbered terms: description and amount in yuan."))
    note = models.TextField(blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="counters"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    settlement_talk = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="mediation_proposal_number"),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="open"),
                name="mediation_one_open_proposal",
            ),
        ]
        verbose_name = _("settlement proposal")
        verbose_name_plural = _("settlement proposals")

    def __str__(self) -> str:
        return f"{self.case_id}#{self.number}"


class ProposalResponse(models.Model):
    class Answer(models.TextChoices):
        ACCEPT = "accept", _("Accept")
        COUNTER = "counter", _("Counter")
        REJECT = "reject", _("Reject")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="responses")
    party = models.ForeignKey(MediationParty, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=16, choices=Answer.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "party"], name="mediation_one_answer_per_party"
            ),
        ]
        verbose_name = _("answer to a proposal")
        verbose_name_plural = _("answers to proposals")

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.party_id} {self.answer}"
