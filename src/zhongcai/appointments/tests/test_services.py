from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhongcai.appointments import services
from zhongcai.appointments.models import Booking, Purpose, Slot
from zhongcai.cases.tribunal import commission_of
from zhongcai.core.calendar import is_working_day
from zhongcai.core.events import events_of

pytestmark = pytest.mark.usefixtures("frozen")

MORNING = [(time(9), time(10)), (time(10), time(11))]


def _publish(by, commission, **overrides):
    arguments = {
        "start_date": date(2025, 9, 26),
        "days": 15,
        "times": MORNING,
        "capacity": 3,
        "purpose": Purpose.APPLY,
    }
    arguments.update(overrides)
    return services.slots_publish(by=by, commission=commission, **arguments)


def _codes(exc):
    return {e.code for e in exc.value.error_list} if hasattr(exc.value, "error_list") else set()


# --- Publishing ---------------------------------------------------------------------------------


def test_it_publishes_on_working_days_only(lixia_intake, lixia):
    slots = _publish(lixia_intake, lixia)
    days = sorted({timezone.localtime(s.starts_at).date() for s in slots})
    # 27 Sep (Saturday) and the National Day holiday are skipped; Sunday 28 Sep is a make-up day.
    assert days == [
        date(2025, 9, 26),
        date(2025, 9, 28),
        date(2025, 9, 29),
        date(2025, 9, 30),
        date(2025, 10, 9),
        date(2025, 10, 10),
    ]
    assert all(is_working_day(d) for d in days)
    assert len(slots) == 12
    assert all(s.capacity == 3 and s.booked == 0 for s in slots)
    assert [e.kind for e in events_of(slots[0])] == ["appointment.slot_published"]


def test_publishing_again_adds_no_duplicates(lixia_intake, lixia):
    _publish(lixia_intake, lixia)
    assert _publish(lixia_intake, lixia) == []
    assert Slot.objects.filter(commission=lixia).count() == 12


@pytest.mark.parametrize("username", ["lixia_clerk", "lixia_head"])
def test_clerk_and_head_of_the_commission_publish(username, lixia, django_user_model):
    user = django_user_model.objects.get(username=username)
    assert _publish(user, lixia, days=1)


def test_it_refuses_a_wrong_role(lixia_arbitrator, lixia):
    with pytest.raises(PermissionDenied):
        _publish(lixia_arbitrator, lixia)


def test_it_refuses_the_public(worker_demo, lixia):
    with pytest.raises(PermissionDenied):
        _publish(worker_demo, lixia)


def test_it_refuses_another_commissions_staff(licheng_intake, lixia):
    assert commission_of(licheng_intake) != lixia
    with pytest.raises(PermissionDenied):
        _publish(licheng_intake, lixia)
    assert not Slot.objects.exists()


def test_it_refuses_past_dates(lixia_intake, lixia):
    with pytest.raises(ValidationError) as exc:
        _publish(lixia_intake, lixia, start_date=date(2025, 9, 24))
    assert "start_date" in exc.value.message_dict
    assert not Slot.objects.exists()


def test_it_skips_times_already_past_today(lixia_intake, lixia):
    slots = _publish(
        lixia_intake,
        lixia,
        start_date=date(2025, 9, 25),
        days=1,
        times=[(time(8), time(9)), (time(14), time(15))],
    )
    assert [timezone.localtime(s.starts_at).hour for s in slots] == [14]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"days": 0}, "days"),
        ({"times": []}, "times"),
        ({"times": [(time(10), time(9))]}, "times"),
        ({"purpose": "party"}, "purpose"),
    ],
)
def test_it_refuses_bad_input(lixia_intake, lixia, overrides, field):
    with pytest.raises(ValidationError) as exc:
        _publish(lixia_intake, lixia, **overrides)
    assert field in exc.value.message_dict
    assert not Slot.objects.exists()


# --- Booking ------------------------------------------------------------------------------------


def _book(user, slot, mobile="13800000000"):
    return services.booking_make(by=user, slot=slot, name="王小明", mobile=mobile, note="工资")


def test_it_books_a_place(worker_demo, make_slot):
    slot = make_slot()
    booking = _book(worker_demo, slot)
    slot.refresh_from_db()
    assert slot.booked == 1
    assert booking.state == Booking.State.BOOKED
    assert booking.reference.startswith("YY") and len(booking.reference) == 8
    assert [e.kind for e in events_of(booking)] == ["appointment.booked"]


def test_it_normalises_the_mobile(worker_demo, make_slot):
    booking = _book(worker_demo, make_slot(), mobile="+86 138-0000-0000")
    assert booking.mobile == "13800000000"


def test_it_refuses_a_full_slot(worker_demo, other_worker, make_slot):
    slot = make_slot(capacity=1)
    _book(worker_demo, slot)
    with pytest.raises(ValidationError) as exc:
        _book(other_worker, slot)
    assert _codes(exc) == {"slot_full"}
    slot.refresh_from_db()
    assert slot.booked == 1
    assert Booking.objects.filter(slot=slot).count() == 1


