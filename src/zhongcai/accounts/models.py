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
