"""Background work and the channel layer run on Redis when configured, in-process otherwise."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings

from zhongcai.core.tasks import ping


def test_the_channel_layer_carries_a_message():
    layer = get_channel_layer()
    expected = "RedisChannelLayer" if settings.REDIS_URL else "InMemoryChannelLayer"
    assert type(layer).__name__ == expected

    async def roundtrip():
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "test.message", "text": "仲裁"})
        return await layer.receive(channel)

    assert async_to_sync(roundtrip)()["text"] == "仲裁"


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="eager only without Redis")
def test_tasks_run_eagerly_in_the_embedded_default():
    assert ping.delay().get(timeout=1) == "pong"


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")
def test_tasks_run_on_a_celery_worker_over_redis():
    from celery.contrib.testing.worker import start_worker

    from zhongcai.celery import app

    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        assert ping.delay().get(timeout=20) == "pong"
