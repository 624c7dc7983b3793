"""Defence, evidence and cross-examination, added or changed claims, counter-applications, added
parties: what the parties bring between the service of the application and the hearing.

Every write is one step of the transition table (``workflow``), with its event. The clocks of
this stage run per party where the law counts "from receipt" (spec §11.1(8)): the defence period
is opened by the service of the application copy (``serving``), not here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User

from . import checks
from .application import MAX_CLAIMS, _agent, _claim, _Errors, _party
from .deadlines import close_deadlines, open_deadline, restart_award_clock
from .documents import document_issue, sha256_of
from .models import (
    Agent,
    Case,
    CaseDeadline,
    ClaimChange,
    ClaimItem,
    CounterApplication,
    CrossExamination,
    Defence,
    DocumentKind,
    EvidenceItem,
    Party,
)
from .models.evidence import Decision
from .representation import ensure_acts_for
from .serving import (
    close_party_deadlines,
    ensure_step,
    in_case,
    party_clock,
    upload_problems,
)
from .taxonomy import ClaimType
from .workflow import transition

# 办案规则 arts. 15, 60: the tribunal sets the evidence period case by case; anything longer
# than this outlasts the case's own time limit and is a typo [D].
MAX_EVIDENCE_DAYS = 60
State = CaseDeadline.State


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _content(case: Case) -> dict[str, Any]:
    """The application as it now stands, with its digest, for a step that changes it (the
    integrity check then knows the change was recorded)."""
    snapshot = checks.application_snapshot(case)
    return {"application": snapshot, "digest": checks.digest_of(snapshot)}


def _respondent_problem(case: Case, party: Party | None) -> dict[str, list[str]]:
    if party is None or not in_case(case, party):
        return {"party": [_("This party is not in this case.")]}
    if party.role != Party.Role.RESPONDENT:
        return {"party": [_("Only a respondent does this.")]}
    return {}


# --- Defence (LDMAL art. 30; 办案规则 arts. 33, 58) -----------------------------------------------


@transaction.atomic
def defence_file(
    *, by: User, case: Case, party: Party, text: str, file: UploadedFile | None = None
) -> Defence:
    """答辩书 of one respondent: the DEFENCE document, and its copy to serve on the applicants.

    Closes that respondent's defence clock. A defence after its 10 days is still taken, flagged
    late: no defence does not stop the proceedings, and a late one is no reason to refuse it
    (LDMAL art. 30). The commission then has 5 working days to serve the copy: the clock closes
    when the DEFENCE_COPY is served on the applicants (``serving``).
    """
    ensure_step(by, case, "file_defence")
    ensure_acts_for(by, party)
    text = text.strip()
    errors = _respondent_problem(case, party)
    if not text and file is None:
        errors["text"] = [_("Give the text of the defence or upload it.")]
    errors |= upload_problems(file, "file")
    _raise(errors)
    holder: dict[str, Defence] = {}

    def apply(locked: Case) -> dict[str, Any]:
        if by.is_public and Defence.objects.filter(party=party, waived=False).exists():
            # Online, a second click or the same form sent twice: the first defence stands.
            raise ValidationError(
                {
                    "text": [
                        _(
                            "The defence of %(party)s was already filed. To add to it, hand "
                            "in evidence or contact the commission."
                        )
                        % {"party": party.name}
                    ]
                }
            )
        now = timezone.now()
        today = timezone.localdate(now)
        clock = party_clock(locked, "defence", party)
        late = clock is not None and today > clock.due_on
        close_party_deadlines(locked, ["defence"], party, state=State.MET)
        document = document_issue(
            case=locked,
            kind=DocumentKind.DEFENCE,
            title=_("Defence of %(party)s") % {"party": party.name},
            by=by,
            body=text,
            data={"party": party.pk},
            file=file,
        )
        defence = Defence.objects.create(
            case=locked,
            party=party,
            text=text,
            document=document,
            submitted_at=now,
            recorded_by=by,
            late=late,
        )
        copy = document_issue(
            case=locked,
            kind=DocumentKind.DEFENCE_COPY,
            title=_("Copy of the defence of %(party)s") % {"party": party.name},
            by=by,
            body=text,
            data={"party": party.pk, "defence": defence.pk, "original": document.pk},
        )
        serve_copy = open_deadline(locked, "serve_defence_copy", today, party=party)
        holder["defence"] = defence
        return {
            "party": party.pk,
            "defence": defence.pk,
            "document": document.pk,
            "copy": copy.pk,
            "late": late,
            "serve_copy_due": serve_copy.due_on.isoformat(),
        }

    transition(case, "file_defence", by=by, apply=apply)
    return holder["defence"]


@transaction.atomic
def defence_period_waive(
    *, by: User, case: Case, party: Party, respondent_consent: bool, note: str = ""
) -> Defence:
    """办案规则 art. 58: in simplified handling, with the respondent's consent, the tribunal may
    waive the defence period. The respondent's clock is called off; the hearing may follow."""
    ensure_step(by, case, "waive_defence_period")
    errors = _respondent_problem(case, party)
    if not case.simplified:
        errors.setdefault("party", []).append(
            _("The defence period is waived only in simplified handling (办案规则 art. 58).")
        )
    if not respondent_consent:
        errors["respondent_consent"] = [
            _("The respondent must consent to waiving its defence period.")
        ]
    _raise(errors)
    holder: dict[str, Defence] = {}

    def apply(locked: Case) -> dict[str, Any]:
        if Defence.objects.filter(party=party, waived=True).exists():
            raise ValidationError({"party": [_("This respondent already waived the period.")]})
        close_party_deadlines(locked, ["defence"], party, state=State.CANCELLED)
        holder["defence"] = Defence.objects.create(
            case=locked,
            party=party,
            text=note.strip(),
            waived=True,
            submitted_at=timezone.now(),
            recorded_by=by,
        )
        return {"party": party.pk, "defence": holder["defence"].pk, "consent": True}

    transition(case, "waive_defence_period", by=by, apply=apply)
    return holder["defence"]


