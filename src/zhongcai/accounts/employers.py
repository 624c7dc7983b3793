"""Commission staff verify an employer's registration before it opens any case (ADR 10).

A credit code says which registration authority's area the employer belongs to (characters 3–8,
GB 32100); the staff of that area — the county, its city, the province — check the business
licence and the letter authorising the registrant, then verify it or refuse it. A refused
registration is removed, so the code is free for the real employer to register.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.core.events import record_event

from .models import Employer, EmployerMember, Role, User

VERIFIER_ROLES = frozenset(
    {Role.INTAKE_OFFICER, Role.INSTITUTE_HEAD, Role.HRSS_ADMIN, Role.SYSTEM_ADMIN}
)


def _stem(code: str) -> str:
    """A division code without its trailing zero pairs (``370100`` → ``3701``): what the
    divisions inside it start with."""
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def area_of(employer: Employer) -> str:
    """The registration authority's division (characters 3–8 of the credit code), as a stem."""
    return _stem(employer.credit_code[2:8])


def may_verify(user: User, employer: Employer) -> bool:
    if not user.is_authenticated or user.role not in VERIFIER_ROLES or not user.organisation:
        return False
    mine, theirs = _stem(user.organisation.division_id), area_of(employer)
    return theirs.startswith(mine) or mine.startswith(theirs)


def employers_to_verify(user: User) -> QuerySet[Employer]:
    """Registrations waiting in ``user``'s area, oldest first."""
    if user.role not in VERIFIER_ROLES or not user.organisation:
        return Employer.objects.none()
    waiting = Employer.objects.filter(verified_at__isnull=True)
    mine = [e.pk for e in waiting.only("pk", "credit_code") if may_verify(user, e)]
    return waiting.filter(pk__in=mine).select_related("registered_by").order_by("registered_at")


def _admins(employer: Employer) -> list[User]:
    return [
        m.user
        for m in EmployerMember.objects.filter(
            employer=employer, is_admin=True, removed_at__isnull=True
        ).select_related("user")
    ]


def _lock(by: User, employer: Employer) -> Employer:
    if not may_verify(by, employer):
        raise PermissionDenied(_("Only commission staff of the employer's area verify it."))
    locked = Employer.objects.select_for_update().get(pk=employer.pk)
    if locked.verified_at is not None:
        raise ValidationError({"employer": [_("This employer was already verified.")]})
    return locked


@transaction.atomic
def employer_verify(*, by: User, employer: Employer) -> Employer:
    """The licence and the letter match: the employer's staff now see its accepted cases."""
    from zhongcai.notifications.services import notify

    locked = _lock(by, employer)
    locked.verified_at, locked.verified_by = timezone.now(), by
    locked.save(update_fields=["verified_at", "verified_by"])
    record_event(
        locked,
        "employer.verified",
        actor=by,
        organisation=by.organisation,
        payload={"credit_code": locked.credit_code},
    )
    for admin in _admins(locked):
        notify(
            admin,
            "employer.verified",
            _("%(name)s is verified") % {"name": locked.name},
            _("You now see the cases brought against it, once a commission accepts them."),
            link=reverse("portal:my-cases"),
            key=f"employer-verified-{locked.pk}-{admin.pk}",
        )
    employer.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def employer_refuse(*, by: User, employer: Employer, reason: str) -> None:
    """The proof does not hold: the registration is removed (the code is free again) and its
    registrant told why. The event keeps who registered what."""
    from zhongcai.notifications.services import notify

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why, for the person who registered it.")]})
    locked = _lock(by, employer)
    admins = _admins(locked)
    record_event(
        locked,
        "employer.refused",
        actor=by,
        organisation=by.organisation,
        payload={
            "credit_code": locked.credit_code,
            "name": locked.name,
            "registered_by": locked.registered_by_id,
            "reason": reason,
        },
    )
    for admin in admins:
        notify(
            admin,
            "employer.refused",
            _("The registration of %(name)s was not accepted") % {"name": locked.name},
            reason,
            link=reverse("accounts:employer"),
        )
    if locked.proof:
        locked.proof.delete(save=False)
    locked.delete()
