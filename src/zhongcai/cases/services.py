"""Intake and acceptance (立案): every write on a case in this stage.

Each service takes the acting user as ``by``, checks permission and state, changes the data in
one transaction and writes the case's event (through ``workflow.transition`` for moves).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from zhongcai.accounts.models import Role, User
from zhongcai.core.events import record_event
from zhongcai.core.scope import can_see
from zhongcai.documents.catalogue import template
from zhongcai.orgs.models import Organisation

from . import checks, industries, numbering
from .application import CleanApplication, clean_application
from .deadlines import close_deadlines, open_deadline, period
from .documents import document_issue
from .models import (
    AcceptanceDelegation,
    Agent,
    Case,
    CaseDeadline,
    CaseDocument,
    Channel,
    ClaimItem,
    CommissionProfile,
    DocumentKind,
    Origin,
    Party,
    Receipt,
    Status,
)
from .taxonomy import RefusalGround
from .workflow import TRANSITIONS, TransitionError, ensure_may_act, transition

INTAKE_ROLES = frozenset({Role.INTAKE_OFFICER, Role.INSTITUTE_HEAD})
EDITABLE = (Status.DRAFT, Status.AWAITING_CORRECTION)


def institute_of(commission: Organisation) -> Organisation:
    institute = commission.children.filter(
        type=Organisation.Type.ARBITRATION_INSTITUTE, is_active=True
    ).first()
    if institute is None:
        raise ValidationError(
            {"commission": [_("This commission has no arbitration institute to handle cases.")]}
        )
    return institute


def _party_key(role: str, id_number: str, credit_code: str, name: str) -> tuple[str, str]:
    return (role, id_number or credit_code or name)


def _write_content(case: Case, clean: CleanApplication, by: User) -> None:
    """Write the application's content. Parties are matched by their identifier (ID number,
    credit code, else name) and updated in place: what hangs on a party — its account, its
    service address, documents served on it, evidence it handed in, agents it authorised
    online — stays with it through a correction. A party no longer named is removed; one on
    whom documents were already served cannot be."""
    for name, value in clean.case_fields.items():
        setattr(case, name, value)
    case.save()
    existing: dict[tuple[str, str], list[Party]] = {}
    for party in case.parties.order_by("pk"):
        key = _party_key(party.role, party.id_number, party.credit_code, party.name)
        existing.setdefault(key, []).append(party)
    kept: list[Party] = []
    for party_fields, agents in clean.parties:
        key = _party_key(
            party_fields["role"],
            party_fields["id_number"],
            party_fields["credit_code"],
            party_fields["name"],
        )
        same = existing.get(key) or []
        party = same.pop(0) if same else Party(case=case)
        for name, value in party_fields.items():
            setattr(party, name, value)
        if (
            party.user_id is None
            and by.is_public
            and by.id_number
            and party.role == Party.Role.APPLICANT
            and party.id_number == by.id_number
        ):
            party.user = by  # the online applicant applying for itself
        party.save()
        kept.append(party)
        _write_agents(party, agents)
    applicant = next((p for p in kept if p.role == Party.Role.APPLICANT), None)
    for gone in (party for left in existing.values() for party in left):
        # Evidence the removed party handed in stays in the file, offered by the applicant.
        if applicant is not None:
            case.evidence.filter(party=gone).update(party=applicant)
        try:
            with transaction.atomic():
                gone.delete()
        except ProtectedError:
            raise ValidationError(
                {
                    "parties": [
                        _(
                            "%(name)s has been served documents in this case and cannot be "
                            "removed from the application."
                        )
                        % {"name": gone.name}
                    ]
                }
            ) from None
    case.claims.all().delete()
    ClaimItem.objects.bulk_create(ClaimItem(case=case, **claim) for claim in clean.claims)


def _write_agents(party: Party, agents: list[dict[str, Any]]) -> None:
    """The party's agents as the application names them; an agent the party authorised online
    (``agents.agent_authorise``) stays until the party revokes it there."""
    online = set(
        party.authorisations.filter(revoked_at__isnull=True, agent__isnull=False).values_list(
            "agent_id", flat=True
        )
    )
    party.agents.exclude(pk__in=online).delete()
    staying = {(a.name, a.id_number) for a in party.agents.all()}
    Agent.objects.bulk_create(
        Agent(party=party, **agent)
        for agent in agents
        if (agent["name"], agent["id_number"]) not in staying
    )


def _as_entered_by(by: User, clean: CleanApplication, case: Case | None = None) -> CleanApplication:
    """Simplified handling and the scope findings are the commission's call (办案规则 art. 56),
    not the applicant's: what a public user sends for them is ignored."""
    if by.is_public:
        clean.case_fields.update(
            simplified=case.simplified if case else False,
            not_labor_flags=case.not_labor_flags if case else [],
        )
    return clean


