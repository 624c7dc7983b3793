"""Serving an issued document's files, for the staff pages and the API alike.

The caller has fetched the document through the case scope (another county: 404). A document
with a rendition serves its PDF or DOCX, produced first if the production task has not run yet
(``services.produce``: once, so every later download is the same bytes). A document without a
rendition (a party's upload) serves the uploaded file as it was received.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404

from zhongcai.accounts.models import User
from zhongcai.cases.models import CaseDocument

from .models import Rendition
from .services import produce

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def rendition_of(document: CaseDocument) -> Rendition | None:
    try:
        return document.rendition  # type: ignore[attr-defined,no-any-return]
    except ObjectDoesNotExist:
        return None


def formats_of(document: CaseDocument) -> tuple[str, ...]:
    """The formats a document can be downloaded in: both for a rendition, "pdf" (the uploaded
    file, whatever its type) for an upload, none for a text-only record."""
    if rendition_of(document) is not None:
        return ("pdf", "docx")
    return ("pdf",) if document.file else ()


def formats_for(user: User, document: CaseDocument) -> tuple[str, ...]:
    """What ``user`` may download ``document`` as: the editable, unsealed Word file is the
    office's working copy; a party gets the sealed PDF."""
    formats = formats_of(document)
    return tuple(f for f in formats if f == "pdf") if user.is_public else formats


def download_name(document: CaseDocument, suffix: str) -> str:
    """ "济历下劳人仲案字〔2026〕第12号 受理通知书.pdf" (sent as RFC 5987 ``filename*``)."""
    number = document.case.case_number
    name = f"{number} {document.title}" if number else document.title
    return (_UNSAFE.sub(" ", name).strip() or "document") + suffix


def document_file_response(document: CaseDocument, fmt: str) -> FileResponse:
    if fmt not in formats_of(document):
        raise Http404
    rendition = rendition_of(document)
    if rendition is None:
        suffix = PurePosixPath(document.file.name).suffix.lower() or ".pdf"
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=download_name(document, suffix),
        )
    if rendition.produced_at is None:
        rendition = produce(rendition.pk)
    stored = rendition.pdf if fmt == "pdf" else rendition.docx
    if not stored:
        raise Http404
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=download_name(document, f".{fmt}"),
        content_type=CONTENT_TYPES[fmt],
    )
