"""The deadline engine: statutory periods counted over the State Council holiday calendar.

How a period is counted (domain/spec.md §11.1):

- The trigger day is not counted; counting starts the next day (民诉法 85; 民法典 201).
- A rest day is a Saturday or Sunday that is not a make-up working day (调休上班), or a public
  holiday of the State Council notice. Make-up working days are working days.
- Calendar-day periods (15, 30, 45 days, …) run through rest days, but if the last day is a rest
  day the period ends on the first working day after it (民诉法 85; 民法典 203).
- Working-day periods (3, 5, 10 days in arbitration procedure) skip rest days inside the period
  as well (办案规则 80 [M]).

The calendar comes from the ``Holiday`` table, which administrators extend year by year. A year
with no ``HolidayYear`` row is counted with plain weekends and the result says it is uncertain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from .models import Holiday, HolidayYear

ONE_DAY = timedelta(days=1)

# Just over ten years, the longest period in domain/spec.md §11.2 (archive retention, 办案规则 24);
# anything longer is a typo or a wrong unit.
MAX_DAYS = 3660

# Keeps every date computed here far from date.max.
LATEST_START = date(9000, 12, 31)

# The State Council notice for year Y has moved days as late in year Y-1 as 29 December
# (2007-12-29, 2018-12-29): until Y's notice is in, those days are not certain either.
NEXT_NOTICE_REACHES_BACK_TO = (12, 29)

# Room for holidays when guessing how far a working-day period reaches, so that one load of the
# table usually suffices (the longest break so far is ten days, Spring Festival 2020 extended).
HOLIDAY_SLACK_DAYS = 31


class Unit(models.TextChoices):
    WORKING = "working", gettext_lazy("working days")
    CALENDAR = "calendar", gettext_lazy("calendar days")


@dataclass(frozen=True)
class RestStretch:
    """Consecutive rest days, e.g. 2025-10-01 to 10-08 国庆节、中秋节."""

    first: date
    last: date
    names: tuple[str, ...]  # holiday names in order; empty for a plain weekend


@dataclass(frozen=True)
class MakeupWorkday:
    date: date
    name: str  # the holiday it makes up for, e.g. 国庆节


@dataclass(frozen=True)
class DeadlineResult:
    start: date
    days: int
    unit: Unit
    due: date
    # The breaks that moved the due date: holidays skipped in a working-day period, or the rest
    # days a calendar-day period's last day was carried over.
    rest_days_skipped: tuple[RestStretch, ...] = ()
    # Make-up days that counted: inside a working-day period, or the last day of a calendar-day
    # period that therefore did not roll over.
    makeup_workdays: tuple[MakeupWorkday, ...] = ()
    # Years whose arrangement the result depends on but which are not in the table.
    assumed_years: tuple[int, ...] = ()

    @property
    def is_certain(self) -> bool:
        return not self.assumed_years

    def explain(self, language: str | None = None) -> str:
        """How the due date was reached, in ``language`` (default: the active language)."""
        if language is None:
            return self._explain()
        with translation.override(language):
            return self._explain()

    def __str__(self) -> str:
        return self.explain()

    def _explain(self) -> str:
        start = self.start.isoformat()
        details: list[tuple[date, str]] = []
        if self.unit == Unit.WORKING:
            period = ngettext(
                "%(days)d working day from %(start)s",
                "%(days)d working days from %(start)s",
                self.days,
            ) % {"days": self.days, "start": start}
            for stretch in self.rest_days_skipped:
                details.append((stretch.first, self._stretch_text(stretch)))
            for makeup in self.makeup_workdays:
                text = _("%(date)s make-up working day") % {"date": self._short(makeup.date)}
                details.append((makeup.date, text))
        else:
            period = ngettext(
                "%(days)d day from %(start)s", "%(days)d days from %(start)s", self.days
            ) % {"days": self.days, "start": start}
            for stretch in self.rest_days_skipped:
                details.append((stretch.first, self._carry_over_text(stretch)))
            for makeup in self.makeup_workdays:
                text = _(
                    "the last day %(end)s is a make-up working day, so it is not carried over"
                ) % {"end": self._short(makeup.date)}
                details.append((makeup.date, text))
        if details:
            period = _("%(period)s: %(details)s") % {
                "period": period,
                "details": pgettext("between clauses", ", ").join(
                    text for _day, text in sorted(details)
                ),
            }
        derivation = f"{period} → {self.due.isoformat()}"
        if not self.assumed_years:
            return derivation
        warning = ngettext(
            "The holiday arrangement for %(years)s has not been entered; counted with weekends "
            "only, to be verified.",
            "The holiday arrangements for %(years)s have not been entered; counted with weekends "
            "only, to be verified.",
            len(self.assumed_years),
        ) % {"years": _enumeration(str(year) for year in self.assumed_years)}
        return _("%(derivation)s. %(warning)s") % {"derivation": derivation, "warning": warning}

    def _short(self, day: date) -> str:
        # Dates in the trigger day's year are shown as 10-01, the way the notices write them.
        return day.strftime("%m-%d") if day.year == self.start.year else day.isoformat()

    def _dates(self, stretch: RestStretch) -> str:
        if stretch.first == stretch.last:
            return self._short(stretch.first)
        return _("%(first)s to %(last)s") % {
            "first": self._short(stretch.first),
            "last": self._short(stretch.last),
        }

    def _stretch_text(self, stretch: RestStretch) -> str:
        return _("%(dates)s %(names)s holiday") % {
            "dates": self._dates(stretch),
            "names": _enumeration(stretch.names),
        }

    def _carry_over_text(self, stretch: RestStretch) -> str:
        if stretch.names:
            return _(
                "the last day %(end)s falls in the %(names)s holiday (%(dates)s), so the period "
                "ends on the next working day"
            ) % {
                "end": self._short(stretch.first),
                "names": _enumeration(stretch.names),
                "dates": self._dates(stretch),
            }
        return _(
            "the last day %(end)s is a weekend day, so the period ends on the next working day"
        ) % {"end": self._short(stretch.first)}


def _enumeration(items: Iterable[str]) -> str:
    return pgettext("between names", ", ").join(items)


class _Calendar:
    """The holiday table for the years one computation needs.

    Loaded in two queries per range of years, never per day; a computation that walks past the
    years it guessed loads the next range.
    """

    def __init__(self, first: date, last: date) -> None:
        self._loaded: set[int] = set()
        self._known: set[int] = set()
        self._days: dict[date, tuple[str, str]] = {}
        self._load(first.year, last.year + 1)

    def _load(self, first_year: int, last_year: int) -> None:
        years = [y for y in range(first_year, last_year + 1) if y not in self._loaded]
        if not years:
            return
        low, high = min(years), max(years)
        self._known.update(
            HolidayYear.objects.filter(year__range=(low, high)).values_list("year", flat=True)
        )
        rows = Holiday.objects.filter(date__range=(date(low, 1, 1), date(high, 12, 31)))
        for day, kind, name in rows.values_list("date", "kind", "name"):
            self._days[day] = (kind, name)
        self._loaded.update(range(low, high + 1))

    def entry(self, day: date) -> tuple[str, str] | None:
        if day.year not in self._loaded:
            self._load(day.year, day.year + 1)
        return self._days.get(day)

    def is_working(self, day: date) -> bool:
        entry = self.entry(day)
        if entry is not None:
            return entry[0] == Holiday.Kind.WORKDAY
        return day.weekday() < 5

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_working(day):
            day += ONE_DAY
        return day

    def stretches(self, first: date, last: date, *, weekends: bool) -> tuple[RestStretch, ...]:
        """Runs of rest days in first..last; plain weekends only if ``weekends``."""
        found: list[RestStretch] = []
        run: list[date] = []
        day = first
        while day <= last + ONE_DAY:
            if day <= last and not self.is_working(day):
                run.append(day)
            elif run:
                names = tuple(
                    dict.fromkeys(entry[1] for d in run if (entry := self.entry(d)) is not None)
                )
                if names or weekends:
                    found.append(RestStretch(run[0], run[-1], names))
                run = []
            day += ONE_DAY
        return tuple(found)

    def makeup_days(self, first: date, last: date) -> tuple[MakeupWorkday, ...]:
        return tuple(
            MakeupWorkday(day, entry[1])
            for day, entry in sorted(self._days.items())
            if first <= day <= last and entry[0] == Holiday.Kind.WORKDAY
        )

    def assumed_years(self, first: date, last: date) -> tuple[int, ...]:
        """Years without an arrangement that the days first..last depend on."""
        years = set(range(first.year, last.year + 1))
        if (last.month, last.day) >= NEXT_NOTICE_REACHES_BACK_TO:
            years.add(last.year + 1)
        self._load(min(years), max(years))
        return tuple(sorted(years - self._known))


def _check_date(day: date) -> None:
    # A datetime is a date too, but which day it falls on depends on the time zone: the caller
    # decides (timezone.localdate), not this module.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(_("Expected a date, not %(type)s.") % {"type": type(day).__name__})
    if day > LATEST_START:
        raise ValueError(_("%(date)s is too far in the future.") % {"date": day})


def _check_period(start: date, days: int) -> None:
    _check_date(start)
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(_("The length of a period must be a whole number of days."))
    if days < 0:
        raise ValueError(_("A period cannot be negative (%(days)d days).") % {"days": days})
    if days > MAX_DAYS:
        raise ValueError(
            _("A period of %(days)d days is longer than the %(max)d days allowed.")
            % {"days": days, "max": MAX_DAYS}
        )


def is_working_day(day: date) -> bool:
    """Mon–Fri unless a public holiday; Sat/Sun only if a make-up working day (调休上班)."""
    _check_date(day)
    kind = Holiday.objects.filter(date=day).values_list("kind", flat=True).first()
    if kind is not None:
        return kind == Holiday.Kind.WORKDAY
    return day.weekday() < 5


def is_rest_day(day: date) -> bool:
    return not is_working_day(day)


def add_calendar_days(start: date, days: int) -> DeadlineResult:
    """A natural-day period: ends ``days`` days after the trigger day, or the first working day
    after that if it is a rest day (民诉法 85; 民法典 201, 203)."""
    _check_period(start, days)
    end = start + timedelta(days=days)
    calendar = _Calendar(end, end + timedelta(days=HOLIDAY_SLACK_DAYS))
    due = calendar.next_working_day(end)
    return DeadlineResult(
        start=start,
        days=days,
        unit=Unit.CALENDAR,
        due=due,
        # Rest days inside a natural-day period count like any other; only the carry-over matters.
        rest_days_skipped=calendar.stretches(end, due - ONE_DAY, weekends=True),
        makeup_workdays=calendar.makeup_days(due, due),
        assumed_years=calendar.assumed_years(end, due),
    )


def add_working_days(start: date, days: int) -> DeadlineResult:
    """The ``days``-th working day after the trigger day (办案规则 80 [M]; 民诉法 85).

    A zero-day period ends on the trigger day, or the first working day after it.
    """
    _check_period(start, days)
    guess = start + timedelta(days=days * 7 // 5 + HOLIDAY_SLACK_DAYS)
    calendar = _Calendar(start, guess)
    day, counted = start, 0
    while counted < days:
        day += ONE_DAY
        if calendar.is_working(day):
            counted += 1
    due = calendar.next_working_day(day)
    first = min(start + ONE_DAY, due)
    return DeadlineResult(
        start=start,
        days=days,
        unit=Unit.WORKING,
        due=due,
        # Ordinary weekends are what everyone expects of working days; only holidays are news.
        rest_days_skipped=calendar.stretches(first, due, weekends=False),
        makeup_workdays=calendar.makeup_days(first, due),
        assumed_years=calendar.assumed_years(first, due),
    )


def compute_deadline(start: date, days: int, unit: Unit | str) -> DeadlineResult:
    """Dispatch on the period's unit, as declared with the period (domain/spec.md §11.2)."""
    if unit == Unit.WORKING:
        return add_working_days(start, days)
    if unit == Unit.CALENDAR:
        return add_calendar_days(start, days)
    raise ValueError(
        _("Unknown unit %(unit)r: use %(choices)s.")
        % {"unit": unit, "choices": ", ".join(Unit.values)}
    )


# Apps whose stored dates depend on the calendar (running case clocks) register here; they are
# told, after the change commits, that an administrator changed the holiday table.
CalendarListener = Callable[[Any], object]
_listeners: list[CalendarListener] = []


def register_calendar_listener(listener: CalendarListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def calendar_changed(*, by: Any) -> None:
    """Call after any change of the holiday table; listeners run once the change is committed."""
    from django.db import transaction

    def notify() -> None:
        for listener in _listeners:
            listener(by)

    transaction.on_commit(notify)