@transaction.atomic
def case_create(
    *,
    by: User,
    commission: Organisation,
    channel: Channel,
    data: dict[str, Any],
    dispute: uuid.UUID | None = None,
) -> Case:
    """Open a draft application to ``commission``: online by a public user, or at the counter.

    ``dispute``: the identity of a dispute that was first mediated (``mediation``), kept so both
    stages read as one dispute; a new one otherwise."""
    if commission.type != Organisation.Type.COMMISSION or not commission.is_active:
        raise ValidationError({"commission": [_("Choose an arbitration commission.")]})
    if by.is_public:
        if channel != Channel.ONLINE:
            raise PermissionDenied(_("The public apply online."))
    elif by.role not in INTAKE_ROLES or by.organisation_id != institute_of(commission).pk:
        raise PermissionDenied(_("Only the commission's intake officers record applications."))
    elif channel == Channel.ONLINE:
        raise ValidationError({"channel": [_("Staff record written or oral applications.")]})
    clean = _as_entered_by(by, clean_application(data))
    case = Case(
        commission=commission,
        institute=institute_of(commission),
        channel=channel,
        owner=by if by.is_public else None,
        created_by=by,
        dispute=dispute or uuid.uuid4(),
    )
    _write_content(case, clean, by)
    record_event(
        case,
        "case.drafted",
        actor=by,
        organisation=case.institute,
        payload={
            "to": Status.DRAFT,
            "channel": channel,
            "commission": commission.pk,
            "institute": case.institute_id,
            "dispute": str(case.dispute),
            **_content(case),
        },
    )
    return case


def may_edit_application(user: User, case: Case) -> bool:
    """The applicant online, or the commission's intake staff; the state is checked apart.

    An online draft belongs to its applicant alone until submitted: it has no legal effect and
    no one else may shape it.
    """
    if user.is_public:
        return case.owner_id == user.pk
    if case.channel == Channel.ONLINE and case.status == Status.DRAFT:
        return False
    return user.role in INTAKE_ROLES and user.organisation_id == case.institute_id


def may_edit_application_now(user: User, case: Case) -> bool:
    """Whether the page should offer to edit: the right person, and a state that allows it."""
    return case.status in EDITABLE and may_edit_application(user, case)


