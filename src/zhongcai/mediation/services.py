"""Every write on a mediation case. Each service takes the acting user as ``by``, checks the
role and organisation, changes the data in one transaction and writes the case's event (through
``workflow.transition`` for moves)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.cases.application import MAX_AMOUNT, CleanApplication, clean_application
from zhongcai.cases.models import Case
from zhongcai.cases.tribunal import replay_draw
from zhongcai.core.events import record_event
from zhongcai.orgs.models import Organisation

from . import periods
from .models import Channel, MediationCase, MediationClaim, MediationParty, Status
from .numbering import case_number
from .workflow import STAFF_ROLES, TransitionError, transition

MAX_REASON = 2000
_KEY = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MAX_AGREED_ITEMS = 50
# Fields of a cleaned application party that a mediation party keeps (agents, dispatch role
# and the representative flag belong to arbitration and are added there if needed).
PARTY_FIELDS = (
    "role",
    "kind",
    "name",
    "id_number",
    "credit_code",
    "phone",
    "sex",
    "birth_date",
    "occupation",
    "domicile",
    "domicile_division_id",
    "mailing_address",
    "legal_representative",
    "legal_representative_title",
)


def _clean(data: dict[str, Any]) -> CleanApplication:
    """The arbitration application's validation, and what mediation needs on top: one
    applicant, one respondent, only those two roles, and at least one claim."""
    clean = clean_application(data)
    errors: dict[str, list[str]] = {}
    roles = [party["role"] for party, _agents in clean.parties]
    for i, role in enumerate(roles):
        if role not in MediationParty.Role.values:
            errors[f"parties.{i}.role"] = [_("A mediation has applicants and respondents only.")]
    if MediationParty.Role.APPLICANT not in roles:
        errors.setdefault("parties", []).append(_("Name the applicant."))
    if MediationParty.Role.RESPONDENT not in roles:
        errors.setdefault("parties", []).append(_("Name the other side."))
    if not clean.claims:
        errors["claims"] = [_("Say what you ask for: at least one claim.")]
    if errors:
        raise ValidationError(errors)
    return clean


def _reason(reason: str, key: str = "reason") -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({key: [_("Give the reason.")]})
    if len(text) > MAX_REASON:
        raise ValidationError({key: [_("Keep the reason under 2,000 characters.")]})
    return text


def _content(case: MediationCase) -> dict[str, Any]:
    return {
        "parties": [
            {"role": p.role, "kind": p.kind, "name": p.name} for p in case.parties.order_by("pk")
        ],
        "claims": [
            {
                "number": c.number,
                "type": c.type,
                "amount": None if c.amount is None else str(c.amount),
            }
            for c in case.claims.order_by("number")
        ],
    }


@transaction.atomic
def mediation_apply(
    *,
    by: User,
    organisation: Organisation,
    data: dict[str, Any],
    channel: Channel | str,
    submission_key: str = "",
) -> MediationCase:
    """Open a mediation case: online by a worker or employer, or a walk-in recorded by a mediator
    of ``organisation``. Received now; the acceptance clock (3 working days) starts.

    ``submission_key``: the form's one-time key; submitting the same form again (a double click,
    a resent request) returns the case it made instead of a second one."""
    if organisation.type != Organisation.Type.MEDIATION_ORGANISATION or not organisation.is_active:
        raise ValidationError({"organisation": [_("Choose a mediation organisation.")]})
    if by.is_public:
        if channel != Channel.ONLINE:
            raise PermissionDenied(_("The public apply online."))
    elif by.role not in STAFF_ROLES or by.organisation_id != organisation.pk:
        raise PermissionDenied(_("Only the organisation's mediators record walk-in applications."))
    elif channel != Channel.WALK_IN:
        raise ValidationError({"channel": [_("Staff record walk-in applications.")]})
    key = submission_key if _KEY.fullmatch(submission_key or "") else ""
    if key:
        User.objects.select_for_update().filter(pk=by.pk).first()  # one submission at a time
        earlier = MediationCase.objects.filter(created_by=by, submission_key=key).first()
        if earlier is not None:
            return earlier
    clean = _clean(data)
    now = timezone.now()
    case = MediationCase.objects.create(
        submission_key=key,
        organisation=organisation,
        number=case_number(organisation, timezone.localdate(now).year),
        channel=channel,
        owner=by if by.is_public else None,
        created_by=by,
        category=clean.case_fields["category"],
        causes=clean.case_fields["causes"],
        workplace_division_id=clean.case_fields["workplace_division_id"],
        facts=clean.case_fields["facts_and_reasons"],
        received_at=now,
        acceptance_due=periods.acceptance_due(timezone.localdate(now)),
        conclusion_due=periods.conclusion_due(timezone.localdate(now)),
    )
    for fields, _agents in clean.parties:
        party = MediationParty(case=case, **{k: fields[k] for k in PARTY_FIELDS})
        if (
            by.is_public
            and by.id_number
            and party.role == MediationParty.Role.APPLICANT
            and party.id_number == by.id_number
        ):
            party.user = by  # the online applicant applying for itself
        party.save()
    MediationClaim.objects.bulk_create(MediationClaim(case=case, **claim) for claim in clean.claims)
    if by.is_public:
        _tell_organisation(case)
    record_event(
        case,
        "mediation.applied",
        actor=by,
        organisation=organisation,
        payload={
            "to": Status.APPLIED,
            "channel": channel,
            "dispute": str(case.dispute),
            "acceptance_due": case.acceptance_due.isoformat(),
            "conclusion_due": case.conclusion_due.isoformat(),
            **_content(case),
        },
    )
    return case


def _tell_organisation(case: MediationCase) -> None:
    """An online application reaches the organisation's mediators and head in their inbox: it
    has 3 working days to accept or decline (企业劳动争议协商调解规定)."""
    from django.urls import reverse

    from zhongcai.notifications.services import notify

    staff = User.objects.filter(
        organisation=case.organisation, role__in=STAFF_ROLES, is_active=True
    )
    title = _("New mediation application %(number)s: accept or decline by %(due)s") % {
        "number": case.number,
        "due": case.acceptance_due.isoformat(),
    }
    link = reverse("mediation:room-case", args=[case.pk])
    for user in staff:
        notify(
            user,
            "mediation.applied",
            title,
            link=link,
            key=f"mediation-applied:{case.pk}:{user.pk}",
        )


def mediation_accept(*, by: User, case: MediationCase, respondent_consent: bool) -> MediationCase:
    """Accept the case (within 3 working days of receipt). The 15-day clock already runs from
    receipt (LDMAL art. 14).

    Mediation is voluntary (企业劳动争议协商调解规定 art. 6): the applicant agreed by applying,
    the other side must agree too — the mediator records that it did; if it refuses, the case
    is declined instead. Preconditions: APPLIED; ``by`` is a mediator or the head of the case's
    organisation.
    """
    if not respondent_consent:
        raise ValidationError(
            {
                "respondent_consent": [
                    _(
                        "The other side must agree to mediation. If it refuses, decline the "
                        "case with that reason."
                    )
                ]
            }
        )

    def apply(locked: MediationCase) -> dict[str, Any]:
        now = timezone.now()
        locked.accepted_at = now
        if locked.conclusion_due is None:  # an application from before the clock ran on receipt
            locked.conclusion_due = periods.conclusion_due(timezone.localdate(locked.received_at))
        return {
            "conclusion_due": locked.conclusion_due.isoformat(),
            "late": timezone.localdate(now) > locked.acceptance_due,
            "respondent_consent": True,
        }

    return transition(case, "accept", by=by, apply=apply)


def mediation_decline(*, by: User, case: MediationCase, reason: str) -> MediationCase:
    """Decline with a reason (out of scope, or the other side refuses mediation)."""
    text = _reason(reason)

    def apply(locked: MediationCase) -> dict[str, Any]:
        locked.decline_reason = text
        locked.concluded_at = timezone.now()
        return {"reason": text}

    return transition(case, "decline", by=by, apply=apply)


def mediation_candidates(case: MediationCase, today: date) -> list[int]:
    """Who may be drawn, by pk (``pool.candidates``): the organisation's mediators appointed
    today, except parties, those out for good in this case, the unavailable and the full;
    narrowed to specialists of the case's causes when there are any."""
    from . import pool

    return pool.candidates(case, today)["candidates"]


