"""Writing a checked library (``importer.read_library``) into the database, in one transaction.

Model classes are handed in (``LibraryModels``): the live ones, or a data migration's historical
ones, so that the migration that loads the shipped texts writes through ``apps.get_model``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .lawtext import ParsedArticle, ParsedHeading


class LawImportError(ValueError):
    """The input is not acceptable; ``errors`` lists every problem found, nothing was written."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class VersionSpec:
    version_date: date
    effective_from: date
    sha256: str
    files: list[dict[str, str]]
    promulgation: str
    preamble: str
    headings: list[ParsedHeading]
    articles: list[ParsedArticle]


@dataclass
class LawSpec:
    title: str
    short_title: str
    aliases: list[str]
    issuing_body: str
    level: str
    document_number: str
    status: str
    status_note: str
    first_effective_on: date | None
    repealed_on: date | None
    note: str
    versions: list[VersionSpec] = field(default_factory=list)


@dataclass
class Library:
    laws: list[LawSpec]

    @property
    def article_count(self) -> int:
        return sum(len(v.articles) for law in self.laws for v in law.versions)


@dataclass
class ImportResult:
    laws_created: int = 0
    laws_updated: int = 0
    versions_created: int = 0
    versions_replaced: int = 0
    versions_unchanged: int = 0
    articles_written: int = 0


@dataclass(frozen=True)
class LibraryModels:
    """The model classes to write with: the live ones, or a migration's historical ones."""

    Law: Any
    LawVersion: Any
    Heading: Any
    Article: Any

    @classmethod
    def live(cls) -> LibraryModels:
        from .models import Article, Heading, Law, LawVersion

        return cls(Law, LawVersion, Heading, Article)

    @classmethod
    def from_apps(cls, apps: Any) -> LibraryModels:
        return cls(
            *(apps.get_model("knowledge", n) for n in ("Law", "LawVersion", "Heading", "Article"))
        )


@transaction.atomic
def write_library(library: Library, *, models: LibraryModels | None = None) -> ImportResult:
    m = models or LibraryModels.live()
    result = ImportResult()
    for spec in library.laws:
        law = _upsert_law(m, spec, result)
        for version_spec in spec.versions:
            _upsert_version(m, law, version_spec, result)
        _chain_versions(m, law)
    return result


def _upsert_law(m: LibraryModels, spec: LawSpec, result: ImportResult) -> Any:
    """Create the law, or update what the manifest says about it — but only from a manifest at
    least as recent as the texts already held (importing an old text must not make the law
    look as it was then). Aliases are only ever added; removing one is an editor's decision."""
    values = {
        "short_title": spec.short_title,
        "aliases": spec.aliases,
        "issuing_body": spec.issuing_body,
        "level": spec.level,
        "document_number": spec.document_number,
        "status": spec.status,
        "status_note": spec.status_note,
        "first_effective_on": spec.first_effective_on,
        "repealed_on": spec.repealed_on,
        "note": spec.note,
    }
    law = m.Law.objects.filter(title=spec.title).first()
    if law is None:
        result.laws_created += 1
        return m.Law.objects.create(title=spec.title, **values)
    held = m.LawVersion.objects.filter(law=law).order_by("-version_date").first()
    newest = max(v.version_date for v in spec.versions) if spec.versions else None
    if held is not None and newest is not None and newest < held.version_date:
        values = {}
    values["aliases"] = list(dict.fromkeys([*law.aliases, *spec.aliases]))
    if spec.first_effective_on and (
        law.first_effective_on is None or spec.first_effective_on < law.first_effective_on
    ):
        values["first_effective_on"] = spec.first_effective_on
    changed = [name for name, value in values.items() if getattr(law, name) != value]
    if changed:
        for name in changed:
            setattr(law, name, values[name])
        law.save(update_fields=[*changed, "updated_at"])
        result.laws_updated += 1
    return law


def _upsert_version(m: LibraryModels, law: Any, spec: VersionSpec, result: ImportResult) -> None:
    values = {
        "effective_from": spec.effective_from,
        "source_sha256": spec.sha256,
        "source_files": spec.files,
        "promulgation": spec.promulgation,
        "preamble": spec.preamble,
    }
    version = m.LawVersion.objects.filter(law=law, version_date=spec.version_date).first()
    if version is not None and all(getattr(version, k) == v for k, v in values.items()):
        result.versions_unchanged += 1
        return
    if version is None:
        version = m.LawVersion.objects.create(law=law, version_date=spec.version_date, **values)
        result.versions_created += 1
    else:
        # A corrected text of the same version: its articles are replaced, its id stays.
        m.Article.objects.filter(version=version).delete()
        m.Heading.objects.filter(version=version).delete()
        for name, value in values.items():
            setattr(version, name, value)
        version.save()
        result.versions_replaced += 1
    headings = _write_headings(m, version, spec.headings)
    m.Article.objects.bulk_create(
        [
            m.Article(
                version=version,
                heading=headings[a.heading] if a.heading is not None else None,
                kind=a.kind,
                number=a.number,
                suffix=a.suffix,
                label=a.label,
                position=position,
                text=a.text,
                paragraphs=a.paragraphs,
            )
            for position, a in enumerate(spec.articles, start=1)
        ],
        batch_size=500,
    )
    result.articles_written += len(spec.articles)


def _write_headings(m: LibraryModels, version: Any, parsed: list[ParsedHeading]) -> list[Any]:
    objects = [
        m.Heading(version=version, depth=h.depth, label=h.label, title=h.title, position=i)
        for i, h in enumerate(parsed, start=1)
    ]
    # Parents come before their children in the text: create depth by depth so that each
    # parent has its id when its children are saved.
    for depth in sorted({h.depth for h in parsed}):
        batch = []
        for heading, obj in zip(parsed, objects, strict=True):
            if heading.depth == depth:
                obj.parent = objects[heading.parent] if heading.parent is not None else None
                batch.append(obj)
        m.Heading.objects.bulk_create(batch)
    return objects


def _chain_versions(m: LibraryModels, law: Any) -> None:
    """Each version is in force until the day before the next one; the last until the repeal."""
    versions = list(m.LawVersion.objects.filter(law=law).order_by("effective_from", "version_date"))
    problems = []
    for version, following in zip(versions, [*versions[1:], None], strict=True):
        if following is not None:
            end: date | None = following.effective_from - timedelta(days=1)
        else:
            end = law.repealed_on - timedelta(days=1) if law.repealed_on else None
        if end is not None and end < version.effective_from:
            problems.append(
                _("%(title)s: the version of %(date)s would end before it starts.")
                % {"title": law.title, "date": version.version_date.isoformat()}
            )
            continue
        if version.effective_to != end:
            version.effective_to = end
            version.save(update_fields=["effective_to", "updated_at"])
    if problems:
        raise LawImportError(problems)