@transaction.atomic
def case_update_application(*, by: User, case: Case, data: dict[str, Any]) -> Case:
    """Change the content while it is a draft or being corrected; never after receipt."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in EDITABLE:
        raise TransitionError(_("A received application is changed only through corrections."))
    if not may_edit_application(by, case):
        raise PermissionDenied(_("You may not change this application."))
    clean = _as_entered_by(by, clean_application(data), case)
    _write_content(case, clean, by)
    record_event(
        case,
        "case.application_updated",
        actor=by,
        organisation=case.institute,
        payload=_content(case),
    )
    return case


def _content(case: Case) -> dict[str, Any]:
    """The application as it now stands, for the event: readable later, and its digest."""
    snapshot = checks.application_snapshot(case)
    return {"application": snapshot, "digest": checks.digest_of(snapshot)}


# How an application came in, as the 收件回执 says it.
CHANNEL_WORDS = {Channel.ONLINE: "网上申请", Channel.COUNTER: "窗口递交", Channel.ORAL: "口头申请"}


# Letters and digits that cannot be mistaken for one another when read out or typed.
RECEIPT_CHECK_CHARACTERS = "ACDEFGHJKLMNPQRTUVWXY34679"


def _issue_receipt(
    case: Case, by: User, what: str, *, gaps: list[str] | None = None
) -> tuple[Receipt, CaseDocument]:
    """The receipt of a submission and its 收件回执 (办案规则 art. 29), numbered alike."""
    now = timezone.now()
    count = Receipt.objects.filter(case=case).count() + 1
    receipt = Receipt.objects.create(
        case=case,
        # A random tail: whoever knows an applicant's ID number cannot guess the receipt that
        # the counter query (portal) asks for together with it.
        number=(
            f"SJ{timezone.localdate(now):%Y%m%d}-{case.pk:07d}-{count}-"
            + get_random_string(4, RECEIPT_CHECK_CHARACTERS)
        ),
        issued_at=now,
        issued_by=by,
        what=what,
    )
    document = document_issue(
        case=case,
        kind=DocumentKind.RECEIPT,
        title=_("Receipt %(number)s: %(what)s") % {"number": receipt.number, "what": what},
        by=by,
        number=receipt.number,
        data={
            "receipt_number": receipt.number,
            "what": what,
            "received_on": timezone.localdate(now).isoformat(),
            "channel": CHANNEL_WORDS.get(case.channel, ""),
            "received_by": "" if by.is_public else str(by),
            "gaps": list(gaps or []),
        },
    )
    return receipt, document


def _start_acceptance_clock(case: Case) -> dict[str, Any]:
    today = timezone.localdate()
    case.clock_started_on = today
    open_deadline(case, "acceptance_decision", today)
    return {"clock_started_on": today.isoformat(), **_content(case)}


def case_submit(
    *, by: User, case: Case, allow_incomplete: bool = False, applicant_confirmed: bool = False
) -> Case:
    """DRAFT → RECEIVED: the application is received and a receipt issued (办案规则 art. 29).

    Online, only a complete application can be submitted: the applicant is shown every missing
    item at once. At the counter an officer may receive an incomplete one and then issue the
    one-time correction notice. An oral application counts only once the applicant confirmed the
    record (LDMAL art. 12; 办案规则 art. 29).
    """
    ensure_may_act(by, case, "submit")
    if case.channel == Channel.ORAL and not applicant_confirmed:
        raise ValidationError(
            {
                "applicant_confirmed": [
                    _("The applicant must confirm the record of an oral application.")
                ]
            }
        )

    def apply(locked: Case) -> dict[str, Any]:
        # Judged under the row lock: an edit committed meanwhile cannot slip past.
        gaps = checks.missing_items(locked)
        if gaps and (by.is_public or not allow_incomplete):
            raise ValidationError({"application": gaps})
        locked.received_at = timezone.now()
        receipt, document = _issue_receipt(locked, by, _("Application for arbitration"), gaps=gaps)
        received_at = locked.received_at.isoformat()
        if gaps:
            open_deadline(locked, "correction_notice", timezone.localdate())
        return {
            "receipt": receipt.number,
            "document": document.pk,
            "gaps": gaps,
            "applicant_confirmed": applicant_confirmed,
            "received_at": received_at,
            **_start_acceptance_clock(locked),
        }

    return transition(case, "submit", by=by, apply=apply)


def case_issue_correction_notice(*, by: User, case: Case, items: list[str]) -> Case:
    """RECEIVED → AWAITING_CORRECTION: tell every gap at once (一次性告知, 办案规则 art. 29).

    Only once per case; the acceptance clock stops and restarts when the corrections are in
    (办案规则 art. 46(2)). Issued after its 5 working days it is still issued, flagged late.
    """
    ensure_may_act(by, case, "issue_correction_notice")
    refusal = TRANSITIONS["issue_correction_notice"].refusal(case)
    if refusal:
        raise TransitionError(refusal)
    items = list(
        dict.fromkeys([*checks.missing_items(case), *(i.strip() for i in items if i.strip())])
    )
    if not items:
        raise ValidationError({"items": [_("List what the applicant must complete or correct.")]})

    def apply(locked: Case) -> dict[str, Any]:
        locked.correction_notice_issued = True
        # Late against 5 working days from receipt, whether or not the system saw gaps then.
        due = period("correction_notice").due(locked.clock_started_on).due
        close_deadlines(locked, ["correction_notice"], state=CaseDeadline.State.MET)
        close_deadlines(locked, ["acceptance_decision"], state=CaseDeadline.State.CANCELLED)
        notice = document_issue(
            case=locked,
            kind=DocumentKind.CORRECTION_NOTICE,
            title=template("correction_notice").title,
            by=by,
            body="\n".join(items),
            data={"gaps": items},
        )
        return {"items": items, "late": timezone.localdate() > due, "document": notice.pk}

    return transition(case, "issue_correction_notice", by=by, apply=apply)


def case_submit_corrections(*, by: User, case: Case) -> Case:
    """AWAITING_CORRECTION → RECEIVED: a new receipt, and the 5-day clock runs again from today.

    Only a complete application restarts the clock (办案规则 art. 46(2): "completion of the
    corrections"); an applicant who does not complete it gets a refusal instead.
    """
    ensure_may_act(by, case, "submit_corrections")

    def apply(locked: Case) -> dict[str, Any]:
        gaps = checks.missing_items(locked)
        if gaps:
            raise ValidationError({"application": gaps})
        receipt, document = _issue_receipt(locked, by, _("Corrections to the application"))
        return {
            "receipt": receipt.number,
            "document": document.pk,
            **_start_acceptance_clock(locked),
        }

    return transition(case, "submit_corrections", by=by, apply=apply)


ACCEPTABLE = "经审查，本案符合《劳动人事争议仲裁办案规则》第三十条规定的受理条件，建议立案受理。"


def _handler_of(case: Case) -> str:
    """Who examined the application: the officer who received it last, if staff did."""
    receipt = (
        Receipt.objects.filter(case=case, issued_by__isnull=False)
        .select_related("issued_by")
        .order_by("-issued_at", "-pk")
        .first()
    )
    if receipt is None or receipt.issued_by is None or receipt.issued_by.is_public:
        return ""
    return str(receipt.issued_by)


def _acceptance_documents(
    case: Case, by: User, *, accepted_on: date, late: bool
) -> list[CaseDocument]:
    """受理通知书 to the applicants (main volume, numbered with the case) and the 立案审批表 the
    decider signs (secondary volume): its date is the acceptance date, from which the 45 days
    run (spec §5.1; LDMAL art. 29; 办案规则 art. 30)."""
    evidence = period("evidence_period")
    notice = document_issue(
        case=case,
        kind=DocumentKind.ACCEPTANCE_NOTICE,
        title=_("Acceptance notice %(number)s") % {"number": case.case_number},
        by=by,
        number=case.case_number,
        data={"evidence_days": evidence.days, "accepted_on": accepted_on.isoformat()},
    )
    # Asked again here, in the documents' language: the decider saw them in his.
    warnings = [f.message for f in checks.warnings(case)]
    data: dict[str, Any] = {
        "handler": _handler_of(case),
        "approver": str(by),
        "approved_on": accepted_on.isoformat(),
        "warnings": warnings,
        "late": late,
    }
    if warnings:
        # The decider saw the warnings and accepted all the same: the form says so.
        seen = "；".join(w.rstrip("。.") for w in warnings)
        data["opinion"] = f"{ACCEPTABLE}审查中提示：{seen}。"
    form = document_issue(
        case=case,
        kind=DocumentKind.FILING_APPROVAL,
        title=_("Filing approval form"),
        by=by,
        number=case.case_number,
        data=data,
    )
    return [notice, form]


def _end_intake_clocks(case: Case) -> bool:
    """The decision meets the acceptance clock and ends every other intake clock; True if late."""
    late = close_deadlines(case, ["acceptance_decision"], state=CaseDeadline.State.MET)
    close_deadlines(case, ["correction_notice"], state=CaseDeadline.State.CANCELLED)
    return bool(late)


def case_accept(
    *,
    by: User,
    case: Case,
    warnings_acknowledged: bool = False,
    employer_industry: str | None = None,
    employer_registration_type: str | None = None,
) -> Case:
    """RECEIVED → ACCEPTED: approve the filing, allocate the case number, start the clocks.

    The conditions of 办案规则 art. 30 must hold: a complete application; the officer must have
    seen the scope, jurisdiction and duplicate warnings. The acceptance date starts the 45-day
    award clock (LDMAL art. 43), the 5-day service and tribunal-notice clocks (LDMAL arts. 30,
    32) and, for a collective case, the one-time notice clock (办案规则 art. 64). A decision after
    its 5 working days is allowed and flagged late (the applicant may then go to court, LDMAL 29).
    """
    ensure_may_act(by, case, "accept")
    employer_class = _employer_class_at_acceptance(
        case, employer_industry, employer_registration_type
    )
    gaps = checks.missing_items(case)
    if gaps:
        raise ValidationError({"application": gaps})
    findings = checks.warnings(case)
    if findings and not warnings_acknowledged:
        raise ValidationError({"warnings": [f.message for f in findings]}, code="warnings")

    def apply(locked: Case) -> dict[str, Any]:
        now = timezone.now()
        today = timezone.localdate(now)
        late = _end_intake_clocks(locked)
        locked.case_seq, locked.case_number = numbering.allocate(locked.commission, today.year)
        locked.case_year = today.year
        locked.decided_at = now
        locked.accepted_on = today
        codes = ["award", "serve_application_copy", "tribunal_notice"]
        if locked.collective:
            codes.append("collective_notice")
        for code in codes:
            open_deadline(locked, code, today)
        documents = _acceptance_documents(locked, by, accepted_on=today, late=late)
        employer = {}
        if employer_class:
            party, values = employer_class
            Party.objects.filter(pk=party.pk).update(**values)
            employer = {"employer": {"party": party.pk, **values}}
        return {
            **employer,
            "case_number": locked.case_number,
            "accepted_on": today.isoformat(),
            "late": late,
            "warnings": [f.message for f in findings],
            "priority": locked.collective,
            "documents": [d.pk for d in documents],
        }

    return transition(case, "accept", by=by, apply=apply)


def statistical_employer(case: Case) -> Party | None:
    """The employer the statistics classify ``case`` by (``selectors.statistical_employers``)."""
    from .selectors import statistical_employers

    return statistical_employers().filter(case=case).first()


def _employer_class_at_acceptance(
    case: Case, industry: str | None, registration_type: str | None
) -> tuple[Party, dict[str, str]] | None:
    """The employer's GB/T 4754 section and registration type the intake officer records when
    accepting (an online application seldom carries them); None leaves them as they are."""
    if industry is None and registration_type is None:
        return None
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    for field, value, allowed, message in (
        ("industry", industry, industries.sections(),
         _("Choose a section of GB/T 4754 from the list.")),
        ("registration_type", registration_type, Party.RegistrationType.values,
         _("Choose a registration type from the list.")),
    ):  # fmt: skip
        if value is None:
            continue
        value = value.strip()
        if value and value not in allowed:
            errors[f"employer_{field}"] = [message]
        values[field] = value
    if errors:
        raise ValidationError(errors)
    party = statistical_employer(case)
    if party is None:
        if any(values.values()):
            raise ValidationError(
                {"employer_industry": [_("The case has no employer to classify.")]}
            )
        return None
    return party, values


CLASSIFIERS = INTAKE_ROLES | {Role.CLERK}


def may_classify_employer(user: User, case: Case) -> bool:
    """Intake staff and clerks may record the employer's class of an accepted case (the case
    in hand was read through the user's scope; ``employer_classify`` checks it again)."""
    return user.role in CLASSIFIERS and case.accepted_on is not None


@transaction.atomic
def employer_classify(
    *, by: User, case: Case, industry: str | None, registration_type: str | None
) -> Party | None:
    """Record or correct the employer's GB/T 4754 section and registration type of an accepted
    case, for the statistics (spec §7.2): the application is closed to edits by then, and a
    choice made at acceptance may be wrong. An event keeps what it was and what it became."""
    if by.role not in CLASSIFIERS or not can_see(case, by):
        raise PermissionDenied(_("You may not classify this case's employer."))
    if case.accepted_on is None:
        raise ValidationError(
            {"employer_industry": [_("Before acceptance, record it in the application.")]}
        )
    found = _employer_class_at_acceptance(case, industry, registration_type)
    if found is None:
        return None
    party, values = found
    locked = Party.objects.select_for_update().get(pk=party.pk)
    before = {name: getattr(locked, name) for name in values}
    if before == values:
        return locked
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(values))
    record_event(
        case,
        "case.employer_classified",
        actor=by,
        organisation=case.institute,
        payload={"party": locked.pk, "before": before, "after": values},
    )
    return locked


