"""Reading a case's structured elements out of its text, by rules.

Used three ways: when a library case is imported without hand-checked elements, to read what a
person types on the similar-case page, and to fill in what a ``cases.Case`` does not record
(the kind of each claim, the termination reason, the employer's industry).

What is read reliably, and how (measured on the shipped typical cases by
``tests/test_elements.py``; see docs/adr/0006-similar-cases.md):

- **cited articles** — ``citations.find_citations`` on the reasoning, on the date the case was
  decided, plus one pattern of case analyses: a bare ``第X条规定`` that opens a sentence right
  after a quoted article belongs to the law cited last (``《劳动法》第四十一条规定：“…”第四十三条
  规定：…``). Citations of texts the library does not hold keep their words;
- **claim items and amounts** — the request section split into items, each item's kind by the
  words of ``data/case_element_rules.json`` (leftmost-longest; on a tie the kind listed first),
  its amount the last ``N元`` of the item;
- **outcome per item** — the outcome section's clauses that name the claim's kind: the last one
  that decides (an appeal's ``改判`` overrides the first instance; ``驳回上诉，维持原判`` changes
  nothing) gives the amount awarded or the rejection;
- **termination reason, industry, dates** — keyword rules; the weakest, which is why the shipped
  cases carry hand-checked elements.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from .casetypes import KIND_CAUSES, KIND_TYPE, ClaimKind, Outcome
from .catalog import Catalog, get_catalog, normalise
from .citations import CitationContext, find_citations
from .numerals import CHINESE_NUMERAL

RULES_FILE = Path(__file__).resolve().parent / "data" / "case_element_rules.json"
AMOUNT = re.compile(r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?\s*(?P<wan>万)?元")
# 2016年7月, 2018年11月30日, 12月1日 and …至8月 (the year carried over), 2020-01-05.
DATE = re.compile(
    r"(?P<y>\d{4})\s*年\s*(?:(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?)?"
    r"|(?<![\d年])(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"|(?<=[至到])\s*(?P<m3>\d{1,2})\s*月(?:\s*(?P<d3>\d{1,2})\s*日)?"
)
ITEM_MARK = re.compile(r"(?:^|[；;。\n])\s*(?:[0-9]+[、.．]|（[一二三四五六七八九十]+）|[①-⑩])")
CLAUSE_END = re.compile(r"[。；;\n]")
OUTCOME_CLAUSE = re.compile(r"[。；;，,\n]")
SENTENCE_END = re.compile(r"[。！？\n]")
# A sentence that opens with 第X条规定 after a quotation: the law cited last (see module doc).
BARE_AFTER_QUOTE = re.compile(
    rf"(?:(?<=[”。])|^)\s*(?P<ref>第\s*(?:[0-9]+|{CHINESE_NUMERAL})\s*条)规定"
)
UNKNOWN_CITATION = re.compile(
    rf"《(?P<title>[^《》\n]{{2,60}})》(?:\s*（[^（）\n]{{1,40}}?号）)?\s*"
    rf"(?P<ref>第\s*(?:[0-9]+|{CHINESE_NUMERAL})\s*条)"
)
NEAR = 16  # characters after a claim's words in which its amount is looked for (free text)


@dataclass(frozen=True)
class ClaimSpec:
    kind: str
    type: str
    description: str = ""
    amount_claimed: Decimal | None = None
    amount_awarded: Decimal | None = None
    outcome: str = ""
    note: str = ""


@dataclass(frozen=True)
class CitationSpec:
    text: str
    law_id: int | None = None
    article_number: int | None = None
    article_suffix: int = 0
    article_id: int | None = None

    @property
    def key(self) -> tuple[int, int, int] | None:
        """The article across versions: (law, number, suffix)."""
        if self.law_id is None or self.article_number is None:
            return None
        return (self.law_id, self.article_number, self.article_suffix)


@dataclass
class Elements:
    causes: list[str] = field(default_factory=list)
    claims: list[ClaimSpec] = field(default_factory=list)
    termination_reason: str = ""
    industry: str = ""
    employment_start: date | None = None
    employment_end: date | None = None
    applied_on: date | None = None
    citations: list[CitationSpec] = field(default_factory=list)


@dataclass(frozen=True)
class Mention:
    code: str
    phrase: str
    start: int
    end: int


class _Vocabulary:
    """One category of the rules file: phrase → code, matched leftmost-longest."""

    def __init__(self, entries: dict[str, list[str]]):
        self.order = {code: i for i, code in enumerate(entries)}
        self.codes: dict[str, str] = {}
        for code, phrases in entries.items():
            for phrase in phrases:
                self.codes.setdefault(phrase, code)
        words = sorted(self.codes, key=lambda w: (-len(w), w))
        self.pattern = re.compile("|".join(re.escape(w) for w in words)) if words else None

    def mentions(self, text: str) -> list[Mention]:
        if self.pattern is None:
            return []
        return [
            Mention(self.codes[m.group()], m.group(), m.start(), m.end())
            for m in self.pattern.finditer(text)
        ]

    def best(self, text: str) -> Mention | None:
        """The longest mention; on a tie, the code listed first, then the earliest."""
        found = self.mentions(text)
        if not found:
            return None
        return min(found, key=lambda m: (-len(m.phrase), self.order[m.code], m.start))


@dataclass(frozen=True)
class Rules:
    claims: _Vocabulary
    claim_mentions: _Vocabulary
    termination: _Vocabulary
    industries: _Vocabulary
    rejected: tuple[str, ...]
    not_a_rejection: tuple[str, ...]
    unchanged: tuple[str, ...]
    start_words: tuple[str, ...]
    end_words: tuple[str, ...]
    applied_words: tuple[str, ...]


@cache
def rules(path: Path = RULES_FILE) -> Rules:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    kinds = data["claim_kinds"]
    unknown = set(kinds) - set(ClaimKind.values)
    if unknown:
        raise ValueError(f"{path.name}: unknown claim kinds {sorted(unknown)}")
    return Rules(
        claims=_Vocabulary({k: v["claim"] for k, v in kinds.items()}),
        claim_mentions=_Vocabulary({k: v["mention"] for k, v in kinds.items()}),
        termination=_Vocabulary(data["termination_reasons"]),
        industries=_Vocabulary(data["industries"]),
        rejected=tuple(data["outcome"]["rejected"]),
        not_a_rejection=tuple(data["outcome"]["not_a_rejection"]),
        unchanged=tuple(data["outcome"]["unchanged"]),
        start_words=tuple(data["dates"]["start"]),
        end_words=tuple(data["dates"]["end"]),
        applied_words=tuple(data["dates"]["applied"]),
    )


# -- small readers ---------------------------------------------------------------------------


def amounts(text: str) -> list[Decimal]:
    found = []
    for match in AMOUNT.finditer(normalise(text)):
        try:
            value = Decimal(match["int"].replace(",", "") + "." + (match["frac"] or "0"))
        except InvalidOperation:
            continue
        found.append(value * 10000 if match["wan"] else value)
    return found


def claim_kind(text: str) -> str | None:
    """The kind a claim's words name, or None."""
    best = rules().claims.best(normalise(text))
    return best.code if best else None