# --- Evidence (LDMAL arts. 6, 38; 办案规则 arts. 13–17) -------------------------------------------


def evidence_clock(case: Case) -> CaseDeadline | None:
    """The case's evidence period as it stands (the tribunal's latest, or the default one)."""
    return (
        case.deadlines.filter(code="evidence_period")
        .exclude(state=State.CANCELLED)
        .order_by("-pk")
        .first()
    )


@transaction.atomic
def evidence_period_set(*, by: User, case: Case, days: int) -> CaseDeadline:
    """举证期限 set by the tribunal, from today (办案规则 arts. 15, 19 指定期间); setting it again
    (an extension on a party's application for objective reasons) replaces it."""
    ensure_step(by, case, "set_evidence_period")
    if not isinstance(days, int) or not 1 <= days <= MAX_EVIDENCE_DAYS:
        raise ValidationError(
            {"days": [_("Between 1 and %(max)d days.") % {"max": MAX_EVIDENCE_DAYS}]}
        )
    holder: dict[str, CaseDeadline] = {}

    def apply(locked: Case) -> dict[str, Any]:
        before = evidence_clock(locked)
        close_deadlines(locked, ["evidence_period"], state=State.CANCELLED)
        holder["clock"] = open_deadline(locked, "evidence_period", timezone.localdate(), days=days)
        return {
            "days": days,
            "due": holder["clock"].due_on.isoformat(),
            "replaces": before.due_on.isoformat() if before else None,
        }

    transition(case, "set_evidence_period", by=by, apply=apply)
    return holder["clock"]


