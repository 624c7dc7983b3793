"""Users and their roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user does on the platform. One role per account (see docs/adr/0002-roles.md)."""

    # The public, on the portal.
    WORKER = "worker", _("Worker")
    EMPLOYER = "employer", _("Employer")
    AGENT = "agent", _("Agent")
    # Staff of an organisation, in the workspace.
    MEDIATOR = "mediator", _("Mediator")
    INTAKE_OFFICER = "intake_officer", _("Intake officer")
    ARBITRATOR = "arbitrator", _("Arbitrator")
    CLERK = "clerk", _("Clerk")
    INSTITUTE_HEAD = "institute_head", _("Head of arbitration institute")
    HRSS_ADMIN = "hrss_admin", _("HRSS administrator")
    COURT = "court", _("Court user")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


PUBLIC_ROLES = frozenset({Role.WORKER, Role.EMPLOYER, Role.AGENT})
STAFF_ROLES = frozenset(set(Role) - PUBLIC_ROLES)


class User(AbstractUser):
    """An account. Staff belong to exactly one organisation; the public belong to none.

    Public users register with a mobile number (their login name) and a resident ID number.
    """

    role = models.CharField(max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    real_name = models.CharField(_("name"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile number"), max_length=11, null=True, blank=True, unique=True)
    id_number = models.CharField(
        _("resident ID number"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        help_text=_("GB 11643, 18 characters with check digit."),
    )

    SCOPE_ORG_FIELD = "organisation"

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
            # A public user never belongs to an organisation; staff always do.
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=sorted(PUBLIC_ROLES), organisation__isnull=True)
                    | (
                        ~models.Q(role__in=sorted(PUBLIC_ROLES))
                        & models.Q(organisation__isnull=False)
                    )
                ),
                name="user_staff_has_organisation",
            ),
        ]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.real_name or self.username

    @classmethod
    def scope_for_public(cls, user: "User") -> models.Q:
        return models.Q(pk=user.pk)

    @property
    def is_public(self) -> bool:
        return self.role in PUBLIC_ROLES

    @property
    def is_staff_member(self) -> bool:
        """Works for an organisation (not Django's ``is_staff``, which opens the admin site)."""
        return self.role in STAFF_ROLES


class Employer(models.Model):
    """用人单位 on the portal: an organisation identified by its unified social credit code
    (GB 32100), with the staff it authorised to act for it. Not part of the administrative
    organisation tree (``orgs``): an employer is a party, never a handler.

    A registration gives access to nothing until commission staff verified it against the
    business licence and the letter authorising the registrant (``verified_at``): whoever
    types a credit code must not see the cases brought against that company.
    """

    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=100)
    registered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField()
    proof = models.FileField(
        _("business licence and letter of authorisation"),
        upload_to="accounts/employers/%Y/%m/",
        blank=True,
        help_text=_("A scan or photo of both, for the commission to check."),
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return self.name


class EmployerMember(models.Model):
    """A person the employer authorised to act for it on the portal (HR staff, in-house counsel).

    An administrator adds and removes the others; removal ends the membership (kept for the
    record), it is never deleted.
    """

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="employers")
    is_admin = models.BooleanField(default=False)
    added_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["employer", "-is_admin", "added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "user"],
                condition=models.Q(removed_at__isnull=True),
                name="employer_member_once",
            )
        ]
        verbose_name = _("employer staff member")
        verbose_name_plural = _("employer staff members")

    def __str__(self) -> str:
        return f"{self.employer_id}/{self.user_id}"


class AgentProfile(models.Model):
    """What an agent account declares about itself: a lawyer's licence, or a citizen agent."""

    class Kind(models.TextChoices):
        LAWYER = "lawyer", _("Lawyer")
        LEGAL_WORKER = "legal_worker", _("Grass-roots legal service worker")
        CITIZEN = "citizen", _("Citizen (close relative, colleague, union)")

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="agent_profile"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    licence_number = models.CharField(_("practising licence number"), max_length=17, blank=True)
    firm = models.CharField(_("law firm or organisation"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("agent profile")
        verbose_name_plural = _("agent profiles")
        constraints = [
            # A lawyer is identified by the 17-digit 执业证号 (司法部 format).
            models.CheckConstraint(
                condition=~models.Q(kind="lawyer") | ~models.Q(licence_number=""),
                name="agent_lawyer_has_licence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class MobileCode(models.Model):
    """A one-time code sent by SMS to prove that whoever registers holds the mobile number: the
    number is the login name and where the commission's notices go. Only its hash is kept."""

    mobile = models.CharField(max_length=11, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mobile verification code")
        verbose_name_plural = _("mobile verification codes")

    def __str__(self) -> str:
        return f"{self.mobile[:3]}****{self.mobile[-4:]}"
