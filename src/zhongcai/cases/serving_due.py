"""What must be served, and service on issue (spec §5.1; issue 5 point 6).

The catalogue says whom each document is served on (``documents.catalogue.Served``). After a
step, ``workflow.transition`` serves what the step issued electronically, at once, on the
parties who consented to electronic service at a confirmed address (``serve_on_issue``); the
rest is listed per party for the clerk to serve by post or in person (``documents_to_serve``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet

from zhongcai.accounts.models import User
from zhongcai.core.events import record_event
from zhongcai.documents.catalogue import CATALOGUE, Served, template, template_for

from .models import Case, CaseDocument, Party, ServiceAddress
from .serving import M, _collect_then, serve_record


def served_on(document: CaseDocument) -> Served:
    """Whom the catalogue says ``document`` is served on: the entry its content was frozen
    from, or, for a document issued before the catalogue, the entry of its kind."""
    try:
        return template(document.rendition.code).served  # type: ignore[attr-defined]
    except (ObjectDoesNotExist, KeyError):
        pass
    variant = document.decision_kind or document.data.get("variant", "")
    entry = template_for(document.kind, variant) or next(
        (e for e in CATALOGUE if e.source == "issued" and e.kind == document.kind), None
    )
    return entry.served if entry else Served.NONE


def addressees(document: CaseDocument, parties: list[Party]) -> list[Party]:
    """The parties ``document`` must be served on, of ``parties`` (the case's)."""
    served = served_on(document)
    if served == Served.APPLICANTS:
        return [p for p in parties if p.role == Party.Role.APPLICANT]
    if served == Served.RESPONDENTS:
        return [p for p in parties if p.role == Party.Role.RESPONDENT]
    if served == Served.PARTIES:
        return list(parties)
    if served == Served.ADDRESSEE:
        # The party the document names. One issued for several at once (the 应诉通知书 of a
        # step that serves it itself) names none: its step chose and served its addressees.
        named = document.data.get("parties") or [document.data.get("party")]
        wanted = {pk for pk in named if isinstance(pk, int)}
        return [p for p in parties if p.pk in wanted]
    return []


def pending_service(
    documents: Iterable[CaseDocument], parties: list[Party], served: set[tuple[int, int]]
) -> list[tuple[CaseDocument, Party]]:
    """(document, party) of ``documents`` that must be served on one of ``parties`` and are not
    in ``served`` (pairs of document and party ids that have a service record)."""
    return [
        (document, party)
        for document in documents
        for party in addressees(document, parties)
        if (document.pk, party.pk) not in served
    ]


def documents_to_serve(case: Case) -> list[tuple[CaseDocument, Party]]:
    """(document, party) for each issued document that must be served on the party and has no
    service record for it yet, oldest first (three queries)."""
    documents = with_template(case.documents.order_by("issued_at", "pk"))
    order = {role: i for i, role in enumerate(Party.Role.values)}
    parties = sorted(case.parties.all(), key=lambda p: (order.get(p.role, 9), p.pk))
    served = set(case.services.values_list("document_id", "party_id"))
    return pending_service(documents, parties, served)


def with_template(documents: QuerySet[CaseDocument]) -> QuerySet[CaseDocument]:
    """``documents`` with the code of the template each was frozen from (``served_on``), in the
    same query."""
    return documents.select_related("rendition").defer(
        "rendition__content", "rendition__pdf", "rendition__docx"
    )


def auto_service_enabled() -> bool:
    return bool(getattr(settings, "CASES_AUTO_ELECTRONIC_SERVICE", False))


def serve_on_issue(case: Case, *, by: User, after: int) -> dict[str, Any]:
    """Serve electronically, at once, what the step just issued (documents numbered above
    ``after``) on every addressee who consented to electronic service at a confirmed address
    (民诉法 art. 90; 在线诉讼规则 art. 29). Run by ``workflow.transition`` inside the step's
    transaction, after its event, the case locked; writes ``case.served``. Returns the
    follow-up steps (``THEN``) for the caller to run once the step is done.

    A document the step served itself is not served again; parties without consent are left
    to the clerk (``documents_to_serve``).
    """
    documents = list(with_template(case.documents.filter(pk__gt=after)))
    if not documents:
        return {}
    consenting = set(
        ServiceAddress.objects.filter(
            party__case=case, superseded_at__isnull=True, electronic_consent=True
        ).values_list("party_id", flat=True)
    )
    if not consenting:
        return {}
    parties = [p for p in case.parties.order_by("pk") if p.pk in consenting]
    served = set(
        case.services.filter(document__in=documents).values_list("document_id", "party_id")
    )
    then: dict[str, Any] = {}
    entries = []
    for document, party in pending_service(documents, parties, served):
        _record, payload = serve_record(
            case=case, document=document, party=party, method=M.ELECTRONIC, by=by
        )
        _collect_then(then, payload)
        entries.append(payload)
    if entries:
        record_event(
            case,
            "case.served",
            actor=by,
            organisation=case.institute,
            payload={
                "documents": sorted({entry["document"] for entry in entries}),
                "method": M.ELECTRONIC,
                "automatic": True,
                "services": entries,
            },
        )
    return then
