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

from .models import RUNNING_STATES, MediationCase, ReviewStatus, Status


class TransitionError(Exception):
    """The case is not in a state that allows this step."""


STAFF = "staff"  # a mediator or the head of the case's organisation
PARTY = "party"  # the public account that applied, or a party's own account
INTAKE = "intake"  # an arbitration commission's intake staff (``case_create`` checks which)
SYSTEM = "system"  # the clock: no user
REVIEWER = "reviewer"  # staff of the commission an agreement's arbitral review was applied to

STAFF_ROLES = frozenset({Role.MEDIATOR, Role.INSTITUTE_HEAD})
INTAKE_ROLES = frozenset({Role.INTAKE_OFFICER, Role.INSTITUTE_HEAD})
REVIEWER_ROLES = frozenset({Role.INTAKE_OFFICER, Role.ARBITRATOR, Role.CLERK, Role.INSTITUTE_HEAD})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Status]
    target: Status | None  # None keeps the state
    event: str
    actors: frozenset[str]
    guard: Callable[[MediationCase], str | None] | None = None


def _not_extended(case: MediationCase) -> str | None:
    if case.entrusted_by_id is not None:
        # 办案规则 art. 69: no agreement within 10 days of consent → the hearing is held.
        return _("Mediation entrusted by a tribunal cannot be extended: the hearing follows.")
    if case.extended_at is not None:
        return _("The time limit was already extended once.")
    return None


def _not_yet_submitted(case: MediationCase) -> str | None:
    """One party's unsubmitted draft does not stop the other from applying (``handover`` refuses
    a second draft for the same party); a submitted application ends the hand-over."""
    from zhongcai.cases.models import Status as CaseStatus

    if case.entrusted_by_id is not None:
        return _("This mediation was entrusted by an arbitration tribunal: the case goes on there.")
    sent = case.arbitration_case
    if sent is not None and sent.status != CaseStatus.DRAFT:
        return _("This case was already turned into an arbitration application.")
    return None


def _not_entrusted(case: MediationCase) -> str | None:
    if case.entrusted_by_id is not None:
        # 办案规则 art. 69: the tribunal issues the 调解书 in its own case (arts. 70–72).
        return _(
            "This mediation was entrusted by an arbitration tribunal: the tribunal issues "
            "the 调解书."
        )
    return None


def _may_apply_for_review(case: MediationCase) -> str | None:
    """After a refusal, only an application that was not accepted for want of jurisdiction may
    go to the competent commission (办案规则 art. 75); a refusal on the merits terminates the
    review (arts. 78–79) and the parties may apply for arbitration instead."""
    refusal = _not_entrusted(case)
    if refusal or case.status != Status.REVIEW_REFUSED:
        return refusal
    last = case.reviews.order_by("-created_at", "-pk").first()
    if last is None or not (
        last.status == ReviewStatus.NOT_ACCEPTED and last.ground == "not_competent"
    ):
        return _(
            "The review was refused: apply for arbitration. Only an application not accepted "
            "for want of jurisdiction may go to the competent commission."
        )
    return None


S = Status
RUNNING = frozenset(RUNNING_STATES)
STAFF_ONLY = frozenset({STAFF})
IN_ROOM = frozenset({STAFF, PARTY})
# After the agreement took effect, until it was confirmed or breached.
AGREEMENT_STANDS = frozenset({S.AGREED, S.REVIEW_REFUSED, S.JUDICIAL_CONFIRMATION})

