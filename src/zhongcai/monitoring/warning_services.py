"""Reading early warnings (always through the data scope) and acting on them: acknowledge,
assign, resolve. The rules that raise them are in ``warnings``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import STAFF_ROLES, User
from zhongcai.core.events import record_event
from zhongcai.core.scope import can_see, scope
from zhongcai.notifications.services import notify

from .models import EarlyWarning
from .warnings import MANAGERS, NOTIFICATION_KIND, close_warning


def warnings_visible_to(user: User) -> QuerySet[EarlyWarning]:
    return scope(EarlyWarning.objects.select_related("organisation", "assigned_to"), user)


def get_warning_for(user: User, pk: Any) -> EarlyWarning:
    """The warning if ``user`` may see it; otherwise 404, exactly like a missing one."""
    try:
        return warnings_visible_to(user).get(pk=pk)
    except (EarlyWarning.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_manage(user: User) -> bool:
    """May acknowledge, assign and resolve any warning ``user`` can see."""
    return user.is_staff_member and user.role in MANAGERS


def may_act(user: User, warning: EarlyWarning) -> bool:
    """May acknowledge and resolve ``warning`` (a manager, or the person it is assigned to);
    ``warning`` is one ``user`` can see."""
    return may_manage(user) or (user.is_staff_member and warning.assigned_to_id == user.pk)


def warning_assignees(warning: EarlyWarning, *, by: User) -> QuerySet[User]:
    """Whom ``by`` may hand ``warning`` to: active staff who can see it (their organisation is
    the warning's or one above it) and whom ``by`` can see (within ``by``'s own subtree)."""
    parts = warning.organisation.path.strip("/").split("/")
    paths = ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts))]
    own = by.organisation.path if by.organisation_id and by.organisation else None
    if own is None:
        return User.objects.none()
    return (
        User.objects.filter(
            is_active=True,
            role__in=STAFF_ROLES,
            organisation__is_active=True,
            organisation__path__in=paths,
            organisation__path__startswith=own,
        )
        .select_related("organisation")
        .order_by("-organisation__path", "real_name", "username")
    )


def _locked_for(by: User, warning: EarlyWarning, *, manage: bool) -> EarlyWarning:
    if by.is_public or not can_see(warning, by):
        raise Http404
    locked = EarlyWarning.objects.select_for_update().get(pk=warning.pk)
    if by.role not in MANAGERS and (manage or locked.assigned_to_id != by.pk):
        raise PermissionDenied(_("You may not act on this warning."))
    if locked.status == EarlyWarning.Status.RESOLVED:
        raise ValidationError(_("The warning is resolved."), code="resolved")
    return locked


@transaction.atomic
def warning_acknowledge(*, by: User, warning: EarlyWarning) -> EarlyWarning:
    """Someone has seen the warning and takes it in hand. A second acknowledgement changes
    nothing."""
    locked = _locked_for(by, warning, manage=False)
    if locked.status == EarlyWarning.Status.ACKNOWLEDGED:
        return locked
    locked.status = EarlyWarning.Status.ACKNOWLEDGED
    locked.acknowledged_by, locked.acknowledged_at = by, timezone.now()
    locked.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "updated_at"])
    record_event(locked, "warning.acknowledged", actor=by, organisation=locked.organisation)
    return locked


@transaction.atomic
def warning_assign(*, by: User, warning: EarlyWarning, to: User) -> EarlyWarning:
    """A manager hands the warning to a staff member who can see it; they are told."""
    locked = _locked_for(by, warning, manage=True)
    if not to.is_active or to.is_public or not can_see(locked, to):
        raise ValidationError(_("That person cannot see this warning."), code="assignee")
    if locked.assigned_to_id == to.pk:
        return locked
    before = locked.assigned_to_id
    locked.assigned_to = to
    locked.save(update_fields=["assigned_to", "updated_at"])
    event = record_event(
        locked,
        "warning.assigned",
        actor=by,
        organisation=locked.organisation,
        payload={"from": before, "to": to.pk},
    )
    notify(
        to,
        NOTIFICATION_KIND,
        locked.message,
        body=locked.message,
        key=f"monitoring-warning:{locked.pk}:assigned:{event.seq}",
    )
    return locked


@transaction.atomic
def warning_resolve(*, by: User, warning: EarlyWarning) -> EarlyWarning:
    """A manager (or the assignee) closes the warning: handled, or not a risk."""
    locked = _locked_for(by, warning, manage=False)
    close_warning(locked, by=by, why="by_user")
    return locked