def causes_for(kinds: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(cause for kind in kinds for cause in KIND_CAUSES.get(kind, ())))


def termination_reason(text: str) -> str:
    best = rules().termination.mentions(normalise(text))
    if not best:
        return ""
    order = rules().termination.order
    return min(best, key=lambda m: (order[m.code], m.start)).code


def industry(text: str) -> str:
    """The industry of the employers named ``某X公司`` (or of the whole text): the most
    mentioned; on a tie the one listed first."""
    text = normalise(text)
    names = re.findall(r"某([\u4e00-\u9fff]{1,8}?)(?:有限)?(?:公司|厂|中心|酒店|医院|学校)", text)
    haystack = " ".join(names) if names else text
    found = rules().industries.mentions(haystack)
    if not found:
        return ""
    counts: dict[str, int] = {}
    for mention in found:
        counts[mention.code] = counts.get(mention.code, 0) + 1
    order = rules().industries.order
    return min(counts, key=lambda code: (-counts[code], order[code]))


def _dates(text: str) -> list[tuple[int, int, date]]:
    """(start, end, date) of every date in ``text``; a month alone is its first day."""
    found = []
    year: int | None = None
    for match in DATE.finditer(text):
        try:
            if match["y"]:
                year = int(match["y"])
                day = date(year, int(match["m"] or 1), int(match["d"] or 1))
            elif match["iy"]:
                year = int(match["iy"])
                day = date(year, int(match["im"]), int(match["id"]))
            elif year is not None and match["m2"]:
                day = date(year, int(match["m2"]), int(match["d2"]))
            elif year is not None and match["m3"]:
                day = date(year, int(match["m3"]), int(match["d3"] or 1))
            else:
                continue
        except ValueError:
            continue
        found.append((match.start(), match.end(), day))
    return found


