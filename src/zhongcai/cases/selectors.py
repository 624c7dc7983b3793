"""Reads of cases, always through the data scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from zhongcai.accounts.models import User
from zhongcai.core.scope import scope
from zhongcai.orgs.models import Organisation

from .models import Case, Origin, Status


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
        .prefetch_related("parties")
        .order_by(F("next_deadline").asc(nulls_last=True), "received_at")
    )


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