@transaction.atomic
def evidence_submit(
    *,
    by: User,
    case: Case,
    party: Party | None,
    title: str,
    purpose: str = "",
    file: UploadedFile | None,
) -> EvidenceItem:
    """One item of evidence, its file hashed on the server (SHA-256) and numbered in the case.

    ``party`` None: collected by the commission (办案规则 arts. 16–17). After the evidence period
    it is still taken, flagged late, for the tribunal to exclude or admit (办案规则 art. 15).
    """
    ensure_step(by, case, "submit_evidence")
    if by.is_public:
        ensure_acts_for(by, party)
    title, purpose = title.strip(), purpose.strip()
    errors: dict[str, list[str]] = {}
    if party is not None and not in_case(case, party):
        errors["party"] = [_("This party is not in this case.")]
    file = _evidence_file(title, file, errors)
    holder: dict[str, EvidenceItem] = {}

    digest = sha256_of(file)

    def apply(locked: Case) -> dict[str, Any]:
        if by.is_public and locked.evidence.filter(party=party, sha256=digest).exists():
            # Online, the same file sent twice (a double click, a resent form) is kept once.
            raise ValidationError({"file": [_("This file was already handed in for this case.")]})
        clock = evidence_clock(locked)
        late = clock is not None and timezone.localdate() > clock.due_on
        holder["item"] = _new_item(locked, by, party, title, purpose, file, late=late)
        return _item_payload(holder["item"])

    transition(case, "submit_evidence", by=by, apply=apply)
    return holder["item"]


def _evidence_file(
    title: str, file: UploadedFile | None, errors: dict[str, list[str]]
) -> UploadedFile:
    """The item's file once the item is named and the file fit to keep; otherwise every
    problem, with those already found in ``errors``, at once."""
    if not title:
        errors["title"] = [_("Name the evidence.")]
    if file is None:
        errors["file"] = [_("Upload the evidence file.")]
    errors |= upload_problems(file, "file")
    _raise(errors)
    if file is None:  # for the type checker: refused above
        raise ValidationError({"file": [_("Upload the evidence file.")]})
    return file


def _new_item(
    locked: Case,
    by: User,
    party: Party | None,
    title: str,
    purpose: str,
    file: UploadedFile,
    *,
    late: bool = False,
) -> EvidenceItem:
    # Numbered under the case lock: two officers adding at once get 1 and 2.
    last = locked.evidence.aggregate(last=Max("number"))["last"] or 0
    item = EvidenceItem(
        case=locked,
        number=last + 1,
        party=party,
        title=title[:200],
        purpose=purpose,
        file_name=(file.name or "")[-200:],
        size=file.size or 0,
        sha256=sha256_of(file),
        submitted_at=timezone.now(),
        recorded_by=by,
        late=late,
    )
    item.file = file
    item.save()
    return item


def _item_payload(item: EvidenceItem) -> dict[str, Any]:
    return {
        "evidence": item.pk,
        "number": item.number,
        "party": item.party_id,
        "sha256": item.sha256,
        "size": item.size,
        "late": item.late,
    }


@transaction.atomic
def application_evidence_add(
    *, by: User, case: Case, title: str, file: UploadedFile | None, purpose: str = ""
) -> EvidenceItem:
    """Evidence handed in with the application (办案规则 art. 29: 证据和证据来源), by its
    applicant online or by the intake officer at the counter; the first applicant offers it."""
    from .services import may_edit_application

    ensure_step(by, case, "add_application_evidence")
    if not may_edit_application(by, case):
        raise PermissionDenied(_("You may not change this application."))
    title, purpose = title.strip(), purpose.strip()
    file = _evidence_file(title, file, {})
    holder: dict[str, EvidenceItem] = {}

    def apply(locked: Case) -> dict[str, Any]:
        applicant = locked.parties.filter(role=Party.Role.APPLICANT).order_by("pk").first()
        if applicant is None:
            raise ValidationError({"file": [_("Name the applicant before adding evidence.")]})
        holder["item"] = _new_item(locked, by, applicant, title, purpose, file)
        return _item_payload(holder["item"])

    transition(case, "add_application_evidence", by=by, apply=apply)
    return holder["item"]


