"""Importing law texts: a directory with ``MANIFEST.tsv`` and Markdown files (SOURCE.md format).

Two steps, so that bad input changes nothing:

1. ``read_library(directory)`` reads and checks everything — every manifest row, every file's
   SHA-256 and article count against the manifest, article numbering, that the parts of one law
   agree — and raises ``LawImportError`` listing every problem found;
2. ``write_library(library)`` (writer.py) writes it in one transaction. Re-running it changes
   nothing; a text whose checksum changed replaces that version's articles; a version with a later
   date becomes the current text and closes the previous one (its ``effective_to`` becomes the day
   before).

The data migration ``0002_load_shipped_laws`` and the ``import_laws`` command call the same two
functions; the migration hands in its historical models (``LibraryModels.from_apps``).

Known defects of a source are not fixed in the text. They are declared, with the reason, in an
optional ``ANNOTATIONS.json`` beside the manifest (see the shipped one), which also carries the
abbreviations a title does not imply (LCL, 调解仲裁法):

- ``"missing_articles": [16]`` — the file skips these article numbers; numbering checks accept
  the gap, and a stale entry (the number is present after all) is an error;
- ``"unnumbered": true`` — a document without 第X条 (a notice), imported as its sections.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .lawtext import (
    ParsedArticle,
    ParsedHeading,
    ParsedText,
    check_numbering,
    derive_names,
    parse_law_text,
)
from .writer import (
    ImportResult,
    LawImportError,
    LawSpec,
    Library,
    LibraryModels,
    VersionSpec,
    write_library,
)

__all__ = [
    "SHIPPED_LAWS",
    "ImportResult",
    "LawImportError",
    "Library",
    "LibraryModels",
    "import_laws",
    "read_library",
    "write_library",
]

SHIPPED_LAWS = Path(__file__).resolve().parent / "data" / "laws"
MANIFEST = "MANIFEST.tsv"
ANNOTATIONS = "ANNOTATIONS.json"
REQUIRED_COLUMNS = (
    "file",
    "title",
    "issuing_body",
    "level",
    "doc_number",
    "version_date",
    "effective_date",
    "version_effective_date",
    "status",
    "article_count",
    "sha256",
)
# The manifest's wording of a level → Law.Level. A parenthesised remark is ignored:
# 地方性法规(设区的市) is a local regulation.
LEVELS = {
    "法律": "law",
    "行政法规": "administrative_regulation",
    "司法解释": "judicial_interpretation",
    "部门规章": "departmental_rule",
    "部门规范性文件": "normative_document",
    "规范性文件": "normative_document",
    "地方性法规": "local_regulation",
    "自治条例": "local_regulation",
    "单行条例": "local_regulation",
    "地方政府规章": "local_government_rule",
}
PART_SEPARATOR = "·"  # 中华人民共和国民法典·总则编: one part of a law published in several files
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
SHA_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class _Row:
    line: int
    file: str
    title: str
    part: str
    issuing_body: str
    level: str
    doc_number: str
    version_date: date
    effective_date: date | None
    version_effective_date: date
    status: str
    status_note: str
    repealed_on: date | None
    article_count: int
    sha256: str
    note: str


# -- reading ---------------------------------------------------------------------------------


def read_library(directory: Path | str) -> Library:
    """Read and check a whole directory; raise ``LawImportError`` with every problem found."""
    directory = Path(directory)
    manifest_path = directory / MANIFEST
    try:
        manifest_text = manifest_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LawImportError(
            [_("No %(name)s in %(dir)s.") % {"name": MANIFEST, "dir": directory}]
        ) from None
    except UnicodeDecodeError:
        raise LawImportError([_("%(name)s is not UTF-8 text.") % {"name": MANIFEST}]) from None
    errors: list[str] = []
    rows = _read_manifest(manifest_text, errors)
    annotations = _read_annotations(directory, rows, errors)
    parsed = {row.file: _read_file(directory, row, annotations, errors) for row in rows}
    laws = _assemble(rows, parsed, annotations, errors)
    if errors:
        raise LawImportError(errors)
    return Library(laws)


def _read_manifest(text: str, errors: list[str]) -> list[_Row]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter="\t")
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        errors.append(_("%(name)s is empty.") % {"name": MANIFEST})
        return []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        errors.append(
            _("%(name)s line 1: missing columns %(columns)s.")
            % {"name": MANIFEST, "columns": ", ".join(missing)}
        )
        return []
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            errors.append(
                _("%(name)s line %(line)d: expected %(n)d tab-separated columns, found %(found)d.")
                % {"name": MANIFEST, "line": line, "n": len(header), "found": len(cells)}
            )
            continue
        row = _read_row(line, dict(zip(header, (c.strip() for c in cells), strict=True)), errors)
        if row is None:
            continue
        if row.file in seen:
            errors.append(
                _("%(name)s line %(line)d: %(file)s is already listed on line %(first)d.")
                % {"name": MANIFEST, "line": line, "file": row.file, "first": seen[row.file]}
            )
            continue
        seen[row.file] = line
        rows.append(row)
    if not rows and not errors:
        errors.append(_("%(name)s lists no files.") % {"name": MANIFEST})
    return rows


def _read_row(line: int, cells: dict[str, str], errors: list[str]) -> _Row | None:
    problems: list[str] = []

    def where(message: str) -> str:
        return _("%(name)s line %(line)d: %(message)s") % {
            "name": MANIFEST,
            "line": line,
            "message": message,
        }

    def parse_date(column: str, *, required: bool) -> date | None:
        value = cells[column]
        if not value:
            if required:
                problems.append(where(_("%(column)s is empty.") % {"column": column}))
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            problems.append(
                where(
                    _("%(column)s “%(value)s” is not a date (YYYY-MM-DD).")
                    % {"column": column, "value": value}
                )
            )
            return None

    file = cells["file"]
    if not file or file.startswith("/") or ".." in Path(file).parts:
        problems.append(where(_("“%(file)s” is not a path inside the directory.") % {"file": file}))
    title, _sep, part = cells["title"].partition(PART_SEPARATOR)
    if not title:
        problems.append(where(_("the title is empty.")))
    if not cells["issuing_body"]:
        problems.append(where(_("the issuing body is empty.")))
    level = LEVELS.get(re.sub(r"[(（].*?[)）]", "", cells["level"]).strip())
    if level is None:
        problems.append(
            where(
                _("unknown level “%(level)s”; use one of %(levels)s.")
                % {"level": cells["level"], "levels": "、".join(LEVELS)}
            )
        )
    version_date = parse_date("version_date", required=True)
    effective_date = parse_date("effective_date", required=False)
    version_effective = parse_date("version_effective_date", required=effective_date is None)
    status, repealed_on = _parse_status(cells["status"], where, problems)
    try:
        article_count = int(cells["article_count"])
        if article_count < 0:
            raise ValueError
    except ValueError:
        problems.append(
            where(
                _("article_count “%(value)s” is not a whole number.")
                % {"value": cells["article_count"]}
            )
        )
        article_count = -1
    sha256 = cells["sha256"].lower()
    if not SHA_RE.match(sha256):
        problems.append(where(_("sha256 must be 64 hexadecimal characters.")))
    errors.extend(problems)
    if problems or level is None or version_date is None or status is None:
        return None
    return _Row(
        line=line,
        file=file,
        title=title.strip(),
        part=part.strip(),
        issuing_body=cells["issuing_body"],
        level=level,
        doc_number=cells["doc_number"],
        version_date=version_date,
        effective_date=effective_date,
        version_effective_date=version_effective or effective_date or version_date,
        status=status,
        status_note=cells["status"],
        repealed_on=repealed_on,
        article_count=article_count,
        sha256=sha256,
        note=cells.get("note", ""),
    )


def _parse_status(text: str, where: Any, problems: list[str]) -> tuple[str | None, date | None]:
    """已废止(2021-01-01起;…) → repealed on that day; 现行有效(…) → in force; 已修改 → amended."""
    if text.startswith(("已废止", "已失效", "失效")):
        found = DATE_RE.search(text)
        if not found:
            problems.append(
                where(_("a repealed law needs its repeal date, e.g. 已废止(2021-01-01起)."))
            )
            return None, None
        return "repealed", date.fromisoformat(found.group())
    if text.startswith(("已修改", "已修正", "已被修改")):
        return "amended", None
    if text.startswith(("尚未生效", "未生效")):
        return "not_yet_in_force", None
    if "有效" in text:
        return "in_force", None
    problems.append(
        where(
            _("unknown status “%(status)s”; start it with 现行有效, 已修改, 已废止 or 尚未生效.")
            % {"status": text}
        )
    )
    return None, None


def _read_annotations(directory: Path, rows: list[_Row], errors: list[str]) -> dict[str, Any]:
    path = directory / ANNOTATIONS
    if not path.exists():
        return {"laws": {}, "files": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        errors.append(
            _("%(name)s is not valid JSON: %(error)s") % {"name": ANNOTATIONS, "error": exc}
        )
        return {"laws": {}, "files": {}}
    laws = data.get("laws", {})
    files = data.get("files", {})
    titles = {row.title for row in rows}
    listed = {row.file for row in rows}
    for title, entry in laws.items():
        if title not in titles:
            errors.append(
                _("%(name)s: the law “%(title)s” is not in the manifest.")
                % {"name": ANNOTATIONS, "title": title}
            )
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
            errors.append(
                _("%(name)s: the aliases of “%(title)s” must be a list of names.")
                % {"name": ANNOTATIONS, "title": title}
            )
    for file, entry in files.items():
        if file not in listed:
            errors.append(
                _("%(name)s: the file %(file)s is not in the manifest.")
                % {"name": ANNOTATIONS, "file": file}
            )
        if not str(entry.get("reason", "")).strip():
            errors.append(
                _("%(name)s: the entry for %(file)s needs a reason.")
                % {"name": ANNOTATIONS, "file": file}
            )
    return {"laws": laws, "files": files}


def _read_file(
    directory: Path, row: _Row, annotations: dict[str, Any], errors: list[str]
) -> ParsedText | None:
    path = directory / row.file
    try:
        content = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        errors.append(
            _("%(name)s line %(line)d: the file %(file)s does not exist.")
            % {"name": MANIFEST, "line": row.line, "file": row.file}
        )
        return None
    digest = hashlib.sha256(content).hexdigest()
    if digest != row.sha256:
        errors.append(
            _("%(file)s: SHA-256 is %(actual)s, the manifest says %(expected)s.")
            % {"file": row.file, "actual": digest, "expected": row.sha256}
        )
        return None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        errors.append(_("%(file)s is not UTF-8 text.") % {"file": row.file})
        return None
    parsed = parse_law_text(text, name=row.file, in_parts=bool(row.part))
    errors.extend(parsed.errors)
    if parsed.titles and parsed.titles[0] != row.title:
        errors.append(
            _("%(file)s: the title line says “%(found)s”, the manifest “%(expected)s”.")
            % {"file": row.file, "found": parsed.titles[0], "expected": row.title}
        )
    note = annotations["files"].get(row.file, {})
    articles = [a for a in parsed.articles if a.kind == "article"]
    if len(articles) != row.article_count:
        errors.append(
            _("%(file)s: %(found)d articles, the manifest says %(expected)d.")
            % {"file": row.file, "found": len(articles), "expected": row.article_count}
        )
    if not articles and not note.get("unnumbered"):
        errors.append(
            _(
                "%(file)s has no 第X条 articles; if it is a document without articles, declare it "
                "“unnumbered” with a reason in %(name)s."
            )
            % {"file": row.file, "name": ANNOTATIONS}
        )
    if articles and note.get("unnumbered"):
        errors.append(
            _("%(name)s declares %(file)s unnumbered, but it has articles.")
            % {"name": ANNOTATIONS, "file": row.file}
        )
    missing = {int(n) for n in note.get("missing_articles", [])}
    present = {a.number for a in articles}
    for number in sorted(missing & present):
        errors.append(
            _("%(name)s says %(file)s lacks article %(number)d, but it is there.")
            % {"name": ANNOTATIONS, "file": row.file, "number": number}
        )
    return parsed


def _assemble(
    rows: list[_Row],
    parsed: dict[str, ParsedText | None],
    annotations: dict[str, Any],
    errors: list[str],
) -> list[LawSpec]:
    """Group rows into laws and versions: the parts of one law (same title and version date)
    become one version, their articles numbered on across the files."""
    groups: dict[tuple[str, date], list[_Row]] = defaultdict(list)
    for row in rows:
        groups[(row.title, row.version_date)].append(row)
    by_law: dict[str, list[tuple[date, list[_Row]]]] = defaultdict(list)
    for (title, version_date), group in groups.items():
        by_law[title].append((version_date, group))

    laws: list[LawSpec] = []
    for title, versions in by_law.items():
        versions.sort(key=lambda v: v[0])
        latest = versions[-1][1][0]
        short, derived = derive_names(title)
        extra = annotations["laws"].get(title, {}).get("aliases", [])
        aliases = [a for a in dict.fromkeys([*derived, *extra]) if a not in (short, title)]
        law = LawSpec(
            title=title,
            short_title=short,
            aliases=aliases,
            issuing_body=latest.issuing_body,
            level=latest.level,
            document_number=latest.doc_number,
            status=latest.status,
            status_note=latest.status_note,
            first_effective_on=min(
                (r.effective_date for _d, g in versions for r in g if r.effective_date),
                default=None,
            ),
            repealed_on=latest.repealed_on,
            note=latest.note,
        )
        for _version_date, group in versions:
            spec = _version(group, parsed, annotations, errors)
            if spec is not None:
                law.versions.append(spec)
        laws.append(law)
    return laws


def _version(
    group: list[_Row],
    parsed: dict[str, ParsedText | None],
    annotations: dict[str, Any],
    errors: list[str],
) -> VersionSpec | None:
    first = group[0]
    for row in group[1:]:
        for attribute in ("issuing_body", "level", "version_effective_date", "status_note"):
            if getattr(row, attribute) != getattr(first, attribute):
                errors.append(
                    _(
                        "%(name)s line %(line)d: %(file)s is a part of “%(title)s” but its "
                        "%(column)s differs from line %(first)d."
                    )
                    % {
                        "name": MANIFEST,
                        "line": row.line,
                        "file": row.file,
                        "title": first.title,
                        "column": attribute,
                        "first": first.line,
                    }
                )
    if any(parsed.get(row.file) is None for row in group):
        return None
    headings: list[ParsedHeading] = []
    articles: list[ParsedArticle] = []
    next_number = 1
    for row in group:
        text = parsed[row.file]
        offset = len(headings)
        for heading in text.headings:
            parent = heading.parent + offset if heading.parent is not None else None
            headings.append(ParsedHeading(heading.depth, heading.label, heading.title, parent))
        missing = {
            int(n) for n in annotations["files"].get(row.file, {}).get("missing_articles", [])
        }
        numbered = [a for a in text.articles if a.kind == "article"]
        errors.extend(check_numbering(numbered, first=next_number, name=row.file, missing=missing))
        if numbered:
            next_number = numbered[-1].number + 1
        for article in text.articles:
            if article.heading is not None:
                article.heading += offset
            articles.append(article)
    files = [{"file": row.file, "sha256": row.sha256} for row in group]
    sha = (
        first.sha256
        if len(group) == 1
        else hashlib.sha256("".join(r.sha256 for r in group).encode()).hexdigest()
    )
    return VersionSpec(
        version_date=first.version_date,
        effective_from=first.version_effective_date,
        sha256=sha,
        files=files,
        promulgation="\n".join(parsed[first.file].promulgation),
        preamble="\n".join(parsed[first.file].preamble),
        headings=headings,
        articles=articles,
    )


def import_laws(
    directory: Path | str = SHIPPED_LAWS, *, models: LibraryModels | None = None
) -> ImportResult:
    """Read, check and write a directory of law texts; all or nothing."""
    return write_library(read_library(directory), models=models)
