"""Load the State Council holiday arrangements that the ``chinesecalendar`` package knows.

Shared by the data migration ``0002_seed_holidays_from_chinesecalendar`` and the command
``manage.py seed_holidays``. The model classes are passed in, so the migration can hand over its
historical models (``apps.get_model``) and this module never imports ``core.models``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from typing import Any

from chinese_calendar import constants

# Each State Council notice (国务院办公厅关于…部分节假日安排的通知) is one year's arrangement.
# The package names days in English; the platform shows the official Chinese names.
# The 2020 anti-epidemic extension of the Spring Festival (31 Jan – 2 Feb 2020) has no member of
# its own in the package: it is labelled Spring Festival there, so it is stored as 春节.
CHINESE_NAMES: dict[constants.Holiday, str] = {
    constants.Holiday.new_years_day: "元旦",
    constants.Holiday.spring_festival: "春节",
    constants.Holiday.tomb_sweeping_day: "清明节",
    constants.Holiday.labour_day: "劳动节",
    constants.Holiday.dragon_boat_festival: "端午节",
    constants.Holiday.national_day: "国庆节",
    constants.Holiday.mid_autumn_festival: "中秋节",
    # 3 September 2015 only (国发〔2015〕39号); the package's own Chinese name.
    constants.Holiday.anti_fascist_70th_day: constants.Holiday.anti_fascist_70th_day.chinese,
}

HOLIDAY = "holiday"
WORKDAY = "workday"


def source_label() -> str:
    return f"chinesecalendar {version('chinesecalendar')} (国务院办公厅节假日安排通知)"


@dataclass(frozen=True)
class SeedDay:
    date: date
    kind: str
    name: str


def chinese_name(english: str) -> str:
    # An unknown name means a package upgrade added a holiday: fail loudly rather than store
    # English in a Chinese calendar.
    try:
        return CHINESE_NAMES[constants.Holiday(english)]
    except (KeyError, ValueError):
        raise ValueError(
            f"chinesecalendar names a holiday {english!r} that has no Chinese name here: "
            "add it to CHINESE_NAMES in zhongcai/core/holiday_seed.py."
        ) from None


def package_days_by_year() -> dict[int, list[SeedDay]]:
    """Every holiday and make-up working day in the package, grouped by calendar year.

    Grouped by the year of the date, not of the notice: the New Year notice for year Y sometimes
    moves days at the end of December of Y-1 (e.g. 2018-12-29 to 12-31), and a Holiday row
    belongs to the HolidayYear of its own date.
    """
    by_year: dict[int, list[SeedDay]] = defaultdict(list)
    for kind, table in ((HOLIDAY, constants.holidays), (WORKDAY, constants.workdays)):
        for day, english in table.items():
            by_year[day.year].append(SeedDay(day, kind, chinese_name(english)))
    return {year: sorted(days, key=lambda d: d.date) for year, days in sorted(by_year.items())}


@dataclass(frozen=True)
class YearDifference:
    """A year already in the table whose days do not match the package's."""

    year: int
    only_in_table: tuple[SeedDay, ...]
    only_in_package: tuple[SeedDay, ...]


@dataclass(frozen=True)
class SeedReport:
    years_created: tuple[int, ...]
    years_unchanged: tuple[int, ...]
    differences: tuple[YearDifference, ...]
    days_created: int


def seed_holidays(
    holiday_year_model: Any, holiday_model: Any, *, years: set[int] | None = None
) -> SeedReport:
    """Create the arrangement of every package year that has no HolidayYear row yet.

    A year already in the table is never changed: an administrator may have entered or corrected
    it from the notice itself, and that wins over the package. Where it differs from the package
    (a package upgrade that corrects a year, or adds late-December days of the next notice), the
    difference is reported for an administrator to settle.
    """
    existing = set(holiday_year_model.objects.values_list("year", flat=True))
    stored: dict[int, set[SeedDay]] = defaultdict(set)
    for year, day, kind, name in holiday_model.objects.values_list(
        "year_id", "date", "kind", "name"
    ):
        stored[year].add(SeedDay(day, kind, name))
    created: list[int] = []
    unchanged: list[int] = []
    differences: list[YearDifference] = []
    days_created = 0
    for year, days in package_days_by_year().items():
        if years is not None and year not in years:
            continue
        if year in existing:
            in_table, in_package = stored[year], set(days)
            if in_table == in_package:
                unchanged.append(year)
            else:
                differences.append(
                    YearDifference(
                        year,
                        tuple(sorted(in_table - in_package, key=lambda d: d.date)),
                        tuple(sorted(in_package - in_table, key=lambda d: d.date)),
                    )
                )
            continue
        holiday_year = holiday_year_model.objects.create(year=year, source=source_label())
        holiday_model.objects.bulk_create(
            holiday_model(year=holiday_year, date=d.date, kind=d.kind, name=d.name) for d in days
        )
        created.append(year)
        days_created += len(days)
    return SeedReport(tuple(created), tuple(unchanged), tuple(differences), days_created)