@transaction.atomic
def cross_examination_record(
    *,
    by: User,
    case: Case,
    evidence: EvidenceItem,
    party: Party,
    authenticity: str,
    legality: str,
    relevance: str,
    note: str = "",
) -> CrossExamination:
    """质证意见 of one party on one item: authenticity, legality, relevance (LDMAL art. 38)."""
    ensure_step(by, case, "record_cross_examination")
    errors: dict[str, list[str]] = {}
    if evidence.case_id != case.pk:
        errors["evidence"] = [_("This evidence is not in this case.")]
    if not in_case(case, party):
        errors["party"] = [_("This party is not in this case.")]
    elif evidence.party_id == party.pk:
        errors["party"] = [_("A party does not cross-examine its own evidence.")]
    opinions = CrossExamination.Opinion.values
    for name, value in (
        ("authenticity", authenticity),
        ("legality", legality),
        ("relevance", relevance),
    ):
        if value not in opinions:
            errors[name] = [_("Choose an opinion.")]
    _raise(errors)
    holder: dict[str, CrossExamination] = {}

    def apply(locked: Case) -> dict[str, Any]:
        holder["examination"] = CrossExamination.objects.create(
            evidence=evidence,
            party=party,
            authenticity=authenticity,
            legality=legality,
            relevance=relevance,
            note=note.strip(),
            recorded_at=timezone.now(),
            recorded_by=by,
        )
        return {
            "evidence": evidence.pk,
            "number": evidence.number,
            "party": party.pk,
            "opinions": [authenticity, legality, relevance],
        }

    transition(case, "record_cross_examination", by=by, apply=apply)
    return holder["examination"]


# --- Added or changed claims (办案规则 arts. 44, 46(3)) -----------------------------------------


def _plain(claim: dict[str, Any]) -> dict[str, Any]:
    amount = claim.get("amount")
    return {**claim, "amount": None if amount is None else str(amount)}


def _claim_line(claim: dict[str, Any]) -> str:
    label = ClaimType(claim["type"]).label if claim["type"] in ClaimType.values else claim["type"]
    amount = f" · {claim['amount']}" if claim.get("amount") is not None else ""
    number = f"{claim['number']}. " if claim.get("number") else ""
    return f"{number}{label}{amount} · {claim['description']}".strip()


def _clean_claims(
    case: Case, kind: str, items: Any, *, where: str = "items"
) -> list[dict[str, Any]]:
    """Claims as ``application`` validates them; a change names the claim it rewrites."""
    errors = _Errors()
    if not isinstance(items, list) or not items or len(items) > MAX_CLAIMS:
        raise ValidationError({where: [_("Give at least one claim (at most 50).")]})
    existing = set(case.claims.values_list("number", flat=True))
    clean = []
    for i, data in enumerate(items):
        if not isinstance(data, dict):
            errors.add(f"{where}.{i}", _("Each claim must be an object."))
            continue
        claim = _claim(data, errors, f"{where}.{i}.", 0)
        if not claim["description"]:
            errors.add(f"{where}.{i}.description", _("Say what is claimed."))
        if kind == ClaimChange.Kind.CHANGE:
            try:
                claim["number"] = int(data.get("number") or 0)
            except (TypeError, ValueError):
                claim["number"] = 0
            if claim["number"] not in existing:
                errors.add(f"{where}.{i}.number", _("Name the number of the claim to change."))
        else:
            claim.pop("number")
        clean.append(_plain(claim))
    numbers = [c["number"] for c in clean if c.get("number")]
    if len(numbers) != len(set(numbers)):
        errors.add(where, _("A claim is changed only once in one application."))
    _raise(errors.errors)
    return clean


