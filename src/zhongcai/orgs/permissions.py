"""Who may do what with institutions and their people: tiered maintenance (分级维护).

- Administrators (HRSS administrators and system administrators of an HRSS department) read the
  records of their department's division and everything under it (``core.scope``).
- Each level maintains its own: the commission and mediation organisations of its own division.
- The city reviews its counties' quarterly submissions; the province approves; nobody decides on
  a submission they made.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from zhongcai.accounts.models import Role
from zhongcai.workspace.access import staff_required

from .models import Division, Organisation, QuarterDecision, QuarterSubmission

if TYPE_CHECKING:
    from zhongcai.accounts.models import User

ADMIN_ROLES = frozenset({Role.HRSS_ADMIN, Role.SYSTEM_ADMIN})
MAINTAINED_TYPES = frozenset(
    {Organisation.Type.COMMISSION, Organisation.Type.MEDIATION_ORGANISATION}
)
COUNTY_LEVELS = frozenset({Division.Level.COUNTY, Division.Level.FUNCTIONAL_ZONE})


def is_administrator(user: Any) -> bool:
    """An administrator of an HRSS department, at any level."""
    organisation = getattr(user, "organisation", None)
    return (
        getattr(user, "is_authenticated", False)
        and getattr(user, "role", None) in ADMIN_ROLES
        and organisation is not None
        and organisation.type == Organisation.Type.HRSS_DEPARTMENT
        and organisation.is_active
    )


def may_maintain(user: User | None, organisation: Organisation) -> bool:
    """The department of the organisation's own division maintains it (``None`` is the system)."""
    if user is None:
        return True
    return (
        is_administrator(user)
        and organisation.type in MAINTAINED_TYPES
        and organisation.parent_id == user.organisation_id
    )


def ensure_may_maintain(user: User | None, organisation: Organisation) -> None:
    if not may_maintain(user, organisation):
        raise PermissionDenied(
            _("Only the administrators of %(name)s's own department maintain its records.")
            % {"name": organisation.name}
        )


def pending_step(submission: QuarterSubmission) -> str | None:
    """The decision a submission waits for, or None once approved or returned.

    A county's quarter goes to its city first; a city's or the province's own quarter goes
    straight to the province (a city does not review itself).
    """
    S, Step = QuarterSubmission.Status, QuarterDecision.Step
    if submission.status == S.SUBMITTED:
        level = submission.commission.division.level
        return Step.CITY_REVIEW if level in COUNTY_LEVELS else Step.PROVINCE_APPROVAL
    if submission.status == S.REVIEWED:
        return Step.PROVINCE_APPROVAL
    return None


def may_decide(user: User, submission: QuarterSubmission) -> bool:
    step = pending_step(submission)
    if step is None or not is_administrator(user):
        return False
    # Nobody approves their own submission, at any level.
    if user.pk == submission.submitted_by_id:
        return False
    commission = submission.commission
    department = user.organisation
    if department is None:
        return False
    if step == QuarterDecision.Step.CITY_REVIEW:
        return (
            department.division.level == Division.Level.PREFECTURE
            and commission.division.parent_id == department.division_id
            and commission.is_within(department)
        )
    return department.division.level == Division.Level.PROVINCE and commission.is_within(department)


def administrator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff of an HRSS department with an administrator's role; other staff get 403."""

    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_administrator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
