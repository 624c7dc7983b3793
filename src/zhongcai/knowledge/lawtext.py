"""Reading one law text in the LawRefBook Markdown format (knowledge/data/laws/SOURCE.md).

- line 1 ``# <title>``; a law published in parts (民法典) has a second ``# <part>`` line;
- adoption and amendment lines, then the marker ``<!-- INFO END -->``;
- headings ``## 第一章 …`` / ``### 第一节 …`` (``####`` in 民法典, whose parts have 分编);
- each article starts a line with ``第X条`` and a space; its further lines are paragraphs (款) or,
  when they start with ``（一）``, items (项) of the paragraph before them.

A document without any ``第X条`` (a notice) is read as sections instead: the text before the first
heading, then each heading with the lines under it.

Nothing here touches the database; ``parse_law_text`` returns what it read and every problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .numerals import CHINESE_NUMERAL, article_label, parse_number

INFO_END = "<!-- INFO END -->"
ARTICLE_RE = re.compile(
    rf"^第(?P<number>{CHINESE_NUMERAL})条(?:之(?P<suffix>{CHINESE_NUMERAL}))?"
    r"(?:[ \u3000]+(?P<text>.*))?$"
)
HEADING_RE = re.compile(r"^(?P<marks>#{1,6})(?:[ \u3000]+(?P<text>.*))?$")
HEADING_LABEL_RE = re.compile(
    rf"^(?P<label>第{CHINESE_NUMERAL}(?:分编|编|章|节))[ \u3000]*(?P<title>.*)$"
)
ITEM_RE = re.compile(rf"^[（(](?P<number>{CHINESE_NUMERAL})[）)][ \u3000]*(?P<text>.*)$")


@dataclass
class ParsedHeading:
    depth: int
    label: str
    title: str
    parent: int | None  # index into the file's headings


@dataclass
class ParsedArticle:
    kind: str  # "article" or "part" (see models.Article.Kind)
    number: int
    suffix: int
    label: str
    lines: list[str]
    heading: int | None  # index into the headings
    paragraphs: list[dict[str, object]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class ParsedText:
    titles: list[str]  # the ``#`` lines before the marker: law title, then the part name
    promulgation: list[str]
    preamble: list[str]
    headings: list[ParsedHeading]
    articles: list[ParsedArticle]
    errors: list[str]


def split_paragraphs(lines: list[str]) -> list[dict[str, object]]:
    """Lines of one article → its paragraphs, each with the items that follow it."""
    paragraphs: list[dict[str, object]] = []
    for line in lines:
        match = ITEM_RE.match(line)
        number = parse_number(match["number"]) if match else None
        if match and number and paragraphs:
            items: list[dict[str, object]] = paragraphs[-1]["items"]  # type: ignore[assignment]
            items.append(
                {
                    "number": number,
                    "label": line[: match.start("text")].strip(),
                    "text": match["text"],
                }
            )
        else:
            paragraphs.append({"text": line, "items": []})
    return paragraphs


def parse_law_text(text: str, *, name: str, in_parts: bool = False) -> ParsedText:
    """Read one file; ``name`` is how errors refer to it. A file that is one part of a law
    (``in_parts``) names the part on its second ``#`` line; the part becomes the outermost heading.
    """
    depth_offset = 1 if in_parts else 0
    lines = [line.strip() for line in text.lstrip("\ufeff").splitlines()]
    errors: list[str] = []
    try:
        marker = lines.index(INFO_END)
    except ValueError:
        errors.append(
            _("%(file)s: the marker line %(marker)s is missing.")
            % {"file": name, "marker": INFO_END}
        )
        marker = -1
    titles: list[str] = []
    promulgation: list[str] = []
    for line in lines[: max(marker, 0)]:
        heading = HEADING_RE.match(line)
        if heading and len(heading["marks"]) == 1:
            titles.append((heading["text"] or "").strip())
        elif line:
            promulgation.append(line)
    if not titles:
        errors.append(_("%(file)s: the first line must be “# <title>”.") % {"file": name})

    headings: list[ParsedHeading] = []
    articles: list[ParsedArticle] = []
    preamble: list[str] = []
    stack: list[int] = []  # open headings, outermost first
    if in_parts:
        if len(titles) < 2:
            errors.append(
                _("%(file)s: a part of a law needs a second line “# <part>”.") % {"file": name}
            )
        else:
            headings.append(ParsedHeading(depth=1, label="", title=titles[1], parent=None))
            stack.append(0)
    current: ParsedArticle | None = None
    loose: list[tuple[int, str]] = []  # text of a heading before any article (sections)
    for line_number, line in enumerate(lines[marker + 1 :], start=marker + 2):
        if not line:
            continue
        heading = HEADING_RE.match(line)
        if heading:
            title_text = (heading["text"] or "").strip()
            current = None
            if not title_text:
                continue  # an empty "##" (民法典 附则) opens nothing
            depth = len(heading["marks"]) - 1 + depth_offset
            while stack and headings[stack[-1]].depth >= depth:
                stack.pop()
            labelled = HEADING_LABEL_RE.match(title_text)
            headings.append(
                ParsedHeading(
                    depth=depth,
                    label=labelled["label"] if labelled else "",
                    title=(labelled["title"] if labelled else title_text).strip(),
                    parent=stack[-1] if stack else None,
                )
            )
            stack.append(len(headings) - 1)
            continue
        article = ARTICLE_RE.match(line)
        if article:
            number = parse_number(article["number"])
            suffix = parse_number(article["suffix"]) if article["suffix"] else 0
            if number is None or suffix is None:
                errors.append(
                    _("%(file)s line %(line)d: “%(text)s” is not an article number.")
                    % {"file": name, "line": line_number, "text": line[:20]}
                )
                continue
            first = (article["text"] or "").strip()
            current = ParsedArticle(
                kind="article",
                number=number,
                suffix=suffix,
                label=line[: article.start("text")].strip() if article["text"] else line,
                lines=[first] if first else [],
                heading=stack[-1] if stack else None,
            )
            articles.append(current)
            continue
        if current is not None:
            current.lines.append(line)
        else:
            loose.append((len(headings) - 1, line))
    if articles:
        # Text between the marker and the first article is a preamble; anywhere else it is a
        # line the format does not allow.
        for heading_index, line in loose:
            if heading_index == -1:
                preamble.append(line)
            else:
                errors.append(
                    _("%(file)s: text under “%(heading)s” before its first article: “%(text)s”.")
                    % {"file": name, "heading": headings[heading_index].title, "text": line[:30]}
                )
    else:
        articles = _sections(loose, headings)
        headings = []
    for parsed in articles:
        if not parsed.lines:
            errors.append(
                _("%(file)s: %(label)s has no text.") % {"file": name, "label": parsed.label}
            )
        parsed.paragraphs = split_paragraphs(parsed.lines)
    return ParsedText(titles, promulgation, preamble, headings, articles, errors)


def _sections(loose: list[tuple[int, str]], headings: list[ParsedHeading]) -> list[ParsedArticle]:
    """A document without articles: one part for the opening text, one per heading."""
    parts: dict[int, ParsedArticle] = {}
    for heading_index, line in loose:
        part = parts.get(heading_index)
        if part is None:
            label = ""
            if heading_index >= 0:
                heading = headings[heading_index]
                label = " ".join(p for p in (heading.label, heading.title) if p)
            part = ParsedArticle("part", len(parts) + 1, 0, label, [], None)
            parts[heading_index] = part
        part.lines.append(line)
    return list(parts.values())


def check_numbering(
    articles: list[ParsedArticle], *, first: int, name: str, missing: set[int]
) -> list[str]:
    """Articles must run 第一条, 第二条 … with 之一 after their base; ``missing`` lists numbers the
    source is known to skip (a reviewed, documented defect)."""
    errors: list[str] = []
    expected, last_suffix = first, 0
    previous: tuple[int, int] | None = None
    for article in articles:
        key = (article.number, article.suffix)
        if previous is not None and key <= previous:
            errors.append(
                _("%(file)s: %(label)s comes after %(previous)s (numbers must increase).")
                % {"file": name, "label": article.label, "previous": _label_of(previous)}
            )
            previous = key
            continue
        if article.suffix:
            if (
                previous is None
                or article.number != previous[0]
                or article.suffix != last_suffix + 1
            ):
                errors.append(
                    _("%(file)s: %(label)s does not follow its base article.")
                    % {"file": name, "label": article.label}
                )
            last_suffix = article.suffix
        else:
            while expected in missing and expected < article.number:
                expected += 1
            if article.number != expected:
                errors.append(
                    _("%(file)s: expected article %(expected)d, found %(label)s.")
                    % {"file": name, "expected": expected, "label": article.label}
                )
            expected, last_suffix = article.number + 1, 0
        previous = key
    return errors


def _label_of(key: tuple[int, int]) -> str:
    return article_label(*key)


def derive_names(title: str) -> tuple[str, list[str]]:
    """The short title and the aliases a title implies, without any hand-made list:

    中华人民共和国劳动合同法 → 劳动合同法; 最高人民法院关于审理劳动争议案件适用法律问题的解释（一）
    → 劳动争议解释（一）, also 解释（一） and the title without 最高人民法院.
    """
    short, aliases = title, []
    if title.startswith("中华人民共和国"):
        short = title.removeprefix("中华人民共和国")
    interpretation = re.match(
        r"^最高人民法院关于审理(?P<subject>.+?)案件适用法律(?:若干)?问题的解释(?P<ordinal>（[一二三四五六七八九十]+）)?$",
        title,
    )
    if interpretation:
        ordinal = interpretation["ordinal"] or ""
        short = f"{interpretation['subject']}解释{ordinal}"
        if ordinal:
            aliases.append(f"解释{ordinal}")
            aliases.append(f"{interpretation['subject']}司法解释{ordinal}")
    if title.startswith("最高人民法院关于"):
        aliases.append(title.removeprefix("最高人民法院"))
    return short, [a for a in aliases if a != short and a != title]
