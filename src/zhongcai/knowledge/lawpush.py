"""Law push (法条推送): the articles most likely to apply to a case, each with why, in the version
in force at the time of the facts (domain/anchors.md, gap 4).

Two sources, rules first:

1. ``data/law_push_rules.json`` — a rule fires on a claim's kind (加班费 → 劳动法第四十四条), on
   the termination reason, or on a phrase of the facts; its articles are written as citations and
   resolved by ``citations.find_citations`` on the date of the facts, so a repealed
   interpretation is never pushed for facts after its repeal, and the 2020 interpretation never
   for facts before it took effect (the rule lists both texts of a rule that moved);
2. search — the facts ranked against every article in force on that date (``search.rank_articles``,
   BM25); the best few not already pushed, with the words that matched.

``legal_basis_for(case)`` is what the award editor will offer as the legal-basis list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhongcai.cases.taxonomy import ClaimType

from .casetypes import KIND_TYPE, TYPE_DEFAULT_KIND, ClaimKind, TerminationReason, label
from .catalog import Catalog, get_catalog, normalise
from .citations import Citation, Problem, find_citations
from .elements import claim_kind, claims_in_description, latest_date, termination_reason
from .models import Article, article_url
from .search import SearchIndex, rank_articles

RULES_FILE = Path(__file__).resolve().parent / "data" / "law_push_rules.json"
LIMIT = 10
SEARCH_LIMIT = 3  # articles found by search alone, after the rules' ones
SEARCH_SHARE = 0.3  # a search hit's score, as a share of the weakest rule's
SEARCH_MIN = 0.5  # of the best search score: below that, a hit is noise
# How strongly each kind of trigger speaks for a rule (times the rule's weight).
STRENGTH = {"claim": 1.0, "termination": 0.9, "phrase": 0.7}
EXTRA_TRIGGER = 0.1  # each further trigger of the same rule
POSITION_DECAY = 0.92  # a rule's second article counts 0.92 of its first …
EXCERPT = 60
# Words of any case's facts that say nothing about which law applies: searching the facts for
# them finds procedural articles (申请人 → 调解仲裁法第三十条).
GENERIC_WORDS = frozenset(
    {
        *("申请人", "被申请人", "申请", "原告", "被告", "第三人", "仲裁", "委员会", "仲裁委员会"),
        *("劳动人事争议", "劳动争议", "争议", "公司", "有限公司", "单位", "用人单位", "劳动者"),
        *("员工", "职工", "支付", "要求", "请求", "提出", "认定", "规定", "依法", "本院", "查明"),
        *("审理", "事实", "证据", "期间", "工作", "入职", "月入", "其他"),
    }
)
SEARCH_MIN_WORDS = 2  # content words a search hit must share with the facts


@dataclass(frozen=True)
class QueryClaim:
    """A claim as the push reads it: from a case's claim item or a free description."""

    number: int
    kind: str
    type: str
    description: str = ""
    amount: Any = None

    @property
    def kind_label(self) -> str:
        return label(ClaimKind, self.kind)


@dataclass
class PushedArticle:
    law_id: int
    law_title: str
    law_short_title: str
    law_status: str
    article_id: int
    number: int
    suffix: int
    label: str
    version_id: int
    version_date: date
    effective_from: date
    effective_to: date | None
    approximate: bool
    score: float
    source: str  # "rules" or "search"
    reasons: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    excerpt: str = ""

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.law_id, self.number, self.suffix)

    @property
    def citation(self) -> str:
        return f"{self.law_short_title}{self.label}"

    @property
    def url(self) -> str:
        return article_url(self.law_id, self.number, self.suffix, version_id=self.version_id)


@dataclass
class LawPush:
    on: date
    on_source: str  # "given", "facts", "received" or "today"
    articles: list[PushedArticle]
    not_in_force: list[str] = field(default_factory=list)  # what a rule offered, not then in force

    @property
    def on_explained(self) -> str:
        day = f"{self.on:%Y-%m-%d}"
        return {
            "given": _("the date of the facts given: %(date)s"),
            "facts": _("the latest date in the facts: %(date)s"),
            "received": _("the facts give no date; the date received: %(date)s"),
            "today": _("no date in the facts: today, %(date)s"),
        }[self.on_source] % {"date": day}


