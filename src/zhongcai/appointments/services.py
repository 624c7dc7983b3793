"""Publishing counter slots and booking, changing and cancelling places (网上预约).

Every place is taken or given back under a row lock on its slot (``select_for_update``), and
the slot's ``booked`` count is read and written inside that lock: two people booking the last
place at once are serialized, and the second one finds the slot full. A check constraint
(``booked <= capacity``) refuses an overbooking even if a caller forgets the lock.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import Role
from zhongcai.cases.tribunal import commission_of
from zhongcai.core.calendar import is_working_day
from zhongcai.core.events import record_event
from zhongcai.core.identifiers import validate_mobile
from zhongcai.orgs.models import Organisation

from .models import Booking, Purpose, Slot

if TYPE_CHECKING:
    from zhongcai.accounts.models import User

PUBLISHER_ROLES = frozenset({Role.INTAKE_OFFICER, Role.INSTITUTE_HEAD, Role.CLERK})
MAX_DAYS = 62
MAX_CAPACITY = 50
# Without 0/O, 1/I/L: a reference read out over the phone or copied from paper stays unambiguous.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_PREFIX = "YY"


# --- Who may ------------------------------------------------------------------------------------


def may_publish(user: User, commission: Organisation) -> bool:
    """Intake officers, heads and clerks of the commission or of its arbitration institute."""
    if not user.is_authenticated or user.is_public or user.role not in PUBLISHER_ROLES:
        return False
    own = commission_of(user)
    return own is not None and own.pk == commission.pk


def ensure_may_publish(user: User, commission: Organisation) -> None:
    if commission.type != Organisation.Type.COMMISSION or not commission.is_active:
        raise ValidationError({"commission": [_("Choose an arbitration commission.")]})
    if not may_publish(user, commission):
        raise PermissionDenied(_("Only the staff of this commission publish its counter times."))


def _ensure_public(user: User) -> None:
    if not user.is_authenticated or not user.is_public:
        raise PermissionDenied(_("Appointments are booked by the public with their own account."))


def _ensure_owner(user: User, booking: Booking) -> None:
    if booking.user_id != user.pk:
        raise PermissionDenied(_("This is not your booking."))


# --- Slots --------------------------------------------------------------------------------------


def _slot_times(
    times: Iterable[tuple[time, time]], errors: dict[str, list[str]]
) -> list[tuple[time, time]]:
    clean = sorted(set(times))
    if not clean:
        errors.setdefault("times", []).append(_("Give at least one counter time."))
    for start, end in clean:
        if end <= start:
            errors.setdefault("times", []).append(
                _("%(start)s–%(end)s ends before it starts.")
                % {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
            )
    return clean


@transaction.atomic
def slots_publish(
    *,
    by: User,
    commission: Organisation,
    start_date: date,
    days: int,
    times: Sequence[tuple[time, time]],
    capacity: int,
    purpose: str,
) -> list[Slot]:
    """Publish ``capacity`` places at each of ``times`` on every working day of ``days`` days
    from ``start_date``. Rest days (weekends, public holidays, unless a make-up working day) are
    skipped; a time already published for the purpose is left as it is. Returns the new slots.
    """
    ensure_may_publish(by, commission)
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if start_date < today:
        errors["start_date"] = [_("Slots are published for today or later, not the past.")]
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        errors["days"] = [_("Publish for 1 to %(max)d days at once.") % {"max": MAX_DAYS}]
    if isinstance(capacity, bool) or not isinstance(capacity, int):
        errors["capacity"] = [_("The number of places is a whole number.")]
    elif not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = [
            _("A slot has 1 to %(max)d places.") % {"max": MAX_CAPACITY},
        ]
    if purpose not in Purpose.values:
        errors["purpose"] = [_("Choose what the visit is for.")]
    clean_times = _slot_times(times, errors)
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    existing = set(
        Slot.objects.filter(
            commission=commission,
            purpose=purpose,
            starts_at__gte=timezone.make_aware(datetime.combine(start_date, time.min)),
        ).values_list("starts_at", flat=True)
    )
    created: list[Slot] = []
    for offset in range(days):
        day = start_date + timedelta(days=offset)
        if not is_working_day(day):
            continue
        for start, end in clean_times:
            starts_at = timezone.make_aware(datetime.combine(day, start))
            if starts_at <= now or starts_at in existing:
                continue
            slot = Slot.objects.create(
                commission=commission,
                starts_at=starts_at,
                ends_at=timezone.make_aware(datetime.combine(day, end)),
                capacity=capacity,
                purpose=purpose,
                published_by=by,
            )
            record_event(
                slot,
                "appointment.slot_published",
                actor=by,
                organisation=commission,
                payload={"capacity": capacity, "purpose": purpose},
            )
            created.append(slot)
    return created


# --- Bookings -----------------------------------------------------------------------------------


def _new_reference() -> str:
    while True:
        code = REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(6))
        if not Booking.objects.filter(reference=code).exists():
            return code


def _clean_contact(name: str, mobile: str, note: str) -> tuple[str, str, str]:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    note = (note or "").strip()
    if not name:
        errors["name"] = [_("Give the name of the person who will come.")]
    elif len(name) > 50:
        errors["name"] = [_("A name has at most 50 characters.")]
    try:
        mobile = validate_mobile(mobile or "")
    except ValidationError as exc:
        errors["mobile"] = list(exc.messages)
    if len(note) > 200:
        errors["note"] = [_("A note has at most 200 characters.")]
    if errors:
        raise ValidationError(errors)
    return name, mobile, note


def _ensure_bookable(slot: Slot, user: User) -> None:
    """On a locked slot: open, in the future, with a place left, not already booked by ``user``."""
    if slot.is_cancelled:
        raise ValidationError(_("This counter time has been withdrawn."), code="slot_cancelled")
    if slot.has_started:
        raise ValidationError(_("This counter time has passed."), code="slot_past")
    if slot.places_left <= 0:
        raise ValidationError(_("This counter time is fully booked."), code="slot_full")
    if Booking.objects.filter(slot=slot, user=user, state=Booking.State.BOOKED).exists():
        raise ValidationError(
            _("You have already booked this counter time."), code="already_booked"
        )


def _lock_slots(*pks: int) -> dict[int, Slot]:
    # Always in primary-key order: two changes between the same two slots in opposite
    # directions would otherwise wait for each other forever.
    locked = Slot.objects.select_for_update().filter(pk__in=sorted(set(pks))).order_by("pk")
    return {slot.pk: slot for slot in locked}


@transaction.atomic
def booking_make(*, by: User, slot: Slot, name: str, mobile: str, note: str = "") -> Booking:
    """Take a place at ``slot`` for a public user."""
    _ensure_public(by)
    name, mobile, note = _clean_contact(name, mobile, note)
    locked = _lock_slots(slot.pk)[slot.pk]
    _ensure_bookable(locked, by)
    locked.booked += 1
    locked.save(update_fields=["booked"])
    booking = Booking.objects.create(
        slot=locked, user=by, name=name, mobile=mobile, note=note, reference=_new_reference()
    )
    record_event(
        booking,
        "appointment.booked",
        actor=by,
        organisation=locked.commission,
        payload={"slot": locked.pk, "reference": booking.reference},
    )
    return booking


def _lock_booking(booking: Booking, slot_ids: Iterable[int]) -> Booking:
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.slot_id not in set(slot_ids):
        # Moved by a concurrent change between our read and our lock: the caller tries again.
        raise ValidationError(
            _("This booking was changed meanwhile. Please try again."), code="stale"
        )
    if locked.state != Booking.State.BOOKED:
        raise ValidationError(_("This booking is no longer active."), code="not_active")
    return locked


@transaction.atomic
def booking_change(*, by: User, booking: Booking, new_slot: Slot) -> Booking:
    """Move a booking to another counter time of the same commission: the old place is given
    back and the new one taken in one transaction, or nothing changes."""
    _ensure_public(by)
    _ensure_owner(by, booking)
    old_id = Booking.objects.values_list("slot_id", flat=True).get(pk=booking.pk)
    if old_id == new_slot.pk:
        raise ValidationError(_("Choose a different counter time."), code="same_slot")
    slots = _lock_slots(old_id, new_slot.pk)
    old, new = slots[old_id], slots[new_slot.pk]
    locked = _lock_booking(booking, [old_id])
    if old.has_started:
        raise ValidationError(_("This counter time has already begun."), code="slot_past")
    if new.commission_id != old.commission_id:
        raise ValidationError(
            _("Choose a counter time of the same commission."), code="other_commission"
        )
    _ensure_bookable(new, by)
    old.booked -= 1
    old.save(update_fields=["booked"])
    new.booked += 1
    new.save(update_fields=["booked"])
    locked.slot = new
    locked.save(update_fields=["slot"])
    record_event(
        locked,
        "appointment.changed",
        actor=by,
        organisation=new.commission,
        payload={"from_slot": old.pk, "to_slot": new.pk},
    )
    return locked


@transaction.atomic
def booking_cancel(*, by: User, booking: Booking) -> Booking:
    """Give the place back; only the person who booked, only before the counter time begins."""
    _ensure_public(by)
    _ensure_owner(by, booking)
    slot_id = Booking.objects.values_list("slot_id", flat=True).get(pk=booking.pk)
    slot = _lock_slots(slot_id)[slot_id]
    locked = _lock_booking(booking, [slot_id])
    if slot.has_started:
        raise ValidationError(_("This counter time has already begun."), code="slot_past")
    slot.booked -= 1
    slot.save(update_fields=["booked"])
    locked.state = Booking.State.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["state", "cancelled_at"])
    record_event(
        locked,
        "appointment.cancelled",
        actor=by,
        organisation=slot.commission,
        payload={"slot": slot.pk},
    )
    return locked
