"""The case state machine: one table, one guarded function that moves a case and writes its event.

Verb-named services in ``services`` add their own rules and call ``transition``. Every move locks
the case row first, so two officers acting at once are serialized and the second one finds the
case already moved (and is told so).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongcai.accounts.models import Role, User
from zhongcai.core.events import record_event

from .deadlines import refresh_next_deadline
from .models import (
    CLOSED_STATES,
    OPEN_STATES,
    AcceptanceDelegation,
    AwardDraft,
    Case,
    Channel,
    RecusalApplication,
    Status,
    TribunalMember,
)
from .representation import parties_represented_by


class TransitionError(Exception):
    """The case is not in a state that allows this step."""


OWNER = "owner"  # the public account that filed the application
PARTY = "party"  # a public account acting for a party of the case (``representation``)
DECIDERS = "deciders"  # the institute head, or an officer the head authorised (办案规则 art. 30)
TRIBUNAL = "tribunal"  # an arbitrator sitting on this case's tribunal
PRESIDING = "presiding"  # the presiding arbitrator of this case's three-member tribunal


@dataclass(frozen=True)
class Transition:
    """A step: the states it may start from, where it leads, its event and who may take it.

    ``target`` None keeps the state (a step inside a stage: a service, a recusal, a suspension);
    ``moves`` names the states from which the step also moves the case on (the first service of
    the application copy opens the defence period; a later one does not).
    """

    sources: frozenset[Status]
    target: Status | None
    event: str
    actors: frozenset[str]
    # A further condition on the case; returns why not, or None.
    guard: Callable[[Case], str | None] | None = None
    moves: Mapping[Status, Status] = field(default_factory=dict)

    def refusal(self, case: Case) -> str | None:
        return self.guard(case) if self.guard else None

    def target_from(self, source: Status) -> Status:
        return self.moves.get(source) or self.target or source


def _correction_not_yet_issued(case: Case) -> str | None:
    # 一次性告知 (办案规则 art. 29): all gaps at once, so only once.
    if case.correction_notice_issued:
        return _("The one-time correction notice was already issued for this case.")
    return None


def _not_suspended(case: Case) -> str | None:
    # 办案规则 art. 47: a suspended case waits for its cause to end.
    if case.suspended:
        return _("The case is suspended: resume it first.")
    return None


def _suspended(case: Case) -> str | None:
    return None if case.suspended else _("The case is not suspended.")


def _no_tribunal_yet(case: Case) -> str | None:
    # 组织规则 art. 12: one case, one tribunal; a seat is changed by replacement.
    if case.tribunal_kind:
        return _("The tribunal is already formed: replace a member instead.")
    return None


def _tribunal_formed(case: Case) -> str | None:
    return None if case.tribunal_kind else _("The tribunal is not formed yet.")


def _recusal_still_possible(case: Case) -> str | None:
    # 办案规则 art. 11: after the debate ended an application does not affect the proceedings.
    if case.status == Status.DELIBERATION:
        return _(
            "The debate has ended: a recusal application no longer affects the proceedings "
            "(办案规则 art. 11)."
        )
    return _tribunal_formed(case)


def _recusal_pending(case: Case) -> str | None:
    # Asked by every panel of the case page: once per case instance (a step refetches the case).
    if not case.tribunal_kind:
        return _tribunal_formed(case)
    if "_recusal_pending" not in case.__dict__:
        case.__dict__["_recusal_pending"] = RecusalApplication.objects.filter(
            case=case, decision=RecusalApplication.Decision.PENDING
        ).exists()
    if case.__dict__["_recusal_pending"]:
        return None
    return _("No recusal application waits for a decision.")


def _mediation_attempted(case: Case) -> str | None:
    # LDMAL art. 42: the tribunal mediates before it awards (先行调解).
    if not case.mediation_attempts.exists():
        return _(
            "Record a mediation attempt first: the tribunal must mediate before it awards "
            "(LDMAL art. 42)."
        )
    return None


def _may_award(case: Case) -> str | None:
    return _not_suspended(case) or _mediation_attempted(case)


def _award_draft_states(case: Case) -> set[str]:
    # Asked by every panel of the case page: once per case instance (a step refetches the case).
    if "_award_draft_states" not in case.__dict__:
        case.__dict__["_award_draft_states"] = set(
            AwardDraft.objects.filter(case=case)
            .exclude(state=AwardDraft.State.ISSUED)
            .values_list("state", flat=True)
        )
    return case.__dict__["_award_draft_states"]


def _award_draft_to_submit(case: Case) -> str | None:
    if {AwardDraft.State.DRAFT, AwardDraft.State.RETURNED} & _award_draft_states(case):
        return None
    return _("No award draft waits to be submitted.")


def _award_draft_submitted(case: Case) -> str | None:
    if AwardDraft.State.SUBMITTED in _award_draft_states(case):
        return None
    return _("No award draft waits for review.")


def _award_draft_approved(case: Case) -> str | None:
    # Issue 5: an award is issued only from a draft approved as it stands.
    if AwardDraft.State.APPROVED in _award_draft_states(case):
        return None
    return _("No approved award draft waits to be issued.")


def _closing_not_approved(case: Case) -> str | None:
    return _("The closing was already approved.") if case.closing_approved_at else None


def _closing_approved(case: Case) -> str | None:
    return None if case.closing_approved_at else _("The closing must be approved first.")


S = Status
OPEN = OPEN_STATES
CLOSED = CLOSED_STATES
AFTER_ACCEPTANCE = OPEN | CLOSED | {S.ARCHIVED}
HEAD = frozenset({Role.INSTITUTE_HEAD})
OFFICE = frozenset({Role.CLERK, Role.INSTITUTE_HEAD})
HANDLERS = OFFICE | {TRIBUNAL}
BENCH = frozenset({TRIBUNAL, Role.INSTITUTE_HEAD})
BEFORE_HEARING = frozenset({S.ACCEPTED, S.PANEL_FORMED, S.DEFENCE_PERIOD, S.HEARING_SCHEDULED})

TRANSITIONS: dict[str, Transition] = {
    # spec §12.2 — intake: receipt, one-time correction, decision on acceptance.
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
    # Tribunal (LDMAL 31–33; 办案规则 11–12, 37).
    "form_tribunal": Transition(
        OPEN, None, "case.tribunal_formed", HEAD, moves={S.ACCEPTED: S.PANEL_FORMED},
        guard=_no_tribunal_yet,
    ),
    "replace_tribunal_member": Transition(
        OPEN, None, "case.tribunal_member_replaced", HEAD, guard=_tribunal_formed
    ),
    "apply_recusal": Transition(
        OPEN, None, "case.recusal_applied", HANDLERS, guard=_recusal_still_possible
    ),
    "decide_recusal": Transition(
        OPEN, None, "case.recusal_decided", HEAD, guard=_recusal_pending
    ),
    # Service (送达; 办案规则 20, 59; 民诉法 90, 95).
    # The applicant confirms its address with the application (so the acceptance notice can be
    # served online at once); the others once the case is theirs to see.
    "confirm_service_address": Transition(
        AFTER_ACCEPTANCE | {S.RECEIVED, S.AWAITING_CORRECTION}, None,
        "case.service_address_confirmed", HANDLERS | {PARTY},
    ),
    "serve_application_copy": Transition(
        BEFORE_HEARING, None, "case.application_copy_served", OFFICE,
        moves={S.ACCEPTED: S.DEFENCE_PERIOD, S.PANEL_FORMED: S.DEFENCE_PERIOD},
    ),
    "serve": Transition(AFTER_ACCEPTANCE, None, "case.document_served", HANDLERS),
    # A party signs for a document served on it online (its "received" in the portal's inbox).
    "record_delivery": Transition(
        AFTER_ACCEPTANCE, None, "case.service_updated", HANDLERS | {PARTY}
    ),
    # Defence, evidence, claims (LDMAL 30; 办案规则 15, 36, 44, 46, 58).
    "file_defence": Transition(OPEN, None, "case.defence_filed", HANDLERS | {PARTY}),
    "waive_defence_period": Transition(
        frozenset({S.DEFENCE_PERIOD}), None, "case.defence_period_waived", BENCH
    ),
    "set_evidence_period": Transition(OPEN, None, "case.evidence_period_set", BENCH),
    "submit_evidence": Transition(
        OPEN, None, "case.evidence_submitted", HANDLERS | {PARTY}
    ),
    # Evidence handed in with the application (办案规则 art. 29: 证据和证据来源).
    "add_application_evidence": Transition(
        frozenset({S.DRAFT, S.AWAITING_CORRECTION}), None, "case.application_evidence_added",
        frozenset({OWNER, Role.INTAKE_OFFICER, Role.INSTITUTE_HEAD}),
    ),
    "record_cross_examination": Transition(OPEN, None, "case.evidence_examined", HANDLERS),
    "apply_claim_change": Transition(OPEN, None, "case.claim_change_applied", HANDLERS),
    "decide_claim_change": Transition(OPEN, None, "case.claim_change_decided", BENCH),
    "file_counter_application": Transition(
        OPEN, None, "case.counter_application_filed", HANDLERS
    ),
    "decide_counter_application": Transition(
        OPEN, None, "case.counter_application_decided", BENCH
    ),
    "add_party": Transition(OPEN, None, "case.party_added", BENCH),
    # Letters to other bodies: 调查取证函 (办案规则 art. 17), 仲裁建议书 (spec §5.1).
    "issue_letter": Transition(OPEN, None, "case.letter_issued", HANDLERS),
    # An objection to jurisdiction rejected in writing (办案规则 art. 10); upheld, it is a transfer.
    "decide_jurisdiction": Transition(
        OPEN, None, "case.jurisdiction_objection_rejected", HEAD
    ),
    # Hearings (LDMAL 35–36, 40; 办案规则 38–39, 41–42).
    "schedule_hearing": Transition(
        frozenset({S.PANEL_FORMED, S.DEFENCE_PERIOD, S.DELIBERATION}), S.HEARING_SCHEDULED,
        "case.hearing_scheduled", HANDLERS, guard=_not_suspended,
    ),
    "request_postponement": Transition(
        frozenset({S.HEARING_SCHEDULED}), None, "case.postponement_requested", HANDLERS
    ),
    "decide_postponement": Transition(
        frozenset({S.HEARING_SCHEDULED}), None, "case.postponement_decided", HEAD
    ),
    "open_hearing": Transition(
        frozenset({S.HEARING_SCHEDULED}), S.HEARING, "case.hearing_opened",
        frozenset({TRIBUNAL}), guard=_not_suspended,
    ),
    "record_attendance": Transition(
        frozenset({S.HEARING}), None, "case.attendance_recorded", HANDLERS
    ),
    "write_hearing_record": Transition(
        frozenset({S.HEARING, S.HEARING_SCHEDULED, S.DELIBERATION}), None,
        "case.hearing_record_written", HANDLERS,
    ),
    # A party (or its agent) signs the record online, in its own name (LDMAL art. 40).
    "sign_hearing_record": Transition(
        frozenset({S.HEARING, S.HEARING_SCHEDULED, S.DELIBERATION}), None,
        "case.hearing_record_signed", HANDLERS | {PARTY},
    ),
    "close_hearing": Transition(
        frozenset({S.HEARING}), S.DELIBERATION, "case.hearing_closed", frozenset({TRIBUNAL})
    ),
    "deem_withdrawn": Transition(
        frozenset({S.HEARING_SCHEDULED, S.HEARING}), S.CLOSED_DEEMED_WITHDRAWN,
        "case.deemed_withdrawn", BENCH,
    ),
    # Mediation entrusted before the hearing, with both parties' consent (办案规则 art. 69;
    # ``mediation.entrusted``); the hearing follows if there is no agreement within 10 days.
    "entrust_mediation": Transition(
        BEFORE_HEARING, None, "case.mediation_entrusted", frozenset({TRIBUNAL, Role.CLERK}),
        guard=_not_suspended,
    ),
    # Mediation and award (LDMAL 42–47; 办案规则 49–54, 68–72).
    "record_mediation": Transition(OPEN, None, "case.mediation_recorded", BENCH),
    "issue_mediation_document": Transition(
        OPEN, None, "case.mediation_document_issued", frozenset({TRIBUNAL})
    ),
    "close_by_mediation": Transition(
        OPEN, S.CLOSED_MEDIATION, "case.closed_by_mediation", HANDLERS
    ),
    "partial_award": Transition(
        frozenset({S.HEARING, S.DELIBERATION}), None, "case.partial_award_made",
        frozenset({TRIBUNAL}), guard=_may_award,
    ),
    "advance_execution_award": Transition(
        OPEN, None, "case.advance_execution_awarded", frozenset({TRIBUNAL})
    ),
    "award": Transition(
        frozenset({S.DELIBERATION}), S.CLOSED_AWARD, "case.awarded", frozenset({TRIBUNAL}),
        guard=_may_award,
    ),
    # The 裁决书 as a draft (issue 5): the tribunal writes and submits it, the institute head or
    # the presiding arbitrator reviews it, the tribunal issues it (then the award step above).
    "save_award_draft": Transition(
        OPEN, None, "case.award_draft_saved", frozenset({TRIBUNAL}), guard=_tribunal_formed
    ),
    "submit_award_draft": Transition(
        OPEN, None, "case.award_draft_submitted", frozenset({TRIBUNAL}),
        guard=_award_draft_to_submit,
    ),
    "review_award_draft": Transition(
        OPEN, None, "case.award_draft_reviewed", HEAD | {PRESIDING},
        guard=_award_draft_submitted,
    ),
    "issue_award_draft": Transition(
        OPEN, None, "case.award_draft_issued", frozenset({TRIBUNAL}),
        guard=_award_draft_approved,
    ),
    "correct_award": Transition(
        frozenset({S.CLOSED_AWARD, S.ARCHIVED}), None, "case.award_corrected", BENCH
    ),
    # Clocks that stop and stretch (LDMAL 43; 办案规则 45–47).
    "suspend": Transition(OPEN, None, "case.suspended", HEAD, guard=_not_suspended),
    "resume": Transition(OPEN, None, "case.resumed", HEAD, guard=_suspended),
    "extend": Transition(OPEN, None, "case.extended", HEAD, guard=_not_suspended),
    # Other closings (办案规则 9, 32, 35, 39).
    "withdraw": Transition(
        OPEN, S.CLOSED_WITHDRAWN, "case.withdrawn",
        frozenset({OWNER, Role.CLERK, Role.INSTITUTE_HEAD, TRIBUNAL}),
    ),
    "revoke": Transition(OPEN, S.CLOSED_REVOKED, "case.revoked", HEAD),
    "transfer": Transition(OPEN, S.CLOSED_TRANSFERRED, "case.transferred", HEAD),
    # After the award, and the archive (spec §12; 办案规则 21–24).
    "record_court_notice": Transition(
        frozenset({S.CLOSED_AWARD, S.ARCHIVED}), None, "case.court_notice_recorded",
        OFFICE,
    ),
    "approve_closing": Transition(
        CLOSED, None, "case.closing_approved", HEAD, guard=_closing_not_approved
    ),
    "archive": Transition(
        CLOSED, S.ARCHIVED, "case.archived", OFFICE,
        guard=_closing_approved,
    ),
}  # fmt: skip

# Event kinds that always set the status. A step that moves only from some states writes the
# state it led to in its payload ("to"); ``integrity`` reads both.
STATUS_EVENTS = {"case.drafted": S.DRAFT} | {
    t.event: t.target for t in TRANSITIONS.values() if t.target is not None and not t.moves
}


def is_decider(user: User, case: Case) -> bool:
    if user.organisation_id != case.institute_id and user.organisation_id != case.commission_id:
        return False
    if user.role == Role.INSTITUTE_HEAD:
        return True
    return AcceptanceDelegation.objects.filter(
        user=user, commission=case.commission_id, revoked_at__isnull=True
    ).exists()


def sits_on_tribunal(user: User, case: Case) -> bool:
    """Whether ``user`` holds an arbitrator's seat on the case's tribunal (cached on the case)."""
    cache = case.__dict__.setdefault("_tribunal_users", {})
    if user.pk not in cache:
        cache[user.pk] = (
            user.role == Role.ARBITRATOR
            and TribunalMember.objects.filter(case=case, person__user=user, ended_at__isnull=True)
            .exclude(seat=TribunalMember.Seat.RECORDER)
            .exists()
        )
    return bool(cache[user.pk])


def presides(user: User, case: Case) -> bool:
    """Whether ``user`` is the presiding arbitrator of the case's tribunal (cached on the case)."""
    cache = case.__dict__.setdefault("_presiding_users", {})
    if user.pk not in cache:
        cache[user.pk] = (
            user.role == Role.ARBITRATOR
            and TribunalMember.objects.filter(
                case=case,
                person__user=user,
                ended_at__isnull=True,
                seat=TribunalMember.Seat.PRESIDING,
            ).exists()
        )
    return bool(cache[user.pk])