TRANSITIONS: dict[str, Transition] = {
    # 企业劳动争议协商调解规定: accept within 3 working days, or decline with a reason.
    "accept": Transition(frozenset({S.APPLIED}), S.ACCEPTED, "mediation.accepted", STAFF_ONLY),
    "decline": Transition(frozenset({S.APPLIED}), S.DECLINED, "mediation.declined", STAFF_ONLY),
    # The mediator: drawn at random among the filtered pool, or the one the parties chose.
    "draw_mediator": Transition(
        frozenset({S.ACCEPTED}), S.MEDIATING, "mediation.mediator_drawn", STAFF_ONLY
    ),
    "choose_mediator": Transition(
        frozenset({S.ACCEPTED}), S.MEDIATING, "mediation.mediator_chosen", STAFF_ONLY
    ),
    # A declared conflict, or a party's request granted: another mediator takes over.
    "declare_conflict": Transition(
        frozenset({S.MEDIATING}), None, "mediation.conflict_declared", STAFF_ONLY
    ),
    "request_other_mediator": Transition(
        frozenset({S.MEDIATING}), None, "mediation.mediator_change_requested",
        frozenset({PARTY}),
    ),
    "decide_mediator_change": Transition(
        frozenset({S.MEDIATING}), None, "mediation.mediator_change_decided", STAFF_ONLY
    ),
    "replace_mediator": Transition(
        frozenset({S.MEDIATING}), None, "mediation.mediator_replaced", STAFF_ONLY
    ),
    # Once, with both parties' consent.
    "extend": Transition(RUNNING, None, "mediation.extended", STAFF_ONLY, guard=_not_extended),
    # The room (spec §9.2 court analogue): messages, calls, shared files, proposals.
    "post_message": Transition(RUNNING, None, "mediation.message_posted", IN_ROOM),
    "schedule_meeting": Transition(RUNNING, None, "mediation.meeting_scheduled", STAFF_ONLY),
    "cancel_meeting": Transition(RUNNING, None, "mediation.meeting_cancelled", STAFF_ONLY),
    "share_file": Transition(RUNNING, None, "mediation.file_shared", IN_ROOM),
    "propose": Transition(frozenset({S.MEDIATING}), None, "mediation.proposed", IN_ROOM),
    "answer_proposal": Transition(
        frozenset({S.MEDIATING}), None, "mediation.proposal_answered", frozenset({PARTY})
    ),
    "withdraw_proposal": Transition(
        frozenset({S.MEDIATING}), None, "mediation.proposal_withdrawn", IN_ROOM
    ),
    # The agreement (LDMAL art. 14): drafted from the agreed items, signed by both parties and
    # the mediator, sealed by the organisation; effective (AGREED) when all of that is done.
    "draft_agreement": Transition(
        frozenset({S.MEDIATING}), None, "mediation.agreement_drafted", STAFF_ONLY
    ),
    "sign_agreement": Transition(
        frozenset({S.MEDIATING}), None, "mediation.agreement_signed", IN_ROOM
    ),
    "seal_agreement": Transition(
        frozenset({S.MEDIATING}), None, "mediation.agreement_sealed", STAFF_ONLY
    ),
    "agree": Transition(frozenset({S.MEDIATING}), S.AGREED, "mediation.agreed", IN_ROOM),
    "fail": Transition(RUNNING, S.FAILED, "mediation.failed", STAFF_ONLY),
    # No agreement within the period: deemed failed (LDMAL art. 14). The service checks the
    # due date against the day it runs for.
    "expire": Transition(
        frozenset({S.APPLIED}) | RUNNING, S.FAILED, "mediation.expired", frozenset({SYSTEM})
    ),
    # 办案规则 art. 74: both parties jointly, within 15 days of the agreement taking effect.
    "apply_for_review": Transition(
        frozenset({S.AGREED, S.REVIEW_REFUSED}), None, "mediation.review_applied",
        frozenset({PARTY}), guard=_may_apply_for_review,
    ),
    "request_review": Transition(
        frozenset({S.AGREED, S.REVIEW_REFUSED}), S.REVIEW_REQUESTED,
        "mediation.review_requested", frozenset({PARTY}), guard=_may_apply_for_review,
    ),
    # art. 79: a party that applied withdraws; the review ends and the agreement stands as it
    # was (the parties may still go to a court, or apply again within the 15 days).
    "withdraw_review": Transition(
        frozenset({S.AGREED, S.REVIEW_REQUESTED}), S.AGREED, "mediation.review_withdrawn",
        frozenset({PARTY}),
    ),
    # arts. 75–79, by the reviewing commission's staff.
    "accept_review": Transition(
        frozenset({S.REVIEW_REQUESTED}), None, "mediation.review_accepted", frozenset({REVIEWER})
    ),
    "not_accept_review": Transition(
        frozenset({S.REVIEW_REQUESTED}), S.REVIEW_REFUSED, "mediation.review_not_accepted",
        frozenset({REVIEWER}),
    ),
    "issue_mediation_document": Transition(
        frozenset({S.REVIEW_REQUESTED}), S.CONFIRMED, "mediation.mediation_document_issued",
        frozenset({REVIEWER}),
    ),
    "refuse_review": Transition(
        frozenset({S.REVIEW_REQUESTED}), S.REVIEW_REFUSED, "mediation.review_refused",
        frozenset({REVIEWER}),
    ),
    # 人民调解法 art. 33: jointly to a court within 30 days; the platform prepares the package.
    # Jointly (both parties' consent recorded by the organisation's staff).
    "request_court_confirmation": Transition(
        frozenset({S.AGREED, S.REVIEW_REFUSED}), S.JUDICIAL_CONFIRMATION,
        "mediation.court_confirmation_requested", STAFF_ONLY, guard=_not_entrusted,
    ),
    # LDMAL art. 15: one side does not perform; the other may apply for arbitration.
    "report_breach": Transition(
        AGREEMENT_STANDS, S.BREACHED, "mediation.breach_reported", IN_ROOM
    ),
    "give_feedback": Transition(
        frozenset(S) - {S.APPLIED, S.ACCEPTED, S.MEDIATING}, None, "mediation.feedback_given",
        frozenset({PARTY}),
    ),
    # LDMAL arts. 14–15: after a decline, a failure, a refused review or a breach, a party may
    # apply for arbitration; the mediator may hand the case over for them.
    "to_arbitration": Transition(
        frozenset({S.DECLINED, S.FAILED, S.REVIEW_REFUSED, S.BREACHED}), None,
        "mediation.sent_to_arbitration", frozenset({PARTY, INTAKE, STAFF}),
        guard=_not_yet_submitted,
    ),
}  # fmt: skip

