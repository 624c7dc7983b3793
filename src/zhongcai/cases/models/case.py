"""The arbitration case file: the case, its parties and agents, its numbered claims, its clocks."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..industries import industry_choices
from ..taxonomy import Category, ClaimType, PersonnelSubtype


class Status(models.TextChoices):
    """spec §12.1. The transition table is in ``workflow``; post-award states are ``PostAward``."""

    DRAFT = "draft", _("Draft")
    RECEIVED = "received", _("Received")
    AWAITING_CORRECTION = "awaiting_correction", _("Awaiting correction")
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    REDIRECTED = "redirected", _("Redirected to the competent commission")
    PANEL_FORMED = "panel_formed", _("Tribunal formed")
    DEFENCE_PERIOD = "defence_period", _("Defence period")
    HEARING_SCHEDULED = "hearing_scheduled", _("Hearing scheduled")
    HEARING = "hearing", _("In hearing")
    DELIBERATION = "deliberation", _("Deliberation")
    CLOSED_AWARD = "closed_award", _("Closed by award")
    CLOSED_MEDIATION = "closed_mediation", _("Closed by mediation")
    CLOSED_WITHDRAWN = "closed_withdrawn", _("Withdrawn")
    CLOSED_DEEMED_WITHDRAWN = "closed_deemed_withdrawn", _("Deemed withdrawn")
    CLOSED_REVOKED = "closed_revoked", _("Revoked")
    CLOSED_TRANSFERRED = "closed_transferred", _("Transferred to another commission")
    ARCHIVED = "archived", _("Archived")


# After acceptance and before any closing: the tribunal's working states.
OPEN_STATES = frozenset(
    {
        Status.ACCEPTED,
        Status.PANEL_FORMED,
        Status.DEFENCE_PERIOD,
        Status.HEARING_SCHEDULED,
        Status.HEARING,
        Status.DELIBERATION,
    }
)
CLOSED_STATES = frozenset(
    {
        Status.CLOSED_AWARD,
        Status.CLOSED_MEDIATION,
        Status.CLOSED_WITHDRAWN,
        Status.CLOSED_DEEMED_WITHDRAWN,
        Status.CLOSED_REVOKED,
        Status.CLOSED_TRANSFERRED,
    }
)


class PostAward(models.TextChoices):
    """spec §12.1 POST_AWARD_*: what became of an award, driven by timers and court notices.

    Orthogonal to ``Status``: a court case can outlast the archiving of the arbitration file.
    """

    PENDING_EFFECT = "pending_effect", _("Pending effect (suit windows open)")
    EFFECTIVE = "effective", _("Effective")
    IN_LITIGATION = "in_litigation", _("In litigation")
    SET_ASIDE_PENDING = "set_aside_pending", _("Application to set aside pending")
    SET_ASIDE = "set_aside", _("Set aside by the court")
    IN_ENFORCEMENT = "in_enforcement", _("In enforcement")


class TribunalKind(models.TextChoices):
    """LDMAL art. 31; 组织规则 art. 13: three arbitrators for collective and major cases."""

    SOLE = "sole", _("Sole arbitrator")
    THREE = "three", _("Three arbitrators")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online application")
    COUNTER = "counter", _("Written application at the counter")
    ORAL = "oral", _("Oral application recorded at the counter")


class Origin(models.TextChoices):
    """Whether every step was recorded by this system as it happened (网上办案率)."""

    SYSTEM = "system", _("Handled in this system")
    LEGACY = "legacy", _("Imported from a legacy system")


class Case(models.Model):
    """An application for arbitration and, once accepted, the case.

    ``status`` and the clock columns are written only by the services in ``workflow`` and
    ``services``, always together with the case's events; ``integrity`` checks they agree.
    """

    commission = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        help_text=_("The arbitration commission applied to: the legal body that decides."),
    )
    institute = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="handled_cases",
        help_text=_("The commission's arbitration institute, which handles the case."),
    )
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.DRAFT)
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.LABOR)
    personnel_subtype = models.CharField(
        max_length=32, choices=PersonnelSubtype.choices, blank=True
    )
    causes = models.JSONField(default=list, blank=True, help_text=_("Cause codes (案由)."))
    primary_cause = models.CharField(max_length=32, blank=True, db_index=True)
    facts_and_reasons = models.TextField(blank=True)
    evidence_summary = models.TextField(
        blank=True, help_text=_("Evidence, its sources, witnesses' names and addresses.")
    )
    workplace_division = models.ForeignKey(
        "orgs.Division",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the labor contract is performed (劳动合同履行地), for jurisdiction."),
    )
    not_labor_flags = models.JSONField(
        default=list, blank=True, help_text=_("Scope-check findings (spec §1.3).")
    )
    collective = models.BooleanField(default=False)
    simplified = models.BooleanField(default=False)
    public_hearing = models.BooleanField(default=True)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.COUNTER)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.SYSTEM)
    dispute = models.UUIDField(
        default=uuid.uuid4,
        editable=False,
        db_index=True,
        help_text=_("The same dispute across a mediation and this arbitration (issue 8)."),
    )

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        help_text=_("The public account that filed online, if any."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    received_at = models.DateTimeField(null=True, blank=True)
    clock_started_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("Receipt date, reset when corrections are complete (办案规则 art. 46(2))."),
    )
    correction_notice_issued = models.BooleanField(default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    case_year = models.PositiveSmallIntegerField(null=True, blank=True)
    case_seq = models.PositiveIntegerField(null=True, blank=True)
    case_number = models.CharField(max_length=64, blank=True, db_index=True)
    redirected_to = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    next_deadline = models.DateField(null=True, blank=True, db_index=True)
    next_deadline_code = models.CharField(max_length=32, blank=True)

    # After acceptance (issue "Arbitration cases II").
    major = models.BooleanField(
        default=False,
        help_text=_("Major-impact, difficult or complex: three arbitrators (组织规则 art. 13)."),
    )
    tribunal_kind = models.CharField(max_length=8, choices=TribunalKind.choices, blank=True)
    suspended = models.BooleanField(default=False, help_text=_("办案规则 art. 47: clock paused."))
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_approved_at = models.DateTimeField(null=True, blank=True)
    post_award = models.CharField(max_length=24, choices=PostAward.choices, blank=True)
    transferred_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transferred_to",
        help_text=_("The case of the commission that transferred this one (办案规则 art. 9)."),
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    retention_years = models.PositiveSmallIntegerField(null=True, blank=True)
    retain_until = models.DateField(null=True, blank=True)

    SCOPE_ORG_FIELD = "institute"

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "case_year", "case_seq"],
                condition=models.Q(case_seq__isnull=False),
                name="case_number_unique_per_commission_year",
            ),
            # Imported legacy numbers and our own can never coincide.
            models.UniqueConstraint(
                fields=["commission", "case_number"],
                condition=~models.Q(case_number=""),
                name="case_number_unique_per_commission",
            ),
        ]
        indexes = [
            models.Index(fields=["institute", "status", "next_deadline"], name="case_queue"),
            models.Index(fields=["commission", "accepted_on"], name="case_accepted"),
        ]
        verbose_name = _("arbitration case")
        verbose_name_plural = _("arbitration cases")

    def __str__(self) -> str:
        return self.case_number or _("Application %(id)s") % {"id": self.pk}

    @classmethod
    def scope_for_public(cls, user: object) -> models.Q:
        from ..representation import public_cases_q

        return public_cases_q(user)  # type: ignore[arg-type]


class Party(models.Model):
    """申请人 / 被申请人 / 第三人: a worker or an employer in one case."""

    class Role(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        RESPONDENT = "respondent", _("Respondent")
        THIRD_PARTY = "third_party", _("Third party")

    class Kind(models.TextChoices):
        WORKER = "worker", _("Worker")
        EMPLOYER = "employer", _("Employer")

    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class DispatchRole(models.TextChoices):
        """LDMAL art. 22: in labor dispatch both units are co-parties."""

        NONE = "", _("Not a dispatch case")
        DISPATCHING = "dispatching", _("Dispatching unit")
        USING = "using", _("Using unit")

    class RegistrationType(models.TextChoices):
        """The employer's registration type (ownership), as the statistical yearbook lists it
        (spec §7.1)."""

        STATE_OWNED = "state_owned", _("State-owned")
        COLLECTIVE = "collective", _("Collective")
        PRIVATE = "private", _("Private")
        FOREIGN = "foreign", _("Foreign, Hong Kong, Macao or Taiwan funded")
        SHAREHOLDING = "shareholding", _("Joint operation or shareholding")
        INDIVIDUAL = "individual", _("Individual business")
        PUBLIC = "public", _("State organ or public institution")
        SOCIAL = "social", _("Social organisation")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=16, choices=Role.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    # Worker
    sex = models.CharField(max_length=8, choices=Sex.choices, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    id_number = models.CharField(max_length=18, blank=True)
    occupation = models.CharField(max_length=50, blank=True)
    # Employer
    credit_code = models.CharField(max_length=18, blank=True)
    legal_representative = models.CharField(max_length=50, blank=True)
    legal_representative_title = models.CharField(max_length=50, blank=True)
    dispatch_role = models.CharField(
        max_length=16, choices=DispatchRole.choices, blank=True, default=""
    )
    industry = models.CharField(
        _("industry"),
        max_length=1,
        choices=industry_choices,
        blank=True,
        help_text=_("Section of GB/T 4754-2017 (A to T); employers only, for the statistics."),
    )
    registration_type = models.CharField(
        _("registration type"),
        max_length=16,
        choices=RegistrationType.choices,
        blank=True,
        help_text=_("Registration type (ownership); employers only, for the statistics."),
    )
    # Both
    domicile = models.CharField(max_length=200, blank=True)
    domicile_division = models.ForeignKey(
        "orgs.Division", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mailing_address = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    is_representative = models.BooleanField(
        default=False, help_text=_("Elected representative of a collective case (3 to 5).")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_parties",
    )

    class Meta:
        ordering = ["case", "role", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return self.name


class Agent(models.Model):
    """代理人, acting for one party under a power of attorney (LDMAL art. 24)."""

    class Kind(models.TextChoices):
        LAWYER = "lawyer", _("Lawyer")
        LEGAL_WORKER = "legal_worker", _("Grass-roots legal service worker")
        RELATIVE = "relative", _("Close relative or colleague")
        UNION = "union", _("Trade union")
        STATUTORY = "statutory", _("Statutory representative")

    class Authority(models.TextChoices):
        GENERAL = "general", _("General authority")
        SPECIAL = "special", _("Special authority (may admit, waive, change claims, settle)")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="agents")
    name = models.CharField(max_length=50)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    authority = models.CharField(max_length=16, choices=Authority.choices)
    id_number = models.CharField(max_length=18, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    firm = models.CharField(max_length=100, blank=True)
    power_of_attorney_received = models.BooleanField(default=False)

    class Meta:
        ordering = ["party", "pk"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return self.name


class ClaimItem(models.Model):
    """One numbered claim (仲裁请求) of the application."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="claims")
    number = models.PositiveSmallIntegerField()
    type = models.CharField(max_length=32, choices=ClaimType.choices)
    description = models.TextField()
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("Yuan.")
    )

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="claim_number_unique"),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="claim_amount_not_negative",
            ),
        ]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self) -> str:
        return f"{self.number}. {self.get_type_display()}"