def may_act(user: User, case: Case, action: str) -> bool:
    """Whether ``user`` may take ``action`` on ``case`` (role and seat; not the state)."""
    actors = TRANSITIONS[action].actors
    if user.is_public:
        if OWNER in actors and case.owner_id == user.pk:
            return True
        return PARTY in actors and bool(parties_represented_by(user, case))
    if action == "submit" and case.channel == Channel.ONLINE:
        return False  # an online application is received when its applicant submits it
    if user.organisation_id not in {case.institute_id, case.commission_id}:
        return False  # the commission's own staff act; the city and province only watch
    if DECIDERS in actors and is_decider(user, case):
        return True
    if TRIBUNAL in actors and sits_on_tribunal(user, case):
        return True
    if PRESIDING in actors and presides(user, case):
        return True
    return user.role in actors


def ensure_may_act(user: User, case: Case, action: str) -> None:
    """Refuse early, before reading the input: a stranger learns nothing from our validation."""
    if not may_act(user, case, action):
        raise PermissionDenied(_("You may not take this step on this case."))


def available_actions(user: User, case: Case) -> list[str]:
    """The steps ``user`` may take now. Remembered on the case instance for its state, so that
    the case page's panels ask once (a step moves another instance: the locked row)."""
    cache = case.__dict__.setdefault("_available_actions", {})
    key = (user.pk, case.status, case.suspended, case.closing_approved_at)
    if key not in cache:
        cache[key] = [
            action
            for action, rule in TRANSITIONS.items()
            if case.status in rule.sources
            and rule.refusal(case) is None
            and may_act(user, case, action)
        ]
    return list(cache[key])


