"""Performance figures (绩效考核) per institution and per arbitrator, for any period.

Every figure is declared once below with its definition, which the page and the export show
next to it. Figures are computed from the case data as it exists: cases currently go as far as
acceptance; closing figures come from the monitoring app's daily figures (the same definitions as
the national indicators, ADR 0012); court figures answer "no data yet" with the reason, never a
made-up number. When a later stage records court outcomes or links cases to arbitrators, its
figure gets a computation here and loses its ``missing`` reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L

from zhongcai.cases.models import Case, CaseDeadline
from zhongcai.cases.selectors import online_handling_rate
from zhongcai.monitoring.figure_models import DailyFigure

from .models import AnnualAssessment, Organisation, Person
from .rules import rule
from .spreadsheets import Sheet, workbook_bytes

COUNT, RATE, DAYS, HOURS, TEXT = "count", "rate", "days", "hours", "text"
COURT_MISSING = L("Court outcomes are not received by the platform yet.")
TRIBUNAL_MISSING = L(
    "No case is linked to an arbitrator yet: tribunals are formed in a later stage of the platform."
)


@dataclass(frozen=True)
class Definition:
    code: str
    label: str | Promise
    definition: str | Promise
    kind: str
    missing: str | Promise | None = None


INSTITUTION_FIGURES = (
    Definition(
        "accepted",
        L("Cases accepted"),
        L("Cases whose acceptance date falls in the period (当期受理案件数)."),
        COUNT,
    ),
    Definition(
        "acceptance_decisions",
        L("Acceptance decisions"),
        L("Applications accepted, not accepted or redirected in the period."),
        COUNT,
    ),
    Definition(
        "acceptance_on_time",
        L("Acceptance decided in time"),
        L(
            "Share of the period's acceptance decisions taken within 5 working days of receipt "
            "(LDMAL art. 29)."
        ),
        RATE,
    ),
    Definition(
        "acceptance_late",
        L("Acceptance decided late"),
        L("Acceptance decisions of the period taken after the 5 working days."),
        COUNT,
    ),
    Definition(
        "online_rate",
        L("Online-handling rate"),
        L(
            "Of the cases accepted in the period, the share whose every step was recorded in "
            "this system as it happened (网上办案率); cases imported from a legacy system do "
            "not count."
        ),
        RATE,
    ),
    Definition(
        "overdue_open",
        L("Cases past a deadline"),
        L(
            "Cases with a statutory clock still running past its due date, as of today, "
            "whatever the period (超审限案件数)."
        ),
        COUNT,
    ),
    Definition(
        "closed",
        L("Cases closed"),
        L("Cases whose closing date falls in the period (当期结案数)."),
        COUNT,
    ),
    Definition(
        "closed_in_time",
        L("Closed within the time limit"),
        L(
            "Share of the cases closed in the period that closed within 45 days of acceptance "
            "plus an approved extension, net of excluded periods (审限内结案率)."
        ),
        RATE,
    ),
    Definition(
        "average_days",
        L("Average days to close"),
        L("Mean net days from acceptance to closing of the cases closed in the period."),
        DAYS,
    ),
    Definition(
        "mediation_rate",
        L("Mediation rate"),
        L("Cases closed by a mediation document (调解书) ÷ cases closed in the period."),
        RATE,
    ),
    Definition(
        "set_aside",
        L("Awards set aside or changed by a court"),
        L("Awards of the period that a court later set aside or changed (裁审衔接)."),
        COUNT,
        COURT_MISSING,
    ),
)
ARBITRATOR_FIGURES = (
    Definition(
        "cases_handled",
        L("Cases handled"),
        L("Cases accepted in the period in whose tribunal the arbitrator sits."),
        COUNT,
        TRIBUNAL_MISSING,
    ),
    Definition(
        "closed",
        L("Cases closed"),
        L("The arbitrator's cases closed in the period."),
        COUNT,
        TRIBUNAL_MISSING,
    ),
    Definition(
        "closed_in_time",
        L("Closed within the time limit"),
        L("Share of the arbitrator's closed cases closed within the time limit."),
        RATE,
        TRIBUNAL_MISSING,
    ),
    Definition(
        "average_days",
        L("Average days to close"),
        L("Mean net days from acceptance to closing of the arbitrator's cases."),
        DAYS,
        TRIBUNAL_MISSING,
    ),
    Definition(
        "mediation_rate",
        L("Mediation rate"),
        L("The arbitrator's cases closed by mediation or settlement ÷ closed."),
        RATE,
        TRIBUNAL_MISSING,
    ),
    Definition(
        "set_aside",
        L("Awards set aside or changed by a court"),
        L("The arbitrator's awards later set aside or changed by a court."),
        COUNT,
        COURT_MISSING,
    ),
    Definition(
        "training_hours",
        L("Training hours"),
        L(
            "Class hours of in-service training completed in the period; the expectation is "
            "%(hours)s hours a year (组织规则 art. 29)."
        ),
        HOURS,
    ),
    Definition(
        "assessment",
        L("Annual assessment"),
        L("Results of the annual assessments of the years the period touches."),
        TEXT,
    ),
)


def definition_text(definition: Definition) -> str:
    text = str(definition.definition)
    if "%(hours)s" in text:
        text = text % {"hours": rule("training_hours_per_year")}
    return text


@dataclass(frozen=True)
class Value:
    definition: Definition
    value: Any = None
    detail: str = ""

    @property
    def available(self) -> bool:
        return self.definition.missing is None

    def display(self) -> str:
        if not self.available:
            return _("No data yet")
        if self.value is None:
            return "—"
        if self.definition.kind == RATE:
            return f"{self.value * 100:.1f}%"
        if isinstance(self.value, Decimal):
            return format(self.value.normalize(), "f")
        return str(self.value)

    def cell(self) -> Any:
        """For a spreadsheet: counts, days and hours stay numbers."""
        if self.available and self.definition.kind in (COUNT, DAYS, HOURS):
            if isinstance(self.value, Decimal):
                return float(self.value)
            if isinstance(self.value, int | float):
                return self.value
        return self.display()


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as aware datetimes [start 00:00, day after end 00:00) in local time."""
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _closing_values(sums: dict[str, int]) -> dict[str, Any]:
    closed = sums.get("closed") or 0
    average = None
    if closed:
        average = (Decimal(sums.get("net_days") or 0) / closed).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return {
        "closed": closed,
        "in_time": _rate(sums.get("in_time") or 0, sums.get("clocked") or 0),
        "in_time_detail": (sums.get("in_time") or 0, sums.get("clocked") or 0),
        "average_days": average,
        "mediation_rate": _rate(sums.get("closed_mediation") or 0, closed),
        "mediation_detail": (sums.get("closed_mediation") or 0, closed),
    }


