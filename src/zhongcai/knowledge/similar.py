"""Similar-case push (类案推送): rank the case library against a case or a description.

Every library case is scored against the query in one pass over numpy arrays:

    score = Σ WEIGHTS.<element> × similarity of that element, each similarity in [0, 1]

- ``text``: BM25 over the case's text with the law search's segmenter (``search.Tokenizer``:
  jieba with the library's legal terms), divided by the best BM25 score of the query;
- ``claims``: overlap (Jaccard) of the claim kinds (加班费 ≠ 拖欠工资), with a quarter of the
  weight on the broader claim types (both 劳动报酬);
- ``cause``: overlap of the cause codes (案由);
- ``amount``: for each claim kind both sides claim money for, 1 when the amounts are within
  ``AMOUNT_RANGE`` of each other, fading to 0 at ``AMOUNT_RANGE × AMOUNT_FADE``;
- ``termination``: the same termination reason (both known);
- ``articles``: the articles the library case cites against those the law push finds for the
  query (cosine of the two sets), by article across versions;
- ``region``: same county 1, same city 0.6, same province 0.3 (GB/T 2260 prefixes);
- ``industry``: the same GB/T 4754 section.

The weights are declared once, in ``WEIGHTS``. Scoring every case is cheaper than any candidate
stage at this size (100,000 cases: see bench/knowledge.py), so no case is lost to a first cut;
only the top results are explained (``reasons.py``), which is where text is read again.

The index lives in memory, is built on first use and rebuilt when the library changes (its
revision is one query), like the law search's.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import bm25s
import numpy as np
from django.db.models import Max

from zhongcai.cases.taxonomy import Cause, ClaimType

from .casetypes import KIND_CAUSES, KIND_TYPE, ClaimKind, Industry, TerminationReason
from .models import LibraryCase, LibraryCitation, LibraryClaim
from .search import SearchIndex, Tokenizer, get_index

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Weights:
    text: float = 0.34
    claims: float = 0.22
    cause: float = 0.12
    amount: float = 0.08
    termination: float = 0.08
    articles: float = 0.10
    region: float = 0.04
    industry: float = 0.02

    def items(self) -> list[tuple[str, float]]:
        return [(name, getattr(self, name)) for name in ELEMENTS]


ELEMENTS = ("text", "claims", "cause", "amount", "termination", "articles", "region", "industry")
# The one place where the contributions are weighed against each other (they sum to 1).
WEIGHTS = Weights()
KIND_SHARE = 0.75  # of the claims similarity: the kinds; the rest, the broader claim types
AMOUNT_RANGE = 2.0  # amounts within a factor of 2 are "in range"
AMOUNT_FADE = 10.0  # … and count nothing beyond a further factor of 10
REGION_SCORES = (1.0, 0.6, 0.3)  # same county, city, province
MIN_SCORE = 0.15  # below this a case is not offered as similar
MAX_LIMIT = 50
# Characters jieba never joins across (its blocks are runs of CJK, Latin letters, digits and
# "+#&._%-"; a "." inside 24404.89 is part of the block, so it is not one of these).
CLAUSE = re.compile(r"[，。；：！？、\s,;:!?（）()《》“”\"']+")

CAUSES = list(Cause.values)
KINDS = list(ClaimKind.values)
TYPES = list(ClaimType.values)
TERMINATIONS = ["", *TerminationReason.values]
INDUSTRIES = ["", *Industry.values]


def _bits(codes: Iterable[str], vocabulary: list[str]) -> int:
    value = 0
    for code in codes:
        if code in vocabulary:
            value |= 1 << vocabulary.index(code)
    return value


def _codes(bits: int, vocabulary: list[str]) -> list[str]:
    return [code for i, code in enumerate(vocabulary) if bits >> i & 1]


@dataclass(frozen=True)
class CaseProfile:
    """What the index knows of one library case."""

    id: int
    public: bool
    text: str
    causes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    amounts: dict[str, float] = field(default_factory=dict)  # claimed, by kind
    termination: str = ""
    region: str = ""
    industry: str = ""
    articles: tuple[tuple[int, int, int], ...] = ()
    source_case_id: int | None = None


@dataclass
class Query:
    """What a case or a description brings to the comparison."""

    text: str
    causes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    amounts: dict[str, float] = field(default_factory=dict)
    termination: str = ""
    region: str = ""
    industry: str = ""
    articles: dict[tuple[int, int, int], str] = field(
        default_factory=dict
    )  # key → 劳动法第四十四条
    claim_words: dict[str, str] = field(default_factory=dict)  # kind → how the query says it
    exclude_source_case: int | None = None


@dataclass(frozen=True)
class Ranked:
    position: int
    id: int
    score: float
    contributions: dict[str, float]  # weighted, by element


class CaseIndex:
    """The library as arrays, one row per case; see the module doc for the scoring."""

    def __init__(self, profiles: Sequence[CaseProfile], tokenizer: Tokenizer, revision: Any = None):
        self.revision = revision
        self.tokenizer = tokenizer
        n = len(profiles)
        self.size = n
        self.ids = np.fromiter((p.id for p in profiles), dtype=np.int64, count=n)
        self.positions = {p.id: i for i, p in enumerate(profiles)}
        self.public = np.fromiter((p.public for p in profiles), dtype=bool, count=n)
        self.source_case = np.fromiter((p.source_case_id or 0 for p in profiles), np.int64, n)
        self.cause_bits = np.fromiter((_bits(p.causes, CAUSES) for p in profiles), np.int64, n)
        self.kind_bits = np.fromiter((_bits(p.kinds, KINDS) for p in profiles), np.int64, n)
        self.type_bits = np.fromiter(
            (_bits((KIND_TYPE[k] for k in p.kinds if k in KIND_TYPE), TYPES) for p in profiles),
            np.int64,
            n,
        )
        self.amounts = np.full((n, len(KINDS)), np.nan, dtype=np.float32)
        for i, p in enumerate(profiles):
            for kind, amount in p.amounts.items():
                if kind in KINDS and amount and amount > 0:
                    self.amounts[i, KINDS.index(kind)] = amount
        self.termination = np.fromiter(
            (TERMINATIONS.index(p.termination) if p.termination in TERMINATIONS else 0
             for p in profiles), np.int8, n,
        )  # fmt: skip
        self.region = np.fromiter(
            (int(p.region) if p.region.isdigit() else 0 for p in profiles), np.int64, n
        )
        self.industry = np.fromiter(
            (INDUSTRIES.index(p.industry) if p.industry in INDUSTRIES else 0 for p in profiles),
            np.int8,
            n,
        )
        postings: dict[tuple[int, int, int], list[int]] = {}
        for i, p in enumerate(profiles):
            for key in set(p.articles):
                postings.setdefault(key, []).append(i)
        self.article_postings = {k: np.asarray(v, dtype=np.int64) for k, v in postings.items()}
        self.article_count = np.fromiter((len(set(p.articles)) for p in profiles), np.float32, n)
        self.bm25 = bm25s.BM25()
        self._clauses: dict[str, list[str]] = {}
        if n:
            self.bm25.index(
                [self._doc_tokens(p.text) or [""] for p in profiles], show_progress=False
            )
            indptr = np.asarray(self.bm25.scores["indptr"])
            self.document_frequency = np.diff(indptr)
        else:
            self.document_frequency = np.zeros(0, dtype=np.int64)
        self._clauses = {}

    def _doc_tokens(self, text: str) -> list[str]:
        # Clause by clause, each clause's tokens remembered: jieba cuts at punctuation anyway, so
        # the tokens are exactly those of the whole text, and the clauses that recur across
        # cases (…申请仲裁, 裁决如下) are cut once. Forgotten after the build.
        tokens: list[str] = []
        for clause in CLAUSE.split(text):
            if not clause:
                continue
            found = self._clauses.get(clause)
            if found is None:
                found = self._clauses[clause] = self.tokenizer.tokens(clause)
            tokens.extend(found)
        return tokens

    # -- scoring ---------------------------------------------------------------------------

    def query_tokens(self, text: str) -> list[str]:
        return list(dict.fromkeys(self.tokenizer.tokens(text)))

    def text_scores(self, tokens: list[str]) -> np.ndarray:
        ids = self.bm25.get_tokens_ids(tokens) if self.size else []
        if not ids:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.bm25.get_scores(ids), dtype=np.float32)

    def rare_words(self, tokens: list[str], *, share: float = 0.9) -> list[str]:
        """The query's words found in at most ``share`` of the cases, rarest first."""
        vocabulary = self.bm25.vocab_dict if self.size else {}
        found = [
            (int(self.document_frequency[vocabulary[t]]), t)
            for t in tokens
            if len(t) >= 2 and t in vocabulary
        ]
        limit = max(1, int(share * self.size))
        return [t for df, t in sorted(found) if 0 < df <= limit]

    def score(
        self, query: Query, *, public_only: bool, tokens: list[str] | None = None
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The total score of every case, and each element's similarity (unweighted)."""
        n = self.size
        tokens = self.query_tokens(query.text) if tokens is None else tokens
        parts: dict[str, np.ndarray] = {}
        raw = self.text_scores(tokens)
        mask = np.ones(n, dtype=bool)
        if public_only:
            mask &= self.public
        if query.exclude_source_case:
            mask &= self.source_case != query.exclude_source_case
        best = float(raw[mask].max()) if n and mask.any() else 0.0
        parts["text"] = raw / best if best > 0 else np.zeros(n, dtype=np.float32)
        parts["claims"] = self._claims(query)
        parts["cause"] = _jaccard(self.cause_bits, _bits(query.causes, CAUSES))
        parts["amount"] = self._amounts(query)
        q_term = TERMINATIONS.index(query.termination) if query.termination in TERMINATIONS else 0
        parts["termination"] = (
            ((self.termination == q_term) & (q_term != 0)).astype(np.float32)
            if q_term
            else np.zeros(n, dtype=np.float32)
        )
        parts["articles"] = self._articles(query)
        parts["region"] = self._region(query.region)
        q_industry = INDUSTRIES.index(query.industry) if query.industry in INDUSTRIES else 0
        parts["industry"] = (
            (self.industry == q_industry).astype(np.float32)
            if q_industry
            else np.zeros(n, dtype=np.float32)
        )
        total = np.zeros(n, dtype=np.float32)
        for name, weight in WEIGHTS.items():
            total += weight * parts[name]
        total = np.where(mask, total, 0.0)
        return total, parts

    def rank(
        self, query: Query, *, limit: int = 10, public_only: bool = True
    ) -> tuple[list[Ranked], list[str]]:
        """The best ``limit`` cases (score ≥ ``MIN_SCORE``), and the query's words."""
        tokens = self.query_tokens(query.text)
        total, parts = self.score(query, public_only=public_only, tokens=tokens)
        limit = max(1, min(limit, MAX_LIMIT))
        top = np.argpartition(-total, limit)[:limit] if self.size > limit else np.arange(self.size)
        order = sorted((int(i) for i in top if total[i] >= MIN_SCORE), key=lambda i: -total[i])
        ranked = [
            Ranked(
                position=i,
                id=int(self.ids[i]),
                score=float(total[i]),
                contributions={name: float(w * parts[name][i]) for name, w in WEIGHTS.items()},
            )
            for i in order
        ]
        return ranked, tokens

    def _claims(self, query: Query) -> np.ndarray:
        if not query.kinds:
            return np.zeros(self.size, dtype=np.float32)
        kinds = _jaccard(self.kind_bits, _bits(query.kinds, KINDS))
        types = _jaccard(self.type_bits, _bits((KIND_TYPE[k] for k in query.kinds), TYPES))
        return KIND_SHARE * kinds + (1 - KIND_SHARE) * types

    def _amounts(self, query: Query) -> np.ndarray:
        result = np.zeros(self.size, dtype=np.float32)
        wanted = [(KINDS.index(k), a) for k, a in query.amounts.items() if k in KINDS and a > 0]
        if not wanted:
            return result
        for column, amount in wanted:
            held = self.amounts[:, column]
            present = ~np.isnan(held)
            ratio = np.where(present, np.maximum(held, amount) / np.minimum(held, amount), np.inf)
            result += amount_similarity(ratio)
        return result / len(wanted)

    def _articles(self, query: Query) -> np.ndarray:
        if not query.articles or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        lists = [self.article_postings[k] for k in query.articles if k in self.article_postings]
        if not lists:
            return np.zeros(self.size, dtype=np.float32)
        shared = np.bincount(np.concatenate(lists), minlength=self.size).astype(np.float32)
        denominator = np.sqrt(np.maximum(self.article_count, 1.0) * len(query.articles))
        return shared / denominator

    def _region(self, region: str) -> np.ndarray:
        if not region.isdigit() or len(region) != 6:
            return np.zeros(self.size, dtype=np.float32)
        code = int(region)
        county, city, province = REGION_SCORES
        result = np.where(self.region // 10000 == code // 10000, province, 0.0)
        result = np.where(self.region // 100 == code // 100, city, result)
        result = np.where(self.region == code, county, result)
        return np.where(self.region > 0, result, 0.0).astype(np.float32)


def amount_similarity(ratio: np.ndarray | float) -> np.ndarray:
    """1 within ``AMOUNT_RANGE``; fading (logarithmically) to 0 at ``AMOUNT_RANGE × AMOUNT_FADE``
    beyond it."""
    ratio = np.asarray(ratio, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        fade = 1.0 - np.log(np.maximum(ratio, 1.0) / AMOUNT_RANGE) / math.log(AMOUNT_FADE)
    value = np.where(ratio <= AMOUNT_RANGE, 1.0, np.clip(fade, 0.0, 1.0))
    return np.where(np.isfinite(ratio), value, 0.0).astype(np.float32)


def _jaccard(bits: np.ndarray, query: int) -> np.ndarray:
    if not query:
        return np.zeros(len(bits), dtype=np.float32)
    both = np.bitwise_count(bits & query).astype(np.float32)
    either = np.bitwise_count(bits | query).astype(np.float32)
    return np.divide(both, either, out=np.zeros_like(both), where=either > 0)


# -- the library's index -----------------------------------------------------------------------


def library_revision() -> tuple[Any, ...]:
    """Changes whenever a library case is added or saved: one query on two indexes, cheap at any
    size (a COUNT would read the whole table on every query). A deleted case — cases are
    archived, not deleted — stays in the index until the next change, and is dropped when the
    results are read from the database."""
    found = LibraryCase.objects.aggregate(last=Max("id"), changed=Max("updated_at"))
    return (found["last"], found["changed"])


def profiles_from_database(
    canonical: dict[tuple[int, int, int], tuple[int, int, int]] | None = None,
) -> list[CaseProfile]:
    """Every library case as the index reads it (three queries); ``canonical`` maps an article
    to the one that replaced it."""
    canonical = canonical or {}
    kinds: dict[int, list[str]] = {}
    amounts: dict[int, dict[str, float]] = {}
    for case_id, kind, amount in LibraryClaim.objects.values_list(
        "case_id", "kind", "amount_claimed"
    ).iterator(chunk_size=5000):
        kinds.setdefault(case_id, []).append(kind)
        if amount is not None:
            held = amounts.setdefault(case_id, {})
            held[kind] = held.get(kind, 0.0) + float(amount)
    articles: dict[int, list[tuple[int, int, int]]] = {}
    for case_id, law_id, number, suffix in (
        LibraryCitation.objects.filter(law__isnull=False, article_number__isnull=False)
        .values_list("case_id", "law_id", "article_number", "article_suffix")
        .iterator(chunk_size=5000)
    ):
        key = (law_id, number, suffix)
        articles.setdefault(case_id, []).append(canonical.get(key, key))
    profiles = []
    rows = LibraryCase.objects.order_by("pk").values_list(
        "pk", "public", "title", "facts", "claims_text", "outcome_text", "reasoning",
        "causes", "termination_reason", "region", "industry", "source_case_id",
    )  # fmt: skip
    for row in rows.iterator(chunk_size=2000):
        (pk, public, title, facts, claims, outcome, reasoning, causes, termination, region,
         industry, source_case_id) = row  # fmt: skip
        profiles.append(
            CaseProfile(
                id=pk,
                public=public,
                text="\n".join((title, facts, claims, outcome, reasoning)),
                causes=tuple(causes or ()),
                kinds=tuple(dict.fromkeys(kinds.get(pk, ()))),
                amounts=amounts.get(pk, {}),
                termination=termination,
                region=region,
                industry=industry,
                articles=tuple(articles.get(pk, ())),
                source_case_id=source_case_id,
            )
        )
    return profiles


_lock = threading.Lock()
_index: CaseIndex | None = None


def get_case_index(law_index: SearchIndex | None = None) -> CaseIndex:
    """The index of the library as it is now; rebuilt when the library (or the segmenter's
    dictionary, which comes from the law library) changed. ``law_index``: the law search's
    index, when the caller has it already."""
    global _index
    tokenizer = (law_index or get_index()).tokenizer
    revision = (library_revision(), id(tokenizer))
    index = _index
    if index is not None and index.revision == revision:
        return index
    with _lock:
        if _index is None or _index.revision != revision:
            from .lawpush import canonical_articles

            profiles = profiles_from_database(canonical_articles())
            _index = CaseIndex(profiles, tokenizer, revision)
            logger.info("knowledge case index built: %d cases", len(profiles))
        return _index


def causes_of(kinds: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for k in kinds for c in KIND_CAUSES.get(k, ())))