def mediator_draw(*, by: User, case: MediationCase, language: str = "") -> MediationCase:
    """Draw the mediator at random among the filtered candidates (``pool.mediator_draw``); the
    seed, candidates and filters are stored so that anyone can replay the draw
    (``draw_replays``). Mediation begins."""
    from . import pool

    return pool.mediator_draw(by=by, case=case, language=language)


def draw_replays(case: MediationCase) -> bool:
    """Whether the stored draw gives again what it gave (True when nothing was drawn)."""
    draw = case.draw
    if not draw:
        return True
    return replay_draw(draw["seed"], draw["candidates"], draw["k"]) == draw["drawn"]


def mediation_extend(
    *,
    by: User,
    case: MediationCase,
    days: int,
    consent_applicant: bool,
    consent_respondent: bool,
) -> MediationCase:
    """Extend the conclusion period once, by ``days`` calendar days, with both parties'
    consent (企业劳动争议协商调解规定). The new due date is computed, never typed."""
    errors: dict[str, list[str]] = {}
    if not (consent_applicant and consent_respondent):
        errors["consent"] = [_("Both parties must agree to extend the time limit.")]
    if not isinstance(days, int) or isinstance(days, bool):
        errors["days"] = [_("Enter a number of days.")]
    elif not 1 <= days <= periods.MAX_EXTENSION_DAYS:
        errors["days"] = [_("Extend by 1 to %(max)d days.") % {"max": periods.MAX_EXTENSION_DAYS}]
    if errors:
        raise ValidationError(errors)

    def apply(locked: MediationCase) -> dict[str, Any]:
        before = locked.conclusion_due
        if before is not None and timezone.localdate() > before:
            # The period ran out: the mediation is deemed failed (LDMAL art. 14), whatever the
            # hourly task has not yet recorded.
            raise TransitionError(
                _("The time limit for mediation has already passed: it cannot be extended.")
            )
        locked.extended_at = timezone.now()
        locked.extension_days = days
        locked.conclusion_due = periods.conclusion_due(timezone.localdate(locked.received_at), days)
        return {
            "days": days,
            "consent": {"applicant": True, "respondent": True},
            "due_before": before.isoformat() if before else None,
            "conclusion_due": locked.conclusion_due.isoformat(),
        }

    return transition(case, "extend", by=by, apply=apply)


