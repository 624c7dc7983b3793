"""Celery tasks of the notifications app: thin wrappers around the services."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from . import services
from .models import Delivery


@shared_task(bind=True)
def send_delivery(self: Any, delivery_id: int) -> str | None:
    """Send one e-mail or SMS; on failure try again with backoff, up to the maximum attempts.

    Run in the calling process (the embedded default), a failure waits for ``retry_pending``
    instead of retrying on the spot."""
    delivery = services.delivery_send(delivery_id)
    if delivery is None:
        return None
    if (
        delivery.state == Delivery.State.FAILED
        and delivery.attempts < services.max_attempts()
        and not self.request.is_eager
    ):
        raise self.retry(
            countdown=services.backoff(delivery.attempts).total_seconds(),
            max_retries=services.max_attempts(),
        )
    return str(delivery.state)


@shared_task
def retry_pending() -> int:
    """Periodic (CELERY_BEAT_SCHEDULE): send again the deliveries that failed or never left."""
    return services.retry_pending()
