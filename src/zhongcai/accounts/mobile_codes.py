"""One-time SMS codes: whoever registers a mobile number proves they hold it.

The code goes out through the SMS gateway of ``notifications.channels`` (the embedded default
writes it to the log). Only a keyed hash is stored; a code lives ``MOBILE_CODE_MINUTES``, allows
``MOBILE_CODE_ATTEMPTS`` tries and is used once; sending is limited per number and per address.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.core.identifiers import validate_mobile
from zhongcai.core.ratelimit import allow

from .models import MobileCode

MOBILE_CODE_MINUTES = 10
MOBILE_CODE_ATTEMPTS = 5
SENDS_PER_HOUR = 5


@dataclass(frozen=True)
class SentCode:
    mobile: str
    expires_at: object
    plain: str  # for the SMS only; never shown on a page


def _hash(mobile: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


def _sms(mobile: str, text: str) -> None:
    """Straight to the gateway: the code must not sit in an in-app inbox, where whoever is
    logged in could read it without holding the phone."""
    from zhongcai.notifications.channels import sender_for
    from zhongcai.notifications.models import Delivery, Notification

    note = Notification(title=text)
    sender_for(Delivery.Channel.SMS).send(
        Delivery(notification=note, channel=Delivery.Channel.SMS, address=mobile)
    )


def mobile_code_send(*, mobile: str, client: str = "") -> SentCode:
    """Send a new code to ``mobile``. ValidationError (keyed ``mobile``) when the number is
    not a mobile number, or when it asked too often (once a minute, five times an hour; twenty
    numbers an hour from one address)."""
    try:
        mobile = validate_mobile(mobile)
    except ValidationError as exc:
        raise ValidationError({"mobile": exc.messages}) from None
    if (
        not allow("mobile-code-address", client, limit=SENDS_PER_HOUR * 4, seconds=3600)
        or not allow("mobile-code-minute", mobile, limit=1, seconds=60)
        or not allow("mobile-code-hour", mobile, limit=SENDS_PER_HOUR, seconds=3600)
    ):
        raise ValidationError(
            {"mobile": [_("A code was sent a moment ago. Wait a minute and ask again.")]}
        )
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    with transaction.atomic():
        sent = MobileCode.objects.create(
            mobile=mobile,
            code_hash=_hash(mobile, code),
            created_at=now,
            expires_at=now + timedelta(minutes=MOBILE_CODE_MINUTES),
        )
    _sms(
        mobile,
        _(
            "Your verification code is %(code)s (valid %(minutes)d minutes). Do not tell it to "
            "anyone. — Labor dispute arbitration platform"
        )
        % {"code": code, "minutes": MOBILE_CODE_MINUTES},
    )
    return SentCode(mobile=mobile, expires_at=sent.expires_at, plain=code)


def mobile_code_use(*, mobile: str, code: str) -> None:
    """Spend the latest code of ``mobile``; ValidationError keyed ``mobile_code`` if it is
    wrong, expired, used up or missing. Each try counts, right or wrong, and stays counted:
    call it outside any transaction of the caller's."""
    code = (code or "").strip()
    now = timezone.now()
    # Its own transaction: a wrong try is counted even when the caller's work rolls back.
    with transaction.atomic():
        latest = (
            MobileCode.objects.select_for_update()
            .filter(mobile=mobile, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if latest is None or latest.expires_at < now or latest.attempts >= MOBILE_CODE_ATTEMPTS:
            raise ValidationError(
                {"mobile_code": [_("Ask for a new code: there is none valid for this number.")]}
            )
        latest.attempts += 1
        right = bool(code) and hmac.compare_digest(latest.code_hash, _hash(mobile, code))
        if right:
            latest.used_at = now
        latest.save(update_fields=["attempts", "used_at"])
    if not right:
        raise ValidationError({"mobile_code": [_("The code is wrong. Check the SMS.")]})
