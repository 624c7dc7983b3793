"""The award as a draft: written by the tribunal, reviewed, then issued (issue 5 point 3).

One open draft per case and kind of award (full, partial, advance execution). The tribunal saves
it as often as it likes, structured items (the dicts ``award.award_make`` takes) and free text;
what is there must be right, but it may be incomplete. Submitting checks it as the award step
will (``award.check_award``). The institute head, or the presiding arbitrator of a three-member
tribunal, approves it or returns it with a note; nobody reviews a draft they submitted. Issuing
makes the award from exactly the approved content (``award_make``, ``award_partial``,
``award_advance_execution``: the 裁决书 is numbered, frozen and its event written there) and
freezes the draft, which then names its award.

Every save counts a ``version``. A save, submission, review or issue names the version its
author saw; an older one is refused (``StaleDraft``), so two arbitrators editing at once never
overwrite each other and nobody approves or issues a text they have not read. A save after
approval sends the draft back to review. Each step locks the case row first (``transition``),
which serializes them; each writes its event.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.orgs.models import Person

from . import award as awards
from . import award_text, finality
from .models import (
    Award,
    AwardDraft,
    Case,
    DocumentKind,
    MinimumWage,
    Party,
    TribunalKind,
    TribunalMember,
)
from .workflow import TRANSITIONS, TransitionError, ensure_may_act, transition

State = AwardDraft.State
Kind = Award.Kind

# The step that makes an award of each kind, whose states the draft of that kind is written in.
ISSUING = {
    Kind.FULL: "award",
    Kind.PARTIAL: "partial_award",
    Kind.ADVANCE_EXECUTION: "advance_execution_award",
}
SAMPLE_NOTE = "样稿（未签发）"


class StaleDraft(TransitionError):
    """The draft changed since the version its author read: nothing was written."""


def open_draft(case: Case, kind: str) -> AwardDraft | None:
    """The draft of ``kind`` not yet issued, if any."""
    return (
        AwardDraft.objects.filter(case=case, kind=kind)
        .exclude(state=State.ISSUED)
        .select_related("dissenting", "applicant", "updated_by", "submitted_by", "reviewed_by")
        .first()
    )


def open_drafts(case: Case) -> dict[str, AwardDraft]:
    rows = (
        AwardDraft.objects.filter(case=case)
        .exclude(state=State.ISSUED)
        .select_related("dissenting", "applicant", "updated_by", "submitted_by", "reviewed_by")
    )
    return {draft.kind: draft for draft in rows}


def _kind(kind: str) -> str:
    if kind not in Kind.values:
        raise ValidationError({"kind": [_("Choose the kind of award.")]})
    return kind


def _ensure_stage(case: Case, kind: str) -> None:
    step = ISSUING[kind]
    if case.status not in TRANSITIONS[step].sources:
        raise TransitionError(
            _("The case is “%(status)s”: a “%(kind)s” cannot be drafted in that state.")
            % {"status": case.get_status_display(), "kind": Kind(kind).label}
        )


def _stale(draft: AwardDraft | None, version: int) -> StaleDraft:
    current = draft.version if draft else 0
    by = draft.updated_by if draft else None
    return StaleDraft(
        _(
            "The award draft was changed by %(by)s since you opened it (version %(seen)d; it "
            "is now version %(current)d): nothing was written. Open it again, and make your "
            "changes on the current text."
        )
        % {"by": by or _("someone"), "seen": version, "current": current}
    )


def _locked(case: Case, draft: AwardDraft, version: int) -> AwardDraft:
    locked = (
        AwardDraft.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .get(pk=draft.pk)
    )
    if locked.case_id != case.pk:
        raise PermissionDenied(_("You may not take this step on this case."))
    if locked.version != version:
        raise _stale(locked, version)
    return locked


def _stored_items(rows: Sequence[awards._Row], raw: Sequence[dict[str, Any]]) -> list[dict]:
    """The items as JSON: ids and strings, in the shape the award step takes."""
    return [
        {
            "claim": row.claim.pk if row.claim else None,
            "claim_class": (item.get("claim_class") or ""),
            "outcome": row.outcome,
            "ruling": row.ruling,
            "obligor": row.obligor.pk if row.obligor else None,
            "obligee": row.obligee.pk if row.obligee else None,
            "amount": str(row.amount) if row.amount is not None else None,
            "perform_within_days": row.perform_within_days,
        }
        for row, item in zip(rows, raw, strict=True)
    ]


def _check_people(
    case: Case, kind: str, dissent: str, dissenting: Person | None, applicant: Party | None
) -> None:
    """What a draft names must be right even when it is not complete."""
    if kind == Kind.ADVANCE_EXECUTION:
        if applicant is not None and (
            applicant.case_id != case.pk or applicant.kind != Party.Kind.WORKER
        ):
            raise ValidationError(
                {"applicant": [_("Advance execution is awarded on a worker's application.")]}
            )
        return
    if (dissent.strip() or dissenting is not None) and case.tribunal_kind != TribunalKind.THREE:
        raise ValidationError({"dissent": [_("A sole arbitrator's award has no dissent.")]})
    if dissenting is not None:
        seated = TribunalMember.objects.filter(
            case=case, person=dissenting, ended_at__isnull=True
        ).exclude(seat=TribunalMember.Seat.RECORDER)
        if not seated.exists():
            raise ValidationError(
                {"dissenting": [_("The dissenting arbitrator must sit on this case's tribunal.")]}
            )


def _payload(draft: AwardDraft, **more: Any) -> dict[str, Any]:
    return {"draft": draft.pk, "kind": draft.kind, "version": draft.version, **more}


@transaction.atomic
def award_draft_save(
    *,
    by: User,
    case: Case,
    kind: str,
    version: int,
    items: Sequence[dict[str, Any]],
    facts: str = "",
    reasoning: str = "",
    legal_basis: str = "",
    defence_summary: str = "",
    dissent: str = "",
    dissenting: Person | None = None,
    applicant: Party | None = None,
) -> AwardDraft:
    """Write the draft of ``kind`` (a new one with ``version`` 0). In-stage step, by a member of
    the tribunal, while the award of that kind may be made (LDMAL arts. 43–44: a partial award
    from the hearing on, advance execution while the case is open, the award in deliberation).
    Checks what is written (``award._clean_items`` without completeness); refuses a stale
    ``version``. A save of a submitted or approved draft takes it back: review starts again."""
    ensure_may_act(by, case, "save_award_draft")
    kind = _kind(kind)
    advance = kind == Kind.ADVANCE_EXECUTION
    rows = awards._clean_items(case, items, money_only=advance, complete=False)
    _check_people(case, kind, dissent, dissenting, applicant)
    holder: dict[str, AwardDraft] = {}

    def apply(locked_case: Case) -> dict[str, Any]:
        _ensure_stage(locked_case, kind)
        current = (
            AwardDraft.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .filter(case=locked_case, kind=kind)
            .exclude(state=State.ISSUED)
            .first()
        )
        if (current.version if current else 0) != version:
            raise _stale(current, version)
        draft = current or AwardDraft(case=locked_case, kind=kind, version=0)
        reset = draft.state in (State.SUBMITTED, State.APPROVED)
        if draft.state == State.APPROVED:
            draft.reviewed_at, draft.reviewed_by, draft.review_note = None, None, ""
        draft.state = State.DRAFT
        draft.items = _stored_items(rows, items)
        draft.facts = facts.strip()
        draft.reasoning = reasoning.strip()
        draft.legal_basis = legal_basis.strip()
        draft.defence_summary = defence_summary.strip()
        draft.dissent = "" if advance else dissent.strip()
        draft.dissenting = None if advance else dissenting
        draft.applicant = applicant if advance else None
        draft.version += 1
        draft.updated_at = timezone.now()
        draft.updated_by = by
        draft.save()
        holder["draft"] = draft
        return _payload(
            draft, item_count=len(rows), **({"review_restarted": True} if reset else {})
        )

    transition(case, "save_award_draft", by=by, apply=apply)
    return holder["draft"]


def draft_arguments(draft: AwardDraft) -> dict[str, Any]:
    """What the award step of the draft's kind takes, from the draft."""
    if draft.kind == Kind.ADVANCE_EXECUTION:
        return {
            "applicant": draft.applicant,
            "items": draft.items,
            "grounds": draft.reasoning,
            "legal_basis": draft.legal_basis,
            "defence_summary": draft.defence_summary,
        }
    return {
        "items": draft.items,
        "facts": draft.facts,
        "reasoning": draft.reasoning,
        "legal_basis": draft.legal_basis,
        "dissent": draft.dissent,
        "dissenting": draft.dissenting,
        "defence_summary": draft.defence_summary,
    }


