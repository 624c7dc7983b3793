from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from zhongcai.accounts.models import Role, User
from zhongcai.appointments.models import Purpose, Slot
from zhongcai.cases.tribunal import commission_of

# Thursday 25 September 2025, 09:00 in Jinan: Friday 26th works, Saturday 27th rests, Sunday
# 28th is a make-up working day (调休上班), 1–8 October is the National Day holiday.
NOW = "2025-09-25 09:00 +0800"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def lixia(lixia_intake):
    return commission_of(lixia_intake)


@pytest.fixture
def make_slot(lixia_intake, lixia):
    def _make(*, starts_at=None, capacity=2, commission=None, **extra):
        starts_at = starts_at or timezone.now() + timedelta(days=1)
        return Slot.objects.create(
            commission=commission or lixia,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            capacity=capacity,
            purpose=extra.pop("purpose", Purpose.CONSULT),
            published_by=lixia_intake,
            **extra,
        )

    return _make


def at(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def other_worker(province):
    return User.objects.create(
        username="worker_other", role=Role.WORKER, real_name="赵敏", mobile="13900000001"
    )
