"""Reads of the library. Laws are public: nothing about them depends on who asks. Library cases
are public or for staff only (``library_cases_visible_to``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Max, Prefetch, QuerySet
from django.http import Http404

from .models import (
    Article,
    Heading,
    Law,
    LawVersion,
    LibraryCase,
    LibraryCitation,
    SimilarityFeedback,
)

# A law longer than this is shown one part (编) at a time: the Civil Code's 1,260 articles are
# too much for one phone page.
ARTICLES_PER_PAGE = 300


@dataclass(frozen=True)
class LawGroup:
    level: str
    label: str
    laws: list[Law]


def law_groups() -> list[LawGroup]:
    """Every law, by level in rank order; within a level those in force first. Two queries."""
    current = LawVersion.objects.order_by("-effective_from")
    laws = Law.objects.prefetch_related(Prefetch("versions", queryset=current)).order_by("title")
    by_level: dict[str, list[Law]] = defaultdict(list)
    for law in laws:
        by_level[law.level].append(law)
    return [
        LawGroup(
            level,
            str(label),
            sorted(by_level[level], key=lambda law: (law.status == Law.Status.REPEALED, law.title)),
        )
        for level, label in Law.Level.choices
        if by_level.get(level)
    ]


def get_law(law_id: int) -> Law:
    try:
        return Law.objects.get(pk=law_id)
    except Law.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class VersionChoice:
    version: LawVersion
    versions: list[LawVersion]
    on: date | None = None
    approximate: bool = False  # no text held for ``on``: the earliest one is shown
    not_in_force: bool = False  # the law was not in force on ``on``: the nearest text is shown


def choose_version(
    law: Law, *, version_id: int | None = None, on: date | None = None
) -> VersionChoice:
    """The version asked for by id, or in force on a date, or the current one. One query."""
    versions = list(law.versions.order_by("effective_from", "version_date"))
    if not versions:
        raise Http404
    if version_id is not None:
        chosen = next((v for v in versions if v.pk == version_id), None)
        if chosen is None:
            raise Http404
        return VersionChoice(chosen, versions)
    current = next((v for v in reversed(versions) if v.effective_to is None), versions[-1])
    if on is None:
        return VersionChoice(current, versions)
    if law.repealed_on and on >= law.repealed_on:
        return VersionChoice(versions[-1], versions, on=on, not_in_force=True)
    for version in versions:
        if version.in_force_on(on):
            return VersionChoice(version, versions, on=on)
    first = versions[0]
    if on < first.effective_from and law.first_effective_on and law.first_effective_on <= on:
        return VersionChoice(first, versions, on=on, approximate=True)
    nearest = first if on < first.effective_from else current
    return VersionChoice(nearest, versions, on=on, not_in_force=True)


@dataclass
class TocEntry:
    heading: Heading
    children: list[TocEntry] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)


@dataclass(frozen=True)
class LawText:
    toc: list[TocEntry]  # the whole table of contents
    shown: list[TocEntry]  # the part on this page (everything for most laws)
    loose_articles: list[Article]  # articles before any heading
    parts: list[Heading]  # the outermost headings, when the law is shown part by part
    part: Heading | None
    article_count: int


def law_text(version: LawVersion, *, part_id: int | None = None) -> LawText:
    """The headings as a tree with their articles. Two queries."""
    headings = list(version.headings.order_by("position"))
    articles = list(version.articles.order_by("position"))
    entries = {h.pk: TocEntry(h) for h in headings}
    roots: list[TocEntry] = []
    for heading in headings:
        entry = entries[heading.pk]
        parent = entries.get(heading.parent_id) if heading.parent_id else None
        (parent.children if parent else roots).append(entry)
    loose: list[Article] = []
    for article in articles:
        entry = entries.get(article.heading_id) if article.heading_id else None
        (entry.articles if entry else loose).append(article)
    parts: list[Heading] = []
    part: Heading | None = None
    shown = roots
    if len(articles) > ARTICLES_PER_PAGE and len(roots) > 1:
        parts = [entry.heading for entry in roots]
        chosen = next((e for e in roots if e.heading.pk == part_id), roots[0])
        part, shown = chosen.heading, [chosen]
    return LawText(roots, shown, loose, parts, part, len(articles))


@dataclass(frozen=True)
class ArticlePage:
    article: Article
    previous: Article | None
    next: Article | None
    path: list[Heading]  # outermost first
    other_versions: list[Article]
    part_id: int | None  # the page of a law shown part by part that holds the article


def article_page(version: LawVersion, number: int, suffix: int) -> ArticlePage:
    """One article with its neighbours, headings and the same article in other versions."""
    try:
        article = version.articles.get(number=number, suffix=suffix)
    except Article.DoesNotExist:
        raise Http404 from None
    siblings = version.articles.only("id", "version_id", "number", "suffix", "label", "kind")
    previous = siblings.filter(position__lt=article.position).order_by("-position").first()
    following = siblings.filter(position__gt=article.position).order_by("position").first()
    headings = {h.pk: h for h in version.headings.all()}
    path: list[Heading] = []
    heading = headings.get(article.heading_id) if article.heading_id else None
    while heading is not None:
        path.insert(0, heading)
        heading = headings.get(heading.parent_id) if heading.parent_id else None
    others = list(
        Article.objects.filter(
            version__law_id=version.law_id, number=number, suffix=suffix, kind=article.kind
        )
        .exclude(version=version)
        .select_related("version")
        .order_by("version__effective_from")
    )
    paged = path and version.articles.count() > ARTICLES_PER_PAGE
    return ArticlePage(article, previous, following, path, others, path[0].pk if paged else None)


def parse_article_slug(slug: str) -> tuple[int, int]:
    """47 → (47, 0); 10-1 → (10, 1)."""
    number, _sep, suffix = slug.partition("-")
    return int(number), int(suffix or 0)


# -- the case library: what depends on who asks ----------------------------------------------


def sees_staff_cases(user: Any) -> bool:
    """Staff see the whole library; everyone else, the public cases only."""
    return bool(
        getattr(user, "is_authenticated", False) and getattr(user, "is_staff_member", False)
    )


def library_cases_visible_to(user: Any) -> QuerySet[LibraryCase]:
    cases = LibraryCase.objects.all()
    return cases if sees_staff_cases(user) else cases.filter(public=True)


def get_library_case_for(user: Any, pk: int) -> LibraryCase:
    """The library case if ``user`` may see it; otherwise 404, exactly like a missing one."""
    try:
        citations = LibraryCitation.objects.select_related("article")
        return (
            library_cases_visible_to(user)
            .prefetch_related("claims", Prefetch("citations", queryset=citations))
            .get(pk=pk)
        )
    except LibraryCase.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class FeedbackRow:
    library_case: LibraryCase
    marks: int
    cases: int
    last_at: Any


@dataclass(frozen=True)
class FeedbackSummary:
    total: int
    withdrawn: int
    rows: list[FeedbackRow]
    recent: list[SimilarityFeedback]


def feedback_summary(*, recent: int = 20) -> FeedbackSummary:
    """ "Not similar" marks per library case (open marks), most marked first, and the latest."""
    open_marks = SimilarityFeedback.objects.filter(withdrawn_at__isnull=True)
    per_case = (
        open_marks.values("library_case")
        .annotate(marks=Count("id"), cases=Count("case", distinct=True), last_at=Max("created_at"))
        .order_by("-marks", "library_case")
    )
    library = LibraryCase.objects.in_bulk([row["library_case"] for row in per_case])
    return FeedbackSummary(
        total=open_marks.count(),
        withdrawn=SimilarityFeedback.objects.filter(withdrawn_at__isnull=False).count(),
        rows=[
            FeedbackRow(library[row["library_case"]], row["marks"], row["cases"], row["last_at"])
            for row in per_case
        ],
        recent=list(open_marks.select_related("user", "library_case", "case")[:recent]),
    )
