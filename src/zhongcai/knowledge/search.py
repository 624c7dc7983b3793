"""Full-text search over the library: exact article look-up first, then BM25.

``search("劳动合同法第四十七条")`` answers that article first, whatever the written form
(劳动合同法 第47条, 《劳动合同法》第四十七条, LCL 47). Any other query is segmented with jieba
(with the library's own terms, ``terms.py``) and ranked by BM25 (bm25s) over two fields, the
title (law names, chapter, article number) and the text, the title counting ``TITLE_BOOST``
times. Filters: level, status of the law, and "in force on a date" (the version in force then,
as citations choose it). Snippets are escaped, then the matched words marked.

The index lives in memory, is built on first use (a few seconds) and rebuilt when the library's
revision moves (checked with one query on each search), so an import shows up on the next query
in every process. No server is needed.

Documents are not only articles: a ``DocumentSource`` yields ``Document``s of its ``kind`` and
says when its data changed. Documents that are not ``public`` never appear in a public search.
The case library keeps its own index (``similar.py``, with this module's segmenter), so that a
law search never pays for a large case library (docs/adr/0006-similar-cases.md).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import bm25s
import jieba
import numpy as np
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .catalog import Catalog, get_catalog, library_revision, normalise
from .models import Article, Heading, Law, article_url
from .numerals import CHINESE_NUMERAL, article_label, parse_number
from .terms import library_terms, practice_synonyms

MAX_QUERY_LENGTH = 200
MAX_LIMIT = 50
# Field weights. The title field (law names, headings, article number) is short and shared by
# every article of a law, so its BM25 scores run high; 0.6–1.0 ranked a set of 14 practitioner
# queries equally well (mean reciprocal rank 0.63), 2.0 worse.
TITLE_BOOST = 0.6
TEXT_BOOST = 1.0
# A query's words found side by side in an article, as typed, count extra (经济补偿 in one piece
# beats 经济 … 补偿 far apart); 工作年限 also matches 工作的年限, as statutes write it.
PHRASE_BOOST = 0.25
# Without a date, the text in force ranks before a repealed one saying the same
# (解释（一）第四十六条 before 解释（四）第五条, which it replaced); with a date, repealed texts are
# filtered out instead.
REPEALED_WEIGHT = 0.7
SNIPPET_LENGTH = 110
STOP_WORDS = frozenset("的了和与或及在是对由等其并为以向从按将被但而则该之所者于把也都就")
WORD = re.compile(r"[\w\u4e00-\u9fff]")

logger = logging.getLogger(__name__)
jieba.setLogLevel(logging.WARNING)
logging.getLogger("bm25s").setLevel(logging.WARNING)


class SearchQueryError(ValueError):
    """The query cannot be searched; the message says why, for the person who typed it."""


@dataclass(frozen=True)
class Document:
    kind: str  # "article"; the case library adds "case"
    key: int  # the object's id within its kind
    title: str  # boosted field
    text: str  # body field
    public: bool = True
    facets: dict[str, Any] = field(default_factory=dict)


class DocumentSource(Protocol):
    kind: str

    def revision(self) -> Hashable: ...

    def documents(self) -> Iterable[Document]: ...

    def vocabulary(self, documents: list[Document]) -> set[str]: ...


class ArticleSource:
    """Every article of every version; facets say which law, level, status and dates."""

    kind = "article"

    def revision(self) -> Hashable:
        return library_revision()

    def documents(self) -> Iterable[Document]:
        laws = {law.pk: law for law in Law.objects.all()}
        headings = {h.pk: h for h in Heading.objects.all()}
        articles = Article.objects.select_related("version").order_by("version_id", "position")
        for article in articles.iterator(chunk_size=1000):
            law = laws[article.version.law_id]
            path = []
            heading = headings.get(article.heading_id) if article.heading_id else None
            while heading is not None:
                path.append(str(heading))
                heading = headings.get(heading.parent_id) if heading.parent_id else None
            label = article.label if article.kind == Article.Kind.PART else article.standard_label
            number = str(article.number) if article.kind == Article.Kind.ARTICLE else ""
            yield Document(
                kind=self.kind,
                key=article.pk,
                title=" ".join([*law.names(), *reversed(path), label, number]),
                text=article.text,
                facets={
                    "law_id": law.pk,
                    "version_id": article.version_id,
                    "level": law.level,
                    "status": law.status,
                    "heading": " ".join(reversed(path)),
                },
            )

    def vocabulary(self, documents: list[Document]) -> set[str]:
        names = sorted({name for law in Law.objects.all() for name in law.names()})
        titles = sorted(set(Heading.objects.values_list("title", flat=True)))
        texts = [d.text for d in documents]
        # Mining the terms takes seconds: keep them on disk, keyed by the text they come from,
        # so that a restarted process builds its index from the same terms quickly.
        digest = hashlib.sha256("\x00".join([*names, *titles, *texts]).encode()).hexdigest()
        path = _cache_dir() / f"terms-{digest[:24]}.txt"
        try:
            return set(path.read_text(encoding="utf-8").split("\n")) - {""}
        except OSError:
            pass
        terms = library_terms(names, titles, texts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text("\n".join(sorted(terms)), encoding="utf-8")
            partial.replace(path)
        except OSError as exc:
            logger.warning("knowledge: cannot cache search terms in %s: %s", path.parent, exc)
        return terms


def _cache_dir() -> Path:
    configured = getattr(settings, "KNOWLEDGE_CACHE_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "knowledge"


SOURCES: list[DocumentSource] = [ArticleSource()]


def register_source(source: DocumentSource) -> None:
    """Add a kind of document to the index (the case library will)."""
    if all(s.kind != source.kind for s in SOURCES):
        SOURCES.append(source)


class Tokenizer:
    """jieba with the library's terms, on its own dictionary (the global one stays untouched).

    A long word also yields the known words inside it, so 经济补偿金 matches a search for
    经济补偿 and 劳务派遣单位 one for 劳务派遣.
    """

    def __init__(self, terms: Iterable[str]):
        self.terms = frozenset(terms)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        for term in sorted(self.terms):
            self._jieba.add_word(term)
        # Documents keep their text across rebuilds: an import re-segments only what changed.
        self._memo: dict[str, list[str]] = {}

    def document_tokens(self, text: str) -> list[str]:
        tokens = self._memo.get(text)
        if tokens is None:
            tokens = self._memo[text] = self.tokens(text)
        return tokens

    def is_word(self, text: str) -> bool:
        return bool(self._jieba.FREQ.get(text))

    def tokens(self, text: str) -> list[str]:
        result: list[str] = []
        for word in self._jieba.cut(normalise(text), HMM=False):
            word = word.strip()
            if not word or word in STOP_WORDS or not WORD.match(word):
                continue
            result.append(word)
            if len(word) > 2:
                result.extend(
                    word[i : i + n]
                    for n in range(2, len(word))
                    for i in range(len(word) - n + 1)
                    if self.is_word(word[i : i + n])
                )
        return result


@dataclass
class SearchIndex:
    revision: tuple[Hashable, ...]
    documents: list[Document]
    tokenizer: Tokenizer
    title_index: bm25s.BM25
    text_index: bm25s.BM25
    kinds: np.ndarray
    public: np.ndarray
    version_ids: np.ndarray
    levels: np.ndarray
    statuses: np.ndarray
    haystacks: list[str]  # normalised texts, for phrase matches
    positions: dict[tuple[str, int], int]  # (kind, key) → position


def _build(revision: tuple[Hashable, ...]) -> SearchIndex:
    documents: list[Document] = []
    terms: set[str] = set()
    for source in SOURCES:
        docs = list(source.documents())
        documents.extend(docs)
        terms |= source.vocabulary(docs)
    tokenizer = _tokenizer_for(frozenset(terms))
    title_index = bm25s.BM25()
    text_index = bm25s.BM25()
    if documents:
        # An empty document still needs a token for bm25s; "" is its empty-document marker.
        title_index.index(
            [tokenizer.document_tokens(d.title) or [""] for d in documents], show_progress=False
        )
        text_index.index(
            [tokenizer.document_tokens(d.text) or [""] for d in documents], show_progress=False
        )
    logger.info("knowledge search index built: %d documents, %d terms", len(documents), len(terms))
    return SearchIndex(
        revision=revision,
        documents=documents,
        tokenizer=tokenizer,
        title_index=title_index,
        text_index=text_index,
        kinds=np.array([d.kind for d in documents], dtype=object),
        public=np.array([d.public for d in documents], dtype=bool),
        version_ids=np.array([d.facets.get("version_id", 0) for d in documents], dtype=np.int64),
        levels=np.array([d.facets.get("level", "") for d in documents], dtype=object),
        statuses=np.array([d.facets.get("status", "") for d in documents], dtype=object),
        haystacks=[normalise(d.text) for d in documents],
        positions={(d.kind, d.key): i for i, d in enumerate(documents)},
    )


_lock = threading.Lock()
_index: SearchIndex | None = None
# The last few segmenters, by their terms: a rebuild after a small change (or a test's rollback)
# reuses one, with the tokens it already cut.
_tokenizers: dict[frozenset[str], Tokenizer] = {}
KEEP_TOKENIZERS = 2


def _tokenizer_for(terms: frozenset[str]) -> Tokenizer:
    tokenizer = _tokenizers.pop(terms, None) or Tokenizer(terms)
    _tokenizers[terms] = tokenizer
    while len(_tokenizers) > KEEP_TOKENIZERS:
        del _tokenizers[next(iter(_tokenizers))]
    return tokenizer


def get_index() -> SearchIndex:
    """The index for the library as it is now; rebuilt when any source's revision moved."""
    global _index
    revision = tuple(source.revision() for source in SOURCES)
    index = _index
    if index is not None and index.revision == revision:
        return index
    with _lock:
        if _index is None or _index.revision != revision:
            _index = _build(revision)
        return _index


