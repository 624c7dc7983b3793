"""Every write to accounts: public registration, staff accounts, employers and agents."""

from __future__ import annotations

import re
import unicodedata

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.core.events import record_event
from zhongcai.core.identifiers import validate_credit_code, validate_id_number, validate_mobile
from zhongcai.orgs.models import Organisation

from .mobile_codes import mobile_code_use
from .models import (
    PUBLIC_ROLES,
    STAFF_ROLES,
    AgentProfile,
    Employer,
    EmployerMember,
    Role,
    User,
)

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
    *,
    mobile: str,
    id_number: str,
    real_name: str,
    password: str,
    mobile_code: str,
    role: Role = Role.WORKER,
) -> User:
    """Register a worker, employer contact or agent. The mobile number is the login name, proved
    by the one-time code sent to it (``mobile_codes``).

    Raises ``ValidationError`` with every problem keyed by field; writes no account then. The
    code is checked last, once everything else is right, so a typo elsewhere does not spend it.
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
    mobile_code_use(mobile=mobile, code=mobile_code)
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


# --- Employers (用人单位) on the portal ---------------------------------------------------------


def masked_mobile(mobile: str | None) -> str:
    """138****5678: enough for a person to recognise a colleague's number, not to call it."""
    mobile = mobile or ""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 8 else "****"


