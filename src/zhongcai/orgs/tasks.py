"""Celery tasks of the orgs app: thin wrappers around the services."""

from celery import shared_task

from . import person_import


@shared_task
def person_import_run(pk: int) -> str:
    """Check (and import) an uploaded sheet of people; eager in the embedded default."""
    return person_import.run(pk).status
