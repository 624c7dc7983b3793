"""Monitoring indicators (监测指标, spec §7.2), each declared once with its definition.

``compute(code, user=, organisation=, start=, end=)`` gives an indicator's value over an
organisation subtree and a period; ``cases_behind`` gives the cases it counts, so a page can
list them. Both read only what ``user`` may see (``core.scope``), optionally narrowed to an
organisation inside that scope; one outside it answers 404, like a missing one.

A rate or an average over nothing is "no data" with its reason, never 0 %; a count of nothing
is a true 0. Closing methods come from the closing events of the hash-chained log, so an
archived case keeps how it was closed. Breakdowns are in ``breakdowns``.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast, TruncDate
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as L

from zhongcai.accounts.models import Role
from zhongcai.cases.models import Award, Case, CaseDeadline, ClaimItem, Finality, Origin, Party
from zhongcai.cases.selectors import online_handling_rate
from zhongcai.core.models import Event
from zhongcai.core.scope import scope
from zhongcai.mediation.assessment import AGREED_STATES, ENDED_STATES
from zhongcai.mediation.models import MediationCase
from zhongcai.orgs.models import Organisation

COUNT, RATE, DAYS, PEOPLE, YUAN = "cases", "percent", "days", "workers", "yuan"

# The event that closed a case (``cases.workflow.TRANSITIONS``) → its closing method.
CLOSING_EVENTS = {
    "case.closed_by_mediation": "mediation",
    "case.awarded": "award",
    "case.withdrawn": "withdrawn",
    "case.deemed_withdrawn": "deemed_withdrawn",
    "case.revoked": "revoked",
    "case.transferred": "transferred",
}
METHOD_LABELS = {
    "mediation": L("Mediation (调解书)"),
    "award": L("Award"),
    "withdrawn": L("Withdrawn"),
    "deemed_withdrawn": L("Deemed withdrawn"),
    "revoked": L("Revoked"),
    "transferred": L("Transferred"),
}
NO_CASES = L("No case falls in the denominator for this area and period.")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str  # the Chinese name of the official tables; not translated
    label: str | Promise
    definition: str | Promise
    formula: str
    unit: str
    basis: str


def _i(
    code: str, name: str, label: Any, definition: Any, formula: str, unit: str, basis: str
) -> Indicator:
    return Indicator(code, name, label, definition, formula, unit, basis)


INDICATORS = (
    _i("carried_over", "上期未结案件数", L("Carried over"),
       L("Cases accepted before the period and not closed when it began."),
       "accepted_on < start AND (closed_at IS NULL OR closed_at >= start)", COUNT,
       "spec §7.1 (yearbook table 劳动争议处理情况)"),
    _i("accepted", "当期受理案件数", L("Cases accepted"),
       L("Cases whose acceptance date (the filing approval) falls in the period."),
       "start <= accepted_on <= end", COUNT, "spec §7.2; MA1/MA2 definition [V2]"),
    _i("closed", "当期结案数", L("Cases closed"),
       L("Accepted cases whose closing (award, 调解书, withdrawal, deemed withdrawal, "
         "revocation, transfer) falls in the period; by method from the closing event."),
       "start <= closed_at <= end; by method = the closing event's kind", COUNT,
       "spec §7.2; spec §12.1 CLOSED_*"),
    _i("open_at_end", "期末未结案件数", L("Open at the end of the period"),
       L("Carried over + accepted − closed: the cases open at the end of the period."),
       "carried_over + accepted − closed", COUNT, "spec §7.2 (校核 identity)"),
    _i("closure_rate", "仲裁结案率", L("Closure rate"),
       L("Cases closed in the period ÷ (carried over + accepted)."),
       "closed ÷ (carried_over + accepted) × 100%", RATE, "spec §7.2 [M]"),
    _i("mediation_success_rate", "调解成功率", L("Mediation success rate"),
       L("(Arbitration cases closed by 调解书 + mediation organisations' cases whose "
         "agreement took effect) ÷ (all arbitration cases closed + mediation cases concluded "
         "with or without agreement) in the period. Declined mediation requests do not count."),
       "(closed by mediation + agreements) ÷ (closed + agreements + failures) × 100%", RATE,
       "spec §7.2 [M]; LDMAL arts. 14, 42"),
    _i("final_award_rate", "终局裁决率", L("Final-award share"),
       L("Of the cases closed by award in the period, those whose award is final in every "
         "item; an award final in part counts as not final."),
       "final awards ÷ awards × 100%", RATE, "spec §7.2 [M]; LDMAL art. 47; spec §3.3a"),
    _i("closed_in_time_rate", "审限内结案率", L("Closed within the time limit"),
       L("Cases closed in the period on or before the due date of their 45-day award clock, "
         "which adds the approved extension and the excluded days (suspension, public notice); "
         "cases without a recorded clock (imported) are left out."),
       "closed on or before award due ÷ closed with an award clock × 100%", RATE,
       "LDMAL art. 43; 办案规则 arts. 45–46; spec §7.2 [D]"),
    _i("average_days", "平均审理天数", L("Average days to close"),
       L("Mean of the calendar days from acceptance to closing of the cases closed in the "
         "period, less the days excluded from their award clocks (suspension, public notice)."),
       "mean(closed_on − accepted_on − excluded days)", DAYS,
       "办案规则 art. 46; spec §7.2 [D]"),
    _i("overdue", "超审限案件数", L("Cases past the time limit"),
       L("Cases open on the last day of the period (or today, if earlier) whose award clock "
         "fell due before that day, suspended cases excepted."),
       "open at as_of AND award due_on < as_of AND clock not paused", COUNT,
       "LDMAL art. 43; spec §7.2 [D]"),
    _i("online_rate", "网上办案率", L("Online-handling rate"),
       L("Of the cases accepted in the period, the share whose every step was recorded in "
         "this system as it happened; imported cases do not count."),
       "accepted with origin = system ÷ accepted × 100%", RATE,
       "spec §7.2 [B/D]; targets 90 / 95 / 100%"),
    _i("collective_cases", "集体劳动争议案件数", L("Collective cases accepted"),
       L("Cases accepted in the period marked collective (10 or more workers, common claim)."),
       "accepted AND collective", COUNT, "LDMAL art. 7; 办案规则 art. 62"),
    _i("collective_workers", "集体争议劳动者当事人数", L("Workers in collective cases"),
       L("Workers who are parties to the collective cases accepted in the period."),
       "count(worker parties of collective accepted cases)", PEOPLE, "spec §7.1"),
    _i("workers", "涉及劳动者人数", L("Workers involved"),
       L("Workers who are parties to the cases accepted in the period."),
       "count(worker parties of accepted cases)", PEOPLE, "spec §7.1, §7.2 [D]"),
    _i("amount", "涉案金额", L("Amount involved"),
       L("Sum of the amounts claimed in the cases accepted in the period, in yuan."),
       "sum(claim amounts of accepted cases)", YUAN, "spec §7.1 MA1 [V2]; §7.2 [D]"),
)  # fmt: skip
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


@dataclass(frozen=True)
class Result:
    indicator: Indicator
    value: Any = None
    numerator: Any = None
    denominator: Any = None
    missing: str | Promise | None = None
    parts: dict[str, Any] = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return self.missing is None


@dataclass(frozen=True)
class Behind:
    """The cases behind a figure: arbitration cases and, for 调解成功率, mediation cases."""

    cases: QuerySet[Case]
    mediation_cases: QuerySet[MediationCase] | None = None


@dataclass(frozen=True)
class Scope:
    """The area and period a figure is computed over, with the user's scoped querysets."""

    area: Organisation
    start: date
    end: date
    cases: QuerySet[Case]
    mediation_cases: QuerySet[MediationCase]

    def at(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def start_at(self) -> datetime:
        return self.at(self.start)

    @property
    def end_at(self) -> datetime:  # exclusive: the day after the last day, 00:00 local
        return self.at(self.end + timedelta(days=1))


# Who reads the monitoring figures (dashboards, monthly report, data quality): administrators of
# HRSS departments and heads of institutes, each over their own subtree.
FIGURE_READERS = frozenset({Role.HRSS_ADMIN, Role.SYSTEM_ADMIN, Role.INSTITUTE_HEAD})


def may_read_figures(user: Any) -> bool:
    return getattr(user, "role", None) in FIGURE_READERS and user.organisation is not None


def area_for(user: Any, organisation: Organisation | None = None) -> Organisation:
    """``organisation`` if ``user`` may see it, else the user's own; 404 outside the scope."""
    wanted = organisation if organisation is not None else getattr(user, "organisation", None)
    if wanted is None or not scope(Organisation.objects.filter(pk=wanted.pk), user).exists():
        raise Http404
    return wanted


def scope_for(user: Any, organisation: Organisation | None, start: date, end: date) -> Scope:
    if start > end:
        raise ValueError("The period starts after it ends.")
    area = area_for(user, organisation)
    return Scope(
        area=area,
        start=start,
        end=end,
        cases=scope(Case.objects.all(), user).filter(institute__path__startswith=area.path),
        mediation_cases=scope(MediationCase.objects.all(), user).filter(
            organisation__path__startswith=area.path
        ),
    )


# --- The case sets --------------------------------------------------------------------------


def carried_over(s: Scope) -> QuerySet[Case]:
    return s.cases.filter(accepted_on__lt=s.start).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=s.start_at)
    )