# -- queries ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    kind: str
    key: int
    score: float
    exact: bool
    law_id: int
    law_title: str
    law_short_title: str
    level: str
    status: str
    heading: str
    label: str  # 第四十七条 (as the text writes it) or a section's title
    number: int | None  # 47; None for a section of a document without articles
    suffix: int
    version_id: int
    version_date: date | None
    effective_from: date | None
    effective_to: date | None
    snippet: SafeString
    url: str

    @property
    def level_label(self) -> str:
        return str(Law.Level(self.level).label) if self.level else ""

    @property
    def status_label(self) -> str:
        return str(Law.Status(self.status).label) if self.status else ""


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int
    exact: bool  # the first hit is the article the query names


@dataclass(frozen=True)
class ArticleReference:
    law_id: int
    number: int
    suffix: int = 0


REFERENCE = re.compile(
    rf"^《?(?P<name>[^《》]+?)》?\s*(?:第\s*(?P<num>[0-9]+|{CHINESE_NUMERAL})\s*条"
    rf"(?:之(?P<suf>{CHINESE_NUMERAL}))?|(?P<arabic>[0-9]+)\s*条?)"
    rf"(?:\s*第\s*(?:[0-9]+|{CHINESE_NUMERAL})\s*款)?"
    rf"(?:\s*第?\s*（?(?:[0-9]+|{CHINESE_NUMERAL})）?\s*项)?\s*$"
)


