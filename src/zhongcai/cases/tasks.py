"""Celery tasks of the cases app: thin wrappers around the services."""

from celery import shared_task

from . import timers


@shared_task
def run_case_timers() -> dict[str, int]:
    """Hourly (CELERY_BEAT_SCHEDULE): overdue flags, warnings, post-award settlement."""
    report = timers.run_case_timers()
    return {"overdue": len(report.overdue), "warned": len(report.warned)}
