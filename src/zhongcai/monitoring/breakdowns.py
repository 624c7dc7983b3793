"""Breakdowns of the indicators (spec §7.1–7.2): by cause, closing method, result, final or not,
collective, and the employer's industry (GB/T 4754 section) and registration type.

Each breakdown splits one case set of ``indicators`` and counts cases; a breakdown the case data
cannot give answers "no data" with the reason, never an invented split. A case whose employer has
no value recorded counts under "unclassified", a row of its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as L

from zhongcai.cases.industries import industry_choices
from zhongcai.cases.models import Award, AwardItem, Case, Finality, Party
from zhongcai.cases.selectors import statistical_employers
from zhongcai.cases.taxonomy import Cause
from zhongcai.orgs.models import Organisation

from . import indicators
from .indicators import CLOSING_EVENTS, METHOD_LABELS, Scope, scope_for

RESULT_LABELS = {
    "worker_won": L("Worker won"),
    "employer_won": L("Employer won"),
    "partly": L("Partly won by both"),
}
COLLECTIVE_LABELS = {"collective": L("Collective"), "individual": L("Not collective")}
UNCLASSIFIED = "unclassified"
NOT_RECORDED = {UNCLASSIFIED: L("Not recorded")}


@dataclass(frozen=True)
class Breakdown:
    code: str
    label: str | Promise
    definition: str | Promise
    rows: list[tuple[str, Any, int]] = field(default_factory=list)  # key, label, cases
    missing: str | Promise | None = None

    @property
    def total(self) -> int:
        return sum(n for _key, _label, n in self.rows)

    def counts(self) -> dict[str, int]:
        return {key: n for key, _label, n in self.rows}


@dataclass(frozen=True)
class BreakdownDefinition:
    code: str
    label: str | Promise
    definition: str | Promise
    missing: str | Promise | None = None


BREAKDOWNS = (
    BreakdownDefinition("cause", L("By cause"),
                        L("Cases accepted in the period by their primary cause (案由).")),
    BreakdownDefinition("method", L("By closing method"),
                        L("Cases closed in the period by the event that closed them.")),
    BreakdownDefinition("result", L("By result"),
                        L("Cases closed by award in the period: every item of the applicant's "
                          "granted, every item rejected, or otherwise partly won by both.")),
    BreakdownDefinition("finality", L("Final or not"),
                        L("Cases closed by award in the period by the finality of the award.")),
    BreakdownDefinition("collective", L("Collective or not"),
                        L("Cases accepted in the period, collective or not.")),
    BreakdownDefinition("employer_industry", L("By employer industry"),
                        L("Cases accepted in the period by the GB/T 4754 section of the "
                          "employer: the respondent employer, or the applicant when the "
                          "employer applies.")),
    BreakdownDefinition("employer_type", L("By employer type"),
                        L("Cases accepted in the period by the registration type of the "
                          "employer: the respondent employer, or the applicant when the "
                          "employer applies.")),
)  # fmt: skip
BY_CODE = {b.code: b for b in BREAKDOWNS}


def _rows(counts: dict[str, int], labels: dict[str, Any]) -> list[tuple[str, Any, int]]:
    keys = [k for k in labels if k in counts] + sorted(k for k in counts if k not in labels)
    return [(k, labels.get(k, k), counts[k]) for k in keys]


def _grouped(cases: QuerySet[Case], field_name: str) -> dict[str, int]:
    return {
        key or UNCLASSIFIED: n
        for key, n in cases.values_list(field_name).annotate(n=Count("pk")).order_by()
    }


def _by_employer(cases: QuerySet[Case], field_name: str) -> dict[str, int]:
    """Cases by ``field_name`` of their employer (``cases.selectors.statistical_employers``),
    counted in the database; no employer or nothing recorded is "unclassified"."""
    employer = statistical_employers().filter(case=OuterRef("pk")).values(field_name)[:1]
    rows = (
        cases.annotate(employer_value=Coalesce(Subquery(employer), Value("")))
        .values("employer_value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, int] = {}
    for row in rows:
        key = row["employer_value"] or UNCLASSIFIED
        counts[key] = counts.get(key, 0) + row["n"]
    return counts


def results(cases: QuerySet[Case]) -> dict[int, str]:
    """Per case closed by award: whose side won, from the items of its awards (partial awards
    too) seen from the applicant: all granted → the applicant's side, all rejected → the other."""
    outcomes: dict[int, set[str]] = {}
    for case_id, outcome in AwardItem.objects.filter(
        award__case__in=cases.values("pk"),
        award__kind__in=[Award.Kind.FULL, Award.Kind.PARTIAL],
    ).values_list("award__case", "outcome"):
        outcomes.setdefault(case_id, set()).add(outcome)
    applicant_kind = dict(
        Party.objects.filter(case__in=list(outcomes), role=Party.Role.APPLICANT)
        .order_by("case", "pk")
        .values_list("case", "kind")
    )
    found = {}
    for case_id, seen in outcomes.items():
        worker_applied = applicant_kind.get(case_id) == Party.Kind.WORKER
        if seen == {AwardItem.Outcome.GRANTED}:
            found[case_id] = "worker_won" if worker_applied else "employer_won"
        elif seen == {AwardItem.Outcome.REJECTED}:
            found[case_id] = "employer_won" if worker_applied else "worker_won"
        else:
            found[case_id] = "partly"
    return found


def _split(code: str, s: Scope) -> dict[str, int]:
    if code == "cause":
        return _grouped(indicators.accepted(s), "primary_cause")
    if code == "employer_industry":
        return _by_employer(indicators.accepted(s), "industry")
    if code == "employer_type":
        return _by_employer(indicators.accepted(s), "registration_type")
    if code == "collective":
        cases = indicators.accepted(s)
        collective = cases.filter(collective=True).count()
        return {"collective": collective, "individual": cases.count() - collective}
    if code == "method":
        kinds = indicators.with_method(indicators.closed(s)).values_list("closing_event", flat=True)
        return dict(Counter(CLOSING_EVENTS.get(kind or "", "other") for kind in kinds))
    awarded = indicators.closed(s).filter(awards__kind=Award.Kind.FULL).distinct()
    if code == "finality":
        return dict(
            Counter(
                Award.objects.filter(
                    case__in=awarded.values("pk"), kind=Award.Kind.FULL
                ).values_list("finality", flat=True)
            )
        )
    if code == "result":
        return dict(Counter(results(awarded).values()))
    raise KeyError(code)


LABELS: dict[str, dict[str, Any]] = {
    "cause": {c.value: c.label for c in Cause},
    "collective": COLLECTIVE_LABELS,
    "method": METHOD_LABELS,
    "finality": {f.value: f.label for f in Finality},
    "result": RESULT_LABELS,
    "employer_industry": dict(industry_choices()) | NOT_RECORDED,
    "employer_type": {t.value: t.label for t in Party.RegistrationType} | NOT_RECORDED,
}


def breakdown(
    code: str, *, user: Any, organisation: Organisation | None = None, start: date, end: date
) -> Breakdown:
    """Breakdown ``code`` over the same area and period as ``indicators.compute``."""
    definition = BY_CODE[code]
    s = scope_for(user, organisation, start, end)
    if definition.missing:
        return Breakdown(code, definition.label, definition.definition, [], definition.missing)
    return Breakdown(
        code, definition.label, definition.definition, _rows(_split(code, s), LABELS[code])
    )