def parse_reference(
    query: str, catalog: Catalog, on: date | None = None
) -> ArticleReference | None:
    """The article a query names, in any written form: 劳动合同法 第47条, 劳动合同法第四十七条,
    《劳动合同法》第四十七条, LCL 47."""
    match = REFERENCE.match(normalise(query.strip()))
    if not match:
        return None
    law = catalog.resolve_name(match["name"].strip(), on)
    if law is None:
        return None
    number = parse_number(match["num"] or match["arabic"])
    suffix = parse_number(match["suf"]) if match["suf"] else 0
    if not number or suffix is None:
        return None
    return ArticleReference(law.id, number, suffix)


def clean_query(query: str | None) -> str:
    query = (query or "").strip()
    if not query:
        raise SearchQueryError(_("Type a few words or an article, e.g. 劳动合同法第四十七条."))
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchQueryError(
            _("The query is too long: at most %(max)d characters, found %(n)d.")
            % {"max": MAX_QUERY_LENGTH, "n": len(query)}
        )
    return query


def search(
    query: str | None,
    *,
    level: str | None = None,
    status: str | None = None,
    on: date | None = None,
    limit: int = 20,
    offset: int = 0,
    public_only: bool = True,
) -> SearchResults:
    """Search the library; raises ``SearchQueryError`` for an empty or over-long query or an
    unknown filter value. ``on`` keeps, for each law, the version in force on that day (and
    drops laws not in force then); without it, each law's current text."""
    query = clean_query(query)
    if level and level not in Law.Level.values:
        raise SearchQueryError(_("Unknown level “%(level)s”.") % {"level": level})
    if status and status not in Law.Status.values:
        raise SearchQueryError(_("Unknown status “%(status)s”.") % {"status": status})
    limit = max(1, min(limit, MAX_LIMIT))
    index = get_index()
    catalog = get_catalog()

    mask = _mask(index, catalog, level=level, status=status, on=on, public_only=public_only)
    exact = _exact_article(index, catalog, query, on, mask)
    tokens = _query_tokens(index.tokenizer, query)
    scores = np.where(mask, _scores(index, tokens, query), 0.0)
    order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0]
    if exact is not None:
        order = [exact, *(i for i in order if i != exact)]
    page = order[offset : offset + limit]
    hits = _hits(index, catalog, page, scores, tokens, exact_position=exact)
    return SearchResults(query=query, hits=hits, total=len(order), exact=exact is not None)