@dataclass(frozen=True)
class _Rule:
    id: str
    topic: dict[str, str]
    weight: float
    kinds: tuple[str, ...]
    terminations: tuple[str, ...]
    phrases: tuple[str, ...]
    requires_kinds: tuple[str, ...]
    articles: tuple[str, ...]

    def topic_label(self) -> str:
        language = (get_language() or "zh-hans").lower()
        return self.topic.get("en" if language.startswith("en") else "zh-hans", self.id)


@cache
def successor_pairs(path: Path = RULES_FILE) -> tuple[tuple[str, str], ...]:
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return tuple((old, new) for old, new in data.get("successors", {}).get("pairs", ()))


ArticleKey = tuple[int, int, int]


def canonical_articles(catalog: Catalog | None = None) -> dict[ArticleKey, ArticleKey]:
    """Old article → the article that replaced it (``successors`` of the rules file), so that a
    2019 case citing 解释（三）第九条 and 2022 facts pushed 解释（一）第四十二条 rely on the same
    rule. Keys are (law, number, suffix)."""
    catalog = catalog or get_catalog()
    found = catalog.extras.get("lawpush_successors")
    if found is None:
        found = {}
        for old, new in successor_pairs():
            cited = [find_citations(text, catalog=catalog) for text in (old, new)]
            if all(len(c) == 1 and c[0].article_number for c in cited):
                a, b = cited[0][0], cited[1][0]
                found[(a.law_id, a.article_number, a.article_suffix)] = (
                    b.law_id,
                    b.article_number,
                    b.article_suffix,
                )
        catalog.extras["lawpush_successors"] = found
    return found


@cache
def load_rules(path: Path = RULES_FILE) -> tuple[tuple[_Rule, ...], tuple[dict[str, Any], ...]]:
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    rules = tuple(
        _Rule(
            id=raw["id"],
            topic=raw["topic"],
            weight=float(raw.get("weight", 1.0)),
            kinds=tuple(raw.get("kinds", ())),
            terminations=tuple(raw.get("terminations", ())),
            phrases=tuple(raw.get("phrases", ())),
            requires_kinds=tuple(raw.get("requires_kinds", ())),
            articles=tuple(raw["articles"]),
        )
        for raw in data["rules"]
    )
    for rule in rules:
        unknown = set(rule.kinds + rule.requires_kinds) - set(ClaimKind.values)
        unknown |= set(rule.terminations) - set(TerminationReason.values)
        if unknown:
            raise ValueError(f"{path.name}, rule {rule.id}: unknown codes {sorted(unknown)}")
    return rules, tuple(data.get("examples", ()))


def _resolve(text: str, on: date, catalog: Catalog) -> Citation | None:
    cache_ = catalog.extras.setdefault("lawpush", {})
    key = (text, on)
    if key not in cache_:
        found = find_citations(text, on=on, catalog=catalog)
        cache_[key] = found[0] if found else None
    citation: Citation | None = cache_[key]
    return citation


