"""The people of the roster: arbitrators, recorders, case assistants and mediators.

A ``Person`` is a record in its own right: many part-time arbitrators never log in. When the
person has an account, ``user`` links it. Each term of service is an ``Appointment``; ending one
keeps it (with the reason), so a dismissal stays on record for the re-appointment bar. Rows are
written only by ``zhongcai.orgs.people``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tree import Organisation


class QualificationRoute(models.TextChoices):
    """LDMAL art. 20: an arbitrator is fair and meets one of four conditions."""

    FORMER_JUDGE = "former_judge", _("Former judge")
    LEGAL_RESEARCH = (
        "legal_research",
        _("Legal research or teaching with an intermediate title or above"),
    )
    HR_OR_UNION = (
        "hr_or_union",
        _("Legal knowledge and 5 years or more in human-resources management or union work"),
    )
    LAWYER = "lawyer", _("Practising lawyer for 3 years or more")


class EndReason(models.TextChoices):
    """Why a term ended (组织规则 arts. 25–28, 32–34 [M]; LDMAL art. 34).

    Which of them are dismissals that bar re-appointment is ``orgs.rules`` ("dismissal_reasons").
    """

    TERM_EXPIRED = "term_expired", _("Term expired without renewal")
    POST_CHANGED = "post_changed", _("No longer performs the duties (change of post)")
    RESIGNED = "resigned", _("Resigned")
    FAILED_ASSESSMENT = "failed_assessment", _("Failed the annual assessment")
    MISCONDUCT = (
        "misconduct",
        _(
            "Misconduct under LDMAL art. 34: private meetings or gifts, bribery, favouritism, "
            "perverting the award"
        ),
    )
    PROHIBITED_CONDUCT = "prohibited_conduct", _("Other prohibited conduct")
    CRIMINAL = "criminal", _("Criminal liability")
    OTHER = "other", _("Other reason")


class Person(models.Model):
    class Kind(models.TextChoices):
        ARBITRATOR = "arbitrator", _("Arbitrator")
        RECORDER = "recorder", _("Recorder")
        CASE_ASSISTANT = "case_assistant", _("Case assistant")
        MEDIATOR = "mediator", _("Mediator")

    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Employment(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time")
        PART_TIME = "part_time", _("Part-time")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_("The commission, or for a mediator the mediation organisation."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    id_number = models.CharField(
        _("resident ID number"),
        max_length=18,
        blank=True,
        help_text=_("Required for arbitrators: the re-appointment bar follows the person."),
    )
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True)
    employment = models.CharField(
        _("full- or part-time"), max_length=16, choices=Employment.choices
    )
    unit = models.CharField(
        _("unit"), max_length=100, blank=True, help_text=_("Where a part-timer works.")
    )
    qualification_route = models.CharField(
        _("qualification"),
        max_length=32,
        choices=QualificationRoute.choices,
        blank=True,
        help_text=_("Which condition of LDMAL art. 20 the arbitrator meets."),
    )
    qualification_evidence = models.CharField(
        _("supporting document"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the title certificate or lawyer's licence and its number."),
    )
    qualification_document = models.FileField(
        _("scan of the supporting document"),
        upload_to="orgs/qualifications/%Y/",
        blank=True,
    )
    specialties = models.CharField(_("specialties"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roster_person",
        help_text=_("The person's account, if they log in."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG_FIELD = "organisation"

    class Meta:
        ordering = ["organisation", "kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "id_number"],
                condition=~models.Q(id_number=""),
                name="person_once_per_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="arbitrator") | models.Q(qualification_route=""),
                name="person_qualification_only_arbitrators",
            ),
        ]
        indexes = [models.Index(fields=["id_number"], name="person_id_number")]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name


class Appointment(models.Model):
    """One term of a person with the organisation (聘任). At most one is active at a time."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        DISMISSED = "dismissed", _("Dismissed")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="appointments")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=32, choices=EndReason.choices, blank=True)
    end_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG_FIELD = "person__organisation"

    class Meta:
        ordering = ["person", "-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="active"),
                name="appointment_one_active_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="appointment_ends_after_start",
            ),
        ]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")

    def __str__(self) -> str:
        return f"{self.person_id} {self.starts_on}"


class TrainingRecord(models.Model):
    """In-service training attended (组织规则 art. 29 [M]: 40 class hours a year)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="trainings")
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(_("class hours"), max_digits=5, decimal_places=1)
    course = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("provider"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG_FIELD = "person__organisation"

    class Meta:
        ordering = ["person", "-completed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="training_hours_positive")
        ]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self) -> str:
        return self.course


class AnnualAssessment(models.Model):
    """The annual assessment of an arbitrator (组织规则 arts. 25–28 [M])."""

    class Result(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG_FIELD = "person__organisation"

    class Meta:
        ordering = ["person", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="assessment_once_a_year")
        ]
        verbose_name = _("annual assessment")
        verbose_name_plural = _("annual assessments")

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}"