def _mask(
    index: SearchIndex,
    catalog: Catalog,
    *,
    level: str | None,
    status: str | None,
    on: date | None,
    public_only: bool,
) -> np.ndarray:
    versions = set()
    for law in catalog.laws.values():
        chosen = catalog.version_on(law, on)
        if chosen is not None:
            versions.add(chosen.version.id)
    mask = np.isin(index.version_ids, np.fromiter(versions, dtype=np.int64, count=len(versions)))
    mask |= index.kinds != "article"
    if public_only:
        mask &= index.public
    if level:
        mask &= index.levels == level
    if status:
        mask &= index.statuses == status
    return mask


def _exact_article(
    index: SearchIndex, catalog: Catalog, query: str, on: date | None, mask: np.ndarray
) -> int | None:
    """The position of the article the query names, if it passes the filters."""
    reference = parse_reference(query, catalog, on)
    if reference is None:
        return None
    chosen = catalog.version_on(catalog.laws[reference.law_id], on)
    if chosen is None:
        return None
    article = catalog.article(chosen.version.id, reference.number, reference.suffix)
    position = index.positions.get(("article", article.id)) if article else None
    return position if position is not None and mask[position] else None


def _query_tokens(tokenizer: Tokenizer, query: str) -> list[str]:
    tokens = tokenizer.tokens(query)
    for word, means in practice_synonyms().items():
        if word in query:
            for phrase in means:
                tokens.extend(tokenizer.tokens(phrase))
    return list(dict.fromkeys(tokens))


def _scores(index: SearchIndex, tokens: list[str], query: str) -> np.ndarray:
    size = len(index.documents)
    if not tokens or not size:
        return np.zeros(size, dtype=np.float32)
    title = _field_scores(index.title_index, tokens, size)
    text = _field_scores(index.text_index, tokens, size)
    scores = TITLE_BOOST * title + TEXT_BOOST * text
    phrases = _phrases(query)
    if phrases and scores.max() > 0:
        bonus = PHRASE_BOOST * float(scores.max())
        for i in np.flatnonzero(scores > 0):
            found = sum(1 for p in phrases if p.search(index.haystacks[i]))
            if found:
                scores[i] += bonus * found / len(phrases)
    scores[index.statuses == Law.Status.REPEALED] *= REPEALED_WEIGHT
    return scores


def _phrases(query: str) -> list[re.Pattern[str]]:
    """Each space-separated part of the query, a 的 allowed between its characters."""
    return [
        re.compile("的?".join(re.escape(c) for c in part))
        for part in normalise(query).split()
        if len(part) >= 2
    ]


def _field_scores(bm25: bm25s.BM25, tokens: list[str], size: int) -> np.ndarray:
    ids = bm25.get_tokens_ids(tokens)
    if not ids:
        return np.zeros(size, dtype=np.float32)
    return np.asarray(bm25.get_scores(ids), dtype=np.float32)


