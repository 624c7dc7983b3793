"""Clocks that stop and stretch, and the closings other than by award or mediation.

* Suspension (中止, 办案规则 art. 47) pauses the 45-day award clock; on resumption the suspended
  days are not counted (办案规则 art. 46) and the derivation says so.
* Extension (延长审理期限, LDMAL art. 43; 办案规则 art. 45): at most 15 days in all, approved by
  the head before the time limit runs out, with written notice.
* Withdrawal (撤回, 办案规则 art. 35), revocation (撤销案件, 办案规则 art. 32) and transfer
  (移送, 办案规则 art. 9), each with its 决定书. Every closing ends every running clock.

Each service checks who may act before reading the input, then runs one ``workflow.transition``
that writes the documents, the rows and the event together.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.core.events import record_event
from zhongcai.orgs.models import Organisation

from . import deadlines, services, serving
from .documents import document_issue
from .models import (
    Agent,
    Case,
    CaseDeadline,
    CaseDocument,
    ClaimItem,
    DecisionKind,
    DocumentKind,
    Extension,
    ServiceRecord,
    Status,
    Suspension,
    SuspensionReason,
)
from .taxonomy import RefusalGround
from .workflow import ensure_may_act, transition

# 办案规则 art. 32 refers to the conditions of art. 30 other than jurisdiction (4): a case
# outside this commission's jurisdiction is transferred, not revoked.
REVOCATION_GROUNDS = (
    RefusalGround.OUT_OF_SCOPE,
    RefusalGround.NO_CLEAR_CLAIM,
    RefusalGround.NOT_INTERESTED_PARTY,
)


def _required(errors: dict[str, list[str]], field: str, value: str, message: str) -> None:
    if not (value or "").strip():
        errors[field] = [message]


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# --- Suspension and resumption (办案规则 arts. 46–47) ------------------------------------------


def case_suspend(*, by: User, case: Case, reason: str, note: str = "") -> Suspension:
    """Suspend the case for one of the reasons of 办案规则 art. 47, on the head's approval.

    Issues the 中止审理通知书 and the internal approval form (secondary volume) and pauses the
    award clock from today. Refused while already suspended (workflow guard).
    """
    ensure_may_act(by, case, "suspend")
    errors: dict[str, list[str]] = {}
    if reason not in SuspensionReason.values:
        errors["reason"] = [_("Choose the reason for suspension (办案规则 art. 47).")]
    elif reason == SuspensionReason.OTHER:
        _required(errors, "note", note, _("Say which other legal reason applies."))
    _raise(errors)
    holder: dict[str, Suspension] = {}

    def apply(locked: Case) -> dict[str, Any]:
        now = timezone.now()
        today = timezone.localdate(now)
        label = SuspensionReason(reason).label
        form = document_issue(
            case=locked,
            kind=DocumentKind.APPROVAL_FORM,
            title=_("Approval form: suspension of the case"),
            by=by,
            body=f"{label}\n{note}".strip(),
            data={"reason": reason, "approved_on": today.isoformat()},
            template="suspension_approval",
        )
        notice = document_issue(
            case=locked,
            kind=DocumentKind.SUSPENSION_NOTICE,
            title=_("Notice of suspension"),
            by=by,
            body=f"{label}\n{note}".strip(),
            data={"reason": reason, "from": today.isoformat()},
        )
        holder["suspension"] = Suspension.objects.create(
            case=locked,
            reason=reason,
            note=note.strip(),
            started_on=today,
            approved_at=now,
            approved_by=by,
            document=notice,
        )
        locked.suspended = True
        clock = deadlines.pause_award_clock(locked, on=today)
        return {
            "suspension": holder["suspension"].pk,
            "reason": reason,
            "note": note.strip(),
            "document": notice.pk,
            "approval_form": form.pk,
            "paused_on": today.isoformat() if clock else None,
        }

    transition(case, "suspend", by=by, apply=apply)
    return holder["suspension"]


def _end_suspension(locked: Case, by: User, today: date) -> tuple[Suspension | None, int]:
    """Close the open suspension and let the award clock run again; returns the days excluded."""
    suspension = locked.suspensions.select_for_update().filter(ended_on__isnull=True).first()
    _clock, days = deadlines.resume_award_clock(locked, on=today)
    if suspension is not None:
        suspension.ended_on, suspension.ended_by, suspension.excluded_days = today, by, days
        suspension.save(update_fields=["ended_on", "ended_by", "excluded_days"])
    locked.suspended = False
    return suspension, days


def case_resume(*, by: User, case: Case, note: str = "") -> Suspension:
    """The cause of the suspension ended: the 恢复审理通知书 is issued and the award clock runs
    again, the suspended days not counted in the 45 (办案规则 art. 46)."""
    ensure_may_act(by, case, "resume")
    holder: dict[str, Suspension] = {}

    def apply(locked: Case) -> dict[str, Any]:
        today = timezone.localdate()
        suspension, days = _end_suspension(locked, by, today)
        if suspension is None:
            raise ValidationError({"note": [_("The case has no open suspension.")]})
        holder["suspension"] = suspension
        notice = document_issue(
            case=locked,
            kind=DocumentKind.RESUMPTION_NOTICE,
            title=_("Notice of resumption"),
            by=by,
            body=note.strip(),
            data={"suspended_from": suspension.started_on.isoformat(), "until": today.isoformat()},
        )
        clock = deadlines.award_clock(locked)
        return {
            "suspension": suspension.pk,
            "excluded_days": days,
            "suspended_from": suspension.started_on.isoformat(),
            "note": note.strip(),
            "document": notice.pk,
            "award_due_on": clock.due_on.isoformat() if clock else None,
        }

    transition(case, "resume", by=by, apply=apply)
    return holder["suspension"]


# --- Extension (LDMAL art. 43; 办案规则 art. 45) -----------------------------------------------


def case_extend(*, by: User, case: Case, days: int, reasons: str) -> Extension:
    """Extend the award time limit by ``days``: at most 15 in all, approved on or before the
    due date, with the 延长审理期限通知书 and the internal approval form. Not while suspended
    (workflow guard): a paused clock has no due date to extend."""
    ensure_may_act(by, case, "extend")
    errors: dict[str, list[str]] = {}
    _required(errors, "reasons", reasons, _("An extension states its reasons."))
    if not isinstance(days, int) or days < 1:
        errors["days"] = [_("Give a number of days, at least 1.")]
    _raise(errors)
    holder: dict[str, Extension] = {}

    def apply(locked: Case) -> dict[str, Any]:
        now = timezone.now()
        today = timezone.localdate(now)
        try:
            clock = deadlines.extend_award_clock(locked, days=days, on=today)
        except ValueError as exc:
            raise ValidationError({"days": [str(exc)]}) from exc
        form = document_issue(
            case=locked,
            kind=DocumentKind.APPROVAL_FORM,
            title=_("Approval form: extension of the time limit"),
            by=by,
            body=reasons.strip(),
            data={"days": days, "approved_on": today.isoformat()},
            template="extension_approval",
        )
        notice = document_issue(
            case=locked,
            kind=DocumentKind.EXTENSION_NOTICE,
            title=_("Notice of extension of the time limit"),
            by=by,
            body=reasons.strip(),
            data={"days": days, "due_on": clock.due_on.isoformat()},
        )
        holder["extension"] = Extension.objects.create(
            case=locked,
            days=days,
            reasons=reasons.strip(),
            approved_at=now,
            approved_by=by,
            document=notice,
        )
        return {
            "extension": holder["extension"].pk,
            "days": days,
            "extension_days": clock.extension_days,
            "reasons": reasons.strip(),
            "document": notice.pk,
            "approval_form": form.pk,
            "award_due_on": clock.due_on.isoformat(),
        }

    transition(case, "extend", by=by, apply=apply)
    return holder["extension"]


# --- Closings other than by award or mediation ------------------------------------------------


def end_every_clock(locked: Case, by: User) -> None:
    """A closing ends the case's procedure: every clock still running (or paused) stops, the
    award clock included (CANCELLED: there will be no award), and an open suspension ends."""
    today = timezone.localdate()
    if locked.suspended:
        _end_suspension(locked, by, today)
    # Every code the case has running, declared or not: party windows and paused clocks too.
    codes = locked.deadlines.filter(
        state__in=[CaseDeadline.State.OPEN, CaseDeadline.State.PAUSED]
    ).values_list("code", flat=True)
    deadlines.close_deadlines(locked, sorted(set(codes)), state=CaseDeadline.State.CANCELLED)
    locked.closed_at = timezone.now()


def _decision(
    locked: Case, by: User | None, kind: DecisionKind, body: str, **data: Any
) -> CaseDocument:
    titles = {
        DecisionKind.WITHDRAWAL: _("Decision: withdrawal of the application"),
        DecisionKind.REVOCATION: _("Decision: revocation of the case"),
        DecisionKind.TRANSFER: _("Decision: transfer of the case"),
    }
    return document_issue(
        case=locked,
        kind=DocumentKind.DECISION,
        decision_kind=kind,
        title=titles[kind],
        by=by,
        body=body,
        data=data,
    )


def case_withdraw(*, by: User, case: Case, reasons: str = "") -> Case:
    """The applicant withdraws before the result (办案规则 art. 35): the case closes with a
    决定书, every clock stops, and a new application on the same matter must be accepted.

    The applicant may do it online (the case's owner) or staff record the written withdrawal.
    """
    ensure_may_act(by, case, "withdraw")

    def apply(locked: Case) -> dict[str, Any]:
        end_every_clock(locked, by)
        # Online, the applicant's own act: the decision is the system's record of it.
        decision = _decision(
            locked,
            None if by.is_public else by,
            DecisionKind.WITHDRAWAL,
            reasons.strip(),
            reapplication_allowed=True,
        )
        return {
            "document": decision.pk,
            "reasons": reasons.strip(),
            "reapplication_allowed": True,
            "closed_at": locked.closed_at.isoformat() if locked.closed_at else None,
        }

    return transition(case, "withdraw", by=by, apply=apply)


def case_revoke(*, by: User, case: Case, ground: str, reasons: str) -> Case:
    """Revoke a case that should not have been accepted (办案规则 art. 32, on the grounds of
    art. 30(1)–(3)): the 决定书 must reach the parties within 5 working days of the decision,
    a clock closed when the decision is served on every party."""
    ensure_may_act(by, case, "revoke")
    errors: dict[str, list[str]] = {}
    if ground not in REVOCATION_GROUNDS:
        errors["ground"] = [_("Choose the ground of 办案规则 art. 30(1)–(3) that fails.")]
    _required(errors, "reasons", reasons, _("A revocation states its reasons."))
    _raise(errors)

    def apply(locked: Case) -> dict[str, Any]:
        end_every_clock(locked, by)
        decision = _decision(locked, by, DecisionKind.REVOCATION, reasons.strip(), ground=ground)
        clock = deadlines.open_deadline(locked, "revocation_notice", timezone.localdate())
        return {
            "document": decision.pk,
            "ground": ground,
            "reasons": reasons.strip(),
            "notice_due_on": clock.due_on.isoformat(),
            "closed_at": locked.closed_at.isoformat() if locked.closed_at else None,
        }

    return transition(case, "revoke", by=by, apply=apply)


@serving.on_served(DocumentKind.DECISION)
def _revocation_served(record: ServiceRecord) -> dict[str, Any]:
    """The revocation decision reached every party: its notification clock is met."""
    document = record.document
    if document.decision_kind != DecisionKind.REVOCATION:
        return {}
    served = set(
        document.services.filter(deemed_served_on__isnull=False).values_list("party", flat=True)
    )
    parties = set(record.case.parties.values_list("pk", flat=True))
    if not parties <= served:
        return {}
    late = deadlines.close_deadlines(
        record.case, ["revocation_notice"], state=CaseDeadline.State.MET
    )
    return {"revocation_notified": True, "revocation_notified_late": bool(late)}


def transfer_targets(case: Case) -> list[Organisation]:
    """Active commissions of the case's province other than its own, each with an institute."""
    return list(
        Organisation.objects.filter(
            type=Organisation.Type.COMMISSION,
            is_active=True,
            division__code__startswith=case.commission.division_id[:2],
            children__type=Organisation.Type.ARBITRATION_INSTITUTE,
            children__is_active=True,
        )
        .exclude(pk=case.commission_id)
        .distinct()
        .order_by("division_id", "name")
    )


def _copy_file(source: Case, target: Case) -> None:
    """The parties with their agents and the claims, as they stand in the transferred case."""
    for party in source.parties.order_by("pk").prefetch_related("agents"):
        agents = list(party.agents.all())
        party.pk = party.id = None
        party.case = target
        party.save(force_insert=True)
        for agent in agents:
            agent.pk = agent.id = None
            agent.party = party
        Agent.objects.bulk_create(agents)
    claims = list(source.claims.order_by("number"))
    for claim in claims:
        claim.pk = claim.id = None
        claim.case = target
    ClaimItem.objects.bulk_create(claims)


COPIED_FIELDS = (
    "category", "personnel_subtype", "causes", "primary_cause", "facts_and_reasons",
    "evidence_summary", "workplace_division_id", "not_labor_flags", "collective", "simplified",
    "public_hearing", "channel", "origin", "owner_id", "major",
)  # fmt: skip


def _open_transferred_case(source: Case, to: Organisation, by: User) -> Case:
    """The receiving commission's own case (办案规则 art. 9: it must accept): received now,
    its 5-day acceptance clock running; its 45 days will run from its own acceptance
    (办案规则 art. 46(5))."""
    institute = services.institute_of(to)
    target = Case(
        commission=to,
        institute=institute,
        status=Status.RECEIVED,
        created_by=by,
        transferred_from=source,
        received_at=timezone.now(),
        **{name: getattr(source, name) for name in COPIED_FIELDS},
    )
    target.save()
    _copy_file(source, target)
    receipt, receipt_document = services._issue_receipt(
        target,
        by,
        _("Case transferred by %(commission)s (%(number)s)")
        % {"commission": source.commission.name, "number": source.case_number},
    )
    started = services._start_acceptance_clock(target)
    target.save()
    record_event(
        target,
        "case.received",
        actor=by,
        organisation=institute,
        payload={
            "to": Status.RECEIVED,
            "channel": target.channel,
            "commission": to.pk,
            "institute": institute.pk,
            "receipt": receipt.number,
            "document": receipt_document.pk,
            "received_at": target.received_at.isoformat() if target.received_at else None,
            "transferred_from": source.pk,
            "from_case_number": source.case_number,
            "from_commission": source.commission_id,
            "from_name": source.commission.name,
            **started,
        },
    )
    deadlines.refresh_next_deadline(target)
    return target


def case_transfer(*, by: User, case: Case, to: Organisation | None, reasons: str) -> Case:
    """Transfer the case to the competent commission (办案规则 art. 9, or 10 when an objection to
    jurisdiction is upheld): a 决定书 and the 案件移送函, this case closed, and a new case opened
    at the receiving commission with this one's parties, claims and history linked.

    Returns the new case.
    """
    ensure_may_act(by, case, "transfer")
    errors: dict[str, list[str]] = {}
    if to is None or to.pk not in {org.pk for org in transfer_targets(case)}:
        errors["to"] = [_("Choose another active arbitration commission of the province.")]
    _required(errors, "reasons", reasons, _("Say why the other commission is competent."))
    _raise(errors)
    target: Organisation = to  # type: ignore[assignment]  # checked just above
    holder: dict[str, Case] = {}

    def apply(locked: Case) -> dict[str, Any]:
        end_every_clock(locked, by)
        decision = _decision(
            locked, by, DecisionKind.TRANSFER, reasons.strip(), to_commission=target.pk
        )
        new = _open_transferred_case(locked, target, by)
        letter = document_issue(
            case=locked,
            kind=DocumentKind.TRANSFER_LETTER,
            title=_("Transfer letter to %(commission)s") % {"commission": target.name},
            by=by,
            body=reasons.strip(),
            data={"to_commission": target.pk, "new_case": new.pk},
        )
        holder["new"] = new
        return {
            "document": decision.pk,
            "letter": letter.pk,
            "to_commission": target.pk,
            "to_name": target.name,
            "new_case": new.pk,
            "reasons": reasons.strip(),
            "closed_at": locked.closed_at.isoformat() if locked.closed_at else None,
        }

    transition(case, "transfer", by=by, apply=apply)
    return holder["new"]


__all__ = [
    "REVOCATION_GROUNDS",
    "case_extend",
    "case_resume",
    "case_revoke",
    "case_suspend",
    "case_transfer",
    "case_withdraw",
    "end_every_clock",
    "transfer_targets",
]
