"""Reads of mediation cases, always through the data scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from zhongcai.accounts.models import User
from zhongcai.core.scope import scope

from .models import MediationCase


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