def case_refuse(
    *, by: User, case: Case, ground: RefusalGround, reasons: str, legal_basis: str
) -> Case:
    """RECEIVED → NOT_ACCEPTED, with written reasons (LDMAL art. 29; 办案规则 art. 31)."""
    ensure_may_act(by, case, "refuse")
    errors: dict[str, list[str]] = {}
    if ground not in RefusalGround.values:
        errors["ground"] = [_("Choose the ground for refusal.")]
    if not reasons.strip():
        errors["reasons"] = [_("A refusal states its reasons in writing.")]
    if not legal_basis.strip():
        errors["legal_basis"] = [_("A refusal states its legal basis.")]
    if errors:
        raise ValidationError(errors)

    def apply(locked: Case) -> dict[str, Any]:
        late = _end_intake_clocks(locked)
        locked.decided_at = timezone.now()
        notice = document_issue(
            case=locked,
            kind=DocumentKind.REFUSAL_NOTICE,
            title=template("refusal_notice").title,
            by=by,
            body=reasons.strip(),
            data={
                "ground": ground,
                "reasons": reasons.strip(),
                "legal_basis": legal_basis.strip(),
            },
        )
        return {
            "ground": ground,
            "reasons": reasons.strip(),
            "legal_basis": legal_basis.strip(),
            "late": late,
            "document": notice.pk,
        }

    return transition(case, "refuse", by=by, apply=apply)


