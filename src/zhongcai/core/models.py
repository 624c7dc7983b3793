"""What every app stands on: the append-only event log and the holiday calendar."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One step in the life of a subject (a case, an organisation, a user), as it happened.

    Each subject has its own hash chain: ``seq`` counts from 1, ``prev_hash`` is the hash of the
    event before it, ``hash`` is SHA-256 over a canonical serialization of this event. Rows are
    written only by ``zhongcai.core.events.record_event`` inside the service that makes the change;
    ``at`` is always the server clock. ``manage.py verify_events`` recomputes every chain.
    """

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64)
    seq = models.PositiveIntegerField(help_text=_("Position of the event in its subject's chain."))
    kind = models.CharField(max_length=64, help_text=_("What happened, e.g. case.accepted."))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Who did it; empty for the system itself (timers, imports)."),
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The organisation whose data this is; decides who may read the event."),
    )
    at = models.DateTimeField(default=timezone.now, editable=False)
    payload = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, unique=True)

    SCOPE_ORG_FIELD = "organisation"

    class Meta:
        ordering = ["subject_type", "subject_id", "seq"]
        constraints = [
            # Two writers that race on one subject cannot both append the same link.
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "seq"], name="event_one_link_per_position"
            ),
        ]
        indexes = [models.Index(fields=["kind", "at"], name="event_kind_at")]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.kind} #{self.seq} ({self.subject_type_id}:{self.subject_id})"


class HolidayYear(models.Model):
    """A year whose State Council holiday arrangement is loaded.

    For a year without a row here the calendar falls back to plain weekends and says so.
    """

    year = models.PositiveSmallIntegerField(primary_key=True)
    source = models.CharField(
        max_length=200,
        help_text=_("Where the arrangement comes from, e.g. 国办发明电〔2025〕7号."),
    )

    class Meta:
        ordering = ["year"]
        verbose_name = _("holiday arrangement year")
        verbose_name_plural = _("holiday arrangement years")

    def __str__(self) -> str:
        return str(self.year)


class Holiday(models.Model):
    """A day that breaks the weekday/weekend rule: a public holiday or a make-up working day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday")
        WORKDAY = "workday", _("Make-up working day")

    year = models.ForeignKey(HolidayYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=50, help_text=_("e.g. 国庆节, 春节"))

    class Meta:
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]), name="holiday_kind_valid"
            ),
        ]
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holidays and make-up working days")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"

    def clean(self) -> None:
        # A row belongs to the year of its own date, even when a New Year notice moves days at
        # the end of the previous December (2018-12-29..31 belong to 2018).
        if self.date is None:
            return
        if self.year_id is not None and self.date.year != self.year_id:
            raise ValidationError(
                {
                    "date": _("%(date)s is not in %(year)d; enter it under that year.")
                    % {"date": self.date, "year": self.year_id}
                }
            )
        # Make-up working days (调休上班) are always weekend days; on a weekday it would change
        # nothing, so it is a typo.
        if self.kind == self.Kind.WORKDAY and self.date.weekday() < 5:
            raise ValidationError(
                {
                    "date": _(
                        "%(date)s is a weekday; only a Saturday or Sunday can be a make-up "
                        "working day."
                    )
                    % {"date": self.date}
                }
            )
