"""Reads of cases, always through the data scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case as DbCase
from django.db.models import Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from zhongcai.accounts.models import User
from zhongcai.core.events import events_of
from zhongcai.core.models import Event
from zhongcai.core.scope import scope
from zhongcai.orgs.models import Organisation

from .models import (
    CLOSED_STATES,
    OPEN_STATES,
    Case,
    Channel,
    Origin,
    Party,
    Status,
    TribunalMember,
    Volume,
)

# Lists show a few names per case: a collective case of 500 workers must not load all of them.
NAMES_SHOWN = 2
_PARTY_SUMMARY = (
    Prefetch(
        "parties",
        queryset=Party.objects.filter(role=Party.Role.APPLICANT).order_by("pk")[:NAMES_SHOWN],
        to_attr="first_applicants",
    ),
    Prefetch(
        "parties",
        queryset=Party.objects.filter(role=Party.Role.RESPONDENT).order_by("pk")[:NAMES_SHOWN],
        to_attr="first_respondents",
    ),
)
_APPLICANT_COUNT = Count("parties", filter=Q(parties__role=Party.Role.APPLICANT))


def readable_volumes(user: User) -> tuple[str, ...]:
    """The volumes of a case file ``user`` may read: parties and their agents consult the main
    volume only (办案规则 art. 23); staff who see the case read both."""
    return (Volume.MAIN,) if user.is_public else (Volume.MAIN, Volume.SECONDARY)


def cases_visible_to(user: User) -> QuerySet[Case]:
    return scope(Case.objects.select_related("commission", "institute"), user)


def get_case_for(user: User, pk: int) -> Case:
    """The case if ``user`` may see it; otherwise 404, exactly like a missing one."""
    try:
        return cases_visible_to(user).get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def intake_queue(user: User) -> QuerySet[Case]:
    """Received applications, the deadline that falls first on top; clock-stopped ones last."""
    return (
        cases_visible_to(user)
        .filter(status__in=[Status.RECEIVED, Status.AWAITING_CORRECTION])
        .prefetch_related(*_PARTY_SUMMARY)
        .annotate(applicant_count=_APPLICANT_COUNT)
        .order_by(F("next_deadline").asc(nulls_last=True), "received_at")
    )


def decided_applications(user: User) -> QuerySet[Case]:
    """Not accepted or redirected: the commission's written answers, newest first."""
    return (
        cases_visible_to(user)
        .filter(status__in=[Status.NOT_ACCEPTED, Status.REDIRECTED])
        .select_related("redirected_to")
        .prefetch_related(*_PARTY_SUMMARY)
        .annotate(applicant_count=_APPLICANT_COUNT)
        .order_by(F("decided_at").desc(nulls_last=True), "-pk")
    )


def accepted_cases(user: User) -> QuerySet[Case]:
    """Accepted and not yet closed: the tribunal's work, the deadline that falls first on top."""
    return (
        cases_visible_to(user)
        .filter(status__in=OPEN_STATES)
        .prefetch_related(*_PARTY_SUMMARY)
        .annotate(applicant_count=_APPLICANT_COUNT)
        .order_by(F("next_deadline").asc(nulls_last=True), "-accepted_on", "-pk")
    )


def my_cases(user: User) -> QuerySet[Case]:
    """Open cases where ``user`` holds a seat: on the tribunal, or as its recorder."""
    seated = TribunalMember.objects.filter(person__user=user, ended_at__isnull=True).values(
        "case_id"
    )
    return accepted_cases(user).filter(pk__in=seated)


def closed_cases(user: User) -> QuerySet[Case]:
    """Closed, awaiting the closing approval and archiving; newest closing first."""
    return (
        cases_visible_to(user)
        .filter(status__in=CLOSED_STATES)
        .prefetch_related(*_PARTY_SUMMARY)
        .annotate(applicant_count=_APPLICANT_COUNT)
        .order_by(F("closed_at").desc(nulls_last=True), "-pk")
    )


def archived_cases(user: User) -> QuerySet[Case]:
    return (
        cases_visible_to(user)
        .filter(status=Status.ARCHIVED)
        .prefetch_related(*_PARTY_SUMMARY)
        .annotate(applicant_count=_APPLICANT_COUNT)
        .order_by(F("archived_at").desc(nulls_last=True), "-pk")
    )


def counter_drafts(user: User) -> QuerySet[Case]:
    """Drafts recorded at the counter. An online draft is the applicant's own, without legal
    effect, until it is submitted: the institute does not see it as work."""
    return (
        cases_visible_to(user)
        .filter(status=Status.DRAFT)
        .exclude(channel=Channel.ONLINE)
        .prefetch_related(*_PARTY_SUMMARY)
        .annotate(applicant_count=_APPLICANT_COUNT)
        .order_by("-created_at", "-pk")
    )


# What a party may read of a case's events: the steps and what was decided, never the officers'
# internal findings (warnings can name other people's cases) or the application digest.
PUBLIC_EVENT_KEYS = frozenset(
    {
        "from", "to", "channel", "receipt", "clock_started_on", "items", "case_number",
        "accepted_on", "ground", "reasons", "legal_basis", "to_name",
    }
)  # fmt: skip


def case_events_for(user: User, case: Case) -> list[Event]:
    """The case's events as ``user`` may read them (``case`` already fetched through scope)."""
    events = list(events_of(case).select_related("actor"))
    if user.is_public:
        for event in events:
            event.payload = {k: v for k, v in event.payload.items() if k in PUBLIC_EVENT_KEYS}
    return events


@dataclass(frozen=True)
class Rate:
    handled_online: int
    total: int

    @property
    def value(self) -> float | None:
        return self.handled_online / self.total if self.total else None


def online_handling_rate(organisation: Organisation, start: date, end: date) -> Rate:
    """网上办案率 (spec §7.2): of the cases accepted in [start, end] under ``organisation``, the
    share whose every step was recorded by this system as it happened (no imported history)."""
    totals = Case.objects.filter(
        institute__path__startswith=organisation.path, accepted_on__range=(start, end)
    ).aggregate(total=Count("pk"), online=Count("pk", filter=Q(origin=Origin.SYSTEM)))
    return Rate(handled_online=totals["online"], total=totals["total"])


def statistical_employers() -> QuerySet[Party]:
    """The employers the statistics classify cases by (spec §7.2 "by employer"), best first
    within a case: the respondent before an employer that applies; in labor dispatch the
    dispatching unit, the employer under the labor contract, before the using unit; then the
    first named. ``.filter(case=…).first()`` is a case's employer; as a subquery, every case's."""
    return (
        Party.objects.filter(
            kind=Party.Kind.EMPLOYER, role__in=[Party.Role.RESPONDENT, Party.Role.APPLICANT]
        )
        .annotate(
            applies=DbCase(
                When(role=Party.Role.RESPONDENT, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            uses=DbCase(
                When(dispatch_role=Party.DispatchRole.USING, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("applies", "uses", "pk")
    )