def _closing_sums(organisations: Sequence[Organisation], period: Period) -> dict[int, dict]:
    """Per organisation: the cases closed in the period under it, from the daily figures the
    monitoring app keeps from the closing events (ADR 0012) — one grouped query."""
    subtree = Q()
    for organisation in organisations:
        subtree |= Q(organisation__path__startswith=organisation.path)
    rows = (
        DailyFigure.objects.filter(subtree, day__range=(period.start, period.end))
        .values("organisation__path")
        .annotate(
            s_closed=Sum("closed"),
            s_in_time=Sum("in_time"),
            s_clocked=Sum("clocked"),
            s_net_days=Sum("net_days"),
            s_closed_mediation=Sum("closed_mediation"),
        )
    )
    sums: dict[int, dict[str, int]] = {o.pk: defaultdict(int) for o in organisations}
    for row in rows:
        for organisation in organisations:
            if row["organisation__path"].startswith(organisation.path):
                for name, value in row.items():
                    if name.startswith("s_"):
                        sums[organisation.pk][name[2:]] += value or 0
    return sums


def _institution_values(
    accepted: int,
    decisions: int,
    late: int,
    online: Any,
    overdue: int,
    closing: dict[str, int],
) -> list[Value]:
    d = {definition.code: definition for definition in INSTITUTION_FIGURES}
    c = _closing_values(closing)
    computed = {
        "closed": Value(d["closed"], c["closed"]),
        "closed_in_time": Value(
            d["closed_in_time"],
            c["in_time"],
            _("%(n)d of %(total)d") % dict(zip(("n", "total"), c["in_time_detail"], strict=True)),
        ),
        "average_days": Value(d["average_days"], c["average_days"]),
        "mediation_rate": Value(
            d["mediation_rate"],
            c["mediation_rate"],
            _("%(n)d of %(total)d") % dict(zip(("n", "total"), c["mediation_detail"], strict=True)),
        ),
        "accepted": Value(d["accepted"], accepted),
        "acceptance_decisions": Value(d["acceptance_decisions"], decisions),
        "acceptance_on_time": Value(
            d["acceptance_on_time"],
            _rate(decisions - late, decisions),
            _("%(n)d of %(total)d") % {"n": decisions - late, "total": decisions},
        ),
        "acceptance_late": Value(d["acceptance_late"], late),
        "online_rate": Value(
            d["online_rate"],
            online.value,
            _("%(n)d of %(total)d") % {"n": online.handled_online, "total": online.total},
        ),
        "overdue_open": Value(d["overdue_open"], overdue),
    }
    return [computed.get(d.code) or Value(d) for d in INSTITUTION_FIGURES]


