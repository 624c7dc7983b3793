"""An SMS gateway that keeps what it was given, for tests that read the message."""

from __future__ import annotations

from typing import ClassVar

from zhongcai.notifications.channels import sms_text
from zhongcai.notifications.models import Delivery


class MemorySmsGateway:
    sent: ClassVar[list[tuple[str, str]]] = []

    def send(self, delivery: Delivery) -> None:
        self.sent.append((delivery.address, sms_text(delivery)))
