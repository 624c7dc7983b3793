"""Notifications: the in-app inbox, always, and e-mail and SMS through the outbox.

``notify`` writes the inbox row and one ``Delivery`` per outside channel in the caller's
transaction, and hands the deliveries to Celery only once that transaction commits: a step that
rolls back sends nothing. ``delivery_send`` sends one delivery under a row lock, so a delivery is
never sent twice however often the task runs; a failure is recorded and retried with backoff
(``retry_pending``) until ``NOTIFICATIONS_MAX_ATTEMPTS``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .channels import sender_for
from .models import Delivery, Notification

if TYPE_CHECKING:
    from zhongcai.accounts.models import User
    from zhongcai.cases.models import Case

logger = logging.getLogger(__name__)

DEFAULT_CHANNELS = (Delivery.Channel.EMAIL, Delivery.Channel.SMS)


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 5))


def backoff(attempts: int) -> timedelta:
    """How long after its last attempt a failed delivery is tried again: doubling each time."""
    base = int(getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF_SECONDS", 60))
    return timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def address_of(user: User, channel: str) -> str:
    if channel == Delivery.Channel.EMAIL:
        return (user.email or "").strip()
    if channel == Delivery.Channel.SMS:
        return (user.mobile or "").strip()
    return ""


def notify(
    user: User,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    case: Case | None = None,
    channels: Iterable[str] = DEFAULT_CHANNELS,
    key: str | None = None,
) -> Notification:
    """Tell ``user`` something: in the inbox now, by e-mail and SMS after the commit.

    Only the channels the user has an address for get a delivery. With ``key``, a second call
    with the same key changes nothing and returns the first notification (a retried step, a hook
    that runs twice).
    """
    if key:
        existing = Notification.objects.filter(key=key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=user,
                kind=kind,
                title=title[:200],
                body=body,
                link=link,
                case=case,
                key=key or None,
            )
    except IntegrityError:
        # Another transaction wrote the same key between our look-up and our insert.
        if not key:
            raise
        return Notification.objects.get(key=key)
    stem = key or f"notification-{notification.pk}"
    for channel in dict.fromkeys(channels):
        address = address_of(user, channel)
        if not address:
            continue
        delivery = Delivery.objects.create(
            notification=notification,
            channel=channel,
            address=address,
            idempotency_key=f"{stem}:{channel}",
        )
        transaction.on_commit(partial(_enqueue, delivery.pk))
    return notification


def _enqueue(delivery_id: int) -> None:
    from .tasks import send_delivery

    try:
        send_delivery.delay(delivery_id)
    except Exception:  # a broker outage must not fail the committed step
        # ``retry_pending`` picks the delivery up later.
        logger.exception("Could not queue notification delivery %s", delivery_id)


def delivery_send(delivery_id: int) -> Delivery | None:
    """Send one delivery unless it was sent already or has used up its attempts.

    The row stays locked while it is sent: a second run of the task waits, then finds it sent.
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("notification")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.state == Delivery.State.SENT:
            return delivery
        if delivery.attempts >= max_attempts():
            return delivery
        now = timezone.now()
        delivery.attempts += 1
        delivery.attempted_at = now
        try:
            sender_for(delivery.channel).send(delivery)
        except Exception as exc:  # any gateway failure is recorded and retried
            delivery.state = Delivery.State.FAILED
            delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            logger.warning(
                "Notification delivery %s (%s) failed, attempt %s: %s",
                delivery.pk,
                delivery.channel,
                delivery.attempts,
                delivery.last_error,
            )
        else:
            delivery.state = Delivery.State.SENT
            delivery.sent_at = now
            delivery.last_error = ""
        delivery.save(update_fields=["attempts", "attempted_at", "state", "last_error", "sent_at"])
        return delivery


def deliveries_due(*, limit: int = 500) -> list[int]:
    """Deliveries to try again now: failed ones whose backoff is over, and pending ones that
    never left (the broker was down at commit) after a minute."""
    now = timezone.now()
    due = []
    candidates = Delivery.objects.filter(
        state__in=[Delivery.State.PENDING, Delivery.State.FAILED], attempts__lt=max_attempts()
    ).order_by("pk")
    for pk, attempts, attempted_at, created_at in candidates.values_list(
        "pk", "attempts", "attempted_at", "created_at"
    ):
        last = attempted_at or created_at
        if last + backoff(attempts) <= now:
            due.append(pk)
        if len(due) >= limit:
            break
    return due


def retry_pending() -> int:
    """Send again what is due (``deliveries_due``); returns how many were sent now."""
    sent = 0
    for pk in deliveries_due():
        delivery = delivery_send(pk)
        if delivery is not None and delivery.state == Delivery.State.SENT:
            sent += 1
    return sent


@transaction.atomic
def notification_mark_read(*, by: User, notification: Notification) -> Notification:
    if notification.recipient_id != by.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, by: User) -> int:
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )
