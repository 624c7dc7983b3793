"""Importing library cases: a directory with ``MANIFEST.tsv``, Markdown texts and an optional
``ELEMENTS.json`` of hand-checked elements (the shipped one: ``data/cases/``, see SOURCE.md).

As for the laws, two steps so that bad input changes nothing:

1. ``read_case_library(directory)`` reads and checks everything — each manifest row, each file's
   SHA-256, its title and sections, each hand-checked element's codes, amounts and dates — reads
   the elements (hand-checked where given, else by the rules of ``elements.py``), links the cited
   articles, and raises ``CaseImportError`` listing every problem found;
2. ``casewriter.write_case_library(cases)`` writes them in one transaction, keyed by ``key``:
   a new key is created, a changed case is rewritten (its claims and citations replaced), an
   identical one is left alone.

The data migration that loads the shipped cases and ``manage.py import_library_cases DIR`` call
the same two functions.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from zhongcai.cases.taxonomy import Cause

from .casetypes import (
    KIND_TYPE,
    Authority,
    ClaimKind,
    DatePrecision,
    DecidedBy,
    Industry,
    Outcome,
    TerminationReason,
)
from .casewriter import CaseImportResult, CaseLibraryModels, write_case_library
from .elements import ClaimSpec, Elements, read_case_text

__all__ = [
    "SHIPPED_CASES",
    "CaseImportError",
    "CaseImportResult",
    "CaseLibraryModels",
    "CaseSpec",
    "import_library_cases",
    "read_case_library",
    "write_case_library",
]

SHIPPED_CASES = Path(__file__).resolve().parent / "data" / "cases"
MANIFEST = "MANIFEST.tsv"
ELEMENTS = "ELEMENTS.json"
REQUIRED_COLUMNS = ("key", "file", "title", "authority", "issuing_body", "issued_on", "sha256")
OPTIONAL_COLUMNS = (
    "collection",
    "region",
    "public",
    "decided_by",
    "source",
    "source_repo",
    "source_path",
    "source_commit",
)
AUTHORITIES = {
    "指导性案例": Authority.GUIDING,
    "典型案例": Authority.TYPICAL,
    "省级参考案例": Authority.PROVINCIAL,
    "省级典型案例": Authority.PROVINCIAL,
    "本地案例": Authority.LOCAL,
    **{value: value for value in Authority.values},
}
YES = {"是", "yes", "true", "1", "公开"}
NO = {"否", "no", "false", "0", "", "内部"}
# Section headings as the sources write them → the field they fill.
SECTIONS = {
    "基本案情": "facts",
    "申请人请求": "claims_text",
    "仲裁请求": "claims_text",
    "当事人请求": "claims_text",
    "原告诉讼请求": "claims_text",
    "诉讼请求": "claims_text",
    "处理结果": "outcome_text",
    "裁决结果": "outcome_text",
    "仲裁结果": "outcome_text",
    "裁判结果": "outcome_text",
    "案例分析": "reasoning",
    "裁判理由": "reasoning",
    "裁决理由": "reasoning",
    "评析": "reasoning",
    "典型意义": "significance",
}
COURT_SECTIONS = {"原告诉讼请求", "诉讼请求", "裁判结果"}
REQUIRED_SECTIONS = ("facts", "claims_text", "outcome_text")
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
REGION_RE = re.compile(r"^\d{6}$")
ISSUED_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class CaseImportError(ValueError):
    """The input is not acceptable; ``errors`` lists every problem found, nothing was written."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class CaseSpec:
    """One library case, checked and read, ready to write."""

    key: str
    title: str
    authority: str
    issuing_body: str
    collection: str
    issued_on: date | None
    issued_precision: str
    decided_by: str
    region: str
    public: bool
    facts: str
    claims_text: str
    outcome_text: str
    reasoning: str
    significance: str
    elements: Elements
    elements_checked: bool
    source: str = ""
    source_file: str = ""
    source_sha256: str = ""
    origin: str = "curated"
    source_case_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# -- reading ---------------------------------------------------------------------------------