def case_redirect(*, by: User, case: Case, to: Organisation, reasons: str) -> Case:
    """RECEIVED → REDIRECTED: tell the applicant in writing which commission is competent
    (办案规则 art. 31; jurisdiction by LDMAL art. 21 and 办案规则 art. 8). Not a refusal."""
    ensure_may_act(by, case, "redirect")
    errors: dict[str, list[str]] = {}
    if to.type != Organisation.Type.COMMISSION or not to.is_active:
        errors["to"] = [_("Name the competent arbitration commission.")]
    elif to.pk == case.commission_id:
        errors["to"] = [_("That is this commission itself.")]
    if not reasons.strip():
        errors["reasons"] = [_("Say why the other commission is competent.")]
    if errors:
        raise ValidationError(errors)

    def apply(locked: Case) -> dict[str, Any]:
        late = _end_intake_clocks(locked)
        locked.decided_at = timezone.now()
        locked.redirected_to = to
        # The other commission's settings, if it has any: no row is created for it from here.
        profile = CommissionProfile.objects.filter(commission=to).first()
        notice = document_issue(
            case=locked,
            kind=DocumentKind.JURISDICTION_NOTICE,
            title=template("jurisdiction_notice").title,
            by=by,
            body=reasons.strip(),
            data={
                "to_commission": to.pk,
                "to_name": (profile.document_name if profile else "") or to.name,
                "to_address": profile.address if profile else "",
                "to_phone": profile.phone if profile else "",
                "reasons": reasons.strip(),
            },
        )
        return {
            "redirected_to": to.pk,
            "to_name": to.name,
            "reasons": reasons.strip(),
            "late": late,
            "document": notice.pk,
        }

    return transition(case, "redirect", by=by, apply=apply)


