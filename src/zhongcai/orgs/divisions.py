"""Importing administrative divisions (GB/T 2260) and the public bodies that sit on each.

For every province, prefecture-level city and county-level division the platform keeps:
the human-resources and social-security department (人社部门), under it the labor and personnel
dispute arbitration commission (仲裁委员会), and under that its working office, the arbitration
institute (仲裁院) where intake officers, arbitrators and clerks work. The departments form the
tree of the divisions, so a city administrator sees every county of the city.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Division, Organisation
from .services import organisation_create

SHANDONG_CSV = Path(__file__).resolve().parent / "data" / "shandong.csv"
HEADER = ["code", "name", "level", "parent_code"]
# A functional zone carries a statistics code but is no GB/T 2260 division: imported only if asked.
LEVELS = {level.value for level in Division.Level}
PARENT_LEVEL = {
    Division.Level.PROVINCE: None,
    Division.Level.PREFECTURE: Division.Level.PROVINCE,
    Division.Level.COUNTY: Division.Level.PREFECTURE,
    Division.Level.FUNCTIONAL_ZONE: Division.Level.PREFECTURE,
}
CODE_RE = re.compile(r"^\d{6}$")


class DivisionImportError(ValueError):
    """The file is not acceptable; ``errors`` lists every problem found, nothing was written."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Row:
    line: int
    code: str
    name: str
    level: str
    parent_code: str


@dataclass(frozen=True)
class ImportResult:
    divisions_created: int
    divisions_updated: int
    organisations_created: int


def read_rows(text: str) -> list[Row]:
    """Parse and validate the whole file; raise with every error at once."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    errors: list[str] = []
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise DivisionImportError([_("The file is empty.")]) from None
    if header != HEADER:
        raise DivisionImportError(
            [
                _("Line 1: the header must be %(expected)s, found %(found)s.")
                % {"expected": ",".join(HEADER), "found": ",".join(header)}
            ]
        )
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(HEADER):
            errors.append(
                _("Line %(line)d: expected %(n)d columns, found %(found)d.")
                % {"line": line, "n": len(HEADER), "found": len(cells)}
            )
            continue
        code, name, level, parent_code = (cell.strip() for cell in cells)
        if not CODE_RE.match(code):
            errors.append(
                _("Line %(line)d: division code “%(code)s” must be six digits.")
                % {"line": line, "code": code}
            )
        if not name:
            errors.append(_("Line %(line)d: the name is empty.") % {"line": line})
        if level not in LEVELS:
            errors.append(
                _("Line %(line)d: unknown level “%(level)s”; use one of %(levels)s.")
                % {"line": line, "level": level, "levels": ", ".join(sorted(LEVELS))}
            )
        if parent_code and not CODE_RE.match(parent_code):
            errors.append(
                _("Line %(line)d: parent code “%(code)s” must be six digits.")
                % {"line": line, "code": parent_code}
            )
        if code in seen:
            errors.append(
                _("Line %(line)d: division code %(code)s already appears on line %(first)d.")
                % {"line": line, "code": code, "first": seen[code]}
            )
        seen.setdefault(code, line)
        rows.append(Row(line, code, name, level, parent_code))
    if not rows and not errors:
        errors.append(_("The file has a header but no divisions."))
    if errors:
        raise DivisionImportError(errors)
    _check_tree(rows)
    return rows


def _check_tree(rows: list[Row]) -> None:
    by_code = {row.code: row for row in rows}
    known = {
        d.code: d.level for d in Division.objects.filter(code__in={r.parent_code for r in rows})
    }
    errors: list[str] = []
    for row in rows:
        expected = PARENT_LEVEL[Division.Level(row.level)]
        if expected is None:
            if row.parent_code:
                errors.append(
                    _("Line %(line)d: a province has no parent division.") % {"line": row.line}
                )
            continue
        if not row.parent_code:
            errors.append(
                _("Line %(line)d: %(name)s needs a parent division.")
                % {"line": row.line, "name": row.name}
            )
            continue
        parent_level = by_code[row.parent_code].level if row.parent_code in by_code else None
        parent_level = parent_level or known.get(row.parent_code)
        if parent_level is None:
            errors.append(
                _("Line %(line)d: parent division %(code)s is neither in the file nor imported.")
                % {"line": row.line, "code": row.parent_code}
            )
        elif parent_level != expected:
            errors.append(
                _(
                    "Line %(line)d: the parent of a %(level)s must be a %(expected)s, "
                    "not a %(found)s."
                )
                % {
                    "line": row.line,
                    "level": Division.Level(row.level).label,
                    "expected": Division.Level(expected).label,
                    "found": Division.Level(parent_level).label,
                }
            )
    if errors:
        raise DivisionImportError(errors)


def _place_name(division: Division) -> str:
    """The name used in the bodies' titles: 济南市历下区, 章丘区 is 济南市章丘区, 青州市 stays."""
    if division.level == Division.Level.COUNTY and int(division.code[4:]) <= 20 and division.parent:
        # Urban districts (市辖区, code 01–20) are named with their city: 济南市历下区.
        return f"{division.parent.name}{division.name}"
    return division.name


