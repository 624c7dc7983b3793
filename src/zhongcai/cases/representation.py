"""Who acts for which party on the portal, and which cases a public user sees: one rule each.

A public user acts for a party of a case when
- it filed the application online (its owner): for the applicants;
- the party is linked to its account (``Party.user``: the online applicant, matched by its ID
  number when the application is written);
- the party is an employer whose unified social credit code the user is authorised staff of
  (``accounts.EmployerMember``);
- the party authorised it as agent for this case and it accepted (``AgentAuthorisation``,
  accepted and not revoked; a pending or declined invitation opens nothing).

A respondent learns of a case once it is accepted: the copy of the application is served on it
then (LDMAL art. 30). Before acceptance the application is its applicant's alone.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zhongcai.accounts.models import EmployerMember, User

from .models import CLOSED_STATES, OPEN_STATES, Agent, AgentAuthorisation, Case, Party, Status

AFTER_ACCEPTANCE = OPEN_STATES | CLOSED_STATES | {Status.ARCHIVED}


def employer_codes(user: User) -> QuerySet:
    """The credit codes of the verified employers ``user`` is authorised staff of (a
    subquery). An unverified registration opens nothing."""
    return EmployerMember.objects.filter(
        user=user, removed_at__isnull=True, employer__verified_at__isnull=False
    ).values("employer__credit_code")


def _represented(user: User) -> Q:
    """Parties ``user`` acts for, whatever the state of their case."""
    return (
        Q(user=user)
        | Q(kind=Party.Kind.EMPLOYER, credit_code__in=employer_codes(user))
        | Q(pk__in=AgentAuthorisation.objects.active().filter(agent_user=user).values("party_id"))
    )


def public_cases_q(user: User) -> Q:
    """The cases a public user may see (``Case.scope_for_public``). Subqueries, not joins: a
    join would repeat a case once per party."""
    represented = Party.objects.filter(_represented(user))
    applicants = represented.filter(role=Party.Role.APPLICANT).exclude(case__status=Status.DRAFT)
    others = represented.exclude(role=Party.Role.APPLICANT).filter(
        case__status__in=AFTER_ACCEPTANCE
    )
    return (
        Q(owner=user) | Q(pk__in=applicants.values("case_id")) | Q(pk__in=others.values("case_id"))
    )


def parties_represented_by(user: User, case: Case) -> list[Party]:
    """The parties of ``case`` that ``user`` acts for on the portal (none for staff)."""
    if not user.is_authenticated or not user.is_public:
        return []
    cache = case.__dict__.setdefault("_represented_by", {})
    if user.pk not in cache:
        mine = Q(role=Party.Role.APPLICANT) if case.owner_id == user.pk else Q(pk__in=[])
        if case.status not in AFTER_ACCEPTANCE:
            represented = _represented(user) & Q(role=Party.Role.APPLICANT)
            if case.status == Status.DRAFT:
                represented = Q(pk__in=[])
        else:
            represented = _represented(user)
        cache[user.pk] = list(case.parties.filter(mine | represented).order_by("role", "pk"))
    return list(cache[user.pk])


def acts_for(user: User, party: Party) -> bool:
    return any(p.pk == party.pk for p in parties_represented_by(user, party.case))


def ensure_acts_for(user: User, party: Party | None) -> None:
    """A public user acts only for the parties it represents; staff are checked by the
    transition table."""
    if user.is_public and (party is None or not acts_for(user, party)):
        raise PermissionDenied(_("You do not act for this party in this case."))


def has_special_authority(user: User, party: Party) -> bool:
    """Whether ``user`` may do for ``party`` what needs special authority (LDMAL art. 24; 民诉法
    art. 62: admit, waive or settle — signing for a 调解书 makes the settlement binding): the
    party itself (its account, its employer's staff, its online applicant), or an agent it
    authorised with special authority. An agent with general authority may not."""
    if not acts_for(user, party):
        return False
    case = party.case
    itself = (
        party.user_id == user.pk
        or (case.owner_id == user.pk and party.role == Party.Role.APPLICANT)
        or (
            party.kind == Party.Kind.EMPLOYER
            and bool(party.credit_code)
            and employer_codes(user).filter(employer__credit_code=party.credit_code).exists()
        )
    )
    return (
        itself
        or AgentAuthorisation.objects.active()
        .filter(party=party, agent_user=user, authority=Agent.Authority.SPECIAL)
        .exists()
    )
