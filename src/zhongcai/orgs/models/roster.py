"""The published arbitrator roster (仲裁员名册, LDMAL art. 20; 组织规则 art. 22 [M])."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .people import Appointment, Person, QualificationRoute
from .tree import Organisation
from .verification import QuarterSubmission


class RosterEntry(models.Model):
    """One line of the public roster, copied from an approved quarter.

    It holds only what may be published (name, sex, commission, full-/part-time, qualification,
    a part-timer's unit) plus what filters it: no field here can leak an ID number, a phone or an
    address. Rewritten for a commission when its quarter is approved; removed at once when the
    appointment ends (``zhongcai.orgs.roster``).
    """

    appointment = models.OneToOneField(
        Appointment, on_delete=models.CASCADE, related_name="roster_entry"
    )
    commission = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=50)
    sex = models.CharField(max_length=8, choices=Person.Sex.choices)
    commission_name = models.CharField(max_length=100)
    employment = models.CharField(max_length=16, choices=Person.Employment.choices)
    qualification_route = models.CharField(
        max_length=32, choices=QualificationRoute.choices, blank=True
    )
    unit = models.CharField(max_length=100, blank=True)
    city_code = models.CharField(max_length=6, blank=True)
    county_code = models.CharField(max_length=6, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    source = models.ForeignKey(QuarterSubmission, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["city_code", "county_code", "commission_name", "employment", "name", "pk"]
        indexes = [
            models.Index(fields=["city_code", "county_code"], name="roster_division"),
        ]
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")

    def __str__(self) -> str:
        return self.name
