"""Reads of mediation cases, always through the data scope."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from zhongcai.accounts.models import User
from zhongcai.core.scope import scope

from .models import RUNNING_STATES, MediationCase, Status


def cases_for(user: User) -> QuerySet[MediationCase]:
    """A mediator sees its organisation's cases (supervisors above it see theirs too); a public
    user the cases it applied for or is a party to."""
    return scope(MediationCase.objects.select_related("organisation", "mediator"), user)


def get_case_for(user: User, pk: int) -> MediationCase:
    """The case if ``user`` may see it; otherwise 404, exactly like a missing one."""
    try:
        return cases_for(user).get(pk=pk)
    except (MediationCase.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def overdue(case: MediationCase, today: date | None = None) -> dict[str, bool]:
    """Which of the case's clocks ran out: acceptance (3 working days, while APPLIED) and the 15
    days from receipt (LDMAL art. 14, while it can still end in agreement — APPLIED included,
    as ``services.mediation_expire_due`` deems those failed too)."""
    today = today or timezone.localdate()
    return {
        "acceptance": case.status == Status.APPLIED and today > case.acceptance_due,
        "conclusion": case.status in (Status.APPLIED, *RUNNING_STATES)
        and case.conclusion_due is not None
        and today > case.conclusion_due,
    }
