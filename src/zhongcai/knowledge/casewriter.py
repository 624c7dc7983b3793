"""Writing checked library cases (``caselibrary.read_case_library``) into the database, in one
transaction, keyed by the manifest's ``key``: a new key is created, a changed case is rewritten
(its claims and citations replaced), an identical one is left alone.

Model classes are handed in (``CaseLibraryModels``): the live ones, or a data migration's
historical ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from .elements import ClaimSpec

if TYPE_CHECKING:
    from .caselibrary import CaseSpec


@dataclass
class CaseImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class CaseLibraryModels:
    LibraryCase: Any
    LibraryClaim: Any
    LibraryCitation: Any

    @classmethod
    def live(cls) -> CaseLibraryModels:
        from .models import LibraryCase, LibraryCitation, LibraryClaim

        return cls(LibraryCase, LibraryClaim, LibraryCitation)

    @classmethod
    def from_apps(cls, apps: Any) -> CaseLibraryModels:
        return cls(
            *(
                apps.get_model("knowledge", name)
                for name in ("LibraryCase", "LibraryClaim", "LibraryCitation")
            )
        )


@transaction.atomic
def write_case_library(
    cases: list[CaseSpec], *, models: CaseLibraryModels | None = None, by: Any = None
) -> CaseImportResult:
    m = models or CaseLibraryModels.live()
    result = CaseImportResult()
    for spec in cases:
        values = _values(spec)
        claims = [_claim_values(number, c) for number, c in enumerate(spec.elements.claims, 1)]
        citations = [_citation_values(i, c) for i, c in enumerate(spec.elements.citations, 1)]
        existing = m.LibraryCase.objects.filter(key=spec.key).first()
        if existing is None:
            case = m.LibraryCase.objects.create(key=spec.key, created_by=by, **values)
            result.created += 1
        elif _same(m, existing, values, claims, citations):
            result.unchanged += 1
            continue
        else:
            for name, value in values.items():
                setattr(existing, name, value)
            existing.save()
            m.LibraryClaim.objects.filter(case=existing).delete()
            m.LibraryCitation.objects.filter(case=existing).delete()
            case = existing
            result.updated += 1
        m.LibraryClaim.objects.bulk_create(m.LibraryClaim(case=case, **c) for c in claims)
        m.LibraryCitation.objects.bulk_create(m.LibraryCitation(case=case, **c) for c in citations)
    return result


def _values(spec: CaseSpec) -> dict[str, Any]:
    e = spec.elements
    return {
        "title": spec.title,
        "authority": spec.authority,
        "issuing_body": spec.issuing_body,
        "collection": spec.collection,
        "issued_on": spec.issued_on,
        "issued_precision": spec.issued_precision,
        "decided_by": spec.decided_by,
        "region": spec.region,
        "industry": e.industry,
        "causes": list(e.causes),
        "termination_reason": e.termination_reason,
        "employment_start": e.employment_start,
        "employment_end": e.employment_end,
        "applied_on": e.applied_on,
        "facts": spec.facts,
        "claims_text": spec.claims_text,
        "outcome_text": spec.outcome_text,
        "reasoning": spec.reasoning,
        "significance": spec.significance,
        "public": spec.public,
        "origin": spec.origin,
        "source_case_id": spec.source_case_id,
        "elements_checked": spec.elements_checked,
        "source": spec.source,
        "source_file": spec.source_file,
        "source_sha256": spec.source_sha256,
    }


def _claim_values(number: int, claim: ClaimSpec) -> dict[str, Any]:
    def money(value: Decimal | None) -> Decimal | None:
        return value.quantize(Decimal("0.01")) if value is not None else None

    return {
        "number": number,
        "kind": claim.kind,
        "type": claim.type,
        "description": claim.description,
        "amount_claimed": money(claim.amount_claimed),
        "amount_awarded": money(claim.amount_awarded),
        "outcome": claim.outcome,
        "note": claim.note,
    }


def _citation_values(position: int, citation: Any) -> dict[str, Any]:
    return {
        "position": position,
        "text": citation.text[:300],
        "law_id": citation.law_id,
        "article_number": citation.article_number,
        "article_suffix": citation.article_suffix,
        "article_id": citation.article_id,
    }


CLAIM_FIELDS = (
    "number",
    "kind",
    "type",
    "description",
    "amount_claimed",
    "amount_awarded",
    "outcome",
    "note",
)
CITATION_FIELDS = ("position", "text", "law_id", "article_number", "article_suffix", "article_id")


def _same(
    m: CaseLibraryModels,
    case: Any,
    values: dict[str, Any],
    claims: list[dict[str, Any]],
    citations: list[dict[str, Any]],
) -> bool:
    if any(getattr(case, name) != value for name, value in values.items()):
        return False
    held_claims = m.LibraryClaim.objects.filter(case=case).order_by("number")
    held_citations = m.LibraryCitation.objects.filter(case=case).order_by("position")
    return (
        list(held_claims.values(*CLAIM_FIELDS)) == claims
        and list(held_citations.values(*CITATION_FIELDS)) == citations
    )