def _agreed_items(items: Any) -> list[dict[str, Any]]:
    if not isinstance(items, list) or not items:
        raise ValidationError({"items": [_("Write at least one agreed item.")]})
    if len(items) > MAX_AGREED_ITEMS:
        raise ValidationError({"items": [_("Too many agreed items.")]})
    errors: dict[str, list[str]] = {}
    clean = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            errors[f"items.{i}"] = [_("Each agreed item must be an object.")]
            continue
        text = str(item.get("description") or "").strip()
        if not text:
            errors[f"items.{i}.description"] = [_("Write what was agreed.")]
        amount = None
        raw = item.get("amount")
        if raw not in (None, ""):
            try:
                value = Decimal(str(raw).strip())
                if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
                    raise InvalidOperation
                amount = str(value.quantize(Decimal("0.01")))
            except (InvalidOperation, ValueError):
                errors[f"items.{i}.amount"] = [_("Enter the amount as a number of yuan.")]
        clean.append({"number": i + 1, "description": text[:MAX_REASON], "amount": amount})
    if errors:
        raise ValidationError(errors)
    return clean


def mediation_fail(*, by: User, case: MediationCase, reason: str) -> MediationCase:
    """Record that mediation failed, and why; the parties may then apply for arbitration."""
    text = _reason(reason)

    def apply(locked: MediationCase) -> dict[str, Any]:
        locked.failure_reason = text
        locked.concluded_at = timezone.now()
        return {"reason": text}

    return transition(case, "fail", by=by, apply=apply)