ACTION_LABELS = {
    "accept": gettext_lazy("Accept"),
    "decline": gettext_lazy("Decline"),
    "draw_mediator": gettext_lazy("Draw a mediator"),
    "choose_mediator": gettext_lazy("Appoint the mediator the parties chose"),
    "declare_conflict": gettext_lazy("Declare a conflict of interest"),
    "request_other_mediator": gettext_lazy("Ask for another mediator"),
    "decide_mediator_change": gettext_lazy("Decide on the request for another mediator"),
    "replace_mediator": gettext_lazy("Replace the mediator"),
    "extend": gettext_lazy("Extend the time limit"),
    "post_message": gettext_lazy("Send a message"),
    "schedule_meeting": gettext_lazy("Schedule a call or meeting"),
    "cancel_meeting": gettext_lazy("Cancel the meeting"),
    "share_file": gettext_lazy("Share a file"),
    "propose": gettext_lazy("Make a proposal"),
    "answer_proposal": gettext_lazy("Answer the proposal"),
    "withdraw_proposal": gettext_lazy("Withdraw the proposal"),
    "draft_agreement": gettext_lazy("Draft the agreement"),
    "sign_agreement": gettext_lazy("Sign the agreement"),
    "seal_agreement": gettext_lazy("Seal the agreement"),
    "agree": gettext_lazy("Record the agreement"),
    "fail": gettext_lazy("Record that mediation failed"),
    "expire": gettext_lazy("Time limit passed"),
    "apply_for_review": gettext_lazy("Apply for arbitral review"),
    "request_review": gettext_lazy("Apply jointly for arbitral review"),
    "withdraw_review": gettext_lazy("Withdraw the application for arbitral review"),
    "accept_review": gettext_lazy("Accept the review"),
    "not_accept_review": gettext_lazy("Do not accept the review"),
    "issue_mediation_document": gettext_lazy("Issue the 调解书"),
    "refuse_review": gettext_lazy("Refuse the 调解书"),
    "request_court_confirmation": gettext_lazy("Ask a court to confirm"),
    "report_breach": gettext_lazy("Report a breach of the agreement"),
    "give_feedback": gettext_lazy("Rate the mediation"),
    "to_arbitration": gettext_lazy("Apply for arbitration"),
}


def is_party_user(user: User, case: MediationCase) -> bool:
    from .parties import parties_acted_for

    return case.owner_id == user.pk or bool(parties_acted_for(user, case))


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
    if (
        REVIEWER in actors
        and user.role in REVIEWER_ROLES
        and case.reviews.filter(
            commission__children=user.organisation_id,
            status__in=[ReviewStatus.REQUESTED, ReviewStatus.ACCEPTED],
        ).exists()
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
    if locked.entrusted_by_id is not None and rule.target in (Status.AGREED, Status.FAILED):
        # 办案规则 art. 69: the entrusting tribunal's case learns the outcome in this step.
        from .entrusted import entrusted_mediation_ended

        entrusted_mediation_ended(locked, by=by)
    return locked