def _check_complete(case: Case, draft: AwardDraft) -> None:
    arguments = draft_arguments(draft)
    awards.check_award(
        case,
        kind=draft.kind,
        items=arguments["items"],
        facts=arguments.get("facts", ""),
        reasoning=arguments.get("reasoning", arguments.get("grounds", "")),
        legal_basis=arguments["legal_basis"],
        dissent=arguments.get("dissent", ""),
        dissenting=arguments.get("dissenting"),
        applicant=arguments.get("applicant"),
    )


@transaction.atomic
def award_draft_submit(*, by: User, case: Case, draft: AwardDraft, version: int) -> AwardDraft:
    """Submit the draft for review: by a member of the tribunal, from draft or returned. The
    draft must be complete as the award step will check it (every claim ruled on, facts,
    reasons and legal basis)."""
    ensure_may_act(by, case, "submit_award_draft")
    holder: dict[str, AwardDraft] = {}

    def apply(locked_case: Case) -> dict[str, Any]:
        locked = _locked(locked_case, draft, version)
        if locked.state not in (State.DRAFT, State.RETURNED):
            raise TransitionError(
                _("The award draft is “%(state)s”: it cannot be submitted.")
                % {"state": locked.get_state_display()}
            )
        _ensure_stage(locked_case, locked.kind)
        _check_complete(locked_case, locked)
        locked.state = State.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = by
        locked.save()
        holder["draft"] = locked
        return _payload(locked)

    transition(case, "submit_award_draft", by=by, apply=apply)
    return holder["draft"]