def accepted(s: Scope) -> QuerySet[Case]:
    return s.cases.filter(accepted_on__range=(s.start, s.end))


def with_method(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate ``method``: the closing method read from the case's last closing event."""
    closing = Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(Case),
        subject_id=Cast(OuterRef("pk"), output_field=CharField()),
        kind__in=list(CLOSING_EVENTS),
    ).order_by("-seq")
    return cases.annotate(closing_event=Subquery(closing.values("kind")[:1]))


def closed(s: Scope, method: str | None = None) -> QuerySet[Case]:
    cases = s.cases.filter(
        accepted_on__isnull=False, closed_at__gte=s.start_at, closed_at__lt=s.end_at
    )
    if method is None:
        return cases
    kinds = [kind for kind, m in CLOSING_EVENTS.items() if m == method]
    return with_method(cases).filter(closing_event__in=kinds)


def open_at(s: Scope, day: date) -> QuerySet[Case]:
    return s.cases.filter(accepted_on__lte=day).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=s.at(day + timedelta(days=1)))
    )


def _award_clock(field_name: str) -> Subquery:
    latest = CaseDeadline.objects.filter(case=OuterRef("pk"), code="award").order_by("-pk")
    return Subquery(latest.values(field_name)[:1])


def with_award_clock(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.annotate(award_due=_award_clock("due_on"), award_state=_award_clock("state"))


def _awarded(s: Scope, finality: str | None = None) -> QuerySet[Case]:
    awards = Award.objects.filter(kind=Award.Kind.FULL)
    if finality:
        awards = awards.filter(finality=finality)
    return closed(s).filter(pk__in=awards.values("case_id"))


def _as_of(s: Scope) -> date:
    return min(s.end, timezone.localdate())


def _overdue(s: Scope) -> QuerySet[Case]:
    day = _as_of(s)
    return (
        with_award_clock(open_at(s, day))
        .filter(award_due__lt=day)
        .exclude(award_state=CaseDeadline.State.PAUSED)
    )


def _in_time(s: Scope) -> tuple[QuerySet[Case], QuerySet[Case]]:
    clocked = with_award_clock(closed(s)).filter(award_due__isnull=False)
    return clocked.annotate(closed_on=TruncDate("closed_at")).filter(
        closed_on__lte=F("award_due")
    ), clocked


def _mediation_ended(s: Scope, states: frozenset[str]) -> QuerySet[MediationCase]:
    return s.mediation_cases.filter(
        concluded_at__gte=s.start_at, concluded_at__lt=s.end_at, status__in=states
    )


# --- Values ---------------------------------------------------------------------------------


def _one_place(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _rate(indicator: Indicator, part: int, whole: int, **parts: Any) -> Result:
    """A percentage (Decimal, 0–100); no data when the denominator is empty."""
    if not whole:
        return Result(indicator, None, part, whole, NO_CASES, parts)
    return Result(indicator, Decimal(part * 100) / Decimal(whole), part, whole, None, parts)


def net_days(cases: QuerySet[Case]) -> dict[int, int]:
    """Per case: calendar days acceptance → closing less the days its award clocks excluded."""
    excluded = dict(
        CaseDeadline.objects.filter(case__in=cases.values("pk"), code="award")
        .values("case")
        .annotate(days=Sum("excluded_days"))
        .values_list("case", "days")
    )
    return {
        pk: (timezone.localdate(closed_at) - accepted_on).days - (excluded.get(pk) or 0)
        for pk, accepted_on, closed_at in cases.values_list("pk", "accepted_on", "closed_at")
    }


def _compute(code: str, s: Scope) -> Result:
    ind = BY_CODE[code]
    if code in ("carried_over", "accepted"):
        return Result(ind, (carried_over if code == "carried_over" else accepted)(s).count())
    if code == "closed":
        methods = dict.fromkeys(METHOD_LABELS, 0)
        for kind in with_method(closed(s)).values_list("closing_event", flat=True):
            method = CLOSING_EVENTS.get(kind or "", "other")  # "other": no closing event
            methods[method] = methods.get(method, 0) + 1
        return Result(ind, sum(methods.values()), parts=methods)
    if code in ("open_at_end", "closure_rate"):
        before, new, done = carried_over(s).count(), accepted(s).count(), closed(s).count()
        parts = {"carried_over": before, "accepted": new, "closed": done}
        if code == "open_at_end":
            return Result(ind, before + new - done, parts=parts)
        return _rate(ind, done, before + new, **parts)
    if code == "mediation_success_rate":
        by_mediation, all_closed = closed(s, "mediation").count(), closed(s).count()
        agreements = _mediation_ended(s, AGREED_STATES).count()
        concluded = _mediation_ended(s, ENDED_STATES).count()
        return _rate(
            ind, by_mediation + agreements, all_closed + concluded,
            arbitration_mediated=by_mediation, arbitration_closed=all_closed,
            agreements=agreements, mediation_concluded=concluded,
        )  # fmt: skip
    if code == "final_award_rate":
        return _rate(ind, _awarded(s, Finality.FINAL).count(), _awarded(s).count())
    if code == "closed_in_time_rate":
        in_time, clocked = _in_time(s)
        return _rate(ind, in_time.count(), clocked.count())
    if code == "average_days":
        days = list(net_days(closed(s)).values())
        if not days:
            return Result(ind, None, 0, 0, NO_CASES)
        return Result(ind, _one_place(statistics.fmean(days)), sum(days), len(days))
    if code == "overdue":
        return Result(ind, _overdue(s).count(), parts={"as_of": _as_of(s)})
    if code == "online_rate":
        # The case selector's own definition; ``area`` is already inside the user's scope.
        rate = online_handling_rate(s.area, s.start, s.end)
        return _rate(ind, rate.handled_online, rate.total)
    if code == "collective_cases":
        return Result(ind, accepted(s).filter(collective=True).count())
    if code in ("collective_workers", "workers"):
        cases = accepted(s).filter(collective=True) if code == "collective_workers" else accepted(s)
        return Result(
            ind, Party.objects.filter(case__in=cases.values("pk"), kind=Party.Kind.WORKER).count()
        )
    if code == "amount":
        total = ClaimItem.objects.filter(case__in=accepted(s).values("pk")).aggregate(
            total=Sum("amount")
        )["total"]
        return Result(ind, total or Decimal("0.00"))
    raise KeyError(code)


def compute(
    code: str, *, user: Any, organisation: Organisation | None = None, start: date, end: date
) -> Result:
    """Indicator ``code`` over ``organisation`` (default: the user's own) and [start, end]."""
    if code not in BY_CODE:
        raise KeyError(code)
    return _compute(code, scope_for(user, organisation, start, end))


def compute_all(
    *, user: Any, organisation: Organisation | None = None, start: date, end: date
) -> list[Result]:
    s = scope_for(user, organisation, start, end)
    return [_compute(indicator.code, s) for indicator in INDICATORS]


def _behind(code: str, s: Scope, part: str) -> Behind:
    whole = part == "denominator"
    if code == "carried_over":
        return Behind(carried_over(s))
    if code in ("accepted", "workers", "amount"):
        return Behind(accepted(s))
    if code in ("collective_cases", "collective_workers"):
        return Behind(accepted(s).filter(collective=True))
    if code == "closed":
        return Behind(closed(s))
    if code == "open_at_end":
        return Behind(open_at(s, s.end))
    if code == "closure_rate":
        return Behind((carried_over(s) | accepted(s)) if whole else closed(s))
    if code == "mediation_success_rate":
        if whole:
            return Behind(closed(s), _mediation_ended(s, ENDED_STATES))
        return Behind(closed(s, "mediation"), _mediation_ended(s, AGREED_STATES))
    if code == "final_award_rate":
        return Behind(_awarded(s) if whole else _awarded(s, Finality.FINAL))
    if code == "closed_in_time_rate":
        in_time, clocked = _in_time(s)
        return Behind(clocked if whole else in_time)
    if code == "average_days":
        return Behind(closed(s))
    if code == "overdue":
        return Behind(_overdue(s))
    if code == "online_rate":
        return Behind(accepted(s) if whole else accepted(s).filter(origin=Origin.SYSTEM))
    raise KeyError(code)


def cases_behind(
    code: str,
    *,
    user: Any,
    organisation: Organisation | None = None,
    start: date,
    end: date,
    part: str = "numerator",
) -> Behind:
    """The pks of the cases a figure counts (``part``: "numerator", or "denominator" of a rate),
    as scoped querysets; ``mediation_cases`` is set for 调解成功率 only."""
    if part not in ("numerator", "denominator"):
        raise ValueError(part)
    b = _behind(code, scope_for(user, organisation, start, end), part)
    mediation = None
    if b.mediation_cases is not None:
        mediation = b.mediation_cases.values_list("pk", flat=True)
    return Behind(b.cases.values_list("pk", flat=True).distinct(), mediation)
