"""Reads of the organisation tree, the institutions and their people, always through the data
scope. A record out of scope answers 404, exactly like a missing one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from zhongcai.accounts.models import User
from zhongcai.core.scope import scope

from .models import (
    Appointment,
    CommissionMember,
    HearingRoom,
    Organisation,
    Person,
    PersonImport,
    QuarterSubmission,
    Tribunal,
)

_M = TypeVar("_M", bound=models.Model)
T = Organisation.Type


def _get(queryset: QuerySet[_M], pk: Any) -> _M:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    return scope(Organisation.objects.select_related("division"), user).order_by("path")


def get_organisation_for(user: User, pk: int) -> Organisation:
    """The organisation if ``user`` may see it; otherwise 404, exactly like a missing one."""
    return _get(organisations_visible_to(user).annotate(staff_count=Count("staff")), pk)


def children_of(organisation: Organisation) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(parent=organisation)
        .select_related("division")
        .annotate(staff_count=Count("staff"))
        .order_by("division_id", "type", "name")
    )


# --- Institutions ---------------------------------------------------------------------------


def commissions_visible_to(user: User) -> QuerySet[Organisation]:
    return organisations_visible_to(user).filter(type=T.COMMISSION, is_active=True)


def get_commission_for(user: User, pk: Any) -> Organisation:
    return _get(commissions_visible_to(user).select_related("commission_detail", "parent"), pk)


def mediation_organisations_visible_to(user: User) -> QuerySet[Organisation]:
    return (
        organisations_visible_to(user)
        .filter(type=T.MEDIATION_ORGANISATION)
        .select_related("mediation_detail", "parent")
        .annotate(
            mediators=Count(
                "people__appointments",
                filter=Q(people__appointments__status=Appointment.Status.ACTIVE),
            )
        )
    )


def get_mediation_organisation_for(user: User, pk: Any) -> Organisation:
    return _get(mediation_organisations_visible_to(user), pk)


def get_member_for(user: User, pk: Any) -> CommissionMember:
    return _get(scope(CommissionMember.objects.select_related("commission"), user), pk)


def get_tribunal_for(user: User, pk: Any) -> Tribunal:
    return _get(scope(Tribunal.objects.select_related("commission"), user), pk)


def get_room_for(user: User, pk: Any) -> HearingRoom:
    return _get(scope(HearingRoom.objects.select_related("commission"), user), pk)


def current_appointments(today: date | None = None, prefix: str = "") -> Q:
    """Appointments in force today: active, started, not past their end."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}status": Appointment.Status.ACTIVE, f"{prefix}starts_on__lte": today}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})
    )


@dataclass
class Staffing:
    """Who is in office in one organisation, counted by kind and employment."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    def of(self, kind: str, employment: str | None = None) -> int:
        return sum(n for (k, e), n in self.counts.items() if k == kind and employment in (None, e))

    @property
    def full_time_arbitrators(self) -> int:
        return self.of(Person.Kind.ARBITRATOR, Person.Employment.FULL_TIME)

    @property
    def part_time_arbitrators(self) -> int:
        return self.of(Person.Kind.ARBITRATOR, Person.Employment.PART_TIME)

    @property
    def recorders(self) -> int:
        return self.of(Person.Kind.RECORDER)

    @property
    def case_assistants(self) -> int:
        return self.of(Person.Kind.CASE_ASSISTANT)


def staffing_of(organisation_ids: Sequence[int]) -> dict[int, Staffing]:
    """People in office per organisation (one query)."""
    result: dict[int, Staffing] = defaultdict(Staffing)
    rows = (
        Appointment.objects.filter(
            current_appointments(), person__organisation__in=organisation_ids
        )
        .values_list("person__organisation", "person__kind", "person__employment")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for organisation_id, kind, employment, n in rows:
        result[organisation_id].counts[(kind, employment)] = n
    return result


def members_of(commission_ids: Sequence[int]) -> dict[int, list[CommissionMember]]:
    """Active members per commission (one query)."""
    result: dict[int, list[CommissionMember]] = defaultdict(list)
    for member in CommissionMember.objects.filter(commission__in=commission_ids, is_active=True):
        result[member.commission_id].append(member)
    return result


# --- People ---------------------------------------------------------------------------------


def people_visible_to(user: User) -> QuerySet[Person]:
    return scope(Person.objects.select_related("organisation", "user"), user)


def person_list(
    user: User,
    *,
    organisation: int | None = None,
    kind: str = "",
    status: str = "",
    query: str = "",
    year: int | None = None,
) -> QuerySet[Person]:
    """People in scope with their latest appointment and this year's training hours."""
    year = year or timezone.localdate().year
    people = people_visible_to(user).annotate(
        training_hours=Sum("trainings__hours", filter=Q(trainings__completed_on__year=year))
    )
    if organisation:
        people = people.filter(organisation_id=organisation)
    if kind:
        people = people.filter(kind=kind)
    if status == "in_office":
        people = people.filter(
            pk__in=Appointment.objects.filter(current_appointments()).values("person_id")
        )
    elif status == "dismissed":
        people = people.filter(
            pk__in=Appointment.objects.filter(status=Appointment.Status.DISMISSED).values(
                "person_id"
            )
        )
    if query:
        people = people.filter(Q(name__icontains=query) | Q(unit__icontains=query))
    return people.prefetch_related(
        Prefetch("appointments", queryset=Appointment.objects.order_by("-starts_on", "-pk"))
    ).order_by("organisation__path", "kind", "name", "pk")


