"""Which parties of a mediation case a public user acts for: one rule for every page and step.

A user acts for a party when the party is its own account (the online applicant applying for
itself), when the party is an employer whose verified registration the user is authorised staff
of (``cases.representation.employer_codes``), or when the user applied online and the party is an
applicant of its application. Agents for mediation are not yet authorised per case.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.cases.representation import employer_codes

from .models import MediationCase, MediationParty


def represented_q(user: User) -> Q:
    """The ``MediationParty`` rows ``user`` acts for, in any case."""
    return (
        Q(user=user)
        | Q(kind=MediationParty.Kind.EMPLOYER, credit_code__in=employer_codes(user))
        | Q(role=MediationParty.Role.APPLICANT, case__owner=user)
    )


def parties_acted_for(user: User, case: MediationCase) -> list[MediationParty]:
    """The parties of ``case`` that ``user`` acts for (none for staff or anonymous users)."""
    if not user.is_authenticated or not user.is_public:
        return []
    return list(case.parties.filter(represented_q(user)).order_by("pk"))


def acts_for(user: User, party: MediationParty) -> bool:
    return any(p.pk == party.pk for p in parties_acted_for(user, party.case))


def ensure_acts_for(user: User, party: MediationParty | None) -> None:
    if party is None or not acts_for(user, party):
        raise PermissionDenied(_("You do not act for this party in this mediation."))


def party_for(user: User, case: MediationCase) -> MediationParty:
    """The one party ``user`` acts for in ``case``; refused if none. A user acting for both
    sides (it should not happen) is refused too, so a caucus cannot leak."""
    parties = parties_acted_for(user, case)
    sides = {p.role for p in parties}
    if not parties or len(sides) != 1:
        raise PermissionDenied(_("You do not act for a party in this mediation."))
    return parties[0]
