"""Why a case is similar: the explained results of the similar-case push (anchors.md, gap 3).

``similar_for_case(case)`` and ``similar_for_text(text)`` rank the library (``similar.py``) and
explain each result, always: the elements that match (with the share of the score each brought),
those that differ, the best matching passage with the query's words marked, the outcome of each
claim, the case's authority and date, and a warning when it cites a text no longer in force.
A result a staff member marked "not similar" for this case stays visible, last, with the mark.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from zhongcai.cases.taxonomy import Cause, ClaimType

from .casequery import money, query_for_case, query_for_text
from .casetypes import (
    KIND_TYPE,
    ClaimKind,
    Industry,
    Outcome,
    TerminationReason,
    label,
)
from .catalog import Catalog, get_catalog, normalise
from .lawpush import (
    GENERIC_WORDS,
    LawPush,
    canonical_articles,
    law_push_for_case,
)
from .models import LibraryCase, SimilarityFeedback
from .search import get_index, snippet
from .similar import (
    AMOUNT_RANGE,
    CaseIndex,
    Query,
    Ranked,
    get_case_index,
)

PASSAGE_WORDS = 8


@dataclass(frozen=True)
class Reason:
    element: str
    text: str
    weight: float = 0.0  # the share of the score this element brought (matches only)

    @property
    def percent(self) -> int:
        return round(self.weight * 100)


@dataclass(frozen=True)
class ClaimResult:
    kind: str
    kind_label: str
    outcome: str
    outcome_label: str
    claimed: Decimal | None
    awarded: Decimal | None
    note: str

    @property
    def summary(self) -> str:
        if self.claimed is not None and self.awarded is not None:
            amounts = _("%(awarded)s of %(claimed)s yuan") % {
                "awarded": money(self.awarded),
                "claimed": money(self.claimed),
            }
        elif self.awarded is not None:
            amounts = _("%(awarded)s yuan") % {"awarded": money(self.awarded)}
        else:
            amounts = ""
        parts = [self.kind_label, self.outcome_label or _("outcome not stated"), amounts]
        return " · ".join(p for p in parts if p)


@dataclass
class SimilarResult:
    case: LibraryCase
    score: float
    contributions: dict[str, float]
    matches: list[Reason]
    differences: list[Reason]
    passage: SafeString
    passage_section: str
    claims: list[ClaimResult]
    warnings: list[str] = field(default_factory=list)
    marked: SimilarityFeedback | None = None

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def authority_label(self) -> str:
        return self.case.get_authority_display()


@dataclass
class SimilarResults:
    query: Query
    results: list[SimilarResult]
    read: list[str]  # what was read from the query, said back to the person who typed it
    law_push: LawPush | None
    words: list[str]

    @property
    def outcome_spread(self) -> list[tuple[str, int]]:
        counts = Counter(c.outcome for r in self.results for c in r.claims if c.outcome)
        return [(str(Outcome(o).label), counts[o]) for o in Outcome.values if counts.get(o)]


# -- entry points ----------------------------------------------------------------------------


def similar_for_case(
    case: Any, *, limit: int = 5, public_only: bool = False, index: CaseIndex | None = None
) -> SimilarResults:
    """The library cases most similar to ``case`` (a ``cases.Case``, its claims and parties
    prefetched where possible), explained, with the case's law push. Staff see staff-only
    cases unless ``public_only``."""
    catalog, law_index = get_catalog(), get_index()
    push = law_push_for_case(case, catalog=catalog, index=law_index)
    query = query_for_case(case, push, catalog)
    index = index or get_case_index(law_index)
    results = explain(query, limit=limit, public_only=public_only, index=index, catalog=catalog)
    _attach_feedback(case, results.results)
    results.law_push = push
    return results


def similar_for_text(
    text: str, *, limit: int = 10, public_only: bool = True, index: CaseIndex | None = None
) -> SimilarResults:
    catalog, law_index = get_catalog(), get_index()
    query, push, read = query_for_text(text, catalog=catalog, law_index=law_index)
    index = index or get_case_index(law_index)
    results = explain(query, limit=limit, public_only=public_only, index=index, catalog=catalog)
    results.read = read
    results.law_push = push
    return results


def explain(
    query: Query,
    *,
    limit: int,
    public_only: bool,
    index: CaseIndex | None = None,
    catalog: Catalog | None = None,
) -> SimilarResults:
    index = index or get_case_index()
    catalog = catalog or get_catalog()
    ranked, tokens = index.rank(query, limit=limit, public_only=public_only)
    cases = LibraryCase.objects.filter(pk__in=[r.id for r in ranked]).prefetch_related(
        "claims", "citations"
    )
    if public_only:
        cases = cases.filter(public=True)  # the index already says so; a second lock
    found = {case.pk: case for case in cases}
    words = index.rare_words(tokens)
    results = [
        _explain_one(query, item, found[item.id], words, catalog)
        for item in ranked
        if item.id in found
    ]
    return SimilarResults(query=query, results=results, read=[], law_push=None, words=words)


def _explain_one(
    query: Query, item: Ranked, case: LibraryCase, words: list[str], catalog: Catalog
) -> SimilarResult:
    weights = item.contributions
    claims = list(case.claims.all())
    citations = list(case.citations.all())
    kinds = {c.kind for c in claims}
    amounts: dict[str, Decimal] = {}
    for claim in claims:
        if claim.amount_claimed is not None:
            amounts[claim.kind] = amounts.get(claim.kind, Decimal(0)) + claim.amount_claimed
    matches: list[Reason] = []
    differences: list[Reason] = []
    text = normalise("\n".join((case.title, case.facts, case.reasoning)))
    shared_words = _telling(w for w in words if w in text)[:PASSAGE_WORDS]

    if weights["text"] > 0:
        matches.append(
            Reason(
                "text",
                _("Similar facts: shares the words %(words)s")
                % {"words": "、".join(shared_words[:6])}
                if shared_words
                else _("Similar wording of the facts"),
                weights["text"],
            )
        )
    shared = [k for k in query.kinds if k in kinds]
    if shared:
        matches.append(
            Reason(
                "claims",
                _("Same claim: %(kinds)s") % {"kinds": _labels(ClaimKind, shared)},
                weights["claims"],
            )
        )
    elif weights["claims"] > 0:
        types = {KIND_TYPE[k] for k in kinds} & {KIND_TYPE[k] for k in query.kinds}
        matches.append(
            Reason(
                "claims",
                _("Same type of claim: %(types)s") % {"types": _labels(ClaimType, sorted(types))},
                weights["claims"],
            )
        )
    here_only = [k for k in query.kinds if k not in kinds]
    there_only = [k for k in kinds if k not in query.kinds]
    if here_only:
        differences.append(
            Reason(
                "claims",
                _("Claimed here only: %(kinds)s") % {"kinds": _labels(ClaimKind, here_only)},
            )
        )
    if there_only:
        differences.append(
            Reason(
                "claims",
                _("Claimed there only: %(kinds)s") % {"kinds": _labels(ClaimKind, there_only)},
            )
        )
    shared_causes = [c for c in query.causes if c in case.causes]
    if shared_causes and weights["cause"] > 0:
        matches.append(
            Reason(
                "cause",
                _("Same cause: %(causes)s") % {"causes": _labels(Cause, shared_causes)},
                weights["cause"],
            )
        )
    close: list[str] = []
    apart: list[str] = []
    for kind in shared:
        here, there = query.amounts.get(kind), amounts.get(kind)
        if not here or there is None or there <= 0:
            continue
        values = {"kind": label(ClaimKind, kind), "there": money(there), "here": money(here)}
        ratio = max(float(there), here) / min(float(there), here)
        said = _("%(kind)s %(there)s there, %(here)s here") % values
        (close if ratio <= AMOUNT_RANGE else apart).append(said)
    if weights["amount"] > 0:
        matches.append(
            Reason(
                "amount",
                _("Amounts in range: %(amounts)s") % {"amounts": "；".join(close)}
                if close
                else _("Amounts of the same order: %(amounts)s") % {"amounts": "；".join(apart)},
                weights["amount"],
            )
        )
    if apart:
        differences.append(
            Reason("amount", _("Amounts apart: %(amounts)s") % {"amounts": "；".join(apart)})
        )
    if query.termination and case.termination_reason:
        if query.termination == case.termination_reason:
            matches.append(
                Reason(
                    "termination",
                    _("Ended the same way: %(reason)s")
                    % {"reason": label(TerminationReason, query.termination)},
                    weights["termination"],
                )
            )
        else:
            differences.append(
                Reason(
                    "termination",
                    _("Ended differently: %(there)s there, %(here)s here")
                    % {
                        "there": label(TerminationReason, case.termination_reason),
                        "here": label(TerminationReason, query.termination),
                    },
                )
            )
    canonical = canonical_articles(catalog)
    cited: dict[tuple[int, int, int], str] = {}
    for c in citations:
        if c.law_id and c.article_number:
            key = (c.law_id, c.article_number, c.article_suffix)
            cited.setdefault(canonical.get(key, key), c.text)
    both = [query.articles[k] for k in query.articles if k in cited]
    if both:
        matches.append(
            Reason(
                "articles",
                _("Relies on the same articles: %(articles)s") % {"articles": "、".join(both)},
                weights["articles"],
            )
        )
    also = [text for key, text in cited.items() if key not in query.articles]
    if also and query.articles:
        differences.append(
            Reason(
                "articles",
                _("Also relies on: %(articles)s") % {"articles": "、".join(also[:3])},
            )
        )
    if weights["region"] > 0:
        matches.append(
            Reason("region", _region_match(query.region, case.region), weights["region"])
        )
    if query.industry and case.industry:
        if query.industry == case.industry:
            matches.append(
                Reason(
                    "industry",
                    _("Same industry: %(industry)s") % {"industry": case.get_industry_display()},
                    weights["industry"],
                )
            )
        else:
            differences.append(
                Reason(
                    "industry",
                    _("Other industry: %(there)s there, %(here)s here")
                    % {
                        "there": case.get_industry_display(),
                        "here": label(Industry, query.industry),
                    },
                )
            )
    passage, section = _passage(case, shared_words)
    return SimilarResult(
        case=case,
        score=item.score,
        contributions=weights,
        matches=sorted(matches, key=lambda r: -r.weight),
        differences=differences,
        passage=passage,
        passage_section=section,
        claims=[
            ClaimResult(
                kind=c.kind,
                kind_label=c.get_kind_display(),
                outcome=c.outcome,
                outcome_label=c.get_outcome_display() if c.outcome else "",
                claimed=c.amount_claimed,
                awarded=c.amount_awarded,
                note=c.note,
            )
            for c in claims
        ],
        warnings=_warnings(citations, catalog),
    )


def _telling(words: Any) -> list[str]:
    """Words worth showing as shared: not numbers, not the generic words of every case, not a
    part of a longer shared word (班费 of 加班费)."""
    kept = [w for w in words if not w.isdigit() and w not in GENERIC_WORDS and len(w) >= 2]
    return [w for w in kept if not any(w != other and w in other for other in kept)]


def _labels(choices: Any, codes: list[str]) -> str:
    return "、".join(label(choices, code) for code in codes)


def _region_match(here: str, there: str) -> str:
    if here == there:
        return _("Same county-level division (%(code)s)") % {"code": there}
    if here[:4] == there[:4]:
        return _("Same city (%(code)s)") % {"code": there[:4] + "00"}
    return _("Same province (%(code)s)") % {"code": there[:2] + "0000"}


def _passage(case: LibraryCase, words: list[str]) -> tuple[SafeString, str]:
    """The densest passage of the facts or the reasoning, the query's words marked."""
    best: tuple[int, SafeString, str] | None = None
    for text, section in ((case.facts, _("Facts")), (case.reasoning, _("Reasoning"))):
        if not text:
            continue
        shown = snippet(text, words)
        marks = str(shown).count("<mark>")
        if best is None or marks > best[0]:
            best = (marks, shown, str(section))
    if best is None:
        return snippet(case.outcome_text, words), str(_("Outcome"))
    return best[1], best[2]


def _warnings(citations: list[Any], catalog: Catalog) -> list[str]:
    warnings = []
    for citation in citations:
        law = catalog.laws.get(citation.law_id) if citation.law_id else None
        if law is not None and law.is_repealed and law.repealed_on:
            warnings.append(
                _("Cites %(article)s, no longer in force since %(date)s.")
                % {"article": citation.text, "date": f"{law.repealed_on:%Y-%m-%d}"}
            )
    return warnings


def _attach_feedback(case: Any, results: list[SimilarResult]) -> None:
    """Marks "not similar" for this case: the result stays, last, with who said so and when."""
    if not results:
        return
    marks = {
        mark.library_case_id: mark
        for mark in SimilarityFeedback.objects.filter(
            case_id=case.pk,
            library_case_id__in=[r.case.pk for r in results],
            withdrawn_at__isnull=True,
        ).select_related("user")
    }
    for result in results:
        result.marked = marks.get(result.case.pk)
    results.sort(key=lambda r: r.marked is not None)
