"""Stored figures for the dashboards (docs/adr/0012-monitoring-figures.md).

``CaseFigure`` holds, per accepted arbitration case, what the indicators read from the case, its
events, awards, clocks, parties and claims; ``MediationFigure`` the same for a concluded mediation
case. ``DailyFigure`` adds them up per organisation and day. All three are derived data, written
only by ``zhongcai.monitoring.figures`` when a case's events are recorded and rebuilt from the
source every night; the definitions stay in ``indicators``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class CaseFigure(models.Model):
    case = models.OneToOneField(
        "cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )  # the institute handling the case
    accepted_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    method = models.CharField(max_length=24, blank=True)  # "" while open; indicators.METHODS
    awarded = models.BooleanField(default=False)
    final = models.BooleanField(default=False)
    clocked = models.BooleanField(default=False)  # closed with a recorded award clock
    in_time = models.BooleanField(default=False)
    net_days = models.IntegerField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)  # the latest award clock's due date
    paused = models.BooleanField(default=False)
    collective = models.BooleanField(default=False)
    online = models.BooleanField(default=False)
    workers = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG_FIELD = "organisation"

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "accepted_on"], name="casefig_org_accepted"),
            models.Index(fields=["organisation", "closed_on"], name="casefig_org_closed"),
            models.Index(
                fields=["organisation", "due_on"],
                name="casefig_open_due",
                condition=Q(closed_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.case_id}: accepted {self.accepted_on}, closed {self.closed_on}"


class MediationFigure(models.Model):
    mediation_case = models.OneToOneField(
        "mediation.MediationCase", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    concluded_on = models.DateField()
    agreed = models.BooleanField(default=False)

    SCOPE_ORG_FIELD = "organisation"

    def __str__(self) -> str:
        return f"mediation case {self.mediation_case_id}: concluded {self.concluded_on}"


class DailyFigure(models.Model):
    """One organisation's day: the cases accepted on it and the cases closed on it."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    # Accepted on the day.
    accepted = models.PositiveIntegerField(default=0)
    accepted_collective = models.PositiveIntegerField(default=0)
    accepted_online = models.PositiveIntegerField(default=0)
    workers = models.PositiveIntegerField(default=0)
    collective_workers = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    # Closed on the day.
    closed = models.PositiveIntegerField(default=0)
    closed_mediation = models.PositiveIntegerField(default=0)
    closed_award = models.PositiveIntegerField(default=0)
    closed_withdrawn = models.PositiveIntegerField(default=0)
    closed_deemed_withdrawn = models.PositiveIntegerField(default=0)
    closed_revoked = models.PositiveIntegerField(default=0)
    closed_transferred = models.PositiveIntegerField(default=0)
    closed_other = models.PositiveIntegerField(default=0)
    awards = models.PositiveIntegerField(default=0)
    awards_final = models.PositiveIntegerField(default=0)
    clocked = models.PositiveIntegerField(default=0)
    in_time = models.PositiveIntegerField(default=0)
    net_days = models.BigIntegerField(default=0)  # the sum over the cases closed on the day
    # Mediation organisations' cases concluded on the day.
    mediation_agreed = models.PositiveIntegerField(default=0)
    mediation_concluded = models.PositiveIntegerField(default=0)

    SCOPE_ORG_FIELD = "organisation"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "day"], name="dailyfig_org_day"),
        ]
        indexes = [models.Index(fields=["day", "organisation"], name="dailyfig_day_org")]

    def __str__(self) -> str:
        return f"organisation {self.organisation_id} on {self.day}"