def test_it_refuses_a_past_slot(worker_demo, make_slot):
    slot = make_slot(starts_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError) as exc:
        _book(worker_demo, slot)
    assert _codes(exc) == {"slot_past"}


def test_it_refuses_a_withdrawn_slot(worker_demo, make_slot):
    with pytest.raises(ValidationError) as exc:
        _book(worker_demo, make_slot(is_cancelled=True))
    assert _codes(exc) == {"slot_cancelled"}


@pytest.mark.parametrize("mobile", ["1234", "12800000000", "138000000001", ""])
def test_it_refuses_a_bad_mobile(worker_demo, make_slot, mobile):
    slot = make_slot()
    with pytest.raises(ValidationError) as exc:
        _book(worker_demo, slot, mobile=mobile)
    assert "mobile" in exc.value.message_dict
    assert not Booking.objects.exists()


def test_it_refuses_a_second_booking_of_the_same_slot(worker_demo, make_slot):
    slot = make_slot(capacity=5)
    _book(worker_demo, slot)
    with pytest.raises(ValidationError) as exc:
        _book(worker_demo, slot)
    assert _codes(exc) == {"already_booked"}
    slot.refresh_from_db()
    assert slot.booked == 1


def test_staff_cannot_book(lixia_intake, make_slot):
    with pytest.raises(PermissionDenied):
        _book(lixia_intake, make_slot())


# --- Changing and cancelling --------------------------------------------------------------------


def test_it_moves_a_booking(worker_demo, make_slot):
    old, new = make_slot(), make_slot(starts_at=timezone.now() + timedelta(days=2))
    booking = _book(worker_demo, old)
    services.booking_change(by=worker_demo, booking=booking, new_slot=new)
    old.refresh_from_db()
    new.refresh_from_db()
    booking.refresh_from_db()
    assert (old.booked, new.booked, booking.slot_id) == (0, 1, new.pk)
    assert [e.kind for e in events_of(booking)] == ["appointment.booked", "appointment.changed"]


def test_it_refuses_a_move_to_a_full_slot_and_changes_nothing(worker_demo, other_worker, make_slot):
    old, new = make_slot(), make_slot(starts_at=timezone.now() + timedelta(days=2), capacity=1)
    booking = _book(worker_demo, old)
    _book(other_worker, new)
    with pytest.raises(ValidationError) as exc:
        services.booking_change(by=worker_demo, booking=booking, new_slot=new)
    assert _codes(exc) == {"slot_full"}
    old.refresh_from_db()
    booking.refresh_from_db()
    assert (old.booked, booking.slot_id) == (1, old.pk)


def test_only_the_owner_changes_or_cancels(worker_demo, other_worker, make_slot):
    booking = _book(worker_demo, make_slot())
    with pytest.raises(PermissionDenied):
        services.booking_cancel(by=other_worker, booking=booking)
    with pytest.raises(PermissionDenied):
        services.booking_change(
            by=other_worker,
            booking=booking,
            new_slot=make_slot(starts_at=timezone.now() + timedelta(days=3)),
        )
    booking.refresh_from_db()
    assert booking.state == Booking.State.BOOKED


def test_it_cancels_and_frees_the_place(worker_demo, other_worker, make_slot):
    slot = make_slot(capacity=1)
    booking = _book(worker_demo, slot)
    services.booking_cancel(by=worker_demo, booking=booking)
    booking.refresh_from_db()
    slot.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED and booking.cancelled_at is not None
    assert slot.booked == 0
    _book(other_worker, slot)
    # and the same person may book again once their booking is cancelled
    with pytest.raises(ValidationError):
        _book(worker_demo, slot)  # full again, not a constraint error


def test_it_refuses_cancelling_twice(worker_demo, make_slot):
    booking = _book(worker_demo, make_slot())
    services.booking_cancel(by=worker_demo, booking=booking)
    with pytest.raises(ValidationError) as exc:
        services.booking_cancel(by=worker_demo, booking=booking)
    assert _codes(exc) == {"not_active"}


def test_it_refuses_cancel_or_change_after_the_start(worker_demo, make_slot):
    slot = make_slot(starts_at=timezone.now() + timedelta(hours=1))
    later = make_slot(starts_at=timezone.now() + timedelta(days=2))
    booking = _book(worker_demo, slot)
    import time_machine

    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        with pytest.raises(ValidationError) as exc:
            services.booking_cancel(by=worker_demo, booking=booking)
        assert _codes(exc) == {"slot_past"}
        with pytest.raises(ValidationError) as exc:
            services.booking_change(by=worker_demo, booking=booking, new_slot=later)
        assert _codes(exc) == {"slot_past"}
    slot.refresh_from_db()
    assert slot.booked == 1
