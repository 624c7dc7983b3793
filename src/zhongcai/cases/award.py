"""Mediation inside arbitration, the award with its per-item finality, and its correction.

* 先行调解 (LDMAL art. 42; 办案规则 arts. 68–72): the tribunal records each mediation attempt; no
  award is made before one is recorded (the ``award`` step's guard). An agreement becomes a 调解书
  that takes effect only when both sides sign its receipt: the service hook below closes the case
  then, and a refusal to sign means mediation failed and the case goes on to an award.
* The award (LDMAL arts. 43–47; 办案规则 arts. 49–53): every claim is ruled on; each item is final
  or not by ``finality`` against the minimum wage in force for the commission's division on the
  day of the award (``minimum_wage_for``; never a guessed tier); the 裁决书 states the finality of
  each item and the rights that follow. Partial (先行裁决, art. 43 para. 2) and advance-execution
  (先予执行, art. 44) awards are awards of their kind that leave the case open.
* A correction (办案规则 art. 54) is a 决定书 that names the award; the award is never edited.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.documents.chinese import figure_date
from zhongcai.orgs.models import Person

from . import award_text, finality, serving
from .deadlines import close_deadlines
from .documents import document_issue
from .models import (
    OPEN_STATES,
    Award,
    AwardItem,
    Case,
    CaseDeadline,
    CaseDocument,
    ClaimClass,
    ClaimItem,
    DecisionKind,
    DocumentKind,
    MediationAttempt,
    MinimumWage,
    Party,
    ServiceRecord,
    TribunalKind,
    TribunalMember,
)
from .postaward import WINDOW_CODES, post_award_on_making
from .taxonomy import MONEY_CLAIMS
from .workflow import TransitionError, ensure_may_act, transition

# --- The minimum wage ---------------------------------------------------------------------------


def division_chain(code: str) -> list[str]:
    """A county, its city, its province (GB/T 2260 codes: 370102 → 370100 → 370000)."""
    return list(dict.fromkeys([code, f"{code[:4]}00", f"{code[:2]}0000"]))


def minimum_wage_for(division_code: str, on_date: date) -> MinimumWage | None:
    """The standard in force on ``on_date`` for the division: its own row, else its city's, else
    its province's; of each, the latest that took effect on or before the date."""
    chain = division_chain(division_code)
    found: dict[str, MinimumWage] = {}
    for row in (
        MinimumWage.objects.filter(division_id__in=chain, effective_from__lte=on_date)
        .select_related("division")
        .order_by("-effective_from")
    ):
        found.setdefault(row.division_id, row)
    return next((found[code] for code in chain if code in found), None)


def missing_minimum_wage(case: Case, on_date: date) -> str:
    return _(
        "No minimum wage standard is recorded for %(division)s, its city or its province on "
        "%(date)s, so the finality of the award cannot be determined: an administrator must "
        "enter the standard in force (Administration › Minimum wages) first."
    ) % {"division": case.commission.division_id, "date": on_date.isoformat()}


def standard_of(row: MinimumWage) -> finality.WageStandard:
    return finality.WageStandard(
        monthly=row.monthly, place=row.division.name, effective_from=row.effective_from
    )


# --- Mediation ----------------------------------------------------------------------------------


@transaction.atomic
def mediation_attempt_record(
    *, by: User, case: Case, outcome: str, note: str = ""
) -> MediationAttempt:
    """先行调解 (LDMAL art. 42; 办案规则 art. 68): the tribunal mediated, with this outcome."""
    ensure_may_act(by, case, "record_mediation")
    if outcome not in MediationAttempt.Outcome.values:
        raise ValidationError({"outcome": [_("Choose the outcome of the mediation.")]})
    holder: dict[str, MediationAttempt] = {}

    def apply(locked: Case) -> dict[str, Any]:
        attempt = MediationAttempt.objects.create(
            case=locked,
            outcome=outcome,
            note=note.strip(),
            recorded_at=timezone.now(),
            recorded_by=by,
        )
        holder["attempt"] = attempt
        return {"mediation_attempt": attempt.pk, "outcome": outcome}

    transition(case, "record_mediation", by=by, apply=apply)
    return holder["attempt"]


