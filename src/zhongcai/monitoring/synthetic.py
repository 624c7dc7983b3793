"""A synthetic province for the dashboard benchmark and for tests: Shandong, with years of cases.

    province = build_province(1_000_000, seed=1, years=5)

imports the Shandong divisions with their bodies (HRSS department → commission → arbitration
institute for the province, each of the 16 cities and each county), creates three HRSS
administrators (province, 济南, 历下区) and bulk-creates ``cases`` accepted cases spread over the
institutes and over ``years`` years ending ``today``, with their stored figures (``CaseFigure``,
then ``figures.rebuild_days()``) written from the same drawn values, so the dashboards' figures
agree with the cases.

What is drawn (numpy, fixed seed; the rates come from spec §7.2–7.3 where it has them):

- **where**: an institute, weighted by its city's population (7th census, millions) times a
  dispute intensity (the coastal and capital economies file more), urban districts 1.5×, the
  city's own institute about a fifth of its city, the province's a few major cases;
- **when**: a working day of the holiday calendar (``core.Holiday``), with a yearly growth of
  8 %, a season (Q4–January high, the Spring Festival fortnight low) and the wage-arrears peak
  of the four weeks before the Spring Festival, when labor remuneration is also more frequent;
- **what**: the primary cause (``cases.taxonomy.Cause``; labor remuneration the most), the
  category, collective (1.5 %, 10 or more workers, 23 on average), the workers and the amount
  claimed (log-normal), the origin (mostly handled in this system, more imported in the first
  years) and the channel;
- **how it ended**: mediation 40 %, award 38 %, withdrawn 17 %, the rest deemed withdrawn,
  revoked or transferred; an award final in 40 % of cases; the days to close per method within
  the 45-day award clock (extended by 15 days for some awards, lengthened by suspensions), a few
  per cent late; what has not ended by ``today`` is open in a working state, the older ones in
  hearing; closed cases older than half a year are archived; outcomes of adjudicated cases
  workers won / employers won / partly 30 / 10 / 60 % (spec §7.3; counted in the result only,
  no column holds them).

What is not made, on purpose: events, parties, claim items, awards, clocks and documents. At a
million cases the events alone would be some 20 million rows of the hash-chained log, written one
by one, which takes hours; the figures carry the values the indicators would read from them
(closing method, award and finality, clock due date and in-time, workers, amount). So a nightly
``figures.rebuild()`` over a synthetic province would lose them, and the indicators computed on
the fly agree with the dashboards only for what they read from the case row itself (accepted,
closed, open, collective, online), and the monthly report's award-clock check (校核) names
every synthetic case handled here, as it has no clock: a bench database is not one to report from.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhongcai.accounts.models import Role, User
from zhongcai.accounts.services import staff_user_create
from zhongcai.cases.models import (
    Case,
    CaseNumberCounter,
    Channel,
    Origin,
    PostAward,
    Status,
    TribunalKind,
)
from zhongcai.cases.numbering import profile_of
from zhongcai.cases.taxonomy import Category, Cause, PersonnelSubtype
from zhongcai.core.models import Holiday
from zhongcai.orgs.divisions import SHANDONG_CSV, import_divisions
from zhongcai.orgs.models import Division, Organisation

from . import figures
from .figure_models import CaseFigure

BATCH = 10_000
PROVINCE, JINAN, LIXIA = "370000", "370100", "370102"

# 7th census (2020), millions, and a dispute intensity per case filed (a guess: the capital and
# the coastal economies have more employees per head and file more).
CITIES = {
    "370100": (9.2, 1.5), "370200": (10.1, 1.8), "370300": (4.7, 1.1), "370400": (3.9, 0.8),
    "370500": (2.2, 1.2), "370600": (7.1, 1.3), "370700": (9.4, 1.0), "370800": (8.4, 0.9),
    "370900": (5.5, 0.8), "371000": (2.9, 1.2), "371100": (3.0, 0.9), "371300": (11.0, 0.8),
    "371400": (5.6, 0.8), "371500": (6.0, 0.7), "371600": (3.9, 0.9), "371700": (8.8, 0.7),
}  # fmt: skip
CITY_OWN_SHARE = 0.2  # of a city's cases, those its own institute handles
PROVINCE_SHARE = 0.002

CAUSES = {
    Cause.REMUNERATION: 0.34, Cause.ECONOMIC_COMPENSATION: 0.12, Cause.DAMAGES: 0.10,
    Cause.LABOR_RELATIONSHIP: 0.09, Cause.SOCIAL_INSURANCE: 0.08, Cause.TERMINATION: 0.07,
    Cause.WORK_INJURY: 0.06, Cause.DISMISSAL: 0.04, Cause.CONTRACT: 0.025,
    Cause.WORKING_TIME: 0.015, Cause.REST_LEAVE: 0.01, Cause.WELFARE: 0.005,
    Cause.TRAINING: 0.005, Cause.LABOR_PROTECTION: 0.005, Cause.PERSONNEL: 0.02,
    Cause.OTHER: 0.01,
}  # fmt: skip
METHODS = {
    "mediation": 0.40, "award": 0.38, "withdrawn": 0.17, "deemed_withdrawn": 0.02,
    "revoked": 0.01, "transferred": 0.02,
}  # fmt: skip
CLOSED_STATUS = {
    "mediation": Status.CLOSED_MEDIATION, "award": Status.CLOSED_AWARD,
    "withdrawn": Status.CLOSED_WITHDRAWN, "deemed_withdrawn": Status.CLOSED_DEEMED_WITHDRAWN,
    "revoked": Status.CLOSED_REVOKED, "transferred": Status.CLOSED_TRANSFERRED,
}  # fmt: skip
OUTCOMES = {"workers": 0.30, "employers": 0.10, "partly": 0.60}  # spec §7.3
COLLECTIVE = 0.015
AWARD_DAYS, EXTENSION_DAYS = 45, 15  # LDMAL art. 43
GROWTH = 0.08  # a year
ARCHIVE_AFTER = 180  # days after closing


@dataclass
class Province:
    """What ``build_province`` made: the three administrators and the counts."""

    province_admin: User
    city_admin: User
    county_admin: User
    cases: int = 0
    days: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


# --- The bodies and the administrators ------------------------------------------------------


def _admin(username: str, real_name: str, division: str) -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    return staff_user_create(
        by=None,
        username=username,
        real_name=real_name,
        role=Role.HRSS_ADMIN,
        organisation=Organisation.objects.get(
            division_id=division, type=Organisation.Type.HRSS_DEPARTMENT
        ),
        password=secrets.token_urlsafe(24),  # nobody logs in as them
    )


def _institutes() -> tuple[list[Organisation], np.ndarray]:
    """Every institute of the province and its share of the cases (sums to 1)."""
    institutes = list(
        Organisation.objects.filter(
            type=Organisation.Type.ARBITRATION_INSTITUTE,
            division__code__startswith=PROVINCE[:2],
            parent__type=Organisation.Type.COMMISSION,
        )
        .select_related("division")
        .order_by("division_id", "pk")
    )
    by_city: dict[str, list[tuple[Organisation, float]]] = defaultdict(list)
    chosen: list[Organisation] = []
    weights: list[float] = []
    for institute in institutes:
        division = institute.division
        if division.level == Division.Level.PROVINCE:
            chosen.append(institute)
            weights.append(PROVINCE_SHARE)
        elif division.level == Division.Level.PREFECTURE:
            by_city[division.code].append((institute, -1.0))
        elif division.parent_id in CITIES:
            urban = int(division.code[4:]) <= 20
            by_city[division.parent_id].append((institute, 1.5 if urban else 1.0))
    total = sum(people * intensity for people, intensity in CITIES.values())
    for city, members in by_city.items():
        people, intensity = CITIES.get(city, (1.0, 1.0))
        share = (1 - PROVINCE_SHARE) * people * intensity / total
        counties = sum(w for _i, w in members if w > 0)
        own = any(w < 0 for _i, w in members)
        for institute, w in members:
            chosen.append(institute)
            if w < 0:
                weights.append(share * CITY_OWN_SHARE)
            else:
                weights.append(share * (1 - CITY_OWN_SHARE * own) * w / counties)
    p = np.array(weights)
    return chosen, p / p.sum()


# --- The calendar ---------------------------------------------------------------------------


def _day_weights(first: date, last: date) -> tuple[list[date], np.ndarray, np.ndarray]:
    """Days first..last, the relative number of cases accepted on each, and whether it lies in
    the four weeks before a Spring Festival (the wage-arrears peak)."""
    special = dict(
        Holiday.objects.filter(date__range=(first, last + timedelta(days=60))).values_list(
            "date", "kind"
        )
    )
    festivals: dict[int, date] = {}
    for day in (
        Holiday.objects.filter(name="春节", kind=Holiday.Kind.HOLIDAY)
        .order_by("date")
        .values_list("date", flat=True)
    ):
        festivals.setdefault(day.year, day)
    season = {1: 1.3, 2: 0.9, 3: 1.0, 4: 0.95, 5: 0.95, 6: 1.0, 7: 1.0, 8: 0.95, 9: 1.0,
              10: 1.05, 11: 1.15, 12: 1.3}  # fmt: skip
    days: list[date] = []
    weights: list[float] = []
    peak: list[bool] = []
    day = first
    while day <= last:
        kind = special.get(day)
        working = kind == Holiday.Kind.WORKDAY if kind else day.weekday() < 5
        festival = festivals.get(day.year) or date(day.year, 2, 1)
        if day > festival + timedelta(days=30):
            festival = festivals.get(day.year + 1) or date(day.year + 1, 2, 1)
        before = 0 < (festival - day).days <= 28
        weight = season[day.month] * (1 + GROWTH) ** ((day - first).days / 365.25)
        weight *= 1.35 if before else 1.0
        days.append(day)
        weights.append(weight if working else weight * 0.02)  # weekend counters are rare
        peak.append(before)
        day += timedelta(days=1)
    p = np.array(weights)
    return days, p / p.sum(), np.array(peak)


# --- Drawing --------------------------------------------------------------------------------


@dataclass
class _Draw:
    """The drawn values of every case, as arrays of the same length."""

    institute: np.ndarray
    accepted: np.ndarray  # day index
    received_lag: np.ndarray
    cause: np.ndarray
    collective: np.ndarray
    workers: np.ndarray
    amount_cents: np.ndarray
    legacy: np.ndarray
    channel: np.ndarray
    method: np.ndarray  # index into METHODS
    final: np.ndarray
    outcome: np.ndarray
    extended: np.ndarray
    excluded: np.ndarray
    net: np.ndarray  # days from acceptance to closing, less the excluded days
    minutes: np.ndarray  # time of day of the closing, in minutes
    archive_lag: np.ndarray


def _draw(rng: np.random.Generator, n: int, n_institutes: int, p_institute: np.ndarray,
          p_day: np.ndarray, peak: np.ndarray) -> _Draw:  # fmt: skip
    accepted = rng.choice(len(p_day), size=n, p=p_day)
    causes = list(CAUSES)
    p_cause = np.array(list(CAUSES.values()))
    cause = rng.choice(len(causes), size=n, p=p_cause / p_cause.sum())
    # Before the Spring Festival one case in five more is about unpaid wages.
    arrears = peak[accepted] & (rng.random(n) < 0.2)
    cause[arrears] = causes.index(Cause.REMUNERATION)
    collective = rng.random(n) < COLLECTIVE
    single = np.where(rng.random(n) < 0.93, 1, rng.integers(2, 10, size=n))
    workers = np.where(collective, 10 + rng.geometric(1 / 14, size=n), single)
    per_worker = rng.lognormal(np.log(18_000), 0.9, size=n)
    amount_cents = np.round(per_worker * np.where(collective, workers * 0.6, 1) * 100)
    age = accepted / max(len(p_day) - 1, 1)  # 0 for the first day, 1 for the last
    legacy = rng.random(n) < 0.25 * (1 - age) ** 3 + 0.01
    channel = rng.choice(3, size=n, p=[0.45, 0.45, 0.10])
    p_method = np.array(list(METHODS.values()))
    method = rng.choice(len(METHODS), size=n, p=p_method / p_method.sum())
    final = rng.random(n) < 0.40
    p_outcome = np.array(list(OUTCOMES.values()))
    outcome = rng.choice(len(OUTCOMES), size=n, p=p_outcome)

    names = list(METHODS)
    award = method == names.index("award")
    extended = award & (rng.random(n) < 0.12)
    suspended = rng.random(n) < 0.03
    excluded = np.where(suspended, 10 + rng.gamma(2, 20, size=n), 0).astype(int)
    net = np.empty(n)
    by_method = {
        "mediation": 1 + rng.gamma(2, 8, size=n),
        "award": np.where(
            extended, rng.normal(52, 4, size=n).clip(46, 60), rng.normal(36, 6, size=n).clip(12, 45)
        ),
        "withdrawn": 1 + rng.gamma(1.5, 8, size=n),
        "deemed_withdrawn": 10 + rng.gamma(2, 8, size=n),
        "revoked": 5 + rng.gamma(2, 5, size=n),
        "transferred": 2 + rng.gamma(1.5, 3, size=n),
    }
    for i, name in enumerate(names):
        mask = method == i
        net[mask] = by_method[name][mask]
    limit = AWARD_DAYS + np.where(extended, EXTENSION_DAYS, 0)
    net = np.minimum(np.round(net), limit).astype(int)
    # A few per cent close late: 4 % of awards, 1 % of the others.
    late = rng.random(n) < np.where(award, 0.04, 0.01)
    net = np.where(late, limit + rng.geometric(1 / 12, size=n), net)
    return _Draw(
        institute=rng.choice(n_institutes, size=n, p=p_institute),
        accepted=accepted,
        received_lag=rng.integers(0, 6, size=n),
        cause=cause,
        collective=collective,
        workers=workers,
        amount_cents=amount_cents,
        legacy=legacy,
        channel=channel,
        method=method,
        final=final,
        outcome=outcome,
        extended=extended,
        excluded=excluded,
        net=net,
        minutes=rng.integers(8 * 60 + 30, 17 * 60 + 30, size=n),
        archive_lag=rng.integers(20, 90, size=n),
    )


# --- Writing --------------------------------------------------------------------------------


@contextmanager
def _dated_creation() -> Iterator[None]:
    """Let bulk_create keep the drawn ``created_at`` (the day of receipt), not the time of the
    run; only this module's own inserts run inside."""
    created_at: Any = Case._meta.get_field("created_at")
    created_at.auto_now_add = False
    try:
        yield
    finally:
        created_at.auto_now_add = True


