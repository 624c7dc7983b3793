"""The 校核 checks of the monthly report (spec §7.2 "Verification rules").

Each check runs over the case sets the indicators use (``indicators.scope_for``: the user's
scope narrowed to the reporting organisation's subtree, for one month) and answers a ``Check``
with zero or more ``Failure``s. A failure says what is wrong with the numbers in a sentence and
names the cases causing it, so the page can link each one; a report is submitted only when no
check fails.

- identities: carried over + accepted − closed = open at the end; closed = the sum by method;
  closed by award = the sum by result = final + non-final awards;
- date order per case: received ≤ accepted ≤ tribunal formed ≤ first hearing ≤ closed;
- collective flag ⇔ 10 or more worker parties (LDMAL art. 7; 办案规则 art. 62);
- the final-award flags against the per-item test of ``cases.finality`` (spec §3.3a);
- amounts not negative;
- division codes: a workplace in a county-level division, an organisation on its parent's
  division or one of its children.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L
from django.utils.translation import pgettext_lazy

from zhongcai.cases import finality
from zhongcai.cases.models import (
    Award,
    AwardItem,
    Case,
    CaseDeadline,
    ClaimItem,
    Hearing,
    Origin,
    Party,
    TribunalMember,
)
from zhongcai.orgs.models import Division, Organisation

from . import breakdowns, indicators
from .indicators import Scope

COLLECTIVE_WORKERS = 10  # 办案规则 art. 62: ten or more workers with a common claim
WORKPLACE_LEVELS = frozenset({Division.Level.COUNTY, Division.Level.FUNCTIONAL_ZONE})
MAX_CASES = 200  # cases named per failure; the count is always complete
BATCH = 5000  # case pks per query when counting per institute


@dataclass(frozen=True)
class CaseRef:
    pk: int
    number: str
    institute_id: int

    def as_json(self) -> dict[str, Any]:
        return {"pk": self.pk, "number": self.number, "institute": self.institute_id}


@dataclass(frozen=True)
class Failure:
    code: str
    message: str
    cases: list[CaseRef] = field(default_factory=list)
    count: int = 0  # cases behind the failure, may exceed len(cases)
    institutes: dict[int, int] = field(default_factory=dict)  # all the cases, per institute

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "count": self.count,
            "cases": [c.as_json() for c in self.cases],
            "institutes": {str(k): v for k, v in self.institutes.items()},
        }


@dataclass(frozen=True)
class Check:
    code: str
    label: str | Promise
    failures: list[Failure] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": str(self.label),
            "passed": self.passed,
            "failures": [f.as_json() for f in self.failures],
        }


CHECKS = (
    ("identities", L("Arithmetic identities")),
    ("date_order", L("Date order of each case")),
    ("collective", L("Collective flag and number of workers")),
    ("final_award", L("Final-award flags and the per-item threshold")),
    ("amounts", L("Amounts not negative")),
    ("divisions", L("Division codes")),
    ("deadlines", L("Award clocks consistent with the cases' steps")),
)


def _refs(pks: Iterable[int]) -> tuple[list[CaseRef], int, dict[int, int]]:
    """The first ``MAX_CASES`` cases named, how many there are, and how many per institute (all
    of them, read in batches: a province's month can name more cases than a query takes)."""
    wanted = sorted(set(pks))
    rows = Case.objects.filter(pk__in=wanted[:MAX_CASES]).values_list(
        "pk", "case_number", "institute_id"
    )
    per_institute: Counter[int] = Counter()
    for i in range(0, len(wanted), BATCH):
        per_institute.update(
            Case.objects.filter(pk__in=wanted[i : i + BATCH]).values_list("institute_id", flat=True)
        )
    refs = [CaseRef(pk, number or f"#{pk}", inst) for pk, number, inst in rows]
    return refs, len(wanted), dict(per_institute)


def _failure(code: str, message: str, pks: Iterable[int] = ()) -> Failure:
    refs, count, per_institute = _refs(pks)
    return Failure(code, message, refs, count, per_institute)


def touched(s: Scope) -> QuerySet[Case]:
    """The cases the month's figures count: carried over, accepted or closed in it (as
    subqueries: the database combines them, however many cases a province has)."""
    return Case.objects.filter(
        Q(pk__in=indicators.carried_over(s).values("pk"))
        | Q(pk__in=indicators.accepted(s).values("pk"))
        | Q(pk__in=indicators.closed(s).values("pk"))
    )


# --- Identities -----------------------------------------------------------------------------


def _pks(cases: QuerySet[Case]) -> set[int]:
    return set(cases.values_list("pk", flat=True))


def _identities(s: Scope) -> list[Failure]:
    failures = []
    before, new = _pks(indicators.carried_over(s)), _pks(indicators.accepted(s))
    done, still_open = _pks(indicators.closed(s)), _pks(indicators.open_at(s, s.end))
    expected = len(before) + len(new) - len(done)
    if expected != len(still_open):
        odd = ((before | new) - done) ^ still_open
        odd |= done - (before | new)
        failures.append(
            _failure(
                "open_balance",
                _(
                    "Carried over %(before)d + accepted %(new)d − closed %(done)d = "
                    "%(expected)d, but %(open)d cases are open at the end of the month."
                )
                % {
                    "before": len(before),
                    "new": len(new),
                    "done": len(done),
                    "expected": expected,
                    "open": len(still_open),
                },
                odd,
            )
        )
    methods = dict(indicators.with_method(indicators.closed(s)).values_list("pk", "closing_event"))
    by_method: dict[str, set[int]] = defaultdict(set)
    for pk, kind in methods.items():
        by_method[indicators.CLOSING_EVENTS.get(kind or "", "other")].add(pk)
    if by_method.get("other"):
        failures.append(
            _failure(
                "method_missing",
                _(
                    "%(n)d closed cases have no closing event, so the sum by method counts "
                    "them as “other”."
                )
                % {"n": len(by_method["other"])},
                by_method["other"],
            )
        )
    if sum(len(v) for v in by_method.values()) != len(done):
        failures.append(
            _failure(
                "closed_by_method",
                _("Closed %(done)d ≠ the sum by method %(sum)d.")
                % {"done": len(done), "sum": sum(len(v) for v in by_method.values())},
                done ^ set(methods),
            )
        )
    by_award = by_method.get("award", set())
    awarded = _pks(indicators.closed(s).filter(awards__kind=Award.Kind.FULL))
    results = breakdowns.results(Case.objects.filter(pk__in=awarded))
    if len(results) != len(by_award) or len(awarded) != len(by_award):
        failures.append(
            _failure(
                "closed_by_result",
                _(
                    "%(award)d cases were closed by award, but %(awards)d have an award and "
                    "the sum by result is %(results)d."
                )
                % {"award": len(by_award), "awards": len(awarded), "results": len(results)},
                (by_award ^ awarded) | (by_award ^ set(results)),
            )
        )
    counted = Counter(
        Award.objects.filter(case__in=awarded, kind=Award.Kind.FULL).values_list(
            "case_id", flat=True
        )
    )
    if sum(counted.values()) != len(awarded):
        failures.append(
            _failure(
                "award_count",
                _(
                    "%(n)d cases closed by award have more than one award, so final + "
                    "non-final awards ≠ cases closed by award."
                )
                % {"n": sum(1 for n in counted.values() if n > 1)},
                [pk for pk, n in counted.items() if n > 1],
            )
        )
    return failures


# --- Per case -------------------------------------------------------------------------------


DATE_STEPS = (
    ("received", pgettext_lazy("case date", "received")),
    ("accepted", pgettext_lazy("case date", "accepted")),
    ("tribunal", pgettext_lazy("case date", "tribunal formed")),
    ("hearing", pgettext_lazy("case date", "first hearing")),
    ("closed", pgettext_lazy("case date", "closed")),
)


def _local(value: Any) -> date | None:
    return timezone.localdate(value) if value is not None else None


def _date_order(cases: QuerySet[Case]) -> list[Failure]:
    tribunal = dict(
        TribunalMember.objects.filter(case__in=cases)
        .values("case")
        .annotate(first=Min("appointed_at"))
        .values_list("case", "first")
    )
    hearing = dict(
        Hearing.objects.filter(case__in=cases, opened_at__isnull=False)
        .values("case")
        .annotate(first=Min("opened_at"))
        .values_list("case", "first")
    )
    wrong: dict[tuple[str, str], set[int]] = defaultdict(set)
    for pk, received_at, accepted_on, closed_at in cases.values_list(
        "pk", "received_at", "accepted_on", "closed_at"
    ):
        days = {
            "received": _local(received_at),
            "accepted": accepted_on,
            "tribunal": _local(tribunal.get(pk)),
            "hearing": _local(hearing.get(pk)),
            "closed": _local(closed_at),
        }
        seen = [(step, days[step]) for step, _label in DATE_STEPS if days[step] is not None]
        for i, (later, later_day) in enumerate(seen):
            for earlier, earlier_day in seen[:i]:
                if later_day < earlier_day:  # type: ignore[operator]
                    wrong[(earlier, later)].add(pk)
    labels = dict(DATE_STEPS)
    return [
        _failure(
            f"date_order.{earlier}.{later}",
            _("In %(n)d cases the date %(later)s comes before the date %(earlier)s.")
            % {"n": len(pks), "later": labels[later], "earlier": labels[earlier]},
            pks,
        )
        for (earlier, later), pks in sorted(wrong.items())
    ]


def _collective(cases: QuerySet[Case]) -> list[Failure]:
    counted = cases.annotate(
        workers=Count("parties", filter=Q(parties__kind=Party.Kind.WORKER))
    ).values_list("pk", "collective", "workers")
    few = {pk for pk, flag, n in counted if flag and n < COLLECTIVE_WORKERS}
    many = {pk for pk, flag, n in counted if not flag and n >= COLLECTIVE_WORKERS}
    failures = []
    if few:
        failures.append(
            _failure(
                "collective.too_few",
                _("%(n)d cases are marked collective but have fewer than %(min)d workers.")
                % {"n": len(few), "min": COLLECTIVE_WORKERS},
                few,
            )
        )
    if many:
        failures.append(
            _failure(
                "collective.unmarked",
                _("%(n)d cases have %(min)d or more workers but are not marked collective.")
                % {"n": len(many), "min": COLLECTIVE_WORKERS},
                many,
            )
        )
    return failures


def _expected_item_final(item: AwardItem, award: Award) -> bool | None:
    """What ``cases.finality`` says of a stored item, or None if it cannot be re-derived.

    The stored ``claim_class`` already carries step 1's rule on the employer's claims."""
    ruling = finality.Ruling(item.claim_class, item.outcome, item.amount, by_worker=True)
    standard = None
    if finality.needs_standard([ruling]):
        if award.threshold is None or award.threshold <= 0:
            return None
        months = Decimal(finality.MONTHS)
        standard = finality.WageStandard(award.threshold / months, "", award.made_at.date())
    return finality.item_finality(
        ruling, standard, rejected_money_is_final=finality.rejected_money_item_is_final()
    ).final


def _final_award(s: Scope) -> list[Failure]:
    awards = Award.objects.filter(
        case__in=indicators.closed(s).values("pk"), kind=Award.Kind.FULL
    ).prefetch_related("items")
    item_wrong, overall_wrong, no_threshold = set(), set(), set()
    for award in awards:
        items = list(award.items.all())
        for item in items:
            expected = _expected_item_final(item, award)
            if expected is None:
                no_threshold.add(award.case_id)
            elif expected != item.final:
                item_wrong.add(award.case_id)
        if items and finality.overall_finality(i.final for i in items) != award.finality:
            overall_wrong.add(award.case_id)
    failures = []
    if item_wrong:
        failures.append(
            _failure(
                "final_award.item",
                _(
                    "In %(n)d awards an item's final flag disagrees with the 12-month "
                    "minimum-wage threshold or the class of its claim (LDMAL art. 47)."
                )
                % {"n": len(item_wrong)},
                item_wrong,
            )
        )
    if overall_wrong:
        failures.append(
            _failure(
                "final_award.overall",
                _("In %(n)d awards the award's finality disagrees with its items' flags.")
                % {"n": len(overall_wrong)},
                overall_wrong,
            )
        )
    if no_threshold:
        failures.append(
            _failure(
                "final_award.threshold",
                _(
                    "%(n)d awards grant a worker's money claim but record no minimum-wage "
                    "threshold, so their finality cannot be verified."
                )
                % {"n": len(no_threshold)},
                no_threshold,
            )
        )
    return failures


def _amounts(cases: QuerySet[Case]) -> list[Failure]:
    claims = set(
        ClaimItem.objects.filter(case__in=cases, amount__lt=0).values_list("case_id", flat=True)
    )
    items = set(
        AwardItem.objects.filter(award__case__in=cases, amount__lt=0).values_list(
            "award__case_id", flat=True
        )
    )
    if not claims | items:
        return []
    return [
        _failure(
            "amounts.negative",
            _("%(n)d cases have a negative amount claimed or awarded.")
            % {"n": len(claims | items)},
            claims | items,
        )
    ]


def _deadlines(s: Scope) -> list[Failure]:
    """The 45-day award clock (LDMAL art. 43) must agree with what happened to the case: started
    at acceptance for a case handled here, stopped once the case is closed, and not met while
    the case is still open."""
    award_clocks = CaseDeadline.objects.filter(code="award")
    running = award_clocks.filter(state__in=[CaseDeadline.State.OPEN, CaseDeadline.State.PAUSED])
    met = award_clocks.filter(state=CaseDeadline.State.MET)
    found = (
        (
            "deadlines.running_after_closing",
            _("%(n)d cases closed in the month still have a running award clock."),
            indicators.closed(s).filter(pk__in=running.values("case_id")),
        ),
        (
            "deadlines.met_while_open",
            _("%(n)d cases open at the end of the month have an award clock marked met."),
            indicators.open_at(s, s.end)
            .filter(closed_at__isnull=True, pk__in=met.values("case_id"))
            .exclude(pk__in=running.values("case_id")),
        ),
        (
            "deadlines.missing",
            _("%(n)d cases accepted in the month have no award clock."),
            indicators.accepted(s)
            .filter(origin=Origin.SYSTEM)
            .exclude(pk__in=award_clocks.values("case_id")),
        ),
    )
    failures = []
    for code, message, cases in found:
        pks = set(cases.values_list("pk", flat=True))
        if pks:
            failures.append(_failure(code, message % {"n": len(pks)}, pks))
    return failures


def _divisions(s: Scope, cases: QuerySet[Case]) -> list[Failure]:
    failures = []
    wrong_level = set(
        cases.filter(workplace_division__isnull=False)
        .exclude(workplace_division__level__in=WORKPLACE_LEVELS)
        .values_list("pk", flat=True)
    )
    if wrong_level:
        failures.append(
            _failure(
                "divisions.workplace",
                _(
                    "%(n)d cases give a workplace division that is not a county-level division "
                    "(GB/T 2260)."
                )
                % {"n": len(wrong_level)},
                wrong_level,
            )
        )
    orgs = Organisation.objects.filter(path__startswith=s.area.path).select_related(
        "division", "parent__division"
    )
    for org in orgs:
        ok = org.division.code.isdigit() and len(org.division.code) == 6
        if org.parent is not None and org.parent.path.startswith(s.area.path):
            parent_division = org.parent.division_id
            ok = ok and parent_division in (org.division_id, org.division.parent_id)
        if not ok:
            failures.append(
                _failure(
                    f"divisions.organisation.{org.pk}",
                    _(
                        "%(org)s sits on division %(code)s, which is neither its parent "
                        "organisation's division nor one of its children."
                    )
                    % {"org": org.name, "code": org.division_id},
                    cases.filter(institute__path__startswith=org.path).values_list("pk", flat=True),
                )
            )
    return failures


def run_checks(s: Scope) -> list[Check]:
    """Every check over the scope ``s`` (``indicators.scope_for``), in the order of ``CHECKS``."""
    cases = touched(s)
    found = {
        "identities": _identities(s),
        "date_order": _date_order(cases),
        "collective": _collective(cases),
        "final_award": _final_award(s),
        "amounts": _amounts(cases),
        "divisions": _divisions(s, cases),
        "deadlines": _deadlines(s),
    }
    return [Check(code, label, found[code]) for code, label in CHECKS]


def failures_of(checks: Iterable[Check]) -> list[Failure]:
    return [failure for check in checks for failure in check.failures]