class CaseDeadline(models.Model):
    """One statutory clock of a case: when it started, when it falls due, and how it ended.

    The due date is the deadline engine's answer for (``started_on``, the period's length and
    unit); the explanation is recomputed from the same inputs when shown.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Running")
        PAUSED = "paused", _("Paused")
        MET = "met", _("Met")
        CANCELLED = "cancelled", _("No longer running")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    code = models.CharField(max_length=32)
    party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadlines",
        help_text=_("For periods that run per party from its own service date (spec §11.1(8))."),
    )
    started_on = models.DateField()
    days = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=16)
    extension_days = models.PositiveSmallIntegerField(
        default=0, help_text=_("Approved extension (LDMAL art. 43: at most 15 days).")
    )
    excluded_days = models.PositiveIntegerField(
        default=0,
        help_text=_("Days not counted: suspension, public-notice service (办案规则 art. 46)."),
    )
    adjustments = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Each extension and excluded stretch, for the derivation."),
    )
    paused_on = models.DateField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(db_index=True)
    certain = models.BooleanField(
        default=True, help_text=_("False when a year's holiday arrangement was not yet entered.")
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    met_late = models.BooleanField(default=False)

    class Meta:
        ordering = ["case", "due_on", "pk"]
        indexes = [models.Index(fields=["state", "due_on"], name="deadline_open_due")]
        verbose_name = _("statutory deadline")
        verbose_name_plural = _("statutory deadlines")

    def __str__(self) -> str:
        return f"{self.code} {self.due_on}"

    @property
    def counted_days(self) -> int:
        """The length the engine counts: the period, its extension and the excluded days."""
        return self.days + self.extension_days + self.excluded_days


class Receipt(models.Model):
    """收件回执: issued for every submission (办案规则 art. 29)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="receipts")
    number = models.CharField(max_length=40, unique=True)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    what = models.CharField(max_length=200, help_text=_("What was received."))

    class Meta:
        ordering = ["case", "issued_at"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return self.number


class CommissionProfile(models.Model):
    """A commission's own settings: how its case numbers read, how its documents are signed."""

    commission = models.OneToOneField(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="case_profile"
    )
    abbreviation = models.CharField(max_length=10, help_text=_("e.g. 济 or 济历下"))
    case_number_format = models.CharField(
        max_length=80,
        default="{abbr}劳人仲案字〔{year}〕第{seq}号",
        help_text=_("Placeholders {abbr}, {year}, {seq}."),
    )
    # How the commission appears on its documents (documents app).
    document_name = models.CharField(
        max_length=100, blank=True, help_text=_("Full name on documents; empty: its name.")
    )
    address = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=6, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    office_hours = models.CharField(
        max_length=200, blank=True, help_text=_("When the counter is open, as the public reads it.")
    )
    seal = models.ImageField(
        upload_to="documents/seals/",
        blank=True,
        help_text=_("The seal image (PNG with a transparent background); empty: a drawn seal."),
    )

    class Meta:
        verbose_name = _("commission case settings")
        verbose_name_plural = _("commission case settings")

    def __str__(self) -> str:
        return self.abbreviation

    def clean(self) -> None:
        from ..numbering import format_problem

        problem = format_problem(self.case_number_format)
        if problem:
            raise ValidationError({"case_number_format": problem})


class CaseNumberCounter(models.Model):
    """The last number given per commission and year; allocated under a row lock, never reused."""

    commission = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commission", "year"], name="case_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.commission_id}/{self.year}: {self.last}"


class AcceptanceDelegation(models.Model):
    """An officer authorised by the head to approve acceptance (办案规则 art. 30: 立案审批)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    commission = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("acceptance delegation")
        verbose_name_plural = _("acceptance delegations")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.commission_id}"
