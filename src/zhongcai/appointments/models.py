"""Counter time slots a commission publishes and the bookings the public makes (网上预约).

Rows are written only by ``zhongcai.appointments.services``; a booking is never deleted, only
cancelled (history is kept).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    APPLY = "apply", _("Apply for arbitration")
    CONSULT = "consult", _("Consultation")
    SUBMIT_MATERIALS = "submit_materials", _("Submit materials")


class Slot(models.Model):
    """A counter time at a commission with a number of places.

    ``booked`` is the number of active bookings, kept by the services under a row lock on the
    slot, so that reading it and taking a place is one step: capacity is never exceeded.
    """

    commission = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="appointment_slots",
        limit_choices_to={"type": "commission"},
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    booked = models.PositiveSmallIntegerField(_("places taken"), default=0)
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)

    SCOPE_ORG_FIELD = "commission"

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="slot_capacity_min"),
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["commission", "starts_at", "purpose"], name="slot_unique_time"
            ),
        ]
        indexes = [models.Index(fields=["commission", "starts_at"], name="slot_commission_start")]
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")

    def __str__(self) -> str:
        return f"{self.commission_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def places_left(self) -> int:
        return self.capacity - self.booked

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


class Booking(models.Model):
    class State(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointment_bookings"
    )
    name = models.CharField(_("name"), max_length=50)
    mobile = models.CharField(_("mobile number"), max_length=11)
    note = models.CharField(_("note"), max_length=200, blank=True)
    reference = models.CharField(_("reference code"), max_length=8, unique=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.BOOKED)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            # One active booking per person per slot; cancelled ones stay as history.
            models.UniqueConstraint(
                fields=["slot", "user"],
                condition=models.Q(state="booked"),
                name="booking_one_active_per_user_slot",
            ),
        ]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return self.reference