def _hits(
    index: SearchIndex,
    catalog: Catalog,
    positions: list[int],
    scores: np.ndarray,
    tokens: list[str],
    *,
    exact_position: int | None,
) -> list[SearchHit]:
    documents = [index.documents[i] for i in positions]
    articles = Article.objects.in_bulk([d.key for d in documents if d.kind == "article"])
    top = float(scores.max()) if len(scores) else 0.0
    hits = []
    for position, document in zip(positions, documents, strict=True):
        article = articles.get(document.key)
        if article is None:
            continue
        law = catalog.laws[document.facets["law_id"]]
        version = next(v for v in law.versions if v.id == article.version_id)
        exact = position == exact_position
        number = article.number if article.kind == Article.Kind.ARTICLE else None
        hits.append(
            SearchHit(
                kind=document.kind,
                key=document.key,
                score=round(float(scores[position]) if not exact else max(top, 0.0) + 1.0, 4),
                exact=exact,
                law_id=law.id,
                law_title=law.title,
                law_short_title=law.short_title,
                level=law.level,
                status=law.status,
                heading=document.facets.get("heading", ""),
                label=article.label if number is None else article_label(number, article.suffix),
                number=number,
                suffix=article.suffix,
                version_id=version.id,
                version_date=version.version_date,
                effective_from=version.effective_from,
                effective_to=version.effective_to,
                snippet=snippet(article.text, tokens),
                url=article_url(law.id, article.number, article.suffix, version_id=version.id),
            )
        )
    return hits


def snippet(text: str, tokens: list[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """The part of ``text`` where the query's words are densest, escaped, words in ``<mark>``."""
    flat = " ".join(text.split("\n"))
    haystack = normalise(flat)
    words = sorted({t for t in tokens if len(t) >= 2 or t.isdigit()}, key=len, reverse=True)
    spans: list[tuple[int, int]] = []
    if words:
        pattern = re.compile("|".join(re.escape(w) for w in words))
        spans = [m.span() for m in pattern.finditer(haystack)]
    start = 0
    if spans and len(flat) > length:
        best = max(
            range(len(spans)),
            key=lambda i: (
                sum(1 for s, _e in spans if spans[i][0] <= s < spans[i][0] + length),
                -i,
            ),
        )
        start = max(0, min(spans[best][0] - 20, len(flat) - length))
    end = min(len(flat), start + length)
    pieces = ["…" if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < position or span_end > end:
            continue
        pieces.append(escape(flat[position:span_start]))
        pieces.append(f"<mark>{escape(flat[span_start:span_end])}</mark>")
        position = span_end
    pieces.append(escape(flat[position:end]))
    pieces.append("…" if end < len(flat) else "")
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text is escaped


@dataclass(frozen=True)
class ArticleMatch:
    article_id: int
    score: float
    words: list[str]  # the text's words found in the article


def rank_articles(
    text: str,
    *,
    on: date | None,
    limit: int = 10,
    index: SearchIndex | None = None,
    catalog: Catalog | None = None,
    ignore: frozenset[str] = frozenset(),
) -> list[ArticleMatch]:
    """The articles in force on ``on`` that best match a long text (a case's facts), by BM25.

    Unlike ``search`` there is no length limit and no phrase bonus (a text of facts is not a
    phrase), and only articles are ranked: the law push's search part.
    """
    index = index or get_index()
    catalog = catalog or get_catalog()
    tokens = [
        t for t in dict.fromkeys(index.tokenizer.tokens(text)) if len(t) >= 2 and t not in ignore
    ]
    size = len(index.documents)
    if not tokens or not size:
        return []
    mask = _mask(index, catalog, level=None, status=None, on=on, public_only=True)
    mask &= index.kinds == "article"
    scores = TITLE_BOOST * _field_scores(index.title_index, tokens, size)
    scores += TEXT_BOOST * _field_scores(index.text_index, tokens, size)
    scores = np.where(mask, scores, 0.0)
    top = (
        np.argpartition(-scores, min(limit, size - 1))[:limit] if size > limit else np.arange(size)
    )
    top = sorted((int(i) for i in top if scores[i] > 0), key=lambda i: -scores[i])
    return [
        ArticleMatch(
            article_id=index.documents[i].key,
            score=float(scores[i]),
            words=[t for t in tokens if t in index.haystacks[i]],
        )
        for i in top
    ]