def latest_date(text: str, *, not_after: date | None = None) -> date | None:
    """The latest date ``text`` mentions (not after ``not_after``)."""
    found = [d for _s, _e, d in _dates(normalise(text)) if not_after is None or d <= not_after]
    return max(found) if found else None


def dates(facts: str) -> tuple[date | None, date | None, date | None]:
    """Employment start, end (or last fact) and the application for arbitration."""
    text = normalise(facts)
    found = _dates(text)
    r = rules()

    def followed_by(end: int, words: tuple[str, ...], reach: int) -> bool:
        stop = SENTENCE_END.search(text, end)
        window = text[end : min(end + reach, stop.start() if stop else len(text))]
        return any(w in window for w in words)

    start = next((d for _s, e, d in found if followed_by(e, r.start_words, 14)), None)
    applied = next((d for _s, e, d in found if followed_by(e, r.applied_words, 40)), None)
    ends = [
        d
        for _s, e, d in found
        if followed_by(e, r.end_words, 40) and (applied is None or d <= applied)
    ]
    end = ends[-1] if ends else None
    if start is None and found:
        start = found[0][2]
    return start, end, applied


# -- claims and outcomes ---------------------------------------------------------------------


def _items(text: str) -> list[str]:
    """A request split into its items: numbered (1、（一）①) or separated by ；。"""
    text = normalise(text).strip()
    cuts = [m.end() for m in ITEM_MARK.finditer(text)]
    if len(cuts) > 1:
        bounds = [*cuts, len(text)]
        parts = [text[bounds[i] : bounds[i + 1]] for i in range(len(cuts))]
    else:
        parts = re.split(r"[；;。\n]", text)
    return [p.strip(" ，,；;。") for p in parts if p.strip(" ，,；;。")]


def read_claims(claims_text: str) -> list[ClaimSpec]:
    """The claim items of a request section, each with its kind and amount."""
    claims: list[ClaimSpec] = []
    for item in _items(claims_text):
        kind = claim_kind(item)
        if kind is None:
            continue
        found = amounts(item)
        claims.append(
            ClaimSpec(
                kind=kind,
                type=KIND_TYPE[kind],
                description=item,
                amount_claimed=found[-1] if found else None,
            )
        )
    return claims


def read_outcomes(outcome_text: str, claims: list[ClaimSpec]) -> list[ClaimSpec]:
    """Each claim with the amount awarded and its outcome, from the outcome section.

    A clause that names a claim's kind decides it (the last one wins: an appeal overrides the
    first instance); a rejection that names no kind (驳回其他仲裁请求) rejects what is left.
    """
    r = rules()
    clauses = [c for c in OUTCOME_CLAUSE.split(normalise(outcome_text)) if c.strip()]
    decided: list[tuple[Decimal | None, bool]] = []
    rejects_the_rest = False
    for claim in claims:
        awarded: Decimal | None = None
        rejected = False
        for clause in clauses:
            named = {m.code for m in r.claims.mentions(clause)}
            rejection = _is_rejection(clause)
            if not named and rejection:
                rejects_the_rest = True
            if claim.kind not in named or any(w in clause for w in r.unchanged):
                continue
            if rejection:
                awarded, rejected = Decimal(0), True
                continue
            found = amounts(clause)
            if found:
                awarded, rejected = found[-1], False
        decided.append((awarded, rejected))
    result = []
    for claim, (awarded, rejected) in zip(claims, decided, strict=True):
        if awarded is None and rejects_the_rest:
            awarded, rejected = Decimal(0), True
        result.append(
            replace(claim, amount_awarded=awarded, outcome=_outcome(claim, awarded, rejected))
        )
    return result


def _is_rejection(clause: str) -> bool:
    r = rules()
    for phrase in r.not_a_rejection:
        clause = clause.replace(phrase, "")
    return any(w in clause for w in r.rejected)


def _outcome(claim: ClaimSpec, awarded: Decimal | None, rejected: bool) -> str:
    if rejected:
        return Outcome.REJECTED
    if awarded is None:
        return ""
    if claim.amount_claimed is None or awarded >= claim.amount_claimed:
        return Outcome.GRANTED
    return Outcome.PARTLY if awarded > 0 else Outcome.REJECTED