def push_articles(
    *,
    facts: str,
    claims: Iterable[QueryClaim],
    termination: str = "",
    on: date,
    on_source: str = "given",
    limit: int = LIMIT,
    search: bool = True,
    catalog: Catalog | None = None,
    index: SearchIndex | None = None,
) -> LawPush:
    """The articles for these facts and claims, in force on ``on``, best first, each with why.
    ``catalog`` and ``index`` save their revision checks when the caller has them already."""
    catalog = catalog or get_catalog()
    claims = list(claims)
    text = normalise(" ".join([facts, *(c.description for c in claims)]))
    kinds = {c.kind for c in claims}
    rules, _examples = load_rules()
    found: dict[int, PushedArticle] = {}
    not_in_force: list[str] = []
    for rule in rules:
        if rule.requires_kinds and not kinds & set(rule.requires_kinds):
            continue
        triggers = _triggers(rule, claims, termination, text)
        if not triggers:
            continue
        strength = max(STRENGTH[kind] for kind, _why in triggers)
        score = rule.weight * (strength + EXTRA_TRIGGER * min(len(triggers) - 1, 3))
        for position, written in enumerate(rule.articles):
            citation = _resolve(written, on, catalog)
            if citation is None:
                continue
            if citation.problem == Problem.NOT_IN_FORCE:
                not_in_force.append(written)
                continue
            if citation.article_id is None or citation.article_number is None:
                continue
            article_score = score * POSITION_DECAY**position
            pushed = found.get(citation.article_id)
            if pushed is None:
                pushed = found[citation.article_id] = _pushed(citation, catalog, "rules")
            pushed.score += article_score
            topic = rule.topic_label()
            if topic not in pushed.topics:
                pushed.topics.append(topic)
            for _kind, why in triggers:
                if why not in pushed.reasons:
                    pushed.reasons.append(why)
    ranked = sorted(found.values(), key=lambda a: (-a.score, a.law_id, a.number))[:limit]
    if search and len(ranked) < limit and facts.strip():
        ranked.extend(
            _searched(
                facts,
                on,
                catalog,
                index,
                exclude=set(found),
                room=limit - len(ranked),
                floor=min((a.score for a in ranked), default=1.0),
            )
        )
    _excerpts(ranked)
    return LawPush(on=on, on_source=on_source, articles=ranked, not_in_force=not_in_force)


def _triggers(
    rule: _Rule, claims: list[QueryClaim], termination: str, text: str
) -> list[tuple[str, str]]:
    triggers: list[tuple[str, str]] = []
    for claim in claims:
        if claim.kind in rule.kinds:
            words = claim.description.strip() or claim.kind_label
            triggers.append(
                (
                    "claim",
                    _("Claim %(n)d (%(kind)s): %(words)s")
                    % {"n": claim.number, "kind": claim.kind_label, "words": words[:40]},
                )
            )
    if termination and termination in rule.terminations:
        triggers.append(
            (
                "termination",
                _("How the employment ended: %(reason)s")
                % {"reason": label(TerminationReason, termination)},
            )
        )
    phrases = [p for p in rule.phrases if p in text]
    for phrase in phrases[:2]:
        triggers.append(("phrase", _("The facts say “%(words)s”") % {"words": phrase}))
    return triggers


def _pushed(citation: Citation, catalog: Catalog, source: str) -> PushedArticle:
    law = catalog.laws[citation.law_id]
    assert citation.version_id is not None and citation.article_id is not None  # noqa: S101
    assert citation.article_number is not None  # noqa: S101
    return PushedArticle(
        law_id=law.id,
        law_title=law.title,
        law_short_title=law.short_title,
        law_status=law.status,
        article_id=citation.article_id,
        number=citation.article_number,
        suffix=citation.article_suffix,
        label=citation.article_label,
        version_id=citation.version_id,
        version_date=citation.version_date,  # type: ignore[arg-type]
        effective_from=citation.effective_from,  # type: ignore[arg-type]
        effective_to=citation.effective_to,
        approximate=citation.approximate,
        score=0.0,
        source=source,
    )


def _searched(
    facts: str,
    on: date,
    catalog: Catalog,
    index: SearchIndex | None,
    *,
    exclude: set[int],
    room: int,
    floor: float,
) -> list[PushedArticle]:
    limit = room + len(exclude) + 5
    matches = rank_articles(
        facts, on=on, limit=limit, index=index, catalog=catalog, ignore=GENERIC_WORDS
    )
    if not matches:
        return []
    best = matches[0].score
    result = []
    for match in matches:
        if len(result) >= min(room, SEARCH_LIMIT) or match.score < SEARCH_MIN * best:
            break
        words = [w for w in match.words if w not in GENERIC_WORDS and not w.isdigit()]
        if match.article_id in exclude or len(words) < SEARCH_MIN_WORDS:
            continue
        entry = catalog.articles_by_id.get(match.article_id)
        if entry is None or entry.kind != Article.Kind.ARTICLE:
            continue
        law = catalog.laws[entry.law_id]
        version = next(v for v in law.versions if v.id == entry.version_id)
        chosen = catalog.version_on(law, on)
        pushed = PushedArticle(
            law_id=law.id,
            law_title=law.title,
            law_short_title=law.short_title,
            law_status=law.status,
            article_id=entry.id,
            number=entry.number,
            suffix=entry.suffix,
            label=entry.label,
            version_id=version.id,
            version_date=version.version_date,
            effective_from=version.effective_from,
            effective_to=version.effective_to,
            approximate=bool(chosen and chosen.approximate),
            score=SEARCH_SHARE * floor * match.score / best,
            source="search",
            reasons=[
                _("Found by searching the facts: %(words)s") % {"words": "、".join(words[:6])}
            ],
        )
        result.append(pushed)
    return result


