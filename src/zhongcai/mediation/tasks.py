"""Celery tasks of the mediation app: thin wrappers around the services."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from . import services


@shared_task
def expire_due_mediations() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): mediations past their 15 days without agreement are
    deemed failed (LDMAL art. 14). The failure reason is written in the platform's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return len(services.mediation_expire_due(timezone.localdate()))
