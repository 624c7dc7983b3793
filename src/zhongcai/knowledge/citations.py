"""Recognising legal citations in Chinese text and linking them to the article in force.

``find_citations("依据《劳动合同法》第四十七条第二款…", on=date(2023, 5, 1))`` returns one
``Citation`` per reference: where it is in the text, which law, article, paragraph (款) and item
(项), and the article of the version in force on ``on`` — the date of the facts — so an award
about 2012 facts links to the text that applied in 2012 (domain/anchors.md, gap 4).

What is recognised, and the worked examples every change is tested against, are in
``data/citation_rules.json``: law names (every title, short title and alias in the library, with
or without 《》), self-references (本法第X条, resolved to the ``context`` law), relative ones
(前款, 前条, 本条 — relative to the ``context`` article and paragraph), anaphora (该法第X条: the
law cited last), lists (第三十九条、第四十条) and nested 款/项 (第二十六条第一款第（一）项).

A citation whose law was not in force on ``on`` (a repealed interpretation cited for later facts)
is returned with ``problem="not_in_force"`` and no article: recognised, labelled, never linked.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .catalog import ArticleEntry, Catalog, LawEntry, get_catalog, normalise
from .models import article_url
from .numerals import CHINESE_NUMERAL, article_label, parse_number

RULES_FILE = Path(__file__).resolve().parent / "data" / "citation_rules.json"
NUM = rf"(?:[0-9]+|{CHINESE_NUMERAL})"
_ARTICLE = rf"第\s*(?P<art>{NUM})\s*条(?:之(?P<suf>{NUM}))?"
_PARAGRAPH = rf"第\s*(?P<para>{NUM})\s*款"
_ITEM = rf"(?:第\s*(?P<item_plain>{NUM})\s*项|第?\s*（(?P<item>{NUM})）\s*项?)"
ARTICLE_UNIT = re.compile(rf"{_ARTICLE}(?:\s*{_PARAGRAPH})?(?:\s*{_ITEM})?")
PARAGRAPH_UNIT = re.compile(rf"{_PARAGRAPH}(?:\s*{_ITEM})?")
ITEM_UNIT = re.compile(_ITEM)
BARE_ARTICLE = re.compile(rf"第\s*{NUM}\s*条")
# （法释〔2020〕26号）, （国家统计局令第1号）, （劳部发〔1994〕489号）: skipped between a title
# and 第X条.
DOCUMENT_NUMBER = re.compile(r"\s*（[^（）《》\n]{1,40}?号）")
# A bare 第X条 right after these belongs to a law the library does not know (民事诉讼法第X条,
# 《某某规定》第X条): it must not be taken for the context law.
FOREIGN_NAME_END = re.compile(r"(?:[法例定则释知见》]|[A-Z0-9])\s*$")


class Problem:
    NOT_IN_FORCE = "not_in_force"
    NO_SUCH_ARTICLE = "no_such_article"
    NO_SUCH_PARAGRAPH = "no_such_paragraph"
    NO_SUCH_ITEM = "no_such_item"


@dataclass(frozen=True)
class CitationContext:
    """Where the text sits: the law 本法 means, the article 前款/前条/本条 are relative to, and
    (optionally) the version they are in, e.g. when an older text of a law is displayed."""

    law_id: int | None = None
    article_number: int | None = None
    article_suffix: int = 0
    paragraph: int | None = None
    version_id: int | None = None

    @classmethod
    def of_article(cls, article: Any, paragraph: int | None = None) -> CitationContext:
        return cls(
            law_id=article.version.law_id,
            article_number=article.number,
            article_suffix=article.suffix,
            paragraph=paragraph,
            version_id=article.version_id,
        )


@dataclass(frozen=True)
class Citation:
    start: int
    end: int
    text: str
    law_id: int
    law_title: str
    law_short_title: str
    law_repealed: bool
    article_number: int | None  # None for a citation of a whole law (《劳动合同法》)
    article_suffix: int = 0
    paragraph: int | None = None
    paragraph_to: int | None = None  # 前两款: paragraphs ``paragraph`` … ``paragraph_to``
    item: int | None = None
    article_id: int | None = None
    version_id: int | None = None
    version_date: date | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    approximate: bool = False  # the facts predate every text of the law held here
    problem: str | None = None

    @property
    def article_label(self) -> str:
        if self.article_number is None:
            return ""
        return article_label(self.article_number, self.article_suffix)

    @property
    def url(self) -> str | None:
        if self.article_number is None:
            return None if self.problem else reverse("knowledge:law-detail", args=[self.law_id])
        if self.article_id is None or self.version_id is None:
            return None
        anchor = ""
        if self.paragraph and self.problem is None:
            anchor = f"#p{self.paragraph}" + (f"-i{self.item}" if self.item else "")
        url = article_url(
            self.law_id, self.article_number, self.article_suffix, version_id=self.version_id
        )
        return url + anchor


@cache
def load_rules(path: Path = RULES_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        rules: dict[str, Any] = json.load(handle)
    return rules


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _start_pattern(catalog: Catalog) -> re.Pattern[str]:
    pattern = catalog.extras.get("citation_start")
    if pattern is None:
        rules = load_rules()
        names = _alternation(list(catalog.names))
        pattern = re.compile(
            rf"《(?P<bracketed>{names})》"
            rf"|《(?P<unknown>[^《》\n]{{1,80}})》"
            rf"|(?<![A-Z0-9])(?P<name>{names})(?=\s*第)"
            rf"|(?P<self>{_alternation(rules['self_references'])})(?=\s*第)"
            rf"|(?P<anaphor>{_alternation(rules['anaphora'])})(?=\s*第)"
            rf"|(?P<relative>{_alternation(list(rules['relative']))})(?!例)"
            rf"|(?P<bare>(?={BARE_ARTICLE.pattern}))"
        )
        catalog.extras["citation_start"] = pattern
    return pattern


@dataclass
class _Target:
    law: LawEntry
    version_id: int | None  # fixed by the context, else chosen by date
    number: int | None = None
    suffix: int = 0
    paragraph: int | None = None
    paragraph_to: int | None = None
    item: int | None = None


def find_citations(
    text: str,
    *,
    on: date | None = None,
    context: CitationContext | None = None,
    catalog: Catalog | None = None,
) -> list[Citation]:
    """Every citation in ``text``, in order, linked to the version in force on ``on``.

    Without ``on``, the current text (a repealed law's last one). ``context`` resolves 本法,
    前款, 前条, 本条 and bare 第X条; without it those are left alone.
    """
    catalog = catalog or get_catalog()
    rules = load_rules()
    source = normalise(text)
    pattern = _start_pattern(catalog)
    context = context or CitationContext()
    context_law = catalog.laws.get(context.law_id) if context.law_id else None
    connectors = _alternation(rules["connectors"] + rules["ranges"])
    connector_re = re.compile(rf"\s*(?:{connectors})\s*")
    found: list[Citation] = []
    last_law: LawEntry | None = None
    position = 0
    while True:
        match = pattern.search(source, position)
        if match is None:
            break
        position = max(match.end(), match.start() + 1)
        kind = match.lastgroup
        after = match.end()
        target: _Target | None = None
        if kind == "bracketed" or kind == "name":
            law = catalog.resolve_name(match[kind], on)
            if law is None:
                continue
            last_law = law
            target = _Target(law, None)
            if kind == "bracketed":
                after = _skip_document_number(source, match.end())
            if kind == "bracketed" and not re.match(r"\s*第", source[after:]):
                found.append(_resolve(catalog, target, match.start(), match.end(), text, on))
                continue
        elif kind == "unknown":
            # An unknown title: skip the references that follow it, they are not ours.
            chain_end = _skip_chain(
                source, _skip_document_number(source, match.end()), connector_re
            )
            position = max(position, chain_end)
            continue
        elif kind == "self" and context_law is not None:
            target = _Target(context_law, context.version_id)
        elif kind == "anaphor" and last_law is not None:
            target = _Target(last_law, None)
        elif kind == "bare" and context_law is not None:
            if FOREIGN_NAME_END.search(source[max(0, match.start() - 1) : match.start()]):
                position = _skip_chain(source, match.start(), connector_re)
                continue
            target = _Target(context_law, context.version_id)
        elif kind == "relative" and context_law is not None and context.article_number:
            relative = _relative(rules["relative"][match["relative"]], context, context_law)
            if relative is not None:
                position = _chain(
                    catalog,
                    source,
                    text,
                    (match.start(), match.end()),
                    relative,
                    connector_re,
                    on,
                    found,
                    relative=True,
                )
            continue
        if target is None:
            continue
        unit = ARTICLE_UNIT.match(source, _skip_space(source, after))
        if unit is None:
            continue
        _apply_unit(target, unit)
        position = _chain(
            catalog, source, text, (match.start(), unit.end()), target, connector_re, on, found
        )
    return found


def _skip_document_number(source: str, position: int) -> int:
    """Past a document number between a title and its article:
    《解释（一）》（法释〔2020〕26号）第X条."""
    found = DOCUMENT_NUMBER.match(source, position)
    return found.end() if found else position


def _skip_space(source: str, position: int) -> int:
    while position < len(source) and source[position].isspace():
        position += 1
    return position


def _skip_chain(source: str, position: int, connector_re: re.Pattern[str]) -> int:
    unit = ARTICLE_UNIT.match(source, _skip_space(source, position))
    while unit is not None:
        position = unit.end()
        joint = connector_re.match(source, position)
        if joint is None:
            break
        unit = (
            ARTICLE_UNIT.match(source, joint.end())
            or PARAGRAPH_UNIT.match(source, joint.end())
            or ITEM_UNIT.match(source, joint.end())
        )
    return position


def _apply_unit(target: _Target, unit: re.Match[str]) -> None:
    groups = unit.groupdict()
    if groups.get("art"):
        target.number = parse_number(groups["art"])
        target.suffix = (parse_number(groups["suf"]) or 0) if groups.get("suf") else 0
        target.paragraph = target.paragraph_to = target.item = None
    if groups.get("para"):
        target.paragraph = parse_number(groups["para"])
        target.paragraph_to = target.item = None
    item = groups.get("item") or groups.get("item_plain")
    if item:
        target.item = parse_number(item)


def _chain(
    catalog: Catalog,
    source: str,
    text: str,
    span: tuple[int, int],
    target: _Target,
    connector_re: re.Pattern[str],
    on: date | None,
    found: list[Citation],
    *,
    relative: bool = False,
) -> int:
    """Emit ``target`` for ``span``, then follow 、第四十条 / 、第二款 / 、（二）项 … ."""
    start, end = span
    if relative:
        # 本条第二款, 前款第（一）项: the unit right after a relative reference narrows it.
        tail = _skip_space(source, end)
        unit = PARAGRAPH_UNIT.match(source, tail) if target.paragraph is None else None
        unit = unit or ITEM_UNIT.match(source, tail)
        if unit is not None:
            _apply_unit(target, unit)
            end = unit.end()
    found.append(_resolve(catalog, target, start, end, text, on))
    while True:
        joint = connector_re.match(source, end)
        if joint is None:
            return end
        after = joint.end()
        unit = ARTICLE_UNIT.match(source, after) or PARAGRAPH_UNIT.match(source, after)
        if unit is None and target.item is not None:
            unit = ITEM_UNIT.match(source, after)
        if unit is None:
            return end
        target = _Target(
            target.law,
            target.version_id,
            target.number,
            target.suffix,
            target.paragraph,
            None,
            target.item,
        )
        _apply_unit(target, unit)
        found.append(_resolve(catalog, target, unit.start(), unit.end(), text, on))
        end = unit.end()


def _relative(rule: dict[str, int], context: CitationContext, law: LawEntry) -> _Target | None:
    number, suffix = context.article_number or 0, context.article_suffix
    if rule.get("article", 0) == -1:
        number, suffix = (number, suffix - 1) if suffix else (number - 1, 0)
        if number < 1:
            return None
    target = _Target(law, context.version_id, number, suffix)
    if "paragraph" in rule:
        if context.paragraph is None:
            return None
        first = context.paragraph + rule["paragraph"]
        if first < 1:
            return None
        target.paragraph = first
        count = rule.get("paragraphs", 1)
        if count > 1:
            target.paragraph_to = first + count - 1
    return target


def _resolve(
    catalog: Catalog, target: _Target, start: int, end: int, text: str, on: date | None
) -> Citation:
    law = target.law
    base = {
        "start": start,
        "end": end,
        "text": text[start:end],
        "law_id": law.id,
        "law_title": law.title,
        "law_short_title": law.short_title,
        "law_repealed": law.is_repealed,
        "article_number": target.number,
        "article_suffix": target.suffix,
        "paragraph": target.paragraph,
        "paragraph_to": target.paragraph_to,
        "item": target.item,
    }
    if target.version_id is not None:
        version = next((v for v in law.versions if v.id == target.version_id), None)
        match_approximate = False
    else:
        chosen = catalog.version_on(law, on)
        version = chosen.version if chosen else None
        match_approximate = bool(chosen and chosen.approximate)
    if version is None:
        return Citation(**base, problem=Problem.NOT_IN_FORCE)
    dates = {
        "version_id": version.id,
        "version_date": version.version_date,
        "effective_from": version.effective_from,
        "effective_to": version.effective_to,
        "approximate": match_approximate,
    }
    if target.number is None:
        return Citation(**base, **dates)
    article = catalog.article(version.id, target.number, target.suffix)
    if article is None:
        return Citation(**base, **dates, problem=Problem.NO_SUCH_ARTICLE)
    problem = None
    last_paragraph = target.paragraph_to or target.paragraph
    if last_paragraph is not None and last_paragraph > len(article.items):
        problem = Problem.NO_SUCH_PARAGRAPH
    elif target.item is not None:
        paragraph = target.paragraph or 1
        if paragraph > len(article.items) or target.item > article.items[paragraph - 1]:
            problem = Problem.NO_SUCH_ITEM
    return Citation(**base, **dates, article_id=article.id, problem=problem)


def describe(citation: Citation) -> str:
    """The tooltip of a link: which text it is and from when."""
    if citation.problem == Problem.NOT_IN_FORCE:
        return _("%(law)s was not in force on that date.") % {"law": citation.law_title}
    parts = [citation.law_title, citation.article_label]
    if citation.effective_from:
        parts.append(
            _("text in force from %(date)s") % {"date": citation.effective_from.isoformat()}
        )
    if citation.approximate:
        parts.append(_("the library holds no older text"))
    if citation.problem in (Problem.NO_SUCH_PARAGRAPH, Problem.NO_SUCH_ITEM):
        parts.append(_("the paragraph or item cited does not exist in this text"))
    if citation.problem == Problem.NO_SUCH_ARTICLE:
        parts.append(_("no such article in this text"))
    if citation.law_repealed:
        parts.append(_("repealed"))
    return " · ".join(p for p in parts if p)


def link_citations(
    text: str,
    *,
    on: date | None = None,
    context: CitationContext | None = None,
    catalog: Catalog | None = None,
) -> SafeString:
    """``text`` as HTML (escaped) with every linked citation an ``<a class="citation">``."""
    pieces: list[str] = []
    position = 0
    for citation in find_citations(text, on=on, context=context, catalog=catalog):
        if citation.start < position:
            continue
        pieces.append(escape(text[position : citation.start]))
        url = citation.url
        css = "citation" + (" citation-stale" if citation.law_repealed or citation.problem else "")
        if url:
            pieces.append(
                format_html(
                    '<a class="{}" href="{}" title="{}">{}</a>',
                    css,
                    url,
                    describe(citation),
                    citation.text,
                )
            )
        else:
            pieces.append(
                format_html(
                    '<span class="{}" title="{}">{}</span>', css, describe(citation), citation.text
                )
            )
        position = citation.end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped or format_html


def cited_by(article_id: int, *, catalog: Catalog | None = None) -> list[ArticleEntry]:
    """The articles of the library whose text cites ``article_id`` (any version), in order."""
    catalog = catalog or get_catalog()
    graph = catalog.extras.get("cited_by")
    if graph is None:
        graph = _citation_graph(catalog)
        catalog.extras["cited_by"] = graph
    return [catalog.articles_by_id[i] for i in graph.get(article_id, ())]


def _citation_graph(catalog: Catalog) -> dict[int, list[int]]:
    """Cited article → citing articles, from every article's text. Built once per catalog."""
    from .models import Article

    graph: dict[int, list[int]] = {}
    versions = {v.id: v for law in catalog.laws.values() for v in law.versions}
    rows = Article.objects.filter(kind=Article.Kind.ARTICLE).values_list(
        "id", "version_id", "version__law_id", "number", "suffix", "paragraphs"
    )
    for pk, version_id, law_id, number, suffix, paragraphs in rows.order_by(
        "version_id", "position"
    ):
        on = versions[version_id].effective_from
        targets: list[int] = []
        for index, paragraph in enumerate(paragraphs, start=1):
            context = CitationContext(law_id, number, suffix, index, version_id)
            text = "\n".join([paragraph["text"], *(item["text"] for item in paragraph["items"])])
            for citation in find_citations(text, on=on, context=context, catalog=catalog):
                if citation.article_id and citation.article_id != pk:
                    targets.append(citation.article_id)
        for target in dict.fromkeys(targets):
            graph.setdefault(target, []).append(pk)
    return graph