@transaction.atomic
def delegation_grant(*, by: User, user: User, commission: Organisation) -> AcceptanceDelegation:
    """The head authorises an officer of the same institute to approve filings."""
    institute = institute_of(commission)
    if by.role != Role.INSTITUTE_HEAD or by.organisation_id != institute.pk:
        raise PermissionDenied(_("Only the head of the institute authorises approvals."))
    if user.organisation_id != institute.pk or user.role not in INTAKE_ROLES | {Role.ARBITRATOR}:
        raise ValidationError({"user": [_("Authorise an officer of this institute.")]})
    delegation = AcceptanceDelegation.objects.create(
        user=user, commission=commission, granted_by=by
    )
    record_event(
        user,
        "user.acceptance_delegated",
        actor=by,
        organisation=institute,
        payload={"commission": commission.pk},
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, by: User, delegation: AcceptanceDelegation) -> AcceptanceDelegation:
    """The head withdraws an officer's authority to approve filings; history keeps both."""
    institute = institute_of(delegation.commission)
    if by.role != Role.INSTITUTE_HEAD or by.organisation_id != institute.pk:
        raise PermissionDenied(_("Only the head of the institute authorises approvals."))
    delegation = AcceptanceDelegation.objects.select_for_update().get(pk=delegation.pk)
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
        record_event(
            delegation.user,
            "user.acceptance_delegation_revoked",
            actor=by,
            organisation=institute,
            payload={"commission": delegation.commission_id},
        )
    return delegation