def get_person_for(user: User, pk: Any) -> Person:
    return _get(people_visible_to(user).select_related("organisation__division"), pk)


def get_appointment_for(user: User, pk: Any) -> Appointment:
    return _get(scope(Appointment.objects.select_related("person__organisation"), user), pk)


def training_by_year(person: Person) -> list[tuple[int, Decimal]]:
    rows = (
        person.trainings.values_list("completed_on__year")
        .annotate(hours=Sum("hours"))
        .order_by("-completed_on__year")
    )
    return [(year, hours) for year, hours in rows]


def eligible_accounts(organisation: Organisation, kinds: Iterable[str]) -> QuerySet[User]:
    """Staff accounts of the organisation (or its institute) that a record may link."""
    from .people import ROLES_BY_KIND

    roles = {role for kind in kinds for role in ROLES_BY_KIND.get(kind, ())}
    return (
        User.objects.filter(
            organisation__path__startswith=organisation.path,
            role__in=sorted(roles),
            is_active=True,
        )
        .select_related("organisation")
        .order_by("real_name", "username")
    )


# --- Quarterly verification -----------------------------------------------------------------


def submissions_visible_to(user: User) -> QuerySet[QuarterSubmission]:
    return scope(
        QuarterSubmission.objects.select_related(
            "commission__division", "submitted_by", "base"
        ).defer("snapshot", "base__snapshot"),
        user,
    )


def get_submission_for(user: User, pk: Any) -> QuarterSubmission:
    return _get(
        scope(
            QuarterSubmission.objects.select_related(
                "commission__division", "commission__parent", "submitted_by", "base"
            ),
            user,
        ),
        pk,
    )


# Where a commission stands for a quarter, in the order of the work still to do.
NOT_SUBMITTED = "not_submitted"
OVERVIEW_STATES = (
    NOT_SUBMITTED,
    QuarterSubmission.Status.RETURNED,
    QuarterSubmission.Status.SUBMITTED,
    QuarterSubmission.Status.REVIEWED,
    QuarterSubmission.Status.APPROVED,
)


@dataclass
class OverviewRow:
    commission: Organisation
    submission: QuarterSubmission | None
    waiting_for_me: bool = False

    @property
    def state(self) -> str:
        return self.submission.status if self.submission else NOT_SUBMITTED


def quarter_overview(user: User, year: int, quarter: int) -> list[OverviewRow]:
    """Every commission in scope and where its quarter stands (two queries)."""
    from .permissions import may_decide

    commissions = list(commissions_visible_to(user))
    by_commission: dict[int, QuarterSubmission] = {}
    submissions = (
        QuarterSubmission.objects.filter(
            commission__in=[c.pk for c in commissions], year=year, quarter=quarter
        )
        .defer("snapshot")
        .order_by("submitted_at", "pk")
    )
    for submission in submissions:
        current = by_commission.get(submission.commission_id)
        # The live submission wins over returned ones; among returned, the latest.
        if current is None or current.status == QuarterSubmission.Status.RETURNED:
            by_commission[submission.commission_id] = submission
    rows = []
    for commission in commissions:
        submission = by_commission.get(commission.pk)
        if submission is not None:
            submission.commission = commission
        rows.append(
            OverviewRow(
                commission=commission,
                submission=submission,
                waiting_for_me=bool(submission and may_decide(user, submission)),
            )
        )
    return rows


# --- Imports --------------------------------------------------------------------------------


def imports_visible_to(user: User) -> QuerySet[PersonImport]:
    return scope(
        PersonImport.objects.select_related("organisation", "uploaded_by").defer("content"), user
    )


def get_import_for(user: User, pk: Any) -> PersonImport:
    return _get(imports_visible_to(user), pk)
