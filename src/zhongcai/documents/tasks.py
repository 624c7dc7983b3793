"""Celery tasks of the documents app: thin wrappers around the services."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def produce_rendition(rendition_id: int) -> str:
    """Make the PDF and DOCX of an issued document (documents.services.produce)."""
    from .services import produce

    return produce(rendition_id).pdf_sha256