def masked_name(name: str) -> str:
    """张伟 → 张*, 欧阳娜娜 → 欧***: enough for a colleague to know whom to ask."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def _already_registered(credit_code: str) -> str:
    admin = (
        EmployerMember.objects.filter(
            employer__credit_code=credit_code, is_admin=True, removed_at__isnull=True
        )
        .select_related("user")
        .order_by("added_at")
        .first()
    )
    if admin is not None:
        # Named, not numbered: digits shown to whoever types a code help guess a mobile.
        return _(
            "This employer is already registered; ask its administrator (%(name)s) to add you. "
            "If you think the registration is wrong, tell the arbitration commission."
        ) % {"name": masked_name(str(admin.user))}
    return _("This employer is already registered; ask its administrator to add you.")


def employer_register(
    *, by: User, credit_code: str, name: str, proof: UploadedFile | None = None
) -> Employer:
    """An employer account registers its employer by unified social credit code (GB 32100) and
    becomes its first administrator.

    A code registered already is refused with the way to get in (its administrator adds you);
    two registering one code at once: the unique code keeps one, the other gets that answer.
    The registration opens no case until commission staff verified ``proof`` (the business
    licence and the letter authorising ``by``) or the papers at the counter (``employers``).
    """
    from zhongcai.cases.serving import upload_problems

    if by.role != Role.EMPLOYER:
        raise PermissionDenied(_("Only an employer account can register an employer."))
    errors: dict[str, list[str]] = {}
    try:
        credit_code = validate_credit_code(credit_code)
    except ValidationError as exc:
        errors["credit_code"] = exc.messages
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Enter the employer's name as on its business licence.")]
    elif len(name) > Employer._meta.get_field("name").max_length:  # type: ignore[operator]
        errors["name"] = [_("The name is too long.")]
    errors |= upload_problems(proof, "proof")
    if not errors and Employer.objects.filter(credit_code=credit_code).exists():
        errors["credit_code"] = [_already_registered(credit_code)]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            now = timezone.now()
            employer = Employer(
                credit_code=credit_code, name=name, registered_by=by, registered_at=now
            )
            if proof is not None:
                employer.proof = proof
            employer.save()
            EmployerMember.objects.create(
                employer=employer, user=by, is_admin=True, added_by=by, added_at=now
            )
            record_event(
                employer,
                "employer.registered",
                actor=by,
                payload={"credit_code": credit_code, "name": name, "admin": by.pk},
            )
    except IntegrityError:
        # Someone registered the same code between our check and our insert.
        raise ValidationError({"credit_code": [_already_registered(credit_code)]}) from None
    return employer


def _lock_as_admin(by: User, employer_id: int) -> Employer:
    """Lock the employer (membership changes of one employer run one at a time, so two
    administrators cannot both leave) and check that ``by`` is one of its administrators."""
    employer = Employer.objects.select_for_update().get(pk=employer_id)
    if not EmployerMember.objects.filter(
        employer=employer, user=by, is_admin=True, removed_at__isnull=True
    ).exists():
        raise PermissionDenied(_("Only an administrator of this employer can change its staff."))
    return employer


def employer_member_add(
    *, by: User, employer: Employer, mobile: str, is_admin: bool = False
) -> EmployerMember:
    """An administrator authorises a colleague, found by the mobile number of the employer
    account the colleague registered, to act for the employer."""
    with transaction.atomic():
        employer = _lock_as_admin(by, employer.pk)
        try:
            mobile = validate_mobile(mobile)
        except ValidationError as exc:
            raise ValidationError({"mobile": exc.messages}) from None
        user = User.objects.filter(mobile=mobile, role=Role.EMPLOYER).first()
        if user is None:
            raise ValidationError(
                {
                    "mobile": [
                        _(
                            "No employer account uses this number. Ask your colleague to "
                            "register on this platform as an employer first."
                        )
                    ]
                }
            )
        if employer.members.filter(user=user, removed_at__isnull=True).exists():
            raise ValidationError({"mobile": [_("This person is already staff of the employer.")]})
        member = EmployerMember.objects.create(
            employer=employer,
            user=user,
            is_admin=is_admin,
            added_by=by,
            added_at=timezone.now(),
        )
        record_event(
            employer,
            "employer.member_added",
            actor=by,
            payload={"member": member.pk, "user": user.pk, "is_admin": is_admin},
        )
    return member


def employer_member_remove(*, by: User, member: EmployerMember) -> EmployerMember:
    """An administrator ends a colleague's authorisation (kept for the record). The last
    administrator cannot leave: the employer would have no one to manage its staff."""
    with transaction.atomic():
        employer = _lock_as_admin(by, member.employer_id)
        member = EmployerMember.objects.select_for_update().get(pk=member.pk)
        if member.removed_at is not None:
            raise ValidationError(_("This person was already removed."))
        if (
            member.is_admin
            and not employer.members.filter(is_admin=True, removed_at__isnull=True)
            .exclude(pk=member.pk)
            .exists()
        ):
            raise ValidationError(
                _("You are the only administrator: add another administrator before you leave.")
            )
        member.removed_at = timezone.now()
        member.save(update_fields=["removed_at"])
        record_event(
            employer,
            "employer.member_removed",
            actor=by,
            payload={"member": member.pk, "user": member.user_id},
        )
    return member


# --- Agents (代理人) --------------------------------------------------------------------------

LICENCE_NUMBER_RE = re.compile(r"^[0-9]{17}$")


def agent_profile_save(
    *, by: User, kind: str, licence_number: str = "", firm: str = ""
) -> AgentProfile:
    """An agent account says what kind of agent it is (LDMAL art. 24): a lawyer gives the
    17-digit practising licence number (律师执业证号) and the firm."""
    if by.role != Role.AGENT:
        raise PermissionDenied(_("Only an agent account has agent details."))
    errors: dict[str, list[str]] = {}
    if kind not in AgentProfile.Kind.values:
        errors["kind"] = [_("Choose what kind of agent you are.")]
    licence_number = re.sub(r"\s", "", unicodedata.normalize("NFKC", licence_number or ""))
    firm = (firm or "").strip()
    if kind == AgentProfile.Kind.LAWYER:
        if not LICENCE_NUMBER_RE.match(licence_number):
            errors["licence_number"] = [
                _("A lawyer's practising licence number has 17 digits, with no letters.")
            ]
        if not firm:
            errors["firm"] = [_("Enter the law firm you practise at.")]
    elif kind == AgentProfile.Kind.CITIZEN:
        licence_number = ""
    if len(licence_number) > 17:
        errors["licence_number"] = [_("The licence number is too long.")]
    if len(firm) > AgentProfile._meta.get_field("firm").max_length:  # type: ignore[operator]
        errors["firm"] = [_("The name is too long.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        User.objects.select_for_update().get(pk=by.pk)
        profile, _created = AgentProfile.objects.update_or_create(
            user=by, defaults={"kind": kind, "licence_number": licence_number, "firm": firm}
        )
        record_event(
            by,
            "agent.profile_saved",
            actor=by,
            payload={"kind": kind, "licence_number": licence_number, "firm": firm},
        )
    return profile
