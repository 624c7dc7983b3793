"""The case state machine: one table, one guarded function that moves a case and writes its event.

Verb-named services in ``services`` add their own rules and call ``transition``. Every move locks
the case row first, so two officers acting at once are serialized and the second one finds the
case already moved (and is told so).
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

from .deadlines import refresh_next_deadline
from .models import AcceptanceDelegation, Case, Channel, Status


class TransitionError(Exception):
    """The case is not in a state that allows this step."""


OWNER = "owner"  # the public account that filed the application
DECIDERS = "deciders"  # the institute head, or an officer the head authorised (办案规则 art. 30)


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Status]
    target: Status
    event: str
    actors: frozenset[str]
    # A further condition on the case; returns why not, or None.
    guard: Callable[[Case], str | None] | None = None

    def refusal(self, case: Case) -> str | None:
        return self.guard(case) if self.guard else None


def _correction_not_yet_issued(case: Case) -> str | None:
    # 一次性告知 (办案规则 art. 29): all gaps at once, so only once.
    if case.correction_notice_issued:
        return _("The one-time correction notice was already issued for this case.")
    return None


S = Status
TRANSITIONS: dict[str, Transition] = {
    # spec §12.2 — this stage: receipt, one-time correction, decision on acceptance.
    "submit": Transition(
        frozenset({S.DRAFT}), S.RECEIVED, "case.received",
        frozenset({OWNER, Role.INTAKE_OFFICER, Role.INSTITUTE_HEAD}),
    ),
    "issue_correction_notice": Transition(
        frozenset({S.RECEIVED}), S.AWAITING_CORRECTION, "case.correction_notice_issued",
        frozenset({Role.INTAKE_OFFICER, Role.INSTITUTE_HEAD}), guard=_correction_not_yet_issued,
    ),
    "submit_corrections": Transition(
        frozenset({S.AWAITING_CORRECTION}), S.RECEIVED, "case.corrections_submitted",
        frozenset({OWNER, Role.INTAKE_OFFICER, Role.INSTITUTE_HEAD}),
    ),
    "accept": Transition(
        frozenset({S.RECEIVED}), S.ACCEPTED, "case.accepted", frozenset({DECIDERS})
    ),
    # Also from AWAITING_CORRECTION: an applicant who never completes is refused (办案规则 31).
    "refuse": Transition(
        frozenset({S.RECEIVED, S.AWAITING_CORRECTION}), S.NOT_ACCEPTED, "case.refused",
        frozenset({DECIDERS}),
    ),
    "redirect": Transition(
        frozenset({S.RECEIVED}), S.REDIRECTED, "case.redirected", frozenset({DECIDERS})
    ),
}  # fmt: skip

# Event kinds that set the status; the status of a case is the target of the last of them.
STATUS_EVENTS = {"case.drafted": S.DRAFT} | {t.event: t.target for t in TRANSITIONS.values()}


def is_decider(user: User, case: Case) -> bool:
    if user.organisation_id != case.institute_id and user.organisation_id != case.commission_id:
        return False
    if user.role == Role.INSTITUTE_HEAD:
        return True
    return AcceptanceDelegation.objects.filter(
        user=user, commission=case.commission_id, revoked_at__isnull=True
    ).exists()


def may_act(user: User, case: Case, action: str) -> bool:
    """Whether ``user`` may take ``action`` on ``case`` (role and seat; not the state)."""
    actors = TRANSITIONS[action].actors
    if user.is_public:
        return OWNER in actors and case.owner_id == user.pk
    if action == "submit" and case.channel == Channel.ONLINE:
        return False  # an online application is received when its applicant submits it
    if user.organisation_id not in {case.institute_id, case.commission_id}:
        return False  # the commission's own staff act; the city and province only watch
    if DECIDERS in actors and is_decider(user, case):
        return True
    return user.role in actors


def ensure_may_act(user: User, case: Case, action: str) -> None:
    """Refuse early, before reading the input: a stranger learns nothing from our validation."""
    if not may_act(user, case, action):
        raise PermissionDenied(_("You may not take this step on this case."))


def available_actions(user: User, case: Case) -> list[str]:
    return [
        action
        for action, rule in TRANSITIONS.items()
        if case.status in rule.sources
        and rule.refusal(case) is None
        and may_act(user, case, action)
    ]


@transaction.atomic
def transition(
    case: Case,
    action: str,
    *,
    by: User,
    apply: Callable[[Case], dict[str, Any]] | None = None,
    payload: dict[str, Any] | None = None,
) -> Case:
    """Move ``case`` by ``action``: lock, check state and actor, apply, write the event.

    ``apply`` changes the locked case (fields, clocks) and returns more payload for the event.
    """
    rule = TRANSITIONS[action]
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status not in rule.sources:
        raise TransitionError(
            _("The case is “%(status)s”: “%(action)s” is not possible in that state.")
            % {"status": locked.get_status_display(), "action": ACTION_LABELS[action]}
        )
    ensure_may_act(by, locked, action)
    refusal = rule.refusal(locked)
    if refusal:
        raise TransitionError(refusal)
    source = locked.status
    extra = apply(locked) if apply else {}
    locked.status = rule.target
    locked.save()
    record_event(
        locked,
        rule.event,
        actor=by,
        organisation=locked.institute,
        payload={"from": source, "to": rule.target, **(payload or {}), **extra},
    )
    refresh_next_deadline(locked)
    return locked


ACTION_LABELS = {
    "submit": gettext_lazy("Submit the application"),
    "issue_correction_notice": gettext_lazy("Issue the correction notice"),
    "submit_corrections": gettext_lazy("Submit corrections"),
    "accept": gettext_lazy("Accept"),
    "refuse": gettext_lazy("Refuse"),
    "redirect": gettext_lazy("Redirect to the competent commission"),
}
