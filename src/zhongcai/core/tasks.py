from celery import shared_task


@shared_task
def ping() -> str:
    """A no-op used by health checks and tests to prove that workers take work."""
    return "pong"