def _excerpts(articles: list[PushedArticle]) -> None:
    texts = dict(
        Article.objects.filter(pk__in=[a.article_id for a in articles]).values_list("pk", "text")
    )
    for article in articles:
        text = " ".join((texts.get(article.article_id) or "").split())
        article.excerpt = text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")


# -- for a case, for a description -----------------------------------------------------------


def facts_date(case: Any) -> tuple[date, str]:
    """The date whose law governs ``case``: a date of facts the case records, else the latest
    date its facts mention (not after receipt), else the date received, else today."""
    explicit = getattr(case, "facts_on", None)
    if isinstance(explicit, date):
        return explicit, "given"
    received = timezone.localdate(case.received_at) if case.received_at else None
    found = latest_date(case.facts_and_reasons or "", not_after=received or timezone.localdate())
    if found is not None:
        return found, "facts"
    if received is not None:
        return received, "received"
    return timezone.localdate(), "today"


def case_claims(case: Any) -> list[QueryClaim]:
    """A case's claims (prefetched ones are used as they are), each with its kind."""
    return [
        QueryClaim(
            number=claim.number,
            kind=claim_kind(claim.description)
            or TYPE_DEFAULT_KIND.get(claim.type, ClaimKind.OTHER),
            type=claim.type,
            description=claim.description,
            amount=claim.amount,
        )
        for claim in case.claims.all()
    ]


def law_push_for_case(
    case: Any,
    *,
    limit: int = LIMIT,
    catalog: Catalog | None = None,
    index: SearchIndex | None = None,
) -> LawPush:
    on, source = facts_date(case)
    facts = case.facts_and_reasons or ""
    return push_articles(
        facts=facts,
        claims=case_claims(case),
        termination=termination_reason(facts),
        on=on,
        on_source=source,
        limit=limit,
        catalog=catalog,
        index=index,
    )


def law_push_for_text(
    text: str,
    *,
    on: date | None = None,
    limit: int = LIMIT,
    catalog: Catalog | None = None,
    index: SearchIndex | None = None,
) -> LawPush:
    source = "given"
    if on is None:
        found = latest_date(text, not_after=timezone.localdate())
        on, source = (found, "facts") if found else (timezone.localdate(), "today")
    claims = [
        QueryClaim(
            number=i, kind=c.kind, type=c.type, description=c.description, amount=c.amount_claimed
        )
        for i, c in enumerate(claims_in_description(text), start=1)
    ]
    return push_articles(
        facts=text,
        claims=claims,
        termination=termination_reason(text),
        on=on,
        on_source=source,
        limit=limit,
        catalog=catalog,
        index=index,
    )


def legal_basis_for(case: Any) -> list[PushedArticle]:
    """The legal-basis list the award editor offers for ``case`` (best first)."""
    return law_push_for_case(case).articles


def claims_from_spec(spec: Iterable[dict[str, Any]]) -> list[QueryClaim]:
    """Claims given as ``{"type", "description", "amount"}`` (tests, the evaluation set)."""
    result = []
    for number, raw in enumerate(spec, start=1):
        kind = raw.get("kind") or claim_kind(raw.get("description", ""))
        kind = kind or TYPE_DEFAULT_KIND.get(raw.get("type", ""), ClaimKind.OTHER)
        result.append(
            QueryClaim(
                number=number,
                kind=kind,
                type=raw.get("type") or KIND_TYPE.get(kind, ClaimType.OTHER),
                description=raw.get("description", ""),
                amount=raw.get("amount"),
            )
        )
    return result
