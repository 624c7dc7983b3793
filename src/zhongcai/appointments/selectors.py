"""Reads that depend on who asks: a person's own bookings, a commission's day at the counter."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone

from zhongcai.orgs.models import Organisation

from .models import Booking, Slot

if TYPE_CHECKING:
    from zhongcai.accounts.models import User


def open_slots(commission: Organisation | int) -> QuerySet[Slot]:
    """Future, not withdrawn, with at least one place left."""
    return Slot.objects.filter(
        commission=commission,
        is_cancelled=False,
        starts_at__gt=timezone.now(),
        booked__lt=F("capacity"),
    ).order_by("starts_at", "pk")


def commissions_with_open_slots() -> QuerySet[Organisation]:
    ids = Slot.objects.filter(
        is_cancelled=False, starts_at__gt=timezone.now(), booked__lt=F("capacity")
    ).values("commission_id")
    return Organisation.objects.filter(
        pk__in=ids, type=Organisation.Type.COMMISSION, is_active=True
    ).order_by("division_id", "name")


def get_open_slot(pk: Any) -> Slot:
    try:
        return open_slots_any().select_related("commission").get(pk=pk)
    except (Slot.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def open_slots_any() -> QuerySet[Slot]:
    return Slot.objects.filter(
        is_cancelled=False, starts_at__gt=timezone.now(), booked__lt=F("capacity")
    )


def bookings_of(user: User) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(user=user)
        .select_related("slot__commission__commission_detail")
        .order_by("-slot__starts_at", "-pk")
    )


def get_booking_for(user: User, pk: Any) -> Booking:
    """A booking of ``user``; anyone else's answers 404, the same as a missing one."""
    try:
        return bookings_of(user).get(pk=pk)
    except (Booking.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def bookings_on(commission: Organisation, day: date) -> QuerySet[Booking]:
    first = timezone.make_aware(datetime.combine(day, time.min))
    return (
        Booking.objects.filter(
            slot__commission=commission,
            slot__starts_at__gte=first,
            slot__starts_at__lt=first + timedelta(days=1),
        )
        .select_related("slot")
        .order_by("slot__starts_at", "state", "pk")
    )


def slots_on(commission: Organisation, day: date) -> QuerySet[Slot]:
    first = timezone.make_aware(datetime.combine(day, time.min))
    return Slot.objects.filter(
        commission=commission, starts_at__gte=first, starts_at__lt=first + timedelta(days=1)
    ).order_by("starts_at", "pk")


def address_of(commission: Organisation) -> str:
    detail = getattr(commission, "commission_detail", None)
    return detail.seat_address if detail is not None else ""
