"""Who acts for a party on the portal besides the party itself: agents it authorised online."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case import Agent, Case, Party


class AgentAuthorisation(models.Model):
    """授权委托 given online by a party (or its employer's staff) to a registered agent account,
    for one case (LDMAL art. 24). While not revoked, the agent sees the case and acts for the
    party; the matching ``Agent`` row puts the agent on the case's documents."""

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
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "agent_user"],
                condition=models.Q(revoked_at__isnull=True),
                name="authorisation_once_per_party",
            )
        ]
        verbose_name = _("agent authorisation")
        verbose_name_plural = _("agent authorisations")

    def __str__(self) -> str:
        return f"{self.party_id} → {self.agent_user_id}"
