"""Issuing a case document: the content of record, numbered, in its volume, hashed.

Called by the service of the step that issues the document, inside its transaction; the step's
event names the document (``"document": id``). Rendering with seals is the documents app's job.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from zhongcai.accounts.models import User

from .models import Case, CaseDocument, DecisionKind, DocumentKind, Volume

# 办案规则 arts. 21–22: what goes to the secondary volume (副卷); everything else is main.
SECONDARY_KINDS = frozenset(
    {
        DocumentKind.APPROVAL_FORM,
        DocumentKind.FILING_APPROVAL,
        DocumentKind.DELIBERATION_RECORD,
        DocumentKind.CLOSING_APPROVAL,
    }
)


def sha256_of(file: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def document_issue(
    *,
    case: Case,
    kind: DocumentKind,
    title: str,
    by: User | None,
    body: str = "",
    data: dict[str, Any] | None = None,
    decision_kind: DecisionKind | str = "",
    file: UploadedFile | None = None,
    template: str | None = None,
    number: str = "",
) -> CaseDocument:
    """Write the document of record. The caller holds the case lock and writes the event.

    A document the catalogue has a template for (``documents.catalogue``; ``template`` names
    one when the kind alone does not) gets its content frozen now, in the caller's transaction,
    and its PDF and DOCX made once the step has committed. A template that cannot be rendered
    refuses the step: nothing is issued half-made. ``number``: the document's own number where
    it has one (a receipt's); templates otherwise print the case number.
    """
    document = CaseDocument(
        case=case,
        kind=kind,
        decision_kind=decision_kind,
        title=title,
        number=number,
        body=body,
        data=data or {},
        volume=Volume.SECONDARY if kind in SECONDARY_KINDS else Volume.MAIN,
        issued_at=timezone.now(),
        issued_by=by,
    )
    if file is not None:
        document.sha256 = sha256_of(file)
        document.file = file
    elif body:
        document.sha256 = hashlib.sha256(body.encode("utf-8")).hexdigest()
    document.save()
    if file is None:
        _freeze(document, template)
    return document


def _freeze(document: CaseDocument, template: str | None) -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from zhongcai.documents.compose import TemplateProblem, UncoveredCharacters, freeze
    from zhongcai.documents.services import schedule_production

    try:
        rendition = freeze(document, template)
    except UncoveredCharacters as exc:
        raise ValidationError(
            _(
                "The document cannot show %(characters)s: the document fonts lack it. Ask the "
                "administrator to add a font that has it (DOCUMENTS_EXTRA_FONTS), then try again."
            )
            % {"characters": "、".join(f"“{c}”" for c in exc.characters)}
        ) from exc
    except TemplateProblem as exc:
        raise ValidationError(
            _("The document template %(template)s cannot be used: %(problem)s")
            % {"template": template or document.kind, "problem": exc}
        ) from exc
    if rendition is not None:
        schedule_production(rendition)