def _apply_in_official_language(
    locked: Case, apply: Callable[[Case], dict[str, Any]]
) -> dict[str, Any]:
    """Documents of record and event texts are written in the platform's language (zh-Hans),
    whatever language the acting user reads the pages in; a refusal, though, is for the user.

    A step that refuses under the official language is rolled back to its savepoint and run
    once more in the reader's language, where it refuses the same way and says why in words
    the reader reads.
    """
    reader = translation.get_language()
    if not reader or translation.get_supported_language_variant(reader) == (
        translation.get_supported_language_variant(settings.LANGUAGE_CODE)
    ):
        return apply(locked)
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            return apply(locked)
    except (ValidationError, TransitionError, PermissionDenied, ValueError):
        locked.refresh_from_db()
        return apply(locked)


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
    source = Status(locked.status)
    target = rule.target_from(source)
    issued_before = _last_document(locked)
    extra = _apply_in_official_language(locked, apply) if apply else {}
    locked.status = target
    locked.save()
    moved = {"from": source, "to": target} if target != source or rule.target else {}
    record_event(
        locked,
        rule.event,
        actor=by,
        organisation=locked.institute,
        payload={**moved, **(payload or {}), **extra},
    )
    then = _serve_on_issue(locked, by, issued_before)
    refresh_next_deadline(locked)
    if then:
        from .serving import run_then

        run_then(then)
    return locked


