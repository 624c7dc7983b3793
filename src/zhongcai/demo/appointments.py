"""Demo counter times: Lixia publishes two weeks of slots, so the booking page is not empty."""

from __future__ import annotations

from datetime import time

from django.db import transaction
from django.utils import timezone

from zhongcai.accounts.models import User
from zhongcai.appointments import services
from zhongcai.appointments.models import Purpose, Slot
from zhongcai.orgs.models import Organisation


@transaction.atomic
def load_demo_appointments() -> bool:
    """Once: 14 days of morning and afternoon counter times at Lixia's commission."""
    lixia = Organisation.objects.get(division_id="370102", type=Organisation.Type.COMMISSION)
    if Slot.objects.filter(commission=lixia).exists():
        return False
    services.slots_publish(
        by=User.objects.get(username="lixia_intake"),
        commission=lixia,
        start_date=timezone.localdate(),
        days=14,
        times=[(time(9, 0), time(10, 0)), (time(10, 0), time(11, 0)), (time(14, 30), time(15, 30))],
        capacity=5,
        purpose=Purpose.APPLY,
    )
    return True