@transaction.atomic
def award_draft_review(
    *, by: User, case: Case, draft: AwardDraft, version: int, approve: bool, note: str = ""
) -> AwardDraft:
    """Approve the submitted draft, or return it with a note saying what must change. By the
    institute head or the presiding arbitrator; never by whoever submitted it."""
    ensure_may_act(by, case, "review_award_draft")
    if not approve and not note.strip():
        raise ValidationError({"note": [_("Say what must change before the draft is returned.")]})
    holder: dict[str, AwardDraft] = {}

    def apply(locked_case: Case) -> dict[str, Any]:
        locked = _locked(locked_case, draft, version)
        if locked.state != State.SUBMITTED:
            raise TransitionError(
                _("The award draft is “%(state)s”: only a submitted draft is reviewed.")
                % {"state": locked.get_state_display()}
            )
        if locked.submitted_by_id == by.pk:
            raise PermissionDenied(
                _("Someone other than the arbitrator who submitted the draft reviews it.")
            )
        locked.state = State.APPROVED if approve else State.RETURNED
        locked.review_note = note.strip()
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = by
        locked.save()
        holder["draft"] = locked
        return _payload(locked, approved=approve, **({"note": locked.review_note} if note else {}))

    transition(case, "review_award_draft", by=by, apply=apply)
    return holder["draft"]