def read_case_library(directory: Path | str) -> list[CaseSpec]:
    """Read and check a whole directory; raise ``CaseImportError`` with every problem found."""
    directory = Path(directory)
    try:
        manifest = (directory / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CaseImportError(
            [_("No %(name)s in %(dir)s.") % {"name": MANIFEST, "dir": directory}]
        ) from None
    except UnicodeDecodeError:
        raise CaseImportError([_("%(name)s is not UTF-8 text.") % {"name": MANIFEST}]) from None
    errors: list[str] = []
    rows = _read_manifest(manifest, errors)
    checked = _read_elements_file(directory, {row["key"] for _line, row in rows}, errors)
    cases = []
    for line, row in rows:
        spec = _read_case(directory, line, row, checked.get(row["key"]), errors)
        if spec is not None:
            cases.append(spec)
    if errors:
        raise CaseImportError(errors)
    return cases


def _where(line: int, message: str) -> str:
    return _("%(name)s line %(line)d: %(message)s") % {
        "name": MANIFEST,
        "line": line,
        "message": message,
    }


def _read_manifest(text: str, errors: list[str]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter="\t")
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        errors.append(_("%(name)s is empty.") % {"name": MANIFEST})
        return []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        errors.append(
            _where(1, _("missing columns %(columns)s.") % {"columns": ", ".join(missing)})
        )
        return []
    rows: list[tuple[int, dict[str, str]]] = []
    keys: dict[str, int] = {}
    files: dict[str, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            errors.append(
                _where(
                    line,
                    _("expected %(n)d tab-separated columns, found %(found)d.")
                    % {"n": len(header), "found": len(cells)},
                )
            )
            continue
        row = {column: cell.strip() for column, cell in zip(header, cells, strict=True)}
        for column in OPTIONAL_COLUMNS:
            row.setdefault(column, "")
        key, file = row["key"], row["file"]
        if not KEY_RE.match(key):
            errors.append(
                _where(
                    line,
                    _("the key “%(key)s” must be lower-case letters, digits and hyphens.")
                    % {"key": key},
                )
            )
            continue
        if key in keys:
            errors.append(
                _where(
                    line,
                    _("the key %(key)s is already used on line %(first)d.")
                    % {"key": key, "first": keys[key]},
                )
            )
            continue
        if file in files:
            errors.append(
                _where(
                    line,
                    _("%(file)s is already listed on line %(first)d.")
                    % {"file": file, "first": files[file]},
                )
            )
            continue
        keys[key], files[file] = line, line
        rows.append((line, row))
    if not rows and not errors:
        errors.append(_("%(name)s lists no cases.") % {"name": MANIFEST})
    return rows


def _read_elements_file(
    directory: Path, keys: set[str], errors: list[str]
) -> dict[str, dict[str, Any]]:
    path = directory / ELEMENTS
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        errors.append(_("%(name)s is not valid JSON: %(error)s") % {"name": ELEMENTS, "error": exc})
        return {}
    cases = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(cases, dict):
        errors.append(
            _("%(name)s needs an object “cases”, keyed by case key.") % {"name": ELEMENTS}
        )
        return {}
    for key in sorted(set(cases) - keys):
        errors.append(
            _("%(name)s: the case %(key)s is not in the manifest.") % {"name": ELEMENTS, "key": key}
        )
    return {key: entry for key, entry in cases.items() if key in keys}


def _read_case(
    directory: Path,
    line: int,
    row: dict[str, str],
    checked: dict[str, Any] | None,
    errors: list[str],
) -> CaseSpec | None:
    problems: list[str] = []
    file = row["file"]
    if not file or file.startswith("/") or ".." in Path(file).parts:
        problems.append(
            _where(line, _("“%(file)s” is not a path inside the directory.") % {"file": file})
        )
    authority = AUTHORITIES.get(row["authority"])
    if authority is None:
        problems.append(
            _where(
                line,
                _("unknown authority “%(value)s”; use one of %(choices)s.")
                % {"value": row["authority"], "choices": "、".join(list(AUTHORITIES)[:4])},
            )
        )
    if not row["title"]:
        problems.append(_where(line, _("the title is empty.")))
    if not row["issuing_body"]:
        problems.append(_where(line, _("the issuing body is empty.")))
    issued = _issued(row["issued_on"])
    if issued is None:
        problems.append(
            _where(
                line,
                _("issued_on “%(value)s” is not a date (YYYY-MM-DD, YYYY-MM or YYYY).")
                % {"value": row["issued_on"]},
            )
        )
    public = row["public"].lower()
    if public not in YES | NO:
        problems.append(
            _where(line, _("public must be 是 or 否, not “%(value)s”.") % {"value": row["public"]})
        )
    if row["region"] and not REGION_RE.match(row["region"]):
        problems.append(
            _where(
                line,
                _("region “%(value)s” is not a six-digit division code.")
                % {"value": row["region"]},
            )
        )
    if row["decided_by"] and row["decided_by"] not in DecidedBy.values:
        problems.append(
            _where(
                line,
                _("decided_by must be arbitration or court, not “%(value)s”.")
                % {"value": row["decided_by"]},
            )
        )
    sections, headings = _read_text(directory, line, row, problems)
    if problems or sections is None or authority is None or issued is None:
        errors.extend(problems)
        return None
    decided_on, precision = issued
    elements = read_case_text(
        facts=sections["facts"],
        claims_text=sections["claims_text"],
        outcome_text=sections["outcome_text"],
        reasoning=sections.get("reasoning", ""),
        decided_on=decided_on,
    )
    region = row["region"]
    if checked is not None:
        elements, region = _checked_elements(row["key"], checked, elements, region, problems)
    elif not elements.claims:
        problems.append(
            _(
                "%(file)s: no claim item could be read from its request; "
                "give the claims in %(name)s."
            )
            % {"file": file, "name": ELEMENTS}
        )
    errors.extend(problems)
    if problems:
        return None
    court = bool(headings & COURT_SECTIONS)
    return CaseSpec(
        key=row["key"],
        title=row["title"],
        authority=authority,
        issuing_body=row["issuing_body"],
        collection=row["collection"],
        issued_on=decided_on,
        issued_precision=precision,
        decided_by=row["decided_by"] or (DecidedBy.COURT if court else DecidedBy.ARBITRATION),
        region=region,
        public=public in YES,
        facts=sections["facts"],
        claims_text=sections["claims_text"],
        outcome_text=sections["outcome_text"],
        reasoning=sections.get("reasoning", ""),
        significance=sections.get("significance", ""),
        elements=elements,
        elements_checked=checked is not None,
        source="\n".join(
            part
            for part in (
                row["source"],
                " ".join(p for p in (row["source_repo"], row["source_path"]) if p),
                row["source_commit"] and f"commit {row['source_commit']}",
            )
            if part
        ),
        source_file=file,
        source_sha256=row["sha256"].lower(),
    )


def _issued(value: str) -> tuple[date, str] | None:
    match = ISSUED_RE.match(value)
    if not match:
        return None
    year, month, day = match.groups()
    try:
        found = date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    return found, precision


def _read_text(
    directory: Path, line: int, row: dict[str, str], problems: list[str]
) -> tuple[dict[str, str] | None, set[str]]:
    path = directory / row["file"]
    try:
        content = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        problems.append(
            _where(line, _("the file %(file)s does not exist.") % {"file": row["file"]})
        )
        return None, set()
    digest = hashlib.sha256(content).hexdigest()
    if digest != row["sha256"].lower():
        problems.append(
            _("%(file)s: SHA-256 is %(actual)s, the manifest says %(expected)s.")
            % {"file": row["file"], "actual": digest, "expected": row["sha256"]}
        )
        return None, set()
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(_("%(file)s is not UTF-8 text.") % {"file": row["file"]})
        return None, set()
    title = ""
    sections: dict[str, list[str]] = {}
    headings: set[str] = set()
    current: str | None = None
    for raw in text.splitlines():
        if raw.startswith("# ") and not title:
            title = raw[2:].strip()
            continue
        heading = re.match(r"^##\s+(.+?)\s*$", raw)
        if heading:
            name = heading.group(1)
            current = SECTIONS.get(name)
            if current is None:
                problems.append(
                    _("%(file)s: unknown section “%(section)s”.")
                    % {"file": row["file"], "section": name}
                )
            else:
                headings.add(name)
                sections.setdefault(current, [])
            continue
        if current is not None:
            sections[current].append(raw)
    if title != row["title"]:
        problems.append(
            _("%(file)s: the title line says “%(found)s”, the manifest “%(expected)s”.")
            % {"file": row["file"], "found": title, "expected": row["title"]}
        )
    joined = {name: "\n".join(lines).strip() for name, lines in sections.items()}
    for name in REQUIRED_SECTIONS:
        if not joined.get(name):
            problems.append(
                _("%(file)s has no %(section)s section.")
                % {
                    "file": row["file"],
                    "section": "、".join(k for k, v in SECTIONS.items() if v == name),
                }
            )
    return joined, headings


def _checked_elements(
    key: str, entry: dict[str, Any], read: Elements, region: str, problems: list[str]
) -> tuple[Elements, str]:
    """The hand-checked elements of ``key``, validated; citations are always the rules'."""

    def problem(message: str) -> None:
        problems.append(
            _("%(name)s, %(key)s: %(message)s") % {"name": ELEMENTS, "key": key, "message": message}
        )

    causes = entry.get("causes", [])
    if not isinstance(causes, list) or any(c not in Cause.values for c in causes):
        problem(_("causes must be cause codes: %(codes)s.") % {"codes": ", ".join(Cause.values)})
        causes = []
    claims: list[ClaimSpec] = []
    raw_claims = entry.get("claims", [])
    if not isinstance(raw_claims, list) or not raw_claims:
        problem(_("claims must be a non-empty list."))
        raw_claims = []
    for number, raw in enumerate(raw_claims, start=1):
        kind = raw.get("kind") if isinstance(raw, dict) else None
        if kind not in ClaimKind.values:
            problem(
                _("claim %(n)d: unknown kind “%(kind)s”; use one of %(kinds)s.")
                % {"n": number, "kind": kind, "kinds": ", ".join(ClaimKind.values)}
            )
            continue
        claimed = _amount(raw.get("claimed", ""), number, "claimed", problem)
        awarded = _amount(raw.get("awarded", ""), number, "awarded", problem)
        outcome = raw.get("outcome", "")
        if outcome and outcome not in Outcome.values:
            problem(
                _("claim %(n)d: outcome must be granted, partly or rejected, not “%(value)s”.")
                % {"n": number, "value": outcome}
            )
        claims.append(
            ClaimSpec(
                kind=kind,
                type=KIND_TYPE[kind],
                description=str(raw.get("description", "")),
                amount_claimed=claimed,
                amount_awarded=awarded,
                outcome=outcome,
                note=str(raw.get("note", ""))[:200],
            )
        )
    termination = entry.get("termination_reason", "")
    if termination and termination not in TerminationReason.values:
        problem(_("unknown termination reason “%(value)s”.") % {"value": termination})
    industry = entry.get("industry", "")
    if industry and industry not in Industry.values:
        problem(_("unknown industry “%(value)s” (GB/T 4754 section letter).") % {"value": industry})
    checked_region = entry.get("region", region) or ""
    if checked_region and not REGION_RE.match(checked_region):
        problem(
            _("region “%(value)s” is not a six-digit division code.") % {"value": checked_region}
        )
    dates = {}
    for name in ("employment_start", "employment_end", "applied_on"):
        value = entry.get(name, "") or ""
        parsed = _issued(value) if value else None
        if value and parsed is None:
            problem(_("%(field)s “%(value)s” is not a date.") % {"field": name, "value": value})
        dates[name] = parsed[0] if parsed else None
    return (
        Elements(
            causes=list(causes),
            claims=claims,
            termination_reason=termination,
            industry=industry,
            citations=read.citations,
            **dates,
        ),
        checked_region,
    )


def _amount(value: Any, number: int, name: str, problem: Any) -> Decimal | None:
    if value in ("", None):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0:
        problem(
            _("claim %(n)d: %(field)s “%(value)s” is not an amount in yuan.")
            % {"n": number, "field": name, "value": value}
        )
        return None
    return amount


def import_library_cases(
    directory: Path | str = SHIPPED_CASES,
    *,
    models: CaseLibraryModels | None = None,
    by: Any = None,
) -> CaseImportResult:
    """Read, check and write a directory of library cases; all or nothing."""
    return write_case_library(read_case_library(directory), models=models, by=by)
