"""Celery tasks of the monitoring app: thin wrappers around the services."""

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
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


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=5, retry_backoff_max=120, max_retries=5)
def refresh_figures(case_pks: list[int] = (), mediation_pks: list[int] = ()) -> None:  # type: ignore[assignment]
    """After an event of a case is committed: its figure and its days (``figures.refresh``).
    A lock timeout or a deadlock is tried again a few times; the nightly rebuild repairs what
    still failed."""
    from . import figures

    figures.refresh(case_pks, mediation_pks)


@shared_task
def rebuild_figures() -> dict[str, int]:
    """Nightly (CELERY_BEAT_SCHEDULE): every stored figure again from the source."""
    from . import figures

    return figures.rebuild()
