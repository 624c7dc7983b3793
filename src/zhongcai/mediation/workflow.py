"""The mediation case state machine: one table, one guarded function that moves a case.

Verb-named services in ``services`` add their rules and call ``transition``, which locks the
case row, checks the state and the actor, applies the change and writes the event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongcai.accounts.models import Role, User
from zhongcai.core.events import record_event

from .models import RUNNING_STATES, MediationCase, Status


class TransitionError(Exception):
    """The case is not in a state that allows this step."""


STAFF = "staff"  # a mediator or the head of the case's organisation
PARTY = "party"  # the public account that applied, or a party's own account
INTAKE = "intake"  # an arbitration commission's intake staff (``case_create`` checks which)
SYSTEM = "system"  # the clock: no user

STAFF_ROLES = frozenset({Role.MEDIATOR, Role.INSTITUTE_HEAD})
INTAKE_ROLES = frozenset({Role.INTAKE_OFFICER, Role.INSTITUTE_HEAD})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Status]
    target: Status | None  # None keeps the state
    event: str
    actors: frozenset[str]
    guard: Callable[[MediationCase], str | None] | None = None


def _not_extended(case: MediationCase) -> str | None:
    if case.extended_at is not None:
        return _("The time limit was already extended once.")
    return None


def _not_yet_sent(case: MediationCase) -> str | None:
    if case.arbitration_case_id is not None:
        return _("This case was already turned into an arbitration application.")
    return None


S = Status
RUNNING = frozenset(RUNNING_STATES)
STAFF_ONLY = frozenset({STAFF})

TRANSITIONS: dict[str, Transition] = {
    # 企业劳动争议协商调解规定: accept within 3 working days, or decline with a reason.
    "accept": Transition(frozenset({S.APPLIED}), S.ACCEPTED, "mediation.accepted", STAFF_ONLY),
    "decline": Transition(frozenset({S.APPLIED}), S.DECLINED, "mediation.declined", STAFF_ONLY),
    "draw_mediator": Transition(
        frozenset({S.ACCEPTED}), S.MEDIATING, "mediation.mediator_drawn", STAFF_ONLY
    ),
    # Once, with both parties' consent.
    "extend": Transition(RUNNING, None, "mediation.extended", STAFF_ONLY, guard=_not_extended),
    "agree": Transition(frozenset({S.MEDIATING}), S.AGREED, "mediation.agreed", STAFF_ONLY),
    "fail": Transition(RUNNING, S.FAILED, "mediation.failed", STAFF_ONLY),
    # No agreement within the period: deemed failed (LDMAL art. 14). The service checks the
    # due date against the day it runs for.
    "expire": Transition(RUNNING, S.FAILED, "mediation.expired", frozenset({SYSTEM})),
    # LDMAL art. 14: after a failure a party may apply for arbitration.
    "to_arbitration": Transition(
        frozenset({S.FAILED}), None, "mediation.sent_to_arbitration",
        frozenset({PARTY, INTAKE}), guard=_not_yet_sent,
    ),
}  # fmt: skip

ACTION_LABELS = {
    "accept": gettext_lazy("Accept"),
    "decline": gettext_lazy("Decline"),
    "draw_mediator": gettext_lazy("Draw a mediator"),
    "extend": gettext_lazy("Extend the time limit"),
    "agree": gettext_lazy("Record the agreement"),
    "fail": gettext_lazy("Record that mediation failed"),
    "expire": gettext_lazy("Time limit passed"),
    "to_arbitration": gettext_lazy("Apply for arbitration"),
}


def is_party_user(user: User, case: MediationCase) -> bool:
    return case.owner_id == user.pk or case.parties.filter(user=user).exists()


def may_act(user: User | None, case: MediationCase, action: str) -> bool:
    """Whether ``user`` may take ``action`` on ``case`` (who they are; not the state)."""
    actors = TRANSITIONS[action].actors
    if user is None:
        return SYSTEM in actors
    if user.is_public:
        return PARTY in actors and is_party_user(user, case)
    if (
        STAFF in actors
        and user.role in STAFF_ROLES
        and user.organisation_id == case.organisation_id
    ):
        return True
    return INTAKE in actors and user.role in INTAKE_ROLES


def ensure_may_act(user: User | None, case: MediationCase, action: str) -> None:
    if not may_act(user, case, action):
        raise PermissionDenied(_("You may not take this step on this mediation case."))


@transaction.atomic
def transition(
    case: MediationCase,
    action: str,
    *,
    by: User | None,
    apply: Callable[[MediationCase], dict[str, Any]] | None = None,
    payload: dict[str, Any] | None = None,
) -> MediationCase:
    """Move ``case`` by ``action``: lock, check actor and state, apply, write the event.

    ``apply`` changes the locked case and returns more payload for the event.
    """
    rule = TRANSITIONS[action]
    locked = MediationCase.objects.select_for_update().get(pk=case.pk)
    ensure_may_act(by, locked, action)
    if locked.status not in rule.sources:
        raise TransitionError(
            _("The mediation case is “%(status)s”: “%(action)s” is not possible in that state.")
            % {"status": locked.get_status_display(), "action": ACTION_LABELS[action]}
        )
    refusal = rule.guard(locked) if rule.guard else None
    if refusal:
        raise TransitionError(refusal)
    source = locked.status
    extra = apply(locked) if apply else {}
    if rule.target is not None:
        locked.status = rule.target
    locked.save()
    moved = {"from": source, "to": locked.status} if rule.target is not None else {}
    record_event(
        locked,
        rule.event,
        actor=by,
        organisation=locked.organisation,
        payload={**moved, **(payload or {}), **extra},
    )
    return locked