def claims_in_description(text: str) -> list[ClaimSpec]:
    """The claims a free description mentions, with an amount written right after the words."""
    text = normalise(text)
    claims: dict[str, ClaimSpec] = {}
    for mention in rules().claim_mentions.mentions(text):
        if mention.code in claims and claims[mention.code].amount_claimed is not None:
            continue
        clause_end = CLAUSE_END.search(text, mention.end)
        tail = text[
            mention.end : min(mention.end + NEAR, clause_end.start() if clause_end else len(text))
        ]
        found = amounts(tail)
        claims[mention.code] = ClaimSpec(
            kind=mention.code,
            type=KIND_TYPE[mention.code],
            description=mention.phrase,
            amount_claimed=found[0] if found else None,
        )
    return list(claims.values())


# -- citations -------------------------------------------------------------------------------


def read_citations(
    text: str, *, on: date | None, catalog: Catalog | None = None
) -> list[CitationSpec]:
    """The articles ``text`` cites, linked to the version in force on ``on``, in order, each
    article once; a citation of a text the library does not hold keeps its words."""
    catalog = catalog or get_catalog()
    source = normalise(text)
    found: list[tuple[int, CitationSpec]] = []
    spans: list[tuple[int, int]] = []
    for citation in find_citations(text, on=on, catalog=catalog):
        spans.append((citation.start, citation.end))
        if citation.article_number is None:
            continue
        found.append(
            (
                citation.start,
                CitationSpec(
                    text=_cited_label(citation.law_short_title, citation.article_label),
                    law_id=citation.law_id,
                    article_number=citation.article_number,
                    article_suffix=citation.article_suffix,
                    article_id=citation.article_id,
                ),
            )
        )
    for match in BARE_AFTER_QUOTE.finditer(source):
        start = match.start("ref")
        if any(s <= start < e for s, e in spans):
            continue
        before = [spec for position, spec in found if position < start and spec.law_id]
        if not before:
            continue
        context = CitationContext(law_id=before[-1].law_id)
        for citation in find_citations(match["ref"], on=on, context=context, catalog=catalog):
            if citation.article_number is None:
                continue
            found.append(
                (
                    start,
                    CitationSpec(
                        text=_cited_label(citation.law_short_title, citation.article_label),
                        law_id=citation.law_id,
                        article_number=citation.article_number,
                        article_suffix=citation.article_suffix,
                        article_id=citation.article_id,
                    ),
                )
            )
    for match in UNKNOWN_CITATION.finditer(source):
        if any(s <= match.start() < e for s, e in spans):
            continue
        found.append(
            (
                match.start(),
                CitationSpec(text=f"《{match['title']}》{match['ref']}".replace(" ", "")),
            )
        )
    result: list[CitationSpec] = []
    seen: set[Any] = set()
    for _position, spec in sorted(found, key=lambda pair: pair[0]):
        identity = spec.key or spec.text
        if identity not in seen:
            seen.add(identity)
            result.append(spec)
    return result


def _cited_label(law: str, article: str) -> str:
    return f"{law}{article}"


# -- whole texts -----------------------------------------------------------------------------


def read_case_text(
    *,
    facts: str,
    claims_text: str,
    outcome_text: str,
    reasoning: str,
    decided_on: date | None,
    catalog: Catalog | None = None,
) -> Elements:
    """Every element the rules can read from the sections of a case."""
    claims = read_outcomes(outcome_text, read_claims(claims_text))
    start, end, applied = dates(facts)
    return Elements(
        causes=causes_for(c.kind for c in claims),
        claims=claims,
        termination_reason=termination_reason(facts),
        industry=industry(facts),
        employment_start=start,
        employment_end=end,
        applied_on=applied,
        citations=read_citations(reasoning, on=decided_on, catalog=catalog),
    )


def read_description(
    text: str, *, on: date | None = None, catalog: Catalog | None = None
) -> Elements:
    """What a free description says: claims (with amounts), causes, termination, industry,
    dates and any article it cites."""
    claims = claims_in_description(text)
    start, end, applied = dates(text)
    return Elements(
        causes=causes_for(c.kind for c in claims),
        claims=claims,
        termination_reason=termination_reason(text),
        industry=industry(text),
        employment_start=start,
        employment_end=end,
        applied_on=applied,
        citations=read_citations(text, on=on or end or applied, catalog=catalog),
    )