BODY_TYPES = (
    Organisation.Type.HRSS_DEPARTMENT,
    Organisation.Type.COMMISSION,
    Organisation.Type.ARBITRATION_INSTITUTE,
)


def _bodies(division: Division) -> list[tuple[Organisation.Type, str, str]]:
    place = _place_name(division)
    is_province = division.level == Division.Level.PROVINCE
    department = "人力资源和社会保障厅" if is_province else "人力资源和社会保障局"
    return [
        (Organisation.Type.HRSS_DEPARTMENT, f"{place}{department}", f"{division.name}人社"),
        (Organisation.Type.COMMISSION, f"{place}劳动人事争议仲裁委员会", f"{division.name}仲裁委"),
        (
            Organisation.Type.ARBITRATION_INSTITUTE,
            f"{place}劳动人事争议仲裁院",
            f"{division.name}仲裁院",
        ),
    ]


@transaction.atomic
def import_divisions(text: str, *, with_bodies: bool = True) -> ImportResult:
    """Upsert the divisions of a CSV (code,name,level,parent_code) and create their bodies.

    Running it again changes nothing but renamed divisions; all or nothing.
    """
    rows = read_rows(text)
    created = updated = orgs_created = 0
    # Parents before children: province, prefecture, county.
    order = list(PARENT_LEVEL)
    for row in sorted(rows, key=lambda r: (order.index(Division.Level(r.level)), r.code)):
        division, was_created = Division.objects.update_or_create(
            code=row.code,
            defaults={"name": row.name, "level": row.level, "parent_id": row.parent_code or None},
        )
        created += was_created
        updated += not was_created
        if with_bodies:
            orgs_created += _ensure_bodies(division)
    return ImportResult(created, updated, orgs_created)


def _ensure_bodies(division: Division) -> int:
    parent_department = (
        Organisation.objects.filter(
            division_id=division.parent_id, type=Organisation.Type.HRSS_DEPARTMENT
        ).first()
        if division.parent_id
        else None
    )
    existing: dict[str, Organisation] = {}
    for org in Organisation.objects.filter(division=division, type__in=BODY_TYPES).order_by("-pk"):
        existing[org.type] = org  # the oldest of a type wins
    created = 0
    parent = parent_department
    for org_type, name, short_name in _bodies(division):
        organisation = existing.get(org_type)
        if organisation is None:
            organisation = organisation_create(
                by=None,
                name=name,
                type=org_type,
                division=division,
                parent=parent,
                short_name=short_name,
            )
            created += 1
        parent = organisation
    return created


def bodies_of(divisions: Iterable[Division]) -> dict[str, dict[str, Organisation]]:
    """Division code → type → organisation, for the given divisions (one query)."""
    result: dict[str, dict[str, Organisation]] = {}
    for org in Organisation.objects.filter(division__in=list(divisions)):
        result.setdefault(org.division_id, {})[org.type] = org
    return result
