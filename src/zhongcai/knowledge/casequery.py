"""What a case or a description brings to the similar-case push: its ``similar.Query``.

A case gives its claims (each with its kind and amount), causes, facts, place and the employer's
industry; a description gives what ``elements.read_description`` reads from it. Both bring the
articles the law push finds for them, standing for the articles a decided case cites.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .casetypes import ClaimKind, Industry, TerminationReason, label
from .catalog import Catalog
from .elements import industry as industry_of
from .elements import read_description, termination_reason
from .lawpush import LawPush, QueryClaim, canonical_articles, case_claims, law_push_for_text
from .search import SearchIndex
from .similar import Query, causes_of

QUERY_ARTICLES = 8  # the law push's best rule-based articles stand for the query's citations


def money(value: Any) -> str:
    """24,000 or 24,404.89: yuan as people write them."""
    value = Decimal(str(value))
    return f"{value:,.2f}" if value != value.to_integral_value() else f"{value:,.0f}"


def query_for_case(case: Any, push: LawPush, catalog: Catalog | None = None) -> Query:
    """A case's query: its claims (with their kinds and amounts), causes, facts, place, the
    employer's industry, and the articles the law push finds for it."""
    return query_from_parts(
        facts=case.facts_and_reasons or "",
        claims=case_claims(case),
        causes=tuple(case.causes or ()),
        region=case.workplace_division_id or "",
        employers=" ".join(p.name for p in case.parties.all() if p.kind == "employer"),
        push=push,
        catalog=catalog,
        exclude_source_case=case.pk,
    )


def query_from_parts(
    *,
    facts: str,
    claims: list[QueryClaim],
    push: LawPush,
    causes: tuple[str, ...] = (),
    region: str = "",
    employers: str = "",
    catalog: Catalog | None = None,
    exclude_source_case: int | None = None,
) -> Query:
    """The query of a case given by its parts: a ``cases.Case``'s, or an evaluation case's."""
    kinds = tuple(dict.fromkeys(c.kind for c in claims))
    amounts: dict[str, float] = {}
    for claim in claims:
        if claim.amount:
            amounts[claim.kind] = amounts.get(claim.kind, 0.0) + float(claim.amount)
    return Query(
        text="\n".join([facts, *(c.description for c in claims)]),
        causes=causes or causes_of(kinds),
        kinds=kinds,
        amounts=amounts,
        termination=termination_reason(facts),
        region=region,
        industry=industry_of(employers) or industry_of(facts),
        articles=_push_articles(push, catalog),
        claim_words={c.kind: c.description for c in claims},
        exclude_source_case=exclude_source_case,
    )


def query_for_text(
    text: str, *, catalog: Catalog | None = None, law_index: SearchIndex | None = None
) -> tuple[Query, LawPush, list[str]]:
    """A description's query, the law push it implies, and what was read from it."""
    elements = read_description(text, catalog=catalog)
    push = law_push_for_text(text, catalog=catalog, index=law_index)
    kinds = tuple(dict.fromkeys(c.kind for c in elements.claims))
    amounts = {c.kind: float(c.amount_claimed) for c in elements.claims if c.amount_claimed}
    query = Query(
        text=text,
        causes=causes_of(kinds),
        kinds=kinds,
        amounts=amounts,
        termination=elements.termination_reason,
        industry=elements.industry,
        articles=_push_articles(push, catalog),
        claim_words={c.kind: c.description for c in elements.claims},
    )
    read = [
        _("Claim: %(kind)s%(amount)s")
        % {
            "kind": label(ClaimKind, c.kind),
            "amount": f" {money(c.amount_claimed)}" + _(" yuan") if c.amount_claimed else "",
        }
        for c in elements.claims
    ]
    if elements.termination_reason:
        read.append(
            _("Ended: %(reason)s")
            % {"reason": label(TerminationReason, elements.termination_reason)}
        )
    if elements.industry:
        read.append(_("Industry: %(industry)s") % {"industry": label(Industry, elements.industry)})
    return query, push, read


def _push_articles(push: LawPush, catalog: Catalog | None) -> dict[tuple[int, int, int], str]:
    """The law push's best rule-based articles, each under the key of the article that
    replaced it, if any (the index keys a library case's citations the same way)."""
    canonical = canonical_articles(catalog)
    chosen = [a for a in push.articles if a.source == "rules"][:QUERY_ARTICLES]
    return {canonical.get(a.key, a.key): a.citation for a in chosen}