def _case_counts(case_filter: Q, deadline_filter: Q, period: Period, group: str | None) -> Any:
    """Accepted cases, acceptance decisions (and late ones), overdue clocks; grouped or not."""
    start_at, end_at = period.bounds()
    accepted = Case.objects.filter(case_filter, accepted_on__range=(period.start, period.end))
    decisions = CaseDeadline.objects.filter(
        deadline_filter,
        code="acceptance_decision",
        state=CaseDeadline.State.MET,
        closed_at__gte=start_at,
        closed_at__lt=end_at,
    )
    overdue = CaseDeadline.objects.filter(
        deadline_filter, state=CaseDeadline.State.OPEN, due_on__lt=timezone.localdate()
    )
    late = Count("pk", filter=Q(met_late=True))
    if group is None:
        return (
            accepted.count(),
            decisions.aggregate(n=Count("pk"), late=late),
            overdue.aggregate(n=Count("case", distinct=True))["n"],
        )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, n in accepted.values_list(group).annotate(n=Count("pk")).order_by():
        counts[key]["accepted"] = n
    for key, n, n_late in (
        decisions.values_list(f"case__{group}").annotate(n=Count("pk"), late=late).order_by()
    ):
        counts[key]["decisions"], counts[key]["late"] = n, n_late
    for key, n in (
        overdue.values_list(f"case__{group}").annotate(n=Count("case", distinct=True)).order_by()
    ):
        counts[key]["overdue"] = n
    return counts


def figures_for_area(organisation: Organisation, period: Period) -> list[Value]:
    """The figures of every commission under ``organisation`` taken together."""
    accepted, decisions, overdue = _case_counts(
        Q(commission__path__startswith=organisation.path),
        Q(case__commission__path__startswith=organisation.path),
        period,
        None,
    )
    return _institution_values(
        accepted,
        decisions["n"],
        decisions["late"],
        online_handling_rate(organisation, period.start, period.end),
        overdue,
        _closing_sums([organisation], period)[organisation.pk],
    )