@transaction.atomic
def claim_change_apply(
    *, by: User, case: Case, kind: str, items: Any, reasons: str = ""
) -> ClaimChange:
    """增加/变更仲裁请求: the applicant's application, before the evidence period expires
    (办案规则 art. 44). Later, the new claims are a new application for arbitration."""
    ensure_step(by, case, "apply_claim_change")
    if kind not in ClaimChange.Kind.values:
        raise ValidationError({"kind": [_("Say whether claims are added or changed.")]})
    clean = _clean_claims(case, kind, items)
    holder: dict[str, ClaimChange] = {}

    def apply(locked: Case) -> dict[str, Any]:
        now = timezone.now()
        clock = evidence_clock(locked)
        if clock is not None and timezone.localdate(now) > clock.due_on:
            raise ValidationError(
                {
                    "kind": [
                        _(
                            "The evidence period ended on %(due)s: claims added or changed now "
                            "must be filed as a new application for arbitration "
                            "(办案规则 art. 44)."
                        )
                        % {"due": clock.due_on.isoformat()}
                    ]
                }
            )
        change = ClaimChange.objects.create(
            case=locked,
            kind=kind,
            items=clean,
            reasons=reasons.strip(),
            filed_at=now,
            recorded_by=by,
        )
        lines = [_claim_line(claim) for claim in clean]
        document = document_issue(
            case=locked,
            kind=DocumentKind.CLAIM_CHANGE,
            title=str(ClaimChange.Kind(kind).label),
            by=by,
            body="\n".join([*lines, reasons.strip()]).strip(),
            data={"claim_change": change.pk, "kind": kind, "items": clean},
        )
        holder["change"] = change
        return {
            "claim_change": change.pk,
            "kind": kind,
            "document": document.pk,
            "items": lines,
        }

    transition(case, "apply_claim_change", by=by, apply=apply)
    return holder["change"]


def _reopen_defence_periods(case: Case, waived_by: set[int], today: Any) -> list[int]:
    """办案规则 art. 44: accepted new claims give each respondent a new defence period, unless
    it expressly waived it; a period still running is replaced by the new one."""
    opened = []
    for respondent in case.parties.filter(role=Party.Role.RESPONDENT):
        if respondent.pk in waived_by:
            continue
        close_party_deadlines(case, ["defence"], respondent, state=State.CANCELLED)
        open_deadline(case, "defence", today, party=respondent)
        opened.append(respondent.pk)
    return opened


@transaction.atomic
def claim_change_decide(
    *,
    by: User,
    case: Case,
    change: ClaimChange,
    accepted: bool,
    reasons: str = "",
    waived_by: list[Party] | None = None,
) -> ClaimChange:
    """The tribunal's decision on added or changed claims (办案规则 arts. 44, 46(3)).

    Accepted: the claims are rewritten (a change keeps its number, an addition takes the next
    ones), the 45 days count again from today, and each respondent gets a new defence period
    from today unless it expressly waived it (``waived_by``). Refused: the decision and its
    reasons are recorded and nothing else changes.
    """
    ensure_step(by, case, "decide_claim_change")
    waived_by = waived_by or []
    errors: dict[str, list[str]] = {}
    if change.case_id != case.pk:
        errors["change"] = [_("This application is not in this case.")]
    if not accepted and not reasons.strip():
        errors["reasons"] = [_("A refusal states its reasons.")]
    if any(not in_case(case, p) or p.role != Party.Role.RESPONDENT for p in waived_by):
        errors["waived_by"] = [_("Only a respondent of this case waives its defence period.")]
    _raise(errors)

    def apply(locked: Case) -> dict[str, Any]:
        fresh = ClaimChange.objects.select_for_update().get(pk=change.pk)
        if fresh.decision != Decision.PENDING:
            raise ValidationError({"change": [_("This application was already decided.")]})
        now = timezone.now()
        today = timezone.localdate(now)
        fresh.decision = Decision.ACCEPTED if accepted else Decision.REFUSED
        fresh.decided_at, fresh.decided_by = now, by
        fresh.decision_reasons = reasons.strip()
        fresh.save()
        change.__dict__.update(fresh.__dict__)
        payload: dict[str, Any] = {
            "claim_change": fresh.pk,
            "accepted": accepted,
            "reasons": fresh.decision_reasons,
        }
        if not accepted:
            return payload
        _rewrite_claims(locked, fresh)
        clock = restart_award_clock(locked, on=today)
        payload |= {
            "award_due": clock.due_on.isoformat(),
            "defence_reopened_for": _reopen_defence_periods(
                locked, {p.pk for p in waived_by}, today
            ),
            "defence_waived_by": [p.pk for p in waived_by],
            **_content(locked),
        }
        return payload

    transition(case, "decide_claim_change", by=by, apply=apply)
    return change


