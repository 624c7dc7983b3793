"""Local average monthly wages (上年度职工月平均工资), the cap of 劳动合同法 第四十七条 第二款.

The figures are published by each city (设区的市) every year; they are not law, so they live as
versioned data in ``data/average_wages.csv``, one row per division and year. ``year`` is the year
the figure describes: a contract ended in 2025 is capped by the 2024 row ("上年度").
A row with ``verified = no`` was typed from memory and must be checked against the published
statistical bulletin before anyone relies on it.
"""

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "average_wages.csv"


@dataclass(frozen=True)
class AverageWage:
    division_code: str
    division_name: str
    year: int
    monthly: Decimal
    source: str
    verified: bool


class NoAverageWage(ValueError):
    """No figure for the division, its province or the year: the cap cannot be checked."""

    field = "division"

    def __init__(self, division_code: str, year: int) -> None:
        self.message = _(
            "There is no published local average wage for %(year)s for this place, so the cap "
            "cannot be checked. Choose another city or ask the arbitration commission."
        ) % {"year": year}
        super().__init__(self.message)


@cache
def _rows(path: Path = DATA_FILE) -> dict[tuple[str, int], AverageWage]:
    rows: dict[tuple[str, int], AverageWage] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line_no, raw in enumerate(csv.DictReader(handle), start=2):
            try:
                row = AverageWage(
                    division_code=raw["division_code"].strip(),
                    division_name=raw["division_name"].strip(),
                    year=int(raw["year"]),
                    monthly=Decimal(raw["monthly_average_wage"]),
                    source=raw["source"].strip(),
                    verified=raw["verified"].strip().lower() == "yes",
                )
            except (KeyError, ValueError, InvalidOperation) as exc:
                raise ValueError(f"{path.name} line {line_no}: {exc!r}") from exc
            key = (row.division_code, row.year)
            if key in rows:
                raise ValueError(f"{path.name} line {line_no}: duplicate {key}")
            rows[key] = row
    return rows


def city_code(division_code: str) -> str:
    """The city (设区的市) part of a GB/T 2260 code: ``370102`` and ``370100`` give ``3701``.

    The cap is the city's figure (劳动合同法 第四十七条: 设区的市级人民政府公布), so a county
    uses its city's row; a province code (``37``, ``370000``) stays the province.
    """
    code = division_code.strip()
    if len(code) >= 4 and code[2:4] != "00":
        return code[:4]
    return code[:2]


def average_wage_for(division_code: str, year: int) -> AverageWage:
    """The row for the city, falling back to its province (GB/T 2260: the first two digits)."""
    rows = _rows()
    city = city_code(division_code)
    for code in dict.fromkeys((city, city[:2])):
        row = rows.get((code, year))
        if row is not None:
            return row
    raise NoAverageWage(division_code, year)


def divisions() -> list[tuple[str, str]]:
    """(code, name) of every division with at least one figure, cities before provinces."""
    seen: dict[str, str] = {}
    for row in _rows().values():
        seen.setdefault(row.division_code, row.division_name)
    return sorted(seen.items(), key=lambda item: (len(item[0]) == 2, item[0]))
