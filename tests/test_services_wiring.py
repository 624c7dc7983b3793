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


def test_the_embedded_default_runs_tasks_in_process():
    from zhongcai.settings import base

    assert base.CELERY_TASK_ALWAYS_EAGER is (not base.REDIS_URL)
    assert ping.delay().get(timeout=1) == "pong"


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")
def test_tasks_run_on_a_celery_worker_over_redis():
    from celery.contrib.testing.worker import start_worker

    from zhongcai.celery import app

    app.conf.task_always_eager = False  # through the broker, not in this process
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            result = ping.delay()
            assert result.get(timeout=20) == "pong"
            assert result.state == "SUCCESS"
    finally:
        app.conf.task_always_eager = True
