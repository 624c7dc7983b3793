"""How a delivery leaves the platform: one adapter per channel, each ``send(delivery) -> None``
raising on failure (the caller records the error and retries later).

E-mail goes through Django's ``send_mail`` and so through ``EMAIL_BACKEND`` (the embedded default
prints to the console; tests use the in-memory outbox).

SMS goes through the gateway named by the setting ``NOTIFICATIONS_SMS_GATEWAY`` (a dotted path to
a class built without arguments). The embedded default, ``LogSmsGateway``, sends nothing outside:
it writes the message to the log and the ``Delivery`` row is the record of it. A real gateway
(a carrier's or a government SMS platform's API) is a class with the same ``send`` method that
raises when the gateway refuses or cannot be reached; name it in ``NOTIFICATIONS_SMS_GATEWAY``.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from .models import Delivery

logger = logging.getLogger("zhongcai.notifications.sms")

SMS_MAX_CHARS = 140


class Sender(Protocol):
    def send(self, delivery: Delivery) -> None: ...


def absolute(link: str) -> str:
    """A relative link made absolute for messages read outside the platform."""
    base = str(getattr(settings, "NOTIFICATIONS_SITE_URL", "")).rstrip("/")
    if not link or link.startswith(("http://", "https://")):
        return link
    return f"{base}{link}" if base else link


class EmailSender:
    def send(self, delivery: Delivery) -> None:
        notification = delivery.notification
        lines = [notification.body, absolute(notification.link)]
        send_mail(
            subject=notification.title,
            message="\n\n".join(line for line in lines if line),
            from_email=None,  # DEFAULT_FROM_EMAIL
            recipient_list=[delivery.address],
            fail_silently=False,
        )


def sms_text(delivery: Delivery) -> str:
    notification = delivery.notification
    text = " ".join(part for part in (notification.title, absolute(notification.link)) if part)
    return text[:SMS_MAX_CHARS]


def masked(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 8 else "****"


class LogSmsGateway:
    """The embedded default: nothing leaves the machine; the log says what would have been sent."""

    def send(self, delivery: Delivery) -> None:
        logger.info(
            "SMS (not sent, log gateway) to %s: %s", masked(delivery.address), sms_text(delivery)
        )


def sender_for(channel: str) -> Sender:
    if channel == Delivery.Channel.EMAIL:
        return EmailSender()
    if channel == Delivery.Channel.SMS:
        gateway = import_string(
            getattr(
                settings,
                "NOTIFICATIONS_SMS_GATEWAY",
                "zhongcai.notifications.channels.LogSmsGateway",
            )
        )
        return gateway()
    raise ValueError(f"Unknown notification channel {channel!r}")