def _last_document(case: Case) -> int | None:
    """The case's last document before a step, when documents are served as they are issued."""
    from .serving_due import auto_service_enabled  # serving builds on this module

    if not auto_service_enabled():
        return None
    return case.documents.order_by("-pk").values_list("pk", flat=True).first() or 0


def _serve_on_issue(case: Case, by: User, issued_before: int | None) -> dict[str, Any]:
    """Issue 5 point 6: what the step issued is served at once on the parties who consented
    to electronic service (``serving_due.serve_on_issue``), after the step's own event — so that a
    step which serves its documents itself is not doubled — and in its transaction."""
    if issued_before is None:
        return {}
    from .serving_due import serve_on_issue

    return serve_on_issue(case, by=by, after=issued_before)


ACTION_LABELS = {
    "submit": gettext_lazy("Submit the application"),
    "issue_correction_notice": gettext_lazy("Issue the correction notice"),
    "submit_corrections": gettext_lazy("Submit corrections"),
    "accept": gettext_lazy("Accept"),
    "refuse": gettext_lazy("Refuse"),
    "redirect": gettext_lazy("Redirect to the competent commission"),
    "form_tribunal": gettext_lazy("Form the tribunal"),
    "replace_tribunal_member": gettext_lazy("Replace a member of the tribunal"),
    "apply_recusal": gettext_lazy("Record a recusal application"),
    "decide_recusal": gettext_lazy("Decide on recusal"),
    "confirm_service_address": gettext_lazy("Record a service address"),
    "serve_application_copy": gettext_lazy("Serve the application copy and notices"),
    "serve": gettext_lazy("Serve a document"),
    "record_delivery": gettext_lazy("Record delivery or signed receipt"),
    "file_defence": gettext_lazy("Record the defence"),
    "waive_defence_period": gettext_lazy("Waive the defence period"),
    "set_evidence_period": gettext_lazy("Set the evidence period"),
    "submit_evidence": gettext_lazy("Add evidence"),
    "add_application_evidence": gettext_lazy("Add evidence to the application"),
    "record_cross_examination": gettext_lazy("Record cross-examination"),
    "apply_claim_change": gettext_lazy("Record added or changed claims"),
    "decide_claim_change": gettext_lazy("Decide on added or changed claims"),
    "file_counter_application": gettext_lazy("Record a counter-application"),
    "decide_counter_application": gettext_lazy("Decide on the counter-application"),
    "add_party": gettext_lazy("Add a party"),
    "issue_letter": gettext_lazy("Issue a letter"),
    "decide_jurisdiction": gettext_lazy("Reject an objection to jurisdiction"),
    "schedule_hearing": gettext_lazy("Schedule a hearing"),
    "request_postponement": gettext_lazy("Record a postponement request"),
    "decide_postponement": gettext_lazy("Decide on postponement"),
    "open_hearing": gettext_lazy("Open the hearing"),
    "record_attendance": gettext_lazy("Record attendance"),
    "write_hearing_record": gettext_lazy("Write the hearing record"),
    "sign_hearing_record": gettext_lazy("Sign the hearing record"),
    "close_hearing": gettext_lazy("Close the session"),
    "deem_withdrawn": gettext_lazy("Deem the application withdrawn"),
    "entrust_mediation": gettext_lazy("Entrust mediation to a mediation organisation"),
    "record_mediation": gettext_lazy("Record a mediation attempt"),
    "issue_mediation_document": gettext_lazy("Issue the mediation document"),
    "close_by_mediation": gettext_lazy("Close by mediation"),
    "partial_award": gettext_lazy("Make a partial award"),
    "advance_execution_award": gettext_lazy("Award advance execution"),
    "award": gettext_lazy("Make the award"),
    "correct_award": gettext_lazy("Correct the award"),
    "save_award_draft": gettext_lazy("Save the award draft"),
    "submit_award_draft": gettext_lazy("Submit the award draft for review"),
    "review_award_draft": gettext_lazy("Review the award draft"),
    "issue_award_draft": gettext_lazy("Issue the award"),
    "suspend": gettext_lazy("Suspend the case"),
    "resume": gettext_lazy("Resume the case"),
    "extend": gettext_lazy("Extend the time limit"),
    "withdraw": gettext_lazy("Record the withdrawal"),
    "revoke": gettext_lazy("Revoke the case"),
    "transfer": gettext_lazy("Transfer to another commission"),
    "record_court_notice": gettext_lazy("Record a court notice"),
    "approve_closing": gettext_lazy("Approve the closing"),
    "archive": gettext_lazy("Archive the file"),
}
