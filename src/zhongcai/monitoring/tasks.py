"""Celery tasks of the monitoring app: thin wrappers around the services."""

from celery import shared_task
from django.conf import settings
from django.utils import translation

from . import warnings


@shared_task
def run_warnings() -> dict[str, int]:
    """Hourly (CELERY_BEAT_SCHEDULE): run every warning rule; the reasons are written in the
    platform's language."""
    with translation.override(settings.LANGUAGE_CODE):
        reports = warnings.run_rules()
    return {
        "raised": sum(len(r.raised) for r in reports),
        "updated": sum(len(r.updated) for r in reports),
        "resolved": sum(len(r.resolved) for r in reports),
    }