def _rewrite_claims(case: Case, change: ClaimChange) -> None:
    claims = {claim.number: claim for claim in case.claims.all()}
    next_number = max(claims, default=0) + 1
    for item in change.items:
        amount = None if item.get("amount") is None else Decimal(item["amount"])
        if change.kind == ClaimChange.Kind.CHANGE and item.get("number") in claims:
            claim = claims[item["number"]]
            claim.type, claim.description, claim.amount = item["type"], item["description"], amount
            claim.save(update_fields=["type", "description", "amount"])
        else:
            ClaimItem.objects.create(
                case=case,
                number=next_number,
                type=item["type"],
                description=item["description"],
                amount=amount,
            )
            next_number += 1


# --- Counter-application (办案规则 arts. 36, 46(4)) ---------------------------------------------


@transaction.atomic
def counter_application_file(
    *, by: User, case: Case, party: Party, items: Any, facts_and_reasons: str
) -> CounterApplication:
    """反申请 of a respondent, only within its own defence period (办案规则 art. 36); after it,
    the counter-claims are a separate application. The decision is due in 5 working days."""
    ensure_step(by, case, "file_counter_application")
    errors = _respondent_problem(case, party)
    if not facts_and_reasons.strip():
        errors["facts_and_reasons"] = [_("State the facts and reasons.")]
    _raise(errors)
    clean = _clean_claims(case, ClaimChange.Kind.ADD, items)
    holder: dict[str, CounterApplication] = {}

    def apply(locked: Case) -> dict[str, Any]:
        now = timezone.now()
        today = timezone.localdate(now)
        clock = party_clock(locked, "defence", party)
        if clock is None or today > clock.due_on:
            message = (
                _(
                    "The defence period of %(party)s ended on %(due)s: the counter-claims must "
                    "be filed as a separate application (办案规则 art. 36)."
                )
                % {"party": party.name, "due": clock.due_on.isoformat()}
                if clock
                else _(
                    "%(party)s has no defence period running (not yet served, or waived): the "
                    "counter-claims must be filed as a separate application (办案规则 art. 36)."
                )
                % {"party": party.name}
            )
            raise ValidationError({"party": [message]})
        counter = CounterApplication.objects.create(
            case=locked,
            party=party,
            items=clean,
            facts_and_reasons=facts_and_reasons.strip(),
            filed_at=now,
            recorded_by=by,
        )
        lines = [_claim_line(claim) for claim in clean]
        document = document_issue(
            case=locked,
            kind=DocumentKind.COUNTER_APPLICATION,
            title=_("Counter-application of %(party)s") % {"party": party.name},
            by=by,
            body="\n".join([*lines, facts_and_reasons.strip()]),
            data={"counter_application": counter.pk, "party": party.pk, "items": clean},
        )
        due = open_deadline(locked, "counter_application_decision", today, party=party)
        holder["counter"] = counter
        return {
            "counter_application": counter.pk,
            "party": party.pk,
            "document": document.pk,
            "items": lines,
            "decision_due": due.due_on.isoformat(),
        }

    transition(case, "file_counter_application", by=by, apply=apply)
    return holder["counter"]