__all__ = [
    "case_accept",
    "case_create",
    "case_issue_correction_notice",
    "case_redirect",
    "case_refuse",
    "case_submit",
    "case_submit_corrections",
    "case_update_application",
    "delegation_grant",
    "delegation_revoke",
]


@transaction.atomic
def case_import_legacy(
    *,
    by: User,
    commission: Organisation,
    data: dict[str, Any],
    case_number: str,
    accepted_on: date,
    source: str,
) -> Case:
    """Bring in a case accepted in a legacy system, marked as such.

    Its history was not recorded here as it happened, so it never counts as handled online
    (网上办案率). The claimed dates are kept in the event's payload; the event's own time is
    the moment of the import.
    """
    if by.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied(_("Only system administrators import legacy cases."))
    if not case_number.strip() or not source.strip():
        raise ValidationError({"case_number": [_("A legacy case keeps its number and source.")]})
    if Case.objects.filter(commission=commission, case_number=case_number.strip()).exists():
        raise ValidationError({"case_number": [_("This case number already exists.")]})
    clean = clean_application(data)
    case = Case(
        commission=commission,
        institute=institute_of(commission),
        channel=Channel.COUNTER,
        origin=Origin.LEGACY,
        created_by=by,
        status=Status.ACCEPTED,
        case_number=case_number.strip(),
        case_year=accepted_on.year,
        accepted_on=accepted_on,
    )
    _write_content(case, clean, by)
    record_event(
        case,
        "case.imported",
        actor=by,
        organisation=case.institute,
        payload={
            "to": Status.ACCEPTED,
            "case_number": case.case_number,
            "claimed_accepted_on": accepted_on.isoformat(),
            "source": source.strip(),
            "commission": commission.pk,
            "institute": case.institute_id,
            **_content(case),
        },
    )
    return case