def figures_by_commission(
    commissions: Sequence[Organisation], period: Period
) -> dict[int, list[Value]]:
    """The figures of each commission: grouped queries, plus the online rate of each."""
    ids = [c.pk for c in commissions]
    counts = _case_counts(Q(commission__in=ids), Q(case__commission__in=ids), period, "commission")
    closing = _closing_sums(commissions, period)
    return {
        c.pk: _institution_values(
            counts[c.pk]["accepted"],
            counts[c.pk]["decisions"],
            counts[c.pk]["late"],
            online_handling_rate(c, period.start, period.end),
            counts[c.pk]["overdue"],
            closing[c.pk],
        )
        for c in commissions
    }


def figures_by_arbitrator(people: Sequence[Person], period: Period) -> dict[int, list[Value]]:
    ids = [p.pk for p in people]
    hours = dict(
        Person.objects.filter(pk__in=ids)
        .annotate(
            hours=Sum(
                "trainings__hours",
                filter=Q(trainings__completed_on__range=(period.start, period.end)),
            )
        )
        .values_list("pk", "hours")
    )
    results: dict[int, list[str]] = defaultdict(list)
    for person_id, year, result in (
        AnnualAssessment.objects.filter(
            person_id__in=ids, year__range=(period.start.year, period.end.year)
        )
        .order_by("person_id", "year")
        .values_list("person_id", "year", "result")
    ):
        results[person_id].append(f"{year}: {AnnualAssessment.Result(result).label}")
    by_code = {d.code: d for d in ARBITRATOR_FIGURES}

    def values(pk: int) -> list[Value]:
        computed = {
            "training_hours": Value(by_code["training_hours"], hours.get(pk) or Decimal(0)),
            "assessment": Value(by_code["assessment"], "; ".join(results[pk]) or None),
        }
        return [computed.get(d.code) or Value(d) for d in ARBITRATOR_FIGURES]

    return {pk: values(pk) for pk in ids}


def arbitrators_in(people: Any, period: Period) -> Any:
    """Arbitrators with an appointment that overlaps the period."""
    return (
        people.filter(kind=Person.Kind.ARBITRATOR)
        .filter(
            appointments__starts_on__lte=period.end,
        )
        .filter(
            Q(appointments__ended_on__isnull=True) | Q(appointments__ended_on__gte=period.start)
        )
        .filter(Q(appointments__ends_on__isnull=True) | Q(appointments__ends_on__gte=period.start))
        .distinct()
    )


def export(
    *,
    area: Organisation,
    period: Period,
    commissions: Sequence[Organisation],
    arbitrators: Sequence[Person],
) -> bytes:
    """The figures with their definitions, as a workbook."""
    title = _("%(area)s, %(start)s to %(end)s") % {
        "area": area.name,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }
    by_commission = figures_by_commission(commissions, period)
    by_arbitrator = figures_by_arbitrator(arbitrators, period)
    return workbook_bytes(
        [
            Sheet(
                title=_("Institutions"),
                headers=[_("Commission"), *(str(d.label) for d in INSTITUTION_FIGURES)],
                rows=[[c.name, *(v.cell() for v in by_commission[c.pk])] for c in commissions],
                notes=[title],
            ),
            Sheet(
                title=_("Arbitrators"),
                headers=[
                    _("Name"),
                    _("Commission"),
                    _("Full- or part-time"),
                    *(str(d.label) for d in ARBITRATOR_FIGURES),
                ],
                rows=[
                    [
                        p.name,
                        p.organisation.name,
                        str(p.get_employment_display()),
                        *(v.cell() for v in by_arbitrator[p.pk]),
                    ]
                    for p in arbitrators
                ],
                notes=[title],
            ),
            Sheet(
                title=_("Definitions"),
                headers=[_("Figure"), _("Definition"), _("Data")],
                rows=[
                    [str(d.label), definition_text(d), str(d.missing or _("Computed"))]
                    for d in (*INSTITUTION_FIGURES, *ARBITRATOR_FIGURES)
                ],
            ),
        ]
    )