def _open_status(age: int) -> Status:
    if age <= 7:
        return Status.ACCEPTED
    if age <= 15:
        return Status.PANEL_FORMED
    if age <= 25:
        return Status.DEFENCE_PERIOD
    if age <= 35:
        return Status.HEARING_SCHEDULED
    return Status.HEARING if age % 2 else Status.DELIBERATION


@transaction.atomic
def build_province(
    cases: int,
    *,
    seed: int = 1,
    years: int = 5,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> Province:
    """Shandong with ``cases`` accepted cases over ``years`` years ending ``today``; see the
    module's docstring. ``progress`` gets a line now and then (the bench prints it)."""
    if cases < 0 or years < 1:
        raise ValueError("cases must be ≥ 0 and years ≥ 1.")
    say = progress or (lambda _line: None)
    today = today or timezone.localdate()
    import_divisions(SHANDONG_CSV.read_text(encoding="utf-8"))
    province = Province(
        province_admin=_admin("synthetic_province_admin", "省管理员", PROVINCE),
        city_admin=_admin("synthetic_jinan_admin", "济南管理员", JINAN),
        county_admin=_admin("synthetic_lixia_admin", "历下管理员", LIXIA),
    )
    institutes, p_institute = _institutes()
    first = date(today.year - years, today.month, today.day) + timedelta(days=1)
    days, p_day, peak = _day_weights(first, today)
    rng = np.random.default_rng(seed)
    d = _draw(rng, cases, len(institutes), p_institute, p_day, peak)

    # Case numbers: per commission and year in order of acceptance, after any already given.
    commissions = {i.parent_id for i in institutes}
    abbreviations = {
        pk: profile_of(org).abbreviation
        for pk, org in Organisation.objects.select_related("division__parent")
        .in_bulk(commissions)
        .items()
    }
    last = {
        (c, y): n
        for c, y, n in CaseNumberCounter.objects.filter(commission_id__in=commissions).values_list(
            "commission_id", "year", "last"
        )
    }
    for c, y, n in (
        Case.objects.filter(commission_id__in=commissions, case_seq__isnull=False)
        .values("commission_id", "case_year")
        .annotate(n=Max("case_seq"))
        .values_list("commission_id", "case_year", "n")
    ):
        last[(c, y)] = max(last.get((c, y), 0), n)
    order = np.argsort(d.accepted, kind="stable")  # numbered in order of acceptance

    tz = timezone.get_current_timezone()
    causes, methods, outcomes = list(CAUSES), list(METHODS), list(OUTCOMES)
    channels = [Channel.ONLINE, Channel.COUNTER, Channel.ORAL]
    counts: dict[str, dict[str, int]] = {
        "method": defaultdict(int), "outcome": defaultdict(int), "status": defaultdict(int),
        "origin": defaultdict(int),
    }  # fmt: skip
    by = province.province_admin
    written = 0
    with _dated_creation():
        for start in range(0, cases, BATCH):
            rows: list[Case] = []
            figs: list[CaseFigure] = []
            for k in order[start : start + BATCH]:
                institute = institutes[d.institute[k]]
                commission_id = institute.parent_id
                accepted_on = days[d.accepted[k]]
                received = accepted_on - timedelta(days=int(d.received_lag[k]))
                cause = causes[d.cause[k]]
                collective = bool(d.collective[k])
                legacy = bool(d.legacy[k])
                excluded = int(d.excluded[k])
                extended = bool(d.extended[k])
                workers = int(d.workers[k])
                closed_on = accepted_on + timedelta(days=int(d.net[k]) + excluded)
                is_closed = closed_on <= today
                method = methods[d.method[k]] if is_closed else ""
                due_on = None
                if not legacy:
                    due_on = accepted_on + timedelta(
                        days=AWARD_DAYS + EXTENSION_DAYS * extended + excluded
                    )
                year = accepted_on.year
                seq = last.get((commission_id, year), 0) + 1
                last[(commission_id, year)] = seq
                case = Case(
                    commission_id=commission_id,
                    institute_id=institute.pk,
                    category=Category.PERSONNEL if cause == Cause.PERSONNEL else Category.LABOR,
                    personnel_subtype=(
                        PersonnelSubtype.PUBLIC_INSTITUTION if cause == Cause.PERSONNEL else ""
                    ),
                    causes=[str(cause)],
                    primary_cause=str(cause),
                    workplace_division_id=institute.division_id,
                    collective=collective,
                    channel=channels[d.channel[k]],
                    origin=Origin.LEGACY if legacy else Origin.SYSTEM,
                    created_by=by,
                    created_at=datetime.combine(received, time(9), tzinfo=tz),
                    received_at=datetime.combine(received, time(9), tzinfo=tz),
                    clock_started_on=received,
                    decided_at=datetime.combine(accepted_on, time(16), tzinfo=tz),
                    accepted_on=accepted_on,
                    case_year=year,
                    case_seq=seq,
                    case_number=f"{abbreviations[commission_id]}劳人仲案字〔{year}〕第{seq}号",
                    major=collective and workers >= 30,
                )
                age = (today - accepted_on).days
                if age > 7 or is_closed:
                    case.tribunal_kind = TribunalKind.THREE if case.major else TribunalKind.SOLE
                if is_closed:
                    minutes = int(d.minutes[k])
                    case.closed_at = datetime.combine(
                        closed_on, time(minutes // 60, minutes % 60), tzinfo=tz
                    )
                    case.closing_approved_at = case.closed_at
                    case.status = CLOSED_STATUS[method]
                    if method == "award":
                        effective = (today - closed_on).days > 60
                        case.post_award = (
                            PostAward.EFFECTIVE if effective else PostAward.PENDING_EFFECT
                        )
                    if (today - closed_on).days > ARCHIVE_AFTER:
                        case.status = Status.ARCHIVED
                        case.archived_at = case.closed_at + timedelta(days=int(d.archive_lag[k]))
                    counts["method"][method] += 1
                    if method in ("award", "mediation"):
                        counts["outcome"][outcomes[d.outcome[k]]] += 1
                else:
                    case.status = _open_status(age)
                    case.suspended = excluded > 0
                counts["status"][str(case.status)] += 1
                counts["origin"][str(case.origin)] += 1
                rows.append(case)
                awarded = method == "award"
                figs.append(
                    CaseFigure(
                        organisation_id=institute.pk,
                        accepted_on=accepted_on,
                        closed_on=closed_on if is_closed else None,
                        method=method,
                        awarded=awarded,
                        final=awarded and bool(d.final[k]),
                        clocked=is_closed and due_on is not None,
                        in_time=is_closed and due_on is not None and closed_on <= due_on,
                        net_days=int(d.net[k]) if is_closed else None,
                        due_on=due_on,
                        paused=not is_closed and excluded > 0 and due_on is not None,
                        collective=collective,
                        online=not legacy,
                        workers=workers,
                        amount=Decimal(int(d.amount_cents[k])).scaleb(-2),
                    )
                )
            Case.objects.bulk_create(rows)
            for case, fig in zip(rows, figs, strict=True):
                fig.case_id = case.pk
            CaseFigure.objects.bulk_create(figs)
            written += len(rows)
            say(f"{written:,} / {cases:,} cases")
    counters = [
        CaseNumberCounter(commission_id=c, year=y, last=n) for (c, y), n in sorted(last.items())
    ]
    CaseNumberCounter.objects.bulk_create(
        counters,
        update_conflicts=True,
        unique_fields=["commission", "year"],
        update_fields=["last"],
    )
    say("adding up the days")
    province.days = figures.rebuild_days()
    province.cases = written
    province.counts = {name: dict(values) for name, values in counts.items()}
    return province
