"""Two people booking the last place at the same moment: exactly one gets it."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from zhongcai.accounts.models import Role, User
from zhongcai.appointments import services
from zhongcai.appointments.models import Booking, Purpose, Slot
from zhongcai.cases.tribunal import commission_of


def _race(*actions):
    barrier = threading.Barrier(len(actions))
    outcomes = []

    def run(action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.code or "ValidationError")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def _slot(capacity):
    intake = User.objects.get(username="lixia_intake")
    starts_at = timezone.now() + timedelta(days=1)
    return Slot.objects.create(
        commission=commission_of(intake),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        capacity=capacity,
        purpose=Purpose.CONSULT,
        published_by=intake,
    )


def _book(user, slot):
    return lambda: services.booking_make(
        by=user, slot=Slot.objects.get(pk=slot.pk), name=str(user), mobile="13800000000"
    )


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="needs a server database with row locks (CI: PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_people_booking_the_last_place_at_once_one_succeeds(worker_demo):
    other = User.objects.create(username="worker_race", role=Role.WORKER, mobile="13900000002")
    slot = _slot(capacity=2)
    services.booking_make(
        by=User.objects.create(username="worker_first", role=Role.WORKER, mobile="13900000003"),
        slot=slot,
        name="先到",
        mobile="13900000003",
    )

    assert _race(_book(worker_demo, slot), _book(other, slot)) == ["ok", "slot_full"]
    slot.refresh_from_db()
    assert slot.booked == slot.capacity == 2
    assert Booking.objects.filter(slot=slot, state=Booking.State.BOOKED).count() == 2


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="needs a server database with row locks (CI: PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_crossing_changes_do_not_deadlock_or_overbook(worker_demo):
    other = User.objects.create(username="worker_race", role=Role.WORKER, mobile="13900000002")
    first, second = _slot(capacity=1), _slot(capacity=1)
    Slot.objects.filter(pk=second.pk).update(
        starts_at=first.starts_at + timedelta(hours=1), ends_at=first.ends_at + timedelta(hours=1)
    )
    mine = services.booking_make(by=worker_demo, slot=first, name="甲", mobile="13800000000")
    theirs = services.booking_make(by=other, slot=second, name="乙", mobile="13900000002")

    def move(user, booking, to):
        return lambda: services.booking_change(
            by=user, booking=Booking.objects.get(pk=booking.pk), new_slot=Slot.objects.get(pk=to.pk)
        )

    # Each wants the other's full slot: both are refused, neither waits forever.
    assert _race(move(worker_demo, mine, second), move(other, theirs, first)) == [
        "slot_full",
        "slot_full",
    ]
    assert [s.booked for s in Slot.objects.filter(pk__in=[first.pk, second.pk])] == [1, 1]
