"""Arbitration commissions and mediation organisations as the register keeps them.

A commission, its arbitration institute (仲裁院) and a mediation organisation are ``Organisation``
rows in the tree (data scope); the facts below hang on them. Rows are written only by
``zhongcai.orgs.institutions``; an ended member, a closed tribunal or room is kept, marked
inactive (history is never deleted).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .tree import Organisation


class CommissionDetail(models.Model):
    """What the register keeps about an arbitration commission beyond its place in the tree.

    The commission's level (province, city, county) is the level of its division.
    """

    commission = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="commission_detail"
    )
    seat_address = models.CharField(_("seat"), max_length=200, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG_FIELD = "commission"

    class Meta:
        verbose_name = _("commission details")
        verbose_name_plural = _("commission details")

    def __str__(self) -> str:
        return str(self.commission_id)


class CommissionMember(models.Model):
    """A member of the commission (组织规则 art. 5–6; LDMAL art. 19).

    The commission has one chair, vice-chairs and members; their number is odd.
    """

    class Category(models.TextChoices):
        LABOR_ADMINISTRATION = "labor_administration", _("Labor administration")
        CADRE_MANAGEMENT = "cadre_management", _("Cadre management department")
        OTHER_ADMINISTRATION = "other_administration", _("Other administrative department")
        MILITARY_CIVILIAN = "military_civilian", _("Military civilian-staff department")
        UNION = "union", _("Trade union")
        EMPLOYER = "employer", _("Employer side")

    class Position(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        MEMBER = "member", _("Member")

    commission = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="commission_members"
    )
    name = models.CharField(_("name"), max_length=50)
    category = models.CharField(_("represents"), max_length=32, choices=Category.choices)
    position = models.CharField(_("position"), max_length=16, choices=Position.choices)
    unit = models.CharField(_("unit and post"), max_length=100, blank=True)
    is_active = models.BooleanField(default=True)
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG_FIELD = "commission"

    class Meta:
        ordering = ["commission", "-is_active", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(position__in=["chair", "vice_chair", "member"]),
                name="commission_member_position_valid",
            ),
        ]
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")

    def __str__(self) -> str:
        return self.name


class Tribunal(models.Model):
    """A tribunal of the commission: at its seat, resident, circuit or mobile (组织规则 art. 12)."""

    class Kind(models.TextChoices):
        SEAT = "seat", _("Tribunal at the seat")
        RESIDENT = "resident", _("Resident tribunal")
        CIRCUIT = "circuit", _("Circuit tribunal")
        MOBILE = "mobile", _("Mobile tribunal")

    commission = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tribunals")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG_FIELD = "commission"

    class Meta:
        ordering = ["commission", "-is_active", "kind", "name"]
        verbose_name = _("tribunal")
        verbose_name_plural = _("tribunals")

    def __str__(self) -> str:
        return self.name


class HearingRoom(models.Model):
    """A hearing room (组织规则 arts. 16–17: emblem, rules on display, recording equipment)."""

    commission = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="hearing_rooms"
    )
    tribunal = models.ForeignKey(
        Tribunal, null=True, blank=True, on_delete=models.SET_NULL, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), null=True, blank=True)
    has_recording = models.BooleanField(_("audio and video recording"), default=False)
    has_online_hearing = models.BooleanField(_("equipped for online hearings"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG_FIELD = "commission"

    class Meta:
        ordering = ["commission", "-is_active", "name"]
        verbose_name = _("hearing room")
        verbose_name_plural = _("hearing rooms")

    def __str__(self) -> str:
        return self.name


class MediationDetail(models.Model):
    """What kind of mediation organisation it is and the area it serves (LDMAL art. 10)."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise labor-dispute mediation committee")
        TOWNSHIP = "township", _("Township or street mediation organisation")
        REGIONAL = "regional", _("Regional mediation organisation")
        INDUSTRY = "industry", _("Industry mediation organisation")
        ARBITRATION_CENTRE = "arbitration_centre", _("Mediation centre of an arbitration institute")
        OTHER = "other", _("Other mediation organisation")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="mediation_detail"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    area = models.CharField(
        _("area served"),
        max_length=200,
        blank=True,
        help_text=_("The streets, parks, industry or enterprise it serves."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG_FIELD = "organisation"

    class Meta:
        verbose_name = _("mediation organisation details")
        verbose_name_plural = _("mediation organisation details")

    def __str__(self) -> str:
        return str(self.organisation_id)