@transaction.atomic
def counter_application_decide(
    *, by: User, case: Case, counter: CounterApplication, outcome: str, reasons: str = ""
) -> CounterApplication:
    """Joined to the case (the 45 days count again, 办案规则 art. 46(4)), to be filed separately
    (told in writing), or not accepted (不予受理通知书) — 办案规则 art. 36."""
    ensure_step(by, case, "decide_counter_application")
    Outcome = CounterApplication.Outcome
    errors: dict[str, list[str]] = {}
    if counter.case_id != case.pk:
        errors["counter"] = [_("This counter-application is not in this case.")]
    if outcome not in (Outcome.JOINED, Outcome.SEPARATE, Outcome.REFUSED):
        errors["outcome"] = [_("Choose the decision.")]
    elif outcome != Outcome.JOINED and not reasons.strip():
        errors["reasons"] = [_("Say why, in writing.")]
    _raise(errors)

    def apply(locked: Case) -> dict[str, Any]:
        fresh = CounterApplication.objects.select_for_update().get(pk=counter.pk)
        if fresh.outcome != Outcome.PENDING:
            raise ValidationError({"counter": [_("This counter-application was decided.")]})
        now = timezone.now()
        fresh.outcome, fresh.decided_at, fresh.decided_by = outcome, now, by
        fresh.decision_reasons = reasons.strip()
        fresh.save()
        counter.__dict__.update(fresh.__dict__)
        late = _close_one(locked, "counter_application_decision", fresh.party_id)
        payload: dict[str, Any] = {
            "counter_application": fresh.pk,
            "outcome": outcome,
            "reasons": fresh.decision_reasons,
            "late": late,
        }
        if outcome == Outcome.JOINED:
            clock = restart_award_clock(locked, on=timezone.localdate(now))
            payload["award_due"] = clock.due_on.isoformat()
        else:
            title = (
                _("Notice to file the counter-claims as a separate application")
                if outcome == Outcome.SEPARATE
                else _("Notice of non-acceptance of the counter-application")
            )
            document = document_issue(
                case=locked,
                kind=DocumentKind.OTHER,
                title=title,
                by=by,
                body=fresh.decision_reasons,
                data={"counter_application": fresh.pk, "outcome": outcome},
            )
            payload["document"] = document.pk
        return payload

    transition(case, "decide_counter_application", by=by, apply=apply)
    return counter


def _close_one(case: Case, code: str, party_id: int) -> bool:
    """Close the earliest running clock of ``code`` for the party; True when met late."""
    deadline = (
        case.deadlines.filter(code=code, party_id=party_id, state=State.OPEN)
        .order_by("started_on", "pk")
        .first()
    )
    if deadline is None:
        return False
    now = timezone.now()
    deadline.state, deadline.closed_at = State.MET, now
    deadline.met_late = timezone.localdate(now) > deadline.due_on
    deadline.save(update_fields=["state", "closed_at", "met_late"])
    return deadline.met_late


# --- Added party (办案规则 art. 46(1)) ---------------------------------------------------------


@transaction.atomic
def party_add(*, by: User, case: Case, data: dict[str, Any], reasons: str) -> Party:
    """追加当事人/第三人: the party is validated like an application's (``application``), the
    notice issued, and the 45 days count again from the decision (办案规则 art. 46(1)).

    An added respondent is then served the application copy; its defence period runs from that
    service like any respondent's.
    """
    ensure_step(by, case, "add_party")
    if not isinstance(data, dict):
        raise ValidationError({"party": [_("The party must be an object.")]})
    errors = _Errors()
    fields = _party(data, errors, "")
    agents_data = data.get("agents") or []
    if not isinstance(agents_data, list):
        errors.add("agents", _("Agents must be a list."))
        agents_data = []
    agents = [
        _agent(agent, errors, f"agents.{j}.")
        for j, agent in enumerate(agents_data)
        if isinstance(agent, dict)
    ]
    if not reasons.strip():
        errors.add("reasons", _("Say why the party is added."))
    key = fields["id_number"] or fields["credit_code"]
    if (
        key
        and case.parties.filter(role=fields["role"])
        .filter(**({"id_number": key} if fields["id_number"] else {"credit_code": key}))
        .exists()
    ):
        errors.add("name", _("This party is already in the case."))
    _raise(errors.errors)
    holder: dict[str, Party] = {}

    def apply(locked: Case) -> dict[str, Any]:
        party = Party.objects.create(case=locked, **fields)
        Agent.objects.bulk_create(Agent(party=party, **agent) for agent in agents)
        document = document_issue(
            case=locked,
            kind=DocumentKind.ADD_PARTY_NOTICE,
            title=_("Notice of an added party: %(party)s") % {"party": party.name},
            by=by,
            body=reasons.strip(),
            data={"party": party.pk, "role": party.role},
        )
        clock = restart_award_clock(locked, on=timezone.localdate())
        holder["party"] = party
        return {
            "party": party.pk,
            "role": party.role,
            "document": document.pk,
            "reasons": reasons.strip(),
            "award_due": clock.due_on.isoformat(),
            **_content(locked),
        }

    transition(case, "add_party", by=by, apply=apply)
    return holder["party"]
