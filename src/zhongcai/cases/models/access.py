"""Who acts for a party on the portal besides the party itself: agents it authorised online."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case import Agent, Case, Party


class AgentAuthorisationQuerySet(models.QuerySet["AgentAuthorisation"]):
    def pending(self) -> AgentAuthorisationQuerySet:
        """Invitations the agent has not answered yet and the party has not withdrawn."""
        return self.filter(
            accepted_at__isnull=True, declined_at__isnull=True, revoked_at__isnull=True
        )

    def active(self) -> AgentAuthorisationQuerySet:
        """Authorisations in force: accepted by the agent and not revoked since."""
        return self.filter(accepted_at__isnull=False, revoked_at__isnull=True)


class AgentAuthorisation(models.Model):
    """授权委托 given online by a party (or its employer's staff) to a registered agent account,
    for one case (LDMAL art. 24). It takes effect only once the agent accepts it: from then
    until it is revoked the agent sees the case and acts for the party, and the matching
    ``Agent`` row puts the agent on the case's documents."""

    class State(models.TextChoices):
        INVITED = "invited", _("Waiting for the agent to accept")
        ACCEPTED = "accepted", _("Accepted by the agent")
        DECLINED = "declined", _("Declined by the agent")
        REVOKED = "revoked", _("Authorisation revoked")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="authorisations")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="authorisations")
    agent_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authorisations"
    )
    agent = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.SET_NULL)
    authority = models.CharField(max_length=16, choices=Agent.Authority.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField()
    accepted_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the agent accepted; none while it is pending.")
    )
    declined_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the agent declined the invitation.")
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AgentAuthorisationQuerySet.as_manager()

    class Meta:
        ordering = ["case", "granted_at"]
        constraints = [
            # A declined or revoked invitation does not block a new one later.
            models.UniqueConstraint(
                fields=["party", "agent_user"],
                condition=models.Q(revoked_at__isnull=True, declined_at__isnull=True),
                name="authorisation_once_per_party",
            )
        ]
        verbose_name = _("agent authorisation")
        verbose_name_plural = _("agent authorisations")

    def __str__(self) -> str:
        return f"{self.party_id} → {self.agent_user_id}"

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.declined_at is not None:
            return self.State.DECLINED
        if self.accepted_at is not None:
            return self.State.ACCEPTED
        return self.State.INVITED

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)
