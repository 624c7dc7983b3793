"""Producing issued documents: the PDF (sealed, signed) and the DOCX, once, from frozen blocks.

``produce`` runs after the issuing step has committed (a Celery task; eager in the embedded
default), or on first download if the task has not run yet. It writes the files, their digests
and the event ``document.produced`` on the case, whose payload carries the PDF's SHA-256: what
``verify_document`` compares a file with. A produced rendition is never produced again, so a
template edited later leaves the issued PDF byte-identical.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from zhongcai.cases.models import Case
from zhongcai.core.events import record_event

from . import catalogue
from .markup import Block
from .models import Rendition
from .pdfcheck import missing_glyphs
from .render import to_docx, to_pdf

logger = logging.getLogger(__name__)


class RenderingError(RuntimeError):
    """The PDF came out wrong (a character without a glyph): nothing is kept or signed."""


def blocks_of(rendition: Rendition) -> list[Block]:
    return [Block.from_json(item) for item in rendition.content]


def file_stem(rendition: Rendition) -> str:
    return f"case{rendition.case_id}-doc{rendition.document_id}-{rendition.code}"


def render_files(rendition: Rendition) -> tuple[bytes, bytes]:
    """The PDF (with the seal when the template is sealed, and signed) and the DOCX."""
    from . import signing
    from .seal import data_uri, seal_png

    entry = catalogue.template(rendition.code)
    blocks = blocks_of(rendition)
    title = rendition.document.title
    commission = rendition.case.commission
    seal = data_uri(seal_png(commission)) if entry.sealed else None
    pdf = to_pdf(blocks, seal_uri=seal, title=title)
    missing = missing_glyphs(pdf)
    if missing:
        # A box where a name should be is worse than no document: refuse, loudly.
        raise RenderingError(
            f"document {rendition.document_id}: no glyph for {''.join(sorted(set(missing)))!r}"
        )
    if entry.sealed:
        pdf = signing.sign_pdf(pdf, commission, reason=f"{entry.title} {rendition.document.number}")
    return pdf, to_docx(blocks, title=title)


def produce(rendition_id: int) -> Rendition:
    """Make and keep the files of an issued document, once (idempotent, safe to race)."""
    with transaction.atomic():
        rendition = Rendition.objects.select_related("document", "case").get(pk=rendition_id)
        if rendition.produced_at is not None:
            return rendition
    pdf, docx = render_files(rendition)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=rendition.case_id)
        locked = Rendition.objects.select_for_update().get(pk=rendition_id)
        if locked.produced_at is not None:  # another worker was first
            return locked
        stem = file_stem(locked)
        locked.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        locked.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        locked.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        locked.docx_sha256 = hashlib.sha256(docx).hexdigest()
        locked.signed = catalogue.template(locked.code).sealed
        locked.produced_at = timezone.now()
        locked.save()
        record_event(
            case,
            "document.produced",
            actor=None,
            organisation=case.commission,
            payload={
                "document": locked.document_id,
                "rendition": locked.pk,
                "template": locked.code,
                "version": locked.template.version,
                "content_sha256": locked.content_sha256,
                "pdf_sha256": locked.pdf_sha256,
                "docx_sha256": locked.docx_sha256,
                "signed": locked.signed,
            },
        )
        return locked


def schedule_production(rendition: Rendition) -> None:
    """After the issuing step commits, produce the files (a task; eager when so configured)."""
    from .tasks import produce_rendition

    rendition_id = rendition.pk
    transaction.on_commit(lambda: produce_rendition.delay(rendition_id))
