"""Assessment figures of mediators and their organisation (调解员考核), for any period.

Every figure is declared once below with its one-line definition, which the page shows next to
it (the pattern of ``orgs.performance``). A rate or an average over nothing is "no data", never
a made-up 0% (a count of nothing is a true 0).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L

from zhongcai.orgs.models import Organisation, Person, TrainingRecord
from zhongcai.orgs.performance import Period

from .models import Feedback, MediationCase, Status

COUNT, RATE, DAYS, SCORE, HOURS = "count", "rate", "days", "score", "hours"
S = Status
# The agreement took effect: AGREED and every state an agreement leads to (spec §12.3).
AGREED_STATES = frozenset(
    {S.AGREED, S.REVIEW_REQUESTED, S.CONFIRMED, S.REVIEW_REFUSED, S.JUDICIAL_CONFIRMATION,
     S.BREACHED}
)  # fmt: skip
ENDED_STATES = AGREED_STATES | {S.FAILED}


@dataclass(frozen=True)
class Definition:
    code: str
    label: str | Promise
    definition: str | Promise
    kind: str


FIGURES = (
    Definition(
        "handled",
        L("Cases handled"),
        L("Cases accepted in the period (for a mediator: the cases they mediate)."),
        COUNT,
    ),
    Definition(
        "agreements",
        L("Agreements"),
        L("Cases concluded in the period whose agreement took effect (LDMAL art. 14)."),
        COUNT,
    ),
    Definition(
        "failures",
        L("Failures"),
        L(
            "Cases concluded in the period without agreement, including those deemed failed "
            "when the time limit passed."
        ),
        COUNT,
    ),
    Definition(
        "success_rate",
        L("Success rate"),
        L("Agreements ÷ (agreements + failures) of the period (调解成功率)."),
        RATE,
    ),
    Definition(
        "median_days",
        L("Median days to agreement"),
        L(
            "Median calendar days from acceptance to the agreement taking effect (or to its "
            "recording when no signed agreement exists), over the period's agreements."
        ),
        DAYS,
    ),
    Definition(
        "average_days",
        L("Average days to agreement"),
        L("Mean of the same days over the period's agreements."),
        DAYS,
    ),
    Definition(
        "overdue",
        L("Concluded late"),
        L(
            "Cases concluded in the period after their conclusion due date (15 days from "
            "acceptance, or the extended date)."
        ),
        COUNT,
    ),
    Definition(
        "feedback_average",
        L("Party feedback"),
        L("Mean rating (1–5) the parties gave in the period to the cases concerned."),
        SCORE,
    ),
    Definition(
        "feedback_count",
        L("Ratings"),
        L("Number of party ratings given in the period."),
        COUNT,
    ),
    Definition(
        "training_hours",
        L("Training hours"),
        L("Class hours of in-service training completed in the period."),
        HOURS,
    ),
)


@dataclass(frozen=True)
class Value:
    definition: Definition
    value: Any = None
    detail: str = ""

    @property
    def available(self) -> bool:
        return self.value is not None

    def display(self) -> str:
        if self.value is None:
            return _("No data")
        if self.definition.kind == RATE:
            return f"{self.value * 100:.1f}%"
        if isinstance(self.value, Decimal):
            return format(self.value.normalize(), "f")
        return str(self.value)


def _one_place(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def figures(
    cases: QuerySet[MediationCase], people: QuerySet[Person], period: Period
) -> list[Value]:
    """The figures of ``cases`` (an organisation's or a mediator's) and the training of
    ``people`` over ``period``."""
    start_at, end_at = period.bounds()
    handled = cases.filter(accepted_at__gte=start_at, accepted_at__lt=end_at).count()
    ended = list(
        cases.filter(concluded_at__gte=start_at, concluded_at__lt=end_at, status__in=ENDED_STATES)
        .values_list("status", "accepted_at", "concluded_at", "conclusion_due",
                     "agreement__effective_at")
    )  # fmt: skip
    agreements = [row for row in ended if row[0] in AGREED_STATES]
    failures = len(ended) - len(agreements)
    days = [
        (timezone.localdate(effective or concluded) - timezone.localdate(accepted)).days
        for _status, accepted, concluded, _due, effective in agreements
        if accepted is not None
    ]
    late = sum(
        1
        for _status, _accepted, concluded, due, _effective in ended
        if due is not None and timezone.localdate(concluded) > due
    )
    feedback = Feedback.objects.filter(
        case__in=cases, created_at__gte=start_at, created_at__lt=end_at
    ).aggregate(n=Count("pk"), mean=Avg("score"))
    hours = TrainingRecord.objects.filter(
        person__in=people, completed_on__range=(period.start, period.end)
    ).aggregate(h=Sum("hours"))["h"]
    concluded = len(agreements) + failures
    by_code = {d.code: d for d in FIGURES}
    computed = {
        "handled": Value(by_code["handled"], handled),
        "agreements": Value(by_code["agreements"], len(agreements)),
        "failures": Value(by_code["failures"], failures),
        "success_rate": Value(
            by_code["success_rate"],
            len(agreements) / concluded if concluded else None,
            _("%(n)d of %(total)d") % {"n": len(agreements), "total": concluded},
        ),
        "median_days": Value(
            by_code["median_days"], _one_place(statistics.median(days)) if days else None
        ),
        "average_days": Value(
            by_code["average_days"], _one_place(statistics.fmean(days)) if days else None
        ),
        "overdue": Value(by_code["overdue"], late),
        "feedback_average": Value(
            by_code["feedback_average"],
            _one_place(feedback["mean"]) if feedback["n"] else None,
        ),
        "feedback_count": Value(by_code["feedback_count"], feedback["n"]),
        "training_hours": Value(by_code["training_hours"], hours or Decimal(0)),
    }
    return [computed[d.code] for d in FIGURES]


def mediators_of(organisation: Organisation) -> QuerySet[Person]:
    return Person.objects.filter(organisation=organisation, kind=Person.Kind.MEDIATOR)


def organisation_figures(organisation: Organisation, period: Period) -> list[Value]:
    return figures(
        MediationCase.objects.filter(organisation=organisation),
        mediators_of(organisation),
        period,
    )


def mediator_figures(person: Person, period: Period) -> list[Value]:
    return figures(
        MediationCase.objects.filter(mediator=person),
        Person.objects.filter(pk=person.pk),
        period,
    )


def figures_by_mediator(
    organisation: Organisation, period: Period
) -> list[tuple[Person, list[Value]]]:
    """Each mediator of the organisation with a case or an appointment (four queries each; an
    organisation has tens of mediators)."""
    people = (
        mediators_of(organisation)
        .filter(Q(appointments__isnull=False) | Q(mediation_cases__isnull=False))
        .distinct()
        .order_by("name", "pk")
    )
    return [(person, mediator_figures(person, period)) for person in people]
