"""The library in memory: laws, their names and versions, and where each article is.

Citation linking and exact article look-up ask this many times per page, so it is loaded once
per process and kept while the library is unchanged. ``library_revision()`` is one cheap query
(count and latest change of the versions and laws); every ``get_catalog()`` compares it and
reloads when it moved — an import in another process is seen on the next request.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from .models import Article, Law, LawVersion
from .numerals import FULL_WIDTH_DIGITS

# Same-length substitutions only, so that offsets in the normalised text are offsets in the
# original: full-width digits to ASCII, half-width brackets to full-width, Latin to upper case.
_NORMALISE = str.maketrans({"(": "（", ")": "）", "<": "《", ">": "》"}) | FULL_WIDTH_DIGITS


def normalise(text: str) -> str:
    result = text.translate(_NORMALISE)
    # str.upper() can change the length (ß → SS); only ASCII letters are upper-cased.
    return re.sub(r"[a-z]+", lambda m: m.group().upper(), result)


@dataclass(frozen=True)
class VersionEntry:
    id: int
    law_id: int
    version_date: date
    effective_from: date
    effective_to: date | None

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


@dataclass(frozen=True)
class LawEntry:
    id: int
    title: str
    short_title: str
    names: tuple[str, ...]
    level: str
    status: str
    first_effective_on: date | None
    repealed_on: date | None
    versions: tuple[VersionEntry, ...]  # by effective date

    @property
    def is_repealed(self) -> bool:
        return self.status == Law.Status.REPEALED

    @property
    def latest(self) -> VersionEntry | None:
        return self.versions[-1] if self.versions else None


@dataclass(frozen=True)
class VersionMatch:
    version: VersionEntry
    # The library holds no text for that date, but the law was in force: this is its earliest
    # text we have, later than the facts. Shown with a warning, never silently.
    approximate: bool = False


@dataclass(frozen=True)
class ArticleEntry:
    id: int
    version_id: int
    law_id: int
    number: int
    suffix: int
    label: str
    kind: str
    items: tuple[int, ...]  # items per paragraph: len() is the number of paragraphs


@dataclass
class Catalog:
    revision: tuple[Any, ...]
    laws: dict[int, LawEntry]
    names: dict[str, list[int]]  # normalised name → laws that use it
    articles: dict[tuple[int, int, int], ArticleEntry]  # (version, number, suffix)
    extras: dict[str, Any] = field(default_factory=dict)  # caches built on top (patterns)

    @property
    def articles_by_id(self) -> dict[int, ArticleEntry]:
        found = self.extras.get("articles_by_id")
        if found is None:
            found = {a.id: a for a in self.articles.values()}
            self.extras["articles_by_id"] = found
        return found

    def version_on(self, law: LawEntry, day: date | None) -> VersionMatch | None:
        """The version of ``law`` in force on ``day``; None if the law was not in force then.

        Without a day: the current text, or the last one of a repealed law.
        """
        if not law.versions:
            return None
        if day is None:
            current = [v for v in law.versions if v.effective_to is None]
            return VersionMatch(current[-1] if current else law.versions[-1])
        if law.repealed_on and day >= law.repealed_on:
            return None
        for version in law.versions:
            if version.in_force_on(day):
                return VersionMatch(version)
        first = law.versions[0]
        if day < first.effective_from and law.first_effective_on and law.first_effective_on <= day:
            return VersionMatch(first, approximate=True)
        return None

    def laws_named(self, name: str) -> list[LawEntry]:
        return [self.laws[i] for i in self.names.get(normalise(name), [])]

    def resolve_name(self, name: str, day: date | None) -> LawEntry | None:
        """The law a name means on ``day``: 解释（一） was the 2001 interpretation until 2020 and
        is the 2020 one since 2021. Prefers the law in force; else the one repealed last."""
        candidates = self.laws_named(name)
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        in_force = [law for law in candidates if self.version_on(law, day or _today()) is not None]
        if in_force:
            return max(in_force, key=lambda law: law.versions[-1].effective_from)
        return max(candidates, key=lambda law: law.repealed_on or date.max)

    def article(self, version_id: int, number: int, suffix: int = 0) -> ArticleEntry | None:
        return self.articles.get((version_id, number, suffix))


def _today() -> date:
    return timezone.localdate()


def library_revision() -> tuple[Any, ...]:
    """Changes whenever a law or version is added, removed or saved (one query)."""
    found = LawVersion.objects.aggregate(
        versions=Count("id"), changed=Max("updated_at"), laws_changed=Max("law__updated_at")
    )
    return (found["versions"], found["changed"], found["laws_changed"])


_lock = threading.Lock()
_cached: Catalog | None = None


def get_catalog() -> Catalog:
    global _cached
    revision = library_revision()
    catalog = _cached
    if catalog is not None and catalog.revision == revision:
        return catalog
    with _lock:
        if _cached is None or _cached.revision != revision:
            _cached = _load(revision)
        return _cached


def _load(revision: tuple[Any, ...]) -> Catalog:
    versions: dict[int, list[VersionEntry]] = defaultdict(list)
    for row in LawVersion.objects.order_by("effective_from", "version_date").values(
        "id", "law_id", "version_date", "effective_from", "effective_to"
    ):
        versions[row["law_id"]].append(VersionEntry(**row))
    laws: dict[int, LawEntry] = {}
    names: dict[str, list[int]] = defaultdict(list)
    for law in Law.objects.all():
        entry = LawEntry(
            id=law.pk,
            title=law.title,
            short_title=law.short_title,
            names=tuple(law.names()),
            level=law.level,
            status=law.status,
            first_effective_on=law.first_effective_on,
            repealed_on=law.repealed_on,
            versions=tuple(versions.get(law.pk, ())),
        )
        laws[law.pk] = entry
        for name in entry.names:
            names[normalise(name)].append(law.pk)
    articles: dict[tuple[int, int, int], ArticleEntry] = {}
    for row in Article.objects.values_list(
        "id", "version_id", "version__law_id", "number", "suffix", "label", "kind", "paragraphs"
    ):
        pk, version_id, law_id, number, suffix, label, kind, paragraphs = row
        items = tuple(len(p.get("items", [])) for p in paragraphs)
        articles[(version_id, number, suffix)] = ArticleEntry(
            pk, version_id, law_id, number, suffix, label, kind, items
        )
    return Catalog(revision, laws, dict(names), articles)
