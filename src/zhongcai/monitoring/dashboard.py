"""The live dashboards' figures: an area, its children, its counties and its months, read from the
stored figures (``figure_models``; ADR 0012), which follow the cases' events.

``overview`` answers in a few indexed queries whatever the size of the province: one over the
organisation-days of the period (and of the twelve months before its end, for the trend), one
adding up the days before it (what was carried over), and one over the open cases' clocks. The
definitions are those of ``indicators``; ``tests/test_dashboard.py`` holds the two to the same
numbers on a built scenario.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zhongcai.core.calendar import add_working_days
from zhongcai.core.scope import scope
from zhongcai.orgs.models import Division, Organisation

from .figure_models import CaseFigure, DailyFigure
from .figures import ACCEPTED_FIELDS, CLOSED_FIELDS, MEDIATION_FIELDS, METHODS
from .indicators import COUNT, Indicator, area_for
from .warnings import threshold

SUMMED = ACCEPTED_FIELDS + CLOSED_FIELDS + MEDIATION_FIELDS
ONE_PLACE = Decimal("0.1")  # 四舍五入 to one decimal, as the indicators round
ONLINE_TARGETS = (90, 95, 100)  # per cent: the brief's 网上办案率 targets (spec §7.2 [B])


def _percent(part: int, whole: int) -> Decimal | None:
    """0–100 with one decimal; None ("no data") when nothing is in the denominator."""
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    """The sums of one area (or one month) and the rates derived from them."""

    accepted: int = 0
    accepted_collective: int = 0
    accepted_online: int = 0
    workers: int = 0
    collective_workers: int = 0
    amount: Decimal = Decimal("0.00")
    closed: int = 0
    closed_mediation: int = 0
    closed_award: int = 0
    closed_withdrawn: int = 0
    closed_deemed_withdrawn: int = 0
    closed_revoked: int = 0
    closed_transferred: int = 0
    closed_other: int = 0
    awards: int = 0
    awards_final: int = 0
    clocked: int = 0
    in_time: int = 0
    net_days: int = 0
    mediation_agreed: int = 0
    mediation_concluded: int = 0
    carried_over: int = 0
    overdue: int = 0
    near_deadline: int = 0

    def add(self, other: Figures | dict[str, Any]) -> None:
        for name in (*SUMMED, "carried_over", "overdue", "near_deadline"):
            value = other.get(name) if isinstance(other, dict) else getattr(other, name)
            if value:
                setattr(self, name, getattr(self, name) + value)

    @property
    def open_at_end(self) -> int:
        return self.carried_over + self.accepted - self.closed

    @property
    def closure_rate(self) -> Decimal | None:
        return _percent(self.closed, self.carried_over + self.accepted)

    @property
    def closed_in_time_rate(self) -> Decimal | None:
        return _percent(self.in_time, self.clocked)

    @property
    def average_days(self) -> Decimal | None:
        if not self.closed:
            return None
        return (Decimal(self.net_days) / Decimal(self.closed)).quantize(
            ONE_PLACE, rounding=ROUND_HALF_UP
        )

    @property
    def mediation_success_rate(self) -> Decimal | None:
        return _percent(
            self.closed_mediation + self.mediation_agreed, self.closed + self.mediation_concluded
        )

    @property
    def final_award_rate(self) -> Decimal | None:
        return _percent(self.awards_final, self.awards)

    @property
    def online_rate(self) -> Decimal | None:
        return _percent(self.accepted_online, self.accepted)

    @property
    def by_method(self) -> dict[str, int]:
        return {m: getattr(self, f"closed_{m}") for m in METHODS}

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            name: getattr(self, name)
            for name in (*SUMMED, "carried_over", "overdue", "near_deadline")
        }
        for name in ("open_at_end", "closure_rate", "closed_in_time_rate", "average_days",
                     "mediation_success_rate", "final_award_rate", "online_rate"):  # fmt: skip
            data[name] = getattr(self, name)
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in data.items()}


@dataclass
class Part:
    """A child organisation, or a county, with its figures."""

    organisation: Organisation | None
    division: Division | None
    figures: Figures


@dataclass
class Overview:
    area: Organisation
    start: date
    end: date
    as_of: date
    totals: Figures
    children: list[Part] = field(default_factory=list)
    counties: list[Part] = field(default_factory=list)
    months: list[tuple[date, Figures]] = field(default_factory=list)


def _subtree(area: Organisation) -> dict[int, Organisation]:
    return {
        o.pk: o
        for o in Organisation.objects.filter(path__startswith=area.path).select_related("division")
    }


def _sums(**aggregates: Any) -> dict[str, Any]:
    return {f"s_{name}": aggregate for name, aggregate in aggregates.items()}


def _unalias(row: dict[str, Any]) -> dict[str, Any]:
    return {k[2:]: v for k, v in row.items() if k.startswith("s_")}


def _per_organisation(ids: list[int], start: date, end: date) -> dict[int, Figures]:
    per: dict[int, Figures] = defaultdict(Figures)
    days = DailyFigure.objects.filter(organisation_id__in=ids)
    for row in (
        days.filter(day__range=(start, end))
        .values("organisation_id")
        .annotate(**_sums(**{name: Sum(name) for name in SUMMED}))
    ):
        per[row["organisation_id"]].add(_unalias(row))
    for row in (
        days.filter(day__lt=start)
        .values("organisation_id")
        .annotate(**_sums(accepted=Sum("accepted"), closed=Sum("closed")))
    ):
        carried = (row["s_accepted"] or 0) - (row["s_closed"] or 0)
        per[row["organisation_id"]].carried_over += carried
    return per


NEAR_DEADLINE = Indicator(
    "near_deadline",
    "临近审限案件数",
    gettext_lazy("Award due soon"),
    gettext_lazy(
        "Cases open on the last day of the period (or today, if earlier) whose award clock falls "
        "due within the warning window of working days, suspended cases excepted."
    ),
    "open at as_of AND as_of <= award due_on <= as_of + N working days AND clock not paused",
    COUNT,
    "LDMAL art. 43; MONITORING_WARNING_THRESHOLDS['deadline']",
)


def _horizon(as_of: date) -> date:
    return add_working_days(as_of, int(threshold("deadline", "due_within_working_days"))).due


def _open_clocked(figures: QuerySet[CaseFigure], as_of: date) -> QuerySet[CaseFigure]:
    return figures.filter(accepted_on__lte=as_of, paused=False).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=as_of)
    )


def near_deadline_cases(
    *, user: Any, organisation: Organisation | None = None, start: date, end: date
) -> QuerySet[Any]:
    """The pks of the cases the "award due soon" tile counts (scoped; 404 outside)."""
    area = area_for(user, organisation)
    as_of = min(end, timezone.localdate())
    figures = scope(CaseFigure.objects.all(), user).filter(organisation__path__startswith=area.path)
    return (
        _open_clocked(figures, as_of)
        .filter(due_on__gte=as_of, due_on__lte=_horizon(as_of))
        .values_list("case_id", flat=True)
    )


def _clocks(ids: list[int], as_of: date) -> dict[int, dict[str, int]]:
    """Per organisation: open cases past their award clock, and due within the warning window
    (``MONITORING_WARNING_THRESHOLDS["deadline"]``), suspended cases excepted."""
    horizon = _horizon(as_of)
    open_cases = _open_clocked(CaseFigure.objects.filter(organisation_id__in=ids), as_of)
    rows = (
        open_cases.filter(due_on__lte=horizon)
        .values("organisation_id")
        .annotate(
            overdue=Count("pk", filter=Q(due_on__lt=as_of)),
            near=Count("pk", filter=Q(due_on__gte=as_of)),
        )
    )
    return {r["organisation_id"]: {"overdue": r["overdue"], "near": r["near"]} for r in rows}


def _months(ids: list[int], end: date) -> list[tuple[date, Figures]]:
    """The twelve months up to the one ``end`` falls in (the period's trend)."""
    first = date(end.year - 1, end.month, 1) + timedelta(days=32)
    first = first.replace(day=1)
    months: dict[date, Figures] = {}
    cursor = first
    while cursor <= end:
        months[cursor] = Figures()
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    rows = (
        DailyFigure.objects.filter(organisation_id__in=ids, day__range=(first, end))
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(**_sums(**{name: Sum(name) for name in SUMMED}))
    )
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") and callable(month.date) else month
        months.setdefault(month, Figures()).add(_unalias(row))
    return sorted(months.items())


def overview(
    *, user: Any, organisation: Organisation | None = None, start: date, end: date
) -> Overview:
    """The figures of ``organisation`` (default: the user's own; 404 outside the scope) over
    [start, end]: totals, its direct children, the counties under it, the last twelve months."""
    if start > end:
        raise ValueError("The period starts after it ends.")
    area = area_for(user, organisation)
    as_of = min(end, timezone.localdate())
    tree = _subtree(area)
    ids = list(tree)
    per = _per_organisation(ids, start, end)
    for pk, clocks in _clocks(ids, as_of).items():
        per[pk].overdue += clocks["overdue"]
        per[pk].near_deadline += clocks["near"]

    totals = Figures()
    children: dict[int, Figures] = {}
    counties: dict[str, Figures] = {}
    for pk, figures in per.items():
        totals.add(figures)
        organisation_ = tree[pk]
        child = _child_of(area, organisation_, tree)
        if child is not None:
            children.setdefault(child.pk, Figures()).add(figures)
        if organisation_.division.level == Division.Level.COUNTY:
            counties.setdefault(organisation_.division_id, Figures()).add(figures)
    child_orgs = [o for o in tree.values() if o.parent_id == area.pk]
    county_divisions = {
        o.division_id: o.division
        for o in tree.values()
        if o.division.level == Division.Level.COUNTY
    }
    return Overview(
        area=area,
        start=start,
        end=end,
        as_of=as_of,
        totals=totals,
        children=[Part(o, o.division, children.get(o.pk, Figures())) for o in child_orgs],
        counties=[
            Part(None, division, counties.get(code, Figures()))
            for code, division in sorted(county_divisions.items())
        ],
        months=_months(ids, end),
    )


def _child_of(
    area: Organisation, organisation: Organisation, tree: dict[int, Organisation]
) -> Organisation | None:
    """The direct child of ``area`` that ``organisation`` lies under (None: the area itself)."""
    if organisation.pk == area.pk:
        return None
    parts = organisation.path.strip("/").split("/")
    depth = area.path.strip("/").count("/") + 1
    return tree.get(int(parts[depth]))
