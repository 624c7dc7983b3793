"""A valid SMS code for a number, as if the person had received it (tests only)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhongcai.accounts.mobile_codes import MOBILE_CODE_MINUTES, _hash
from zhongcai.accounts.models import MobileCode

CODE = "246810"


def code_for(mobile: str) -> str:
    now = timezone.now()
    MobileCode.objects.create(
        mobile=mobile,
        code_hash=_hash(mobile, CODE),
        created_at=now,
        expires_at=now + timedelta(minutes=MOBILE_CODE_MINUTES),
    )
    return CODE