def latest_mediation_document(case: Case) -> CaseDocument | None:
    return (
        case.documents.filter(kind=DocumentKind.MEDIATION_DOCUMENT)
        .order_by("-issued_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class Signatures:
    """Who signed the receipt of a 调解书 and who refused (LDMAL art. 42)."""

    signed: frozenset[int]
    refused: frozenset[int]
    needed: frozenset[int]

    @property
    def complete(self) -> bool:
        return not self.refused and self.needed <= self.signed

    @property
    def failed(self) -> bool:
        return bool(self.refused)


def signatures_of(case: Case, document: CaseDocument) -> Signatures:
    records = list(document.services.all())
    parties = case.parties.filter(role__in=[Party.Role.APPLICANT, Party.Role.RESPONDENT])
    return Signatures(
        signed=frozenset(r.party_id for r in records if r.signed_at),
        refused=frozenset(r.party_id for r in records if r.refused and not r.signed_at),
        needed=frozenset(parties.values_list("pk", flat=True)),
    )


def _numbered(lines: Iterable[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip()]


@transaction.atomic
def mediation_document_issue(
    *, by: User, case: Case, agreement: str | Sequence[str]
) -> CaseDocument:
    """调解书 (LDMAL art. 42; 办案规则 art. 72): the claims and what the parties agreed, signed by
    the tribunal. It takes effect only on both sides' signed receipt; serve it, and the case
    closes when the last signature is recorded."""
    ensure_may_act(by, case, "issue_mediation_document")
    items = _numbered(agreement.splitlines() if isinstance(agreement, str) else agreement)
    if not items:
        raise ValidationError({"agreement": [_("Write what the parties agreed, one item a line.")]})
    holder: dict[str, CaseDocument] = {}

    def apply(locked: Case) -> dict[str, Any]:
        last = locked.mediation_attempts.order_by("-recorded_at", "-pk").first()
        if last is None or last.outcome != MediationAttempt.Outcome.AGREED:
            raise TransitionError(
                _("Record the mediation attempt that reached agreement before the 调解书.")
            )
        sections = award_text.mediation_sections(locked, items)
        document = document_issue(
            case=locked,
            kind=DocumentKind.MEDIATION_DOCUMENT,
            title="调解书",
            by=by,
            body=award_text.mediation_body(locked, sections, day=timezone.localdate()),
            data={"agreement": items, "mediation_attempt": last.pk, "sections": sections},
        )
        holder["document"] = document
        return {"document": document.pk, "items": items}

    transition(case, "issue_mediation_document", by=by, apply=apply)
    return holder["document"]


@serving.on_served(DocumentKind.MEDIATION_DOCUMENT)
def _after_mediation_document(record: ServiceRecord) -> dict[str, Any]:
    """Runs when a 调解书 is served on a party and again when the party signs its receipt."""
    case = record.case
    latest = latest_mediation_document(case)
    if latest is None or latest.pk != record.document_id:
        return {}
    if record.refused and not record.signed_at:
        # LDMAL art. 42: a party who backs out before service ends the mediation; award promptly.
        return {"mediation_failed": True, "refused_by": record.party_id}
    if not record.signed_at:
        return {}
    if not signatures_of(case, latest).complete:
        return {"mediation_signed_by": record.party_id}
    by = record.recorded_by
    return {
        "mediation_signed_by": record.party_id,
        "mediation_signed_by_all": True,
        serving.THEN: [lambda: _close_when_signed(case.pk, by)],
    }


def _close_when_signed(case_pk: int, by: User) -> None:
    case = Case.objects.get(pk=case_pk)
    if case.status in OPEN_STATES:  # two signatures in one step ask twice
        mediation_close(by=by, case=case)


def _close_clocks(case: Case) -> bool:
    """The award clock is met (late or not); every other clock of the procedure stops."""
    late = close_deadlines(case, ["award"], state=CaseDeadline.State.MET)
    running = [CaseDeadline.State.OPEN, CaseDeadline.State.PAUSED]
    others = (
        case.deadlines.filter(state__in=running)
        .exclude(code__in=WINDOW_CODES)
        .values_list("code", flat=True)
    )
    close_deadlines(case, list(set(others)), state=CaseDeadline.State.CANCELLED)
    return bool(late)


@transaction.atomic
def mediation_close(*, by: User, case: Case) -> Case:
    """Closed by mediation (LDMAL art. 42): every applicant and respondent signed the receipt of
    the latest 调解书. Normally taken by the service hook on the last signature."""

    def apply(locked: Case) -> dict[str, Any]:
        document = latest_mediation_document(locked)
        if document is None or not signatures_of(locked, document).complete:
            raise TransitionError(
                _("The 调解书 takes effect only when both sides have signed its receipt.")
            )
        locked.closed_at = timezone.now()
        late = _close_clocks(locked)
        return {"document": document.pk, **({"late": True} if late else {})}

    return transition(case, "close_by_mediation", by=by, apply=apply)


# --- Awards -------------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    claim: ClaimItem | None
    claim_class: str
    outcome: str
    ruling: str
    obligor: Party | None
    obligee: Party | None
    amount: Decimal | None
    perform_within_days: int | None
    by_worker: bool


def _in_case(case: Case, model: type[Any], value: Any) -> Any:
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value if value.case_id == case.pk else False
    try:
        return model.objects.get(case=case, pk=int(value))
    except (model.DoesNotExist, TypeError, ValueError):
        return False


def _amount(value: Any) -> Decimal | bool | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return False
    return amount if amount.is_finite() and amount >= 0 else False


def _clean_items(
    case: Case,
    items: Sequence[dict[str, Any]],
    *,
    money_only: bool = False,
    complete: bool = True,
) -> list[_Row]:
    """Check every item, all problems at once (``ValidationError`` on ``items``).

    ``complete=False`` checks a draft (``award_drafts``): what is there must be right, but an
    outcome, ruling, amount or party not yet written is no problem yet.
    """
    problems: list[str] = []
    rows: list[_Row] = []
    applicant_is_worker = case.parties.filter(
        role=Party.Role.APPLICANT, kind=Party.Kind.WORKER
    ).exists()
    seen: set[int] = set()
    if not items and complete:
        raise ValidationError({"items": [_("Rule on at least one item.")]})
    for number, raw in enumerate(items, start=1):

        def problem(message: str, number: int = number) -> None:
            problems.append(_("Item %(n)d: %(problem)s") % {"n": number, "problem": message})

        claim = _in_case(case, ClaimItem, raw.get("claim"))
        obligor = _in_case(case, Party, raw.get("obligor"))
        obligee = _in_case(case, Party, raw.get("obligee"))
        amount = _amount(raw.get("amount"))
        outcome = raw.get("outcome") or ""
        ruling = (raw.get("ruling") or "").strip()
        days = raw.get("perform_within_days")
        if claim is False:
            problem(_("the claim is not one of this case's."))
            claim = None
        elif claim is not None:
            if claim.pk in seen:
                problem(_("claim %(claim)d is ruled on twice.") % {"claim": claim.number})
            seen.add(claim.pk)
        if obligor is False or obligee is False:
            problem(_("the party is not in this case."))
            obligor = obligor or None
            obligee = obligee or None
        if outcome not in AwardItem.Outcome.values and (complete or outcome):
            problem(_("choose the outcome."))
        if not ruling and complete:
            problem(_("write the ruling."))
        if amount is False:
            problem(_("the amount must be a number of yuan, not negative."))
            amount = None
        override = raw.get("claim_class") or ""
        if override and override not in ClaimClass.values:
            problem(_("unknown class of claim."))
            override = ""
        claim_class = override or (
            finality.claim_class_of(claim.type) if claim else ClaimClass.OTHER
        )
        by_worker = (
            applicant_is_worker if claim else bool(obligee and obligee.kind == Party.Kind.WORKER)
        )
        if outcome == AwardItem.Outcome.REJECTED:
            amount = None
        elif complete and outcome and claim_class == ClaimClass.MONEY and amount is None:
            problem(_("give the amount awarded."))
        if (
            complete
            and outcome
            and outcome != AwardItem.Outcome.REJECTED
            and (obligor is None or obligee is None)
        ):
            problem(_("name who must perform and for whom."))
        if money_only and (claim.type not in MONEY_CLAIMS if claim else complete):
            problem(
                _(
                    "advance execution is only for remuneration, work-injury medical costs, "
                    "economic compensation or damages (LDMAL art. 44)."
                )
            )
        if days not in (None, ""):
            try:
                days = int(days)
                if days < 0:
                    raise ValueError
            except (TypeError, ValueError):
                problem(_("the days to perform must be a whole number."))
                days = None
        else:
            days = None
        rows.append(
            _Row(
                number=number,
                claim=claim,
                claim_class=claim_class,
                outcome=outcome,
                ruling=ruling,
                obligor=obligor,
                obligee=obligee,
                amount=amount,
                perform_within_days=days,
                by_worker=by_worker,
            )
        )
    if problems:
        raise ValidationError({"items": problems})
    return rows


def _clean_dissent(case: Case, dissent: str, dissenting: Person | None) -> None:
    """LDMAL art. 45: a dissenting arbitrator's view is recorded; only a three-member tribunal has
    one."""
    if not dissent.strip() and dissenting is None:
        return
    if not dissent.strip() or dissenting is None:
        raise ValidationError(
            {"dissent": [_("Give both the dissenting arbitrator and the dissenting opinion.")]}
        )
    seated = TribunalMember.objects.filter(
        case=case, person=dissenting, ended_at__isnull=True
    ).exclude(seat=TribunalMember.Seat.RECORDER)
    if not seated.exists():
        raise ValidationError(
            {"dissenting": [_("The dissenting arbitrator must sit on this case's tribunal.")]}
        )
    if case.tribunal_kind != TribunalKind.THREE:
        raise ValidationError({"dissent": [_("A sole arbitrator's award has no dissent.")]})


def _classify(
    rows: list[_Row], standard: finality.WageStandard | None
) -> list[finality.ItemFinality]:
    rejected_final = finality.rejected_money_item_is_final()
    return [
        finality.item_finality(
            finality.Ruling(r.claim_class, r.outcome, r.amount, r.by_worker),
            standard,
            rejected_money_is_final=rejected_final,
        )
        for r in rows
    ]


def _advance_result(rows: list[_Row]) -> list[finality.ItemFinality]:
    reason = _(
        "Advance execution (LDMAL art. 44): provisional, transferred to the court for "
        "enforcement; it cannot be sued against (解释(一) art. 10)."
    )
    return [finality.ItemFinality(ClaimClass(r.claim_class), False, reason) for r in rows]


def _item_line(row: _Row, result: finality.ItemFinality) -> str:
    amount = f" · {finality.money(row.amount)}" if row.amount is not None else ""
    verdict = _("Final") if result.final else _("Non-final")
    return (
        f"{row.number}. {AwardItem.Outcome(row.outcome).label}{amount} · {verdict}: {result.reason}"
    )


def _create_award(
    locked: Case,
    *,
    by: User,
    kind: str,
    rows: list[_Row],
    results: list[finality.ItemFinality],
    wage: MinimumWage | None,
    facts: str,
    reasoning: str,
    legal_basis: str,
    dissent: str,
    dissenting: Person | None,
    defence_summary: str = "",
    applicant: Party | None = None,
    extra: dict[str, Any] | None = None,
) -> Award:
    now = timezone.now()
    overall = finality.overall_finality(r.final for r in results)
    threshold = standard_of(wage).threshold if wage else None
    # spec §5.2: the sections of the 裁决书, laid out by the catalogue template of this kind
    # (``variant``) and, as plain text, in the body.
    sections = award_text.award_sections(
        locked,
        kind=kind,
        rows=rows,
        results=results,
        wage=wage,
        facts=facts,
        reasoning=reasoning,
        legal_basis=legal_basis,
        defence_summary=defence_summary,
        dissenting=dissenting,
        applicant=applicant,
    )
    body = award_text.award_body(locked, TITLES[kind], sections, made_on=timezone.localdate(now))
    document = document_issue(
        case=locked,
        kind=DocumentKind.AWARD,
        title=TITLES[kind],
        by=by,
        body=body,
        data={
            "award_kind": kind,
            "variant": kind,
            "sections": sections,
            "finality": overall,
            "items": [
                {
                    "number": r.number,
                    "claim": r.claim.pk if r.claim else None,
                    "claim_class": res.claim_class,
                    "outcome": r.outcome,
                    "amount": str(r.amount) if r.amount is not None else None,
                    "final": res.final,
                    "finality_reason": res.reason,
                }
                for r, res in zip(rows, results, strict=True)
            ],
            "minimum_wage": str(wage.monthly) if wage else None,
            "threshold": str(threshold) if threshold is not None else None,
            **(extra or {}),
        },
    )
    award = Award.objects.create(
        case=locked,
        kind=kind,
        document=document,
        finality=overall,
        minimum_wage=wage,
        threshold=threshold,
        facts=facts,
        reasoning=reasoning,
        legal_basis=legal_basis,
        dissent=dissent.strip(),
        dissenting=dissenting,
        made_at=now,
        made_by=by,
    )
    AwardItem.objects.bulk_create(
        AwardItem(
            award=award,
            number=r.number,
            claim=r.claim,
            claim_class=res.claim_class,
            outcome=r.outcome,
            ruling=r.ruling,
            obligor=r.obligor,
            obligee=r.obligee,
            amount=r.amount,
            perform_within_days=r.perform_within_days,
            final=res.final,
            finality_reason=res.reason[:200],
        )
        for r, res in zip(rows, results, strict=True)
    )
    if dissent.strip():
        # 评议记录 (副卷): the dissent is kept with the deliberation, not printed in the award.
        document_issue(
            case=locked,
            kind=DocumentKind.DELIBERATION_RECORD,
            title="评议记录",
            by=by,
            body=f"{dissenting.name if dissenting else ''}：{dissent.strip()}",
            data={"award": award.pk, "dissenting": dissenting.pk if dissenting else None},
        )
    return award


def _award_payload(award: Award, rows: list[_Row], results: list[finality.ItemFinality]) -> dict:
    wage = award.minimum_wage
    return {
        "award": award.pk,
        "award_kind": award.kind,
        "document": award.document_id,
        "finality": award.finality,
        "minimum_wage": str(wage.monthly) if wage else None,
        "wage_division": wage.division_id if wage else None,
        "threshold": str(award.threshold) if award.threshold is not None else None,
        "dissent": bool(award.dissent),
        "items": [_item_line(r, res) for r, res in zip(rows, results, strict=True)],
    }


def _wage_in_force(locked: Case) -> MinimumWage:
    """The standard on the day of the award; refuses to go on without one (no guessed tier)."""
    today = timezone.localdate()
    wage = minimum_wage_for(locked.commission.division_id, today)
    if wage is None:
        raise TransitionError(missing_minimum_wage(locked, today))
    return wage


def _already_ruled(case: Case) -> set[int]:
    return set(
        AwardItem.objects.filter(
            award__case=case, award__kind=Award.Kind.PARTIAL, claim__isnull=False
        ).values_list("claim_id", flat=True)
    )


def check_award(
    case: Case,
    *,
    kind: str,
    items: Sequence[dict[str, Any]],
    facts: str = "",
    reasoning: str = "",
    legal_basis: str = "",
    dissent: str = "",
    dissenting: Person | None = None,
    applicant: Party | None = None,
) -> list[_Row]:
    """Everything an award of ``kind`` needs from its authors, checked before the case is
    locked (``ValidationError``); also what submitting a draft for review checks."""
    if kind == Award.Kind.ADVANCE_EXECUTION:
        return _check_advance_execution(case, applicant, items, reasoning)
    rows = _clean_items(case, items)
    if kind == Award.Kind.FULL:
        problems = {}
        if not facts.strip():
            problems["facts"] = [_("State the facts found.")]
        if not reasoning.strip():
            problems["reasoning"] = [_("Give the tribunal's reasons.")]
        if not legal_basis.strip():
            problems["legal_basis"] = [_("Cite the legal basis.")]
        if problems:
            raise ValidationError(problems)
    elif not facts.strip() or not reasoning.strip():
        raise ValidationError({"facts": [_("State the facts found and the reasons.")]})
    _clean_dissent(case, dissent, dissenting)
    if kind == Award.Kind.FULL:
        ruled = {r.claim.pk for r in rows if r.claim} | _already_ruled(case)
        unruled = [c for c in case.claims.all() if c.pk not in ruled]
        if unruled:
            raise ValidationError(
                {
                    "items": [
                        _("Claim %(number)d is not ruled on: rule on it or reject it.")
                        % {"number": c.number}
                        for c in unruled
                    ]
                }
            )
    else:
        ruled = _already_ruled(case)
        again = [r.claim.number for r in rows if r.claim and r.claim.pk in ruled]
        if again:
            raise ValidationError(
                {
                    "items": [
                        _("Claim %(number)d was already decided by a partial award.")
                        % {"number": n}
                        for n in again
                    ]
                }
            )
    return rows


def _check_advance_execution(
    case: Case, applicant: Party | None, items: Sequence[dict[str, Any]], grounds: str
) -> list[_Row]:
    if applicant is None or applicant.case_id != case.pk or applicant.kind != Party.Kind.WORKER:
        raise ValidationError(
            {"applicant": [_("Advance execution is awarded on a worker's application.")]}
        )
    if not grounds.strip():
        raise ValidationError(
            {
                "grounds": [
                    _(
                        "State why rights and duties are clear and why waiting would seriously "
                        "affect the worker's living (LDMAL art. 44)."
                    )
                ]
            }
        )
    rows = _clean_items(case, items, money_only=True)
    if any(r.outcome == AwardItem.Outcome.REJECTED for r in rows):
        raise ValidationError(
            {"items": [_("An advance-execution award grants; it rejects nothing.")]}
        )
    return rows


@transaction.atomic
def award_make(
    *,
    by: User,
    case: Case,
    items: Sequence[dict[str, Any]],
    facts: str,
    reasoning: str,
    legal_basis: str,
    dissent: str = "",
    dissenting: Person | None = None,
    defence_summary: str = "",
) -> Award:
    """裁决书 (LDMAL arts. 43–47; 办案规则 arts. 50–53): DELIBERATION → CLOSED_AWARD.

    Preconditions: a mediation attempt recorded (LDMAL art. 42, the step's guard); a ruling on
    every claim not already decided by a partial award (an item per claim, rejected if not
    granted); the minimum wage in force for the commission's division entered by an
    administrator. Each item is final or not by spec §3.3a; the award is final, non-final or
    mixed; it is effective on the day it is made when final (art. 47), else pending effect.
    Side effects: the 裁决书 with its per-item finality and rights notice (spec §5.2; the
    defence as ``defence_summary`` states it, else as filed); the award clock met (flagged late
    after its due date); every other running clock cancelled; ``closed_at``.
    The staff pages and the API issue an award through ``award_drafts`` (draft → review →
    issue), which calls this with the approved draft's content.
    """
    ensure_may_act(by, case, "award")
    rows = check_award(
        case,
        kind=Award.Kind.FULL,
        items=items,
        facts=facts,
        reasoning=reasoning,
        legal_basis=legal_basis,
        dissent=dissent,
        dissenting=dissenting,
    )
    holder: dict[str, Award] = {}

    def apply(locked: Case) -> dict[str, Any]:
        wage = _wage_in_force(locked)
        results = _classify(rows, standard_of(wage))
        award = _create_award(
            locked,
            by=by,
            kind=Award.Kind.FULL,
            rows=rows,
            results=results,
            wage=wage,
            facts=facts.strip(),
            reasoning=reasoning.strip(),
            legal_basis=legal_basis.strip(),
            dissent=dissent,
            dissenting=dissenting,
            defence_summary=defence_summary,
        )
        holder["award"] = award
        locked.closed_at = award.made_at
        locked.post_award = post_award_on_making(award.finality)
        late = _close_clocks(locked)
        return {
            **_award_payload(award, rows, results),
            "post_award": locked.post_award,
            **({"late": True} if late else {}),
        }

    transition(case, "award", by=by, apply=apply)
    return holder["award"]


@transaction.atomic
def award_partial(
    *,
    by: User,
    case: Case,
    items: Sequence[dict[str, Any]],
    facts: str,
    reasoning: str,
    legal_basis: str,
    dissent: str = "",
    dissenting: Person | None = None,
    defence_summary: str = "",
) -> Award:
    """先行裁决 (LDMAL art. 43 para. 2; 办案规则 art. 49): on the part whose facts are already
    clear. The case stays open; the final award need not rule again on these claims."""
    ensure_may_act(by, case, "partial_award")
    rows = check_award(
        case,
        kind=Award.Kind.PARTIAL,
        items=items,
        facts=facts,
        reasoning=reasoning,
        legal_basis=legal_basis,
        dissent=dissent,
        dissenting=dissenting,
    )
    holder: dict[str, Award] = {}

    def apply(locked: Case) -> dict[str, Any]:
        wage = _wage_in_force(locked)
        results = _classify(rows, standard_of(wage))
        award = _create_award(
            locked,
            by=by,
            kind=Award.Kind.PARTIAL,
            rows=rows,
            results=results,
            wage=wage,
            facts=facts.strip(),
            reasoning=reasoning.strip(),
            legal_basis=legal_basis.strip(),
            dissent=dissent,
            dissenting=dissenting,
            defence_summary=defence_summary,
        )
        holder["award"] = award
        return _award_payload(award, rows, results)

    transition(case, "partial_award", by=by, apply=apply)
    return holder["award"]


ADVANCE_BASIS = "《中华人民共和国劳动争议调解仲裁法》第四十四条"


@transaction.atomic
def award_advance_execution(
    *,
    by: User,
    case: Case,
    applicant: Party,
    items: Sequence[dict[str, Any]],
    grounds: str,
    legal_basis: str = "",
    defence_summary: str = "",
) -> Award:
    """先予执行 (LDMAL art. 44; 办案规则 art. 51): on the worker's application, in claims for
    remuneration, work-injury medical costs, economic compensation or damages, where rights and
    duties are clear and waiting would seriously affect the worker's living. The worker gives no
    security; the award is transferred to the court for enforcement. The case stays open."""
    ensure_may_act(by, case, "advance_execution_award")
    rows = check_award(
        case, kind=Award.Kind.ADVANCE_EXECUTION, items=items, reasoning=grounds, applicant=applicant
    )
    holder: dict[str, Award] = {}

    def apply(locked: Case) -> dict[str, Any]:
        results = _advance_result(rows)
        award = _create_award(
            locked,
            by=by,
            kind=Award.Kind.ADVANCE_EXECUTION,
            rows=rows,
            results=results,
            wage=None,
            facts="",
            reasoning=grounds.strip(),
            legal_basis=legal_basis.strip() or ADVANCE_BASIS,
            dissent="",
            dissenting=None,
            defence_summary=defence_summary,
            applicant=applicant,
            extra={"applicant": applicant.pk},
        )
        holder["award"] = award
        return {**_award_payload(award, rows, results), "applicant": applicant.pk}

    transition(case, "advance_execution_award", by=by, apply=apply)
    return holder["award"]


@transaction.atomic
def award_correct(*, by: User, case: Case, award: Award, corrections: str) -> CaseDocument:
    """补正 (办案规则 art. 54): clerical or calculation errors, or items decided but left out, are
    corrected by a 决定书 served on the parties. The award itself is never edited."""
    ensure_may_act(by, case, "correct_award")
    if award.case_id != case.pk:
        raise ValidationError({"award": [_("This award is not in this case.")]})
    if not corrections.strip():
        raise ValidationError({"corrections": [_("Write what is corrected.")]})
    holder: dict[str, CaseDocument] = {}

    def apply(locked: Case) -> dict[str, Any]:
        made = timezone.localdate(award.made_at)
        body = "\n".join(
            [
                locked.commission.name,
                "决定书",
                locked.case_number,
                "",
                f"本委于{figure_date(made)}作出的{award.document.title}（{locked.case_number}）"
                "存在笔误、计算错误或者遗漏已裁决事项，现依照《劳动人事争议仲裁办案规则》"
                "第五十四条补正如下：",
                corrections.strip(),
                "",
                "本决定书与原裁决书具有同等效力，自送达之日起生效。",
                "",
                figure_date(timezone.localdate()),
            ]
        )
        document = document_issue(
            case=locked,
            kind=DocumentKind.DECISION,
            decision_kind=DecisionKind.AWARD_CORRECTION,
            title="决定书（裁决补正）",
            by=by,
            body=body,
            data={"award": award.pk, "award_document": award.document_id},
        )
        holder["document"] = document
        return {"award": award.pk, "document": document.pk}

    transition(case, "correct_award", by=by, apply=apply)
    return holder["document"]


# --- The text of record -------------------------------------------------------------------------
# The sentences of a 裁决书 and a 调解书 are in ``award_text``; the titles are the documents'.

TITLES = {
    Award.Kind.FULL: "裁决书",
    Award.Kind.PARTIAL: "裁决书（先行裁决）",
    Award.Kind.ADVANCE_EXECUTION: "先予执行裁决书",
}
