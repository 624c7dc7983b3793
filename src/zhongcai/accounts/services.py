"""Every write to accounts: public registration and staff accounts."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhongcai.core.events import record_event
from zhongcai.core.identifiers import validate_id_number, validate_mobile
from zhongcai.orgs.models import Organisation

from .models import PUBLIC_ROLES, STAFF_ROLES, Role, User

# Which roles an organisation of each type employs.
ROLES_BY_ORGANISATION_TYPE: dict[str, frozenset[Role]] = {
    Organisation.Type.HRSS_DEPARTMENT: frozenset({Role.HRSS_ADMIN, Role.SYSTEM_ADMIN}),
    Organisation.Type.COMMISSION: frozenset({Role.INSTITUTE_HEAD, Role.ARBITRATOR}),
    Organisation.Type.ARBITRATION_INSTITUTE: frozenset(
        {Role.INTAKE_OFFICER, Role.ARBITRATOR, Role.CLERK, Role.INSTITUTE_HEAD, Role.MEDIATOR}
    ),
    Organisation.Type.MEDIATION_ORGANISATION: frozenset({Role.MEDIATOR}),
    Organisation.Type.COURT: frozenset({Role.COURT}),
}


def _duplicate_errors(mobile: str, id_number: str | None) -> dict[str, str]:
    errors = {}
    if User.objects.filter(mobile=mobile).exists():
        errors["mobile"] = _(
            "This mobile number is already registered. Log in or reset the password."
        )
    if id_number and User.objects.filter(id_number=id_number).exists():
        errors["id_number"] = _("An account with this ID number already exists.")
    return errors


def public_user_register(
    *, mobile: str, id_number: str, real_name: str, password: str, role: Role = Role.WORKER
) -> User:
    """Register a worker, employer contact or agent. The mobile number is the login name.

    Raises ``ValidationError`` with every problem keyed by field; writes nothing then.
    """
    errors: dict[str, list[str]] = {}
    try:
        mobile = validate_mobile(mobile)
    except ValidationError as exc:
        errors["mobile"] = exc.messages
    try:
        id_number = validate_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
    real_name = (real_name or "").strip()
    if not real_name:
        errors["real_name"] = [_("Please enter your name as on your ID card.")]
    if role not in PUBLIC_ROLES:
        errors["role"] = [_("Choose worker, employer or agent.")]
    candidate = User(username=mobile, real_name=real_name, mobile=mobile, role=role)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if not errors:
        errors.update({k: [v] for k, v in _duplicate_errors(mobile, id_number).items()})
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user = User(
                username=mobile, real_name=real_name, mobile=mobile, id_number=id_number, role=role
            )
            user.set_password(password)
            user.save()
            record_event(user, "user.registered", actor=user, payload={"role": str(role)})
    except IntegrityError:
        # Two registrations with the same number at once: the database kept one.
        raise ValidationError(
            {k: [v] for k, v in _duplicate_errors(mobile, id_number).items()}
            or {"mobile": [_("This mobile number is already registered.")]}
        ) from None
    return user


def can_manage_staff_of(by: User | None, organisation: Organisation) -> bool:
    """System (``None``), system administrators and HRSS administrators above or at the org."""
    if by is None:
        return True
    if by.role not in {Role.SYSTEM_ADMIN, Role.HRSS_ADMIN} or by.organisation is None:
        return False
    return organisation.is_within(by.organisation)


@transaction.atomic
def staff_user_create(
    *,
    by: User | None,
    username: str,
    real_name: str,
    role: Role,
    organisation: Organisation,
    password: str,
    mobile: str | None = None,
) -> User:
    """Create an account for someone who works for ``organisation``."""
    if not can_manage_staff_of(by, organisation):
        raise PermissionDenied(_("You may only create accounts in your own organisation or below."))
    errors: dict[str, list[str]] = {}
    if role not in STAFF_ROLES:
        errors["role"] = [_("Public users register themselves on the portal.")]
    elif role not in ROLES_BY_ORGANISATION_TYPE[organisation.type]:
        errors["role"] = [
            _("A %(role)s cannot work for a %(type)s.")
            % {"role": Role(role).label, "type": organisation.get_type_display()}
        ]
    if User.objects.filter(username=username).exists():
        errors["username"] = [_("This user name is taken.")]
    if mobile:
        try:
            mobile = validate_mobile(mobile)
        except ValidationError as exc:
            errors["mobile"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        real_name=real_name,
        role=role,
        organisation=organisation,
        mobile=mobile or None,
    )
    user.set_password(password)
    user.save()
    record_event(
        user,
        "user.created",
        actor=by,
        organisation=organisation,
        payload={"username": username, "role": str(role), "organisation": organisation.pk},
    )
    return user
