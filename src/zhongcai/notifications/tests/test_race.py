"""Two workers sending the same delivery at the same moment: it leaves once."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import override_settings

from zhongcai.notifications import services
from zhongcai.notifications.models import Delivery

sent_ids: list[int] = []


class SlowGateway:
    def send(self, delivery):
        time.sleep(0.3)  # long enough for the other worker to reach the lock
        sent_ids.append(delivery.pk)


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="needs a server database with row locks (CI: PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
@override_settings(NOTIFICATIONS_SMS_GATEWAY="zhongcai.notifications.tests.test_race.SlowGateway")
def test_two_workers_sending_one_delivery_send_it_once(worker_demo):
    sent_ids.clear()
    delivery = services.notify(worker_demo, "test", "标题", channels=("sms",)).deliveries.get()
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait(timeout=10)
            services.delivery_send(delivery.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sent_ids == [delivery.pk]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 1)