def mediation_expire_due(today: date) -> list[int]:
    """Deem failed every running case whose conclusion date passed before ``today`` without
    agreement (LDMAL art. 14). Returns the pks moved; safe to run twice or in two workers."""
    due = MediationCase.objects.filter(
        status__in=[Status.APPLIED, Status.ACCEPTED, Status.MEDIATING], conclusion_due__lt=today
    ).values_list("pk", flat=True)
    moved = []
    for pk in list(due):
        case = MediationCase(pk=pk)

        def apply(locked: MediationCase) -> dict[str, Any]:
            # Extended meanwhile: the new date decides.
            if locked.conclusion_due is None or locked.conclusion_due >= today:
                raise TransitionError(_("The time limit for mediation has not passed."))
            locked.failure_reason = _("No agreement within the time limit.")
            locked.concluded_at = timezone.now()
            return {"due": locked.conclusion_due.isoformat()}

        try:
            transition(case, "expire", by=None, apply=apply)
        except TransitionError:
            continue  # moved meanwhile by someone else: agreed, failed, extended
        moved.append(pk)
    return moved


def arbitration_data(
    case: MediationCase, *, applying: MediationParty | None = None
) -> dict[str, Any]:
    """The mediation case as an arbitration application's data (``clean_application``'s shape).

    ``applying``: the party that applies online (LDMAL arts. 14–15 let either side go to
    arbitration). It becomes the applicant and the other side the respondents; other parties of
    its own side are not made to apply with it. When a respondent applies, the claims and facts,
    which the other side wrote, are left for it to write. ``None`` (a hand-over by staff): the
    parties as they are.
    """
    parties = list(case.parties.order_by("pk"))
    if applying is not None:
        parties = [p for p in parties if p.pk == applying.pk or p.role != applying.role]
    swapped = applying is not None and applying.role == MediationParty.Role.RESPONDENT

    def role(p: MediationParty) -> str:
        if applying is None:
            return p.role
        return (
            MediationParty.Role.APPLICANT if p.pk == applying.pk else MediationParty.Role.RESPONDENT
        )

    return {
        "category": case.category,
        "causes": list(case.causes),
        "facts_and_reasons": "" if swapped else case.facts,
        "workplace_division": case.workplace_division_id or "",
        "parties": [
            {
                "role": role(p),
                "kind": p.kind,
                "name": p.name,
                "id_number": p.id_number,
                "credit_code": p.credit_code,
                "phone": p.phone,
                "sex": p.sex,
                "birth_date": p.birth_date.isoformat() if p.birth_date else "",
                "occupation": p.occupation,
                "domicile": p.domicile,
                "domicile_division": p.domicile_division_id or "",
                "mailing_address": p.mailing_address,
                "legal_representative": p.legal_representative,
                "legal_representative_title": p.legal_representative_title,
            }
            for p in parties
        ],
        "claims": []
        if swapped
        else [
            {
                "type": c.type,
                "description": c.description,
                "amount": "" if c.amount is None else str(c.amount),
            }
            for c in case.claims.order_by("number")
        ],
    }


def mediation_to_arbitration(
    *, by: User, case: MediationCase, commission: Organisation | None
) -> Case:
    """Turn a declined, failed, refused-review or breached mediation into a draft arbitration
    application in one step (LDMAL arts. 14–15): parties, claims, facts, the applicant's
    evidence and the dispute identity carried over, a record of the mediation attached.

    ``by``: a party (online), the mediation organisation's staff (the mediator's hand-over) or
    the commission's intake staff (at the counter). The rules are in ``handover``.
    """
    from .handover import to_arbitration

    return to_arbitration(by=by, case=case, commission=commission)
