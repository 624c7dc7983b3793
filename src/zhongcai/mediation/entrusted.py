"""Mediation entrusted by an arbitration tribunal before the hearing (办案规则 art. 69; spec §3.6;
issue 8 point 6).

Before the hearing and with both parties' consent, the tribunal (an arbitrator of the case's
tribunal, or the commission's clerk) entrusts mediation to a mediation organisation. The
mediation case is opened ACCEPTED at once: the tribunal's entrustment and the parties' consent
are what an application and the organisation's acceptance establish for an ordinary one, and the
period is the tribunal's (10 working days from consent, ``periods.entrusted_due``), not the
organisation's. The organisation then draws or appoints its mediator as usual.

The two clocks are linked by events on the arbitration case: when mediation is entrusted and
when it ends. An agreement (AGREED) → the tribunal issues the 调解书 in the arbitration case
through its own steps (``cases.award``); a failure, or no agreement by the due date (deemed
failed by ``services.mediation_expire_due`` the next day) → the hearing is held, and the tribunal
is told.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.cases.models import Case, Party, TribunalMember
from zhongcai.cases.workflow import TransitionError as CaseTransitionError
from zhongcai.cases.workflow import ensure_may_act
from zhongcai.cases.workflow import transition as case_transition
from zhongcai.core.events import record_event
from zhongcai.orgs.models import Organisation

from . import periods
from .models import (
    RUNNING_STATES,
    Channel,
    MediationCase,
    MediationClaim,
    MediationParty,
    Status,
)
from .numbering import case_number
from .services import PARTY_FIELDS

# The party's particulars as the application's (``services.PARTY_FIELDS``, less the role, which
# is set here), and its account.
_PARTY_FIELDS = (*(f for f in PARTY_FIELDS if f != "role"), "user_id")
MEDIATION_ROLES = frozenset({Party.Role.APPLICANT, Party.Role.RESPONDENT})


def entrusted_of(case: Case) -> list[MediationCase]:
    """The mediations entrusted by ``case``'s tribunal, newest first."""
    return list(
        MediationCase.objects.filter(entrusted_by=case)
        .select_related("organisation", "mediator")
        .order_by("-received_at", "-pk")
    )


def organisation_choices() -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            type=Organisation.Type.MEDIATION_ORGANISATION, is_active=True
        ).order_by("division_id", "name")
    )


@transaction.atomic
def mediation_entrust(
    *,
    by: User,
    case: Case,
    organisation: Organisation | None,
    consent_applicant: bool,
    consent_respondent: bool,
) -> MediationCase:
    """Entrust mediation of ``case`` to ``organisation`` (办案规则 art. 69).

    Preconditions: before the hearing (accepted, tribunal formed, defence period or hearing
    scheduled), not suspended; ``by`` an arbitrator of the case's tribunal or a clerk of its
    commission; both parties' consent recorded; no entrusted mediation of the case still running.
    The mediation is due 10 working days after today, the day of consent.
    """
    ensure_may_act(by, case, "entrust_mediation")
    errors: dict[str, list[str]] = {}
    if not (consent_applicant and consent_respondent):
        errors["consent"] = [_("Both parties must consent to the entrusted mediation.")]
    if (
        organisation is None
        or organisation.type != Organisation.Type.MEDIATION_ORGANISATION
        or not organisation.is_active
    ):
        errors["organisation"] = [_("Choose a mediation organisation.")]
    if errors or organisation is None:
        raise ValidationError(errors)
    holder: dict[str, MediationCase] = {}

    def apply(locked: Case) -> dict[str, Any]:
        # Under the arbitration case's lock: two clicks make one mediation.
        if MediationCase.objects.filter(entrusted_by=locked, status__in=RUNNING_STATES).exists():
            raise CaseTransitionError(_("A mediation entrusted in this case is still running."))
        holder["mediation"] = _open(by, locked, organisation)
        mediation = holder["mediation"]
        return {
            "mediation_case": mediation.pk,
            "organisation": organisation.pk,
            "consent": {"applicant": True, "respondent": True},
            "consented_on": timezone.localdate(mediation.accepted_at).isoformat(),
            "conclusion_due": mediation.conclusion_due.isoformat(),  # type: ignore[union-attr]
        }

    case_transition(case, "entrust_mediation", by=by, apply=apply)
    return holder["mediation"]