@transaction.atomic
def award_draft_issue(*, by: User, case: Case, draft: AwardDraft, version: int) -> Award:
    """Issue the approved draft as it was approved: by a member of the tribunal. Writes this
    step's event, then makes the award of the draft's kind from the draft's content (the award
    step numbers and freezes the 裁决书 and writes its own event); the draft is frozen and names
    its award. Anything the award step refuses rolls back both."""
    ensure_may_act(by, case, "issue_award_draft")
    holder: dict[str, AwardDraft] = {}

    def apply(locked_case: Case) -> dict[str, Any]:
        locked = _locked(locked_case, draft, version)
        if locked.state != State.APPROVED:
            raise TransitionError(
                _("The award draft is “%(state)s”: only an approved draft is issued.")
                % {"state": locked.get_state_display()}
            )
        locked.state = State.ISSUED
        locked.save()
        holder["draft"] = locked
        return _payload(locked)

    transition(case, "issue_award_draft", by=by, apply=apply)
    issued = holder["draft"]
    make = {
        Kind.FULL: awards.award_make,
        Kind.PARTIAL: awards.award_partial,
        Kind.ADVANCE_EXECUTION: awards.award_advance_execution,
    }[Kind(issued.kind)]
    made = make(by=by, case=case, **draft_arguments(issued))  # type: ignore[operator]
    issued.award = made
    issued.save(update_fields=["award"])
    return made


# --- The draft as it would be issued -------------------------------------------------------------


def _results(
    rows: list[awards._Row], kind: str, wage: MinimumWage | None
) -> list[finality.ItemFinality | None]:
    """Each item's finality as the award would state it today; None while it cannot be told
    (no outcome yet, or no minimum wage entered for a money item)."""
    if kind == Kind.ADVANCE_EXECUTION:
        return list(awards._advance_result(rows))
    standard = awards.standard_of(wage) if wage else None
    rejected_final = finality.rejected_money_item_is_final()
    results: list[finality.ItemFinality | None] = []
    for row in rows:
        if not row.outcome:
            results.append(None)
            continue
        try:
            results.append(
                finality.item_finality(
                    finality.Ruling(row.claim_class, row.outcome, row.amount, row.by_worker),
                    standard,
                    rejected_money_is_final=rejected_final,
                )
            )
        except ValueError:
            results.append(None)
    return results


def draft_sections(draft: AwardDraft) -> tuple[dict[str, Any], str]:
    """The sections of the 裁决书 the draft would make today, and its plain text."""
    case = draft.case
    kind = draft.kind
    try:
        rows = awards._clean_items(
            case, draft.items, money_only=kind == Kind.ADVANCE_EXECUTION, complete=False
        )
    except ValidationError:  # a claim or party removed since the draft was saved
        rows = []
    today = timezone.localdate()
    wage = (
        None
        if kind == Kind.ADVANCE_EXECUTION
        else awards.minimum_wage_for(case.commission.division_id, today)
    )
    legal_basis = draft.legal_basis
    if kind == Kind.ADVANCE_EXECUTION and not legal_basis:
        legal_basis = awards.ADVANCE_BASIS
    sections = award_text.award_sections(
        case,
        kind=kind,
        rows=rows,
        results=_results(rows, kind, wage),
        wage=wage,
        facts=draft.facts,
        reasoning=draft.reasoning,
        legal_basis=legal_basis,
        defence_summary=draft.defence_summary,
        dissenting=draft.dissenting if draft.dissent else None,
        applicant=draft.applicant,
    )
    body = award_text.award_body(case, awards.TITLES[kind], sections, made_on=today)
    return sections, body


def draft_preview(draft: AwardDraft) -> list[Any]:
    """The draft's document as it would be issued today, marked as a sample (样稿): the blocks
    of the award template in force, from the draft's content."""
    from zhongcai.documents import catalogue, compose
    from zhongcai.documents.markup import Block

    # The catalogue has a template for each kind of award: "award", "award_partial", …
    entry = catalogue.template_for(DocumentKind.AWARD, draft.kind) or catalogue.template("award")
    sections, body = draft_sections(draft)
    data = {
        "award_kind": draft.kind,
        "variant": draft.kind,
        "sections": sections,
        "draft": draft.pk,
        "draft_version": draft.version,
    }
    blocks = compose.preview(draft.case, entry.code, data=data, body=body)
    return [Block("note", SAMPLE_NOTE), *blocks]


def draft_preview_pdf(draft: AwardDraft) -> bytes:
    """The sample as PDF: no seal, no signature; it is not a document of the commission."""
    from zhongcai.documents.render import to_pdf

    return to_pdf(draft_preview(draft), title=f"{awards.TITLES[draft.kind]}（{SAMPLE_NOTE}）")