def _open(by: User, case: Case, organisation: Organisation) -> MediationCase:
    now = timezone.now()
    today = timezone.localdate(now)
    mediation = MediationCase.objects.create(
        organisation=organisation,
        number=case_number(organisation, today.year),
        status=Status.ACCEPTED,
        channel=Channel.WALK_IN,
        owner=None,
        created_by=by,
        dispute=case.dispute,
        category=case.category,
        causes=list(case.causes),
        workplace_division_id=case.workplace_division_id,
        facts=case.facts_and_reasons,
        received_at=now,
        acceptance_due=today,
        accepted_at=now,
        conclusion_due=periods.entrusted_due(today),
        entrusted_by=case,
    )
    for party in case.parties.filter(role__in=MEDIATION_ROLES).order_by("pk"):
        MediationParty.objects.create(
            case=mediation, role=party.role, **{f: getattr(party, f) for f in _PARTY_FIELDS}
        )
    MediationClaim.objects.bulk_create(
        MediationClaim(
            case=mediation, number=c.number, type=c.type, amount=c.amount, description=c.description
        )
        for c in case.claims.order_by("number")
    )
    record_event(
        mediation,
        "mediation.entrusted",
        actor=by,
        organisation=organisation,
        payload={
            "to": Status.ACCEPTED,
            "arbitration_case": case.pk,
            "dispute": str(case.dispute),
            "consent": {"applicant": True, "respondent": True},
            "conclusion_due": mediation.conclusion_due.isoformat(),  # type: ignore[union-attr]
            "parties": [
                {"role": p.role, "kind": p.kind, "name": p.name}
                for p in mediation.parties.order_by("pk")
            ],
            "claims": [
                {
                    "number": c.number,
                    "type": c.type,
                    "amount": None if c.amount is None else str(c.amount),
                }
                for c in mediation.claims.order_by("number")
            ],
        },
    )
    return mediation


def entrusted_mediation_ended(mediation: MediationCase, *, by: User | None) -> None:
    """The entrusted mediation reached AGREED or FAILED: say so on the arbitration case and tell
    its tribunal what comes next. Called by ``workflow.transition`` in the step's transaction.

    The event names the outcome only: nothing said in the mediation goes into the arbitration
    file (spec §9.2).
    """
    from zhongcai.notifications.services import notify

    arbitration = Case.objects.select_for_update().get(pk=mediation.entrusted_by_id)
    agreed = mediation.status == Status.AGREED
    record_event(
        arbitration,
        "case.entrusted_mediation_agreed" if agreed else "case.entrusted_mediation_failed",
        actor=by,
        organisation=arbitration.institute,
        payload={
            "mediation_case": mediation.pk,
            "outcome": mediation.status,
            "deemed": by is None,
            "hold_hearing": not agreed,
        },
    )
    if agreed:
        title = _("The entrusted mediation reached an agreement: issue the mediation document")
    else:
        title = _("The entrusted mediation failed: hold the hearing (办案规则 art. 69)")
    link = reverse("cases:case-detail", args=[arbitration.pk])
    for member in (
        TribunalMember.objects.filter(
            case=arbitration, ended_at__isnull=True, person__user__isnull=False
        )
        .select_related("person__user")
        .order_by("pk")
    ):
        user = member.person.user
        notify(
            user,
            "case.entrusted_mediation_ended",
            title,
            link=link,
            case=arbitration,
            key=f"entrusted-mediation-{mediation.pk}-{mediation.status}-{user.pk}",
        )
