"""The shape of case data in the API. Rules live in ``cases.services`` and ``cases.application``.

One set of serializers reads an application's content (for ``clean_application``) and writes it
back out, so that what a client GETs it can PUT again unchanged.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from zhongcai.cases import checks, deadlines, workflow
from zhongcai.cases.models import (
    Agent,
    Case,
    CaseDeadline,
    Channel,
    Origin,
    Party,
    PostAward,
    Status,
    TribunalKind,
)
from zhongcai.cases.taxonomy import (
    Category,
    Cause,
    ClaimType,
    NotLaborDispute,
    PersonnelSubtype,
    RefusalGround,
)
from zhongcai.core.calendar import Unit
from zhongcai.core.models import Event
from zhongcai.orgs.models import Organisation

from .fields import AmountField, CodeField, DateTextField, DivisionCodeField


def _text() -> serializers.CharField:
    # Completeness is judged at submission (checks.missing_items), so every text may be blank.
    return serializers.CharField(required=False, allow_blank=True)


# --- The application's content: input for clean_application, and its representation. ---


class AgentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = _text()
    kind = CodeField(Agent.Kind.choices, required=False)
    authority = CodeField(Agent.Authority.choices, required=False)
    id_number = _text()
    phone = _text()
    firm = _text()
    power_of_attorney_received = serializers.BooleanField(required=False)


class PartySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    role = CodeField(Party.Role.choices, required=False)
    kind = CodeField(Party.Kind.choices, required=False)
    name = _text()
    sex = CodeField(Party.Sex.choices, required=False, allow_blank=True)
    birth_date = DateTextField(
        required=False, allow_null=True, help_text="Taken from the ID number when left out."
    )
    id_number = _text()
    occupation = _text()
    credit_code = _text()
    legal_representative = _text()
    legal_representative_title = _text()
    dispatch_role = CodeField(Party.DispatchRole.choices, required=False, allow_blank=True)
    domicile = _text()
    domicile_division = DivisionCodeField(required=False, allow_null=True)
    mailing_address = _text()
    phone = _text()
    is_representative = serializers.BooleanField(required=False)
    agents = AgentSerializer(many=True, required=False)


class ClaimSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True, help_text="Numbered in the order given.")
    type = CodeField(ClaimType.choices, required=False)
    description = _text()
    amount = AmountField(required=False, allow_null=True)


class ApplicationSerializer(serializers.Serializer):
    """The content of an application for arbitration (办案规则 art. 29)."""

    category = CodeField(Category.choices, required=False)
    personnel_subtype = CodeField(PersonnelSubtype.choices, required=False, allow_blank=True)
    causes = serializers.ListField(child=CodeField(Cause.choices), required=False)
    facts_and_reasons = _text()
    evidence_summary = _text()
    workplace_division = DivisionCodeField(required=False, allow_null=True)
    not_labor_flags = serializers.ListField(
        child=CodeField(NotLaborDispute.choices), required=False
    )
    collective = serializers.BooleanField(required=False)
    simplified = serializers.BooleanField(required=False)
    public_hearing = serializers.BooleanField(required=False)
    parties = PartySerializer(many=True, required=False)
    claims = ClaimSerializer(many=True, required=False)


class CaseCreateSerializer(ApplicationSerializer):
    commission = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), help_text="The arbitration commission applied to."
    )
    channel = serializers.ChoiceField(
        Channel.choices,
        help_text="The public apply online; intake officers record counter or oral applications.",
    )


# --- What is read back. ---


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CaseDeadlineSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.SerializerMethodField()
    article = serializers.SerializerMethodField()
    started_on = serializers.DateField()
    days = serializers.IntegerField()
    unit = serializers.ChoiceField(Unit.choices)
    due_on = serializers.DateField()
    certain = serializers.BooleanField()
    state = serializers.ChoiceField(CaseDeadline.State.choices)
    closed_at = serializers.DateTimeField(allow_null=True)
    met_late = serializers.BooleanField()
    party = serializers.IntegerField(
        source="party_id", allow_null=True, help_text="For a period that runs per party."
    )
    extension_days = serializers.IntegerField()
    excluded_days = serializers.IntegerField(
        help_text="Suspension and public-notice days not counted (办案规则 art. 46)."
    )
    explanation = serializers.SerializerMethodField(
        help_text="How the due date was reached, over today's holiday table."
    )

    def get_label(self, deadline: CaseDeadline) -> str:
        return str(deadlines.period(deadline.code).label)

    def get_article(self, deadline: CaseDeadline) -> str:
        return deadlines.period(deadline.code).article

    def get_explanation(self, deadline: CaseDeadline) -> str:
        return deadlines.derivation(deadline)


class ReceiptSerializer(serializers.Serializer):
    number = serializers.CharField()
    issued_at = serializers.DateTimeField()
    what = serializers.CharField()


class ActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(list(workflow.ACTION_LABELS))
    label = serializers.CharField()
    url = serializers.CharField()


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


def _has_route(action: str) -> bool:
    from django.urls import NoReverseMatch
    from django.urls import reverse as django_reverse

    try:
        django_reverse(f"api:case-{action_path(action)}", args=[1])
    except NoReverseMatch:
        return False
    return True


def action_path(action: str) -> str:
    """``issue_correction_notice`` is served at ``…/issue-correction-notice/``."""
    return action.replace("_", "-")


class CaseSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField(help_text="Empty until accepted.")
    status = serializers.ChoiceField(Status.choices)
    status_display = serializers.CharField(source="get_status_display")
    channel = serializers.ChoiceField(Channel.choices)
    commission = OrganisationRefSerializer()
    institute = OrganisationRefSerializer()
    created_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField(allow_null=True)
    next_deadline = serializers.DateField(allow_null=True)
    next_deadline_code = serializers.CharField()


class CaseListItemSerializer(CaseSummarySerializer):
    category = serializers.ChoiceField(Category.choices)
    primary_cause = serializers.CharField()
    applicants = serializers.SerializerMethodField()
    respondents = serializers.SerializerMethodField()

    def _names(self, case: Case, role: str) -> list[str]:
        # From the prefetched parties: one query for the whole page.
        return [party.name for party in case.parties.all() if party.role == role]

    def get_applicants(self, case: Case) -> list[str]:
        return self._names(case, Party.Role.APPLICANT)

    def get_respondents(self, case: Case) -> list[str]:
        return self._names(case, Party.Role.RESPONDENT)


class CaseDetailSerializer(CaseSummarySerializer, ApplicationSerializer):
    """A case as its reader may see it; ``warnings`` and ``missing_items`` for staff only."""

    origin = serializers.ChoiceField(Origin.choices)
    primary_cause = serializers.CharField()
    clock_started_on = serializers.DateField(allow_null=True)
    correction_notice_issued = serializers.BooleanField()
    decided_at = serializers.DateTimeField(allow_null=True)
    accepted_on = serializers.DateField(allow_null=True)
    redirected_to = OrganisationRefSerializer(allow_null=True)
    major = serializers.BooleanField()
    tribunal_kind = serializers.ChoiceField(TribunalKind.choices, allow_blank=True)
    suspended = serializers.BooleanField()
    closed_at = serializers.DateTimeField(allow_null=True)
    closing_approved_at = serializers.DateTimeField(allow_null=True)
    post_award = serializers.ChoiceField(
        PostAward.choices,
        allow_blank=True,
        help_text="After an award: pending effect, effective, in litigation, set aside …",
    )
    archived_at = serializers.DateTimeField(allow_null=True)
    retain_until = serializers.DateField(allow_null=True)
    deadlines = CaseDeadlineSerializer(many=True)
    receipts = ReceiptSerializer(many=True)
    available_actions = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()
    missing_items = serializers.SerializerMethodField()

    @property
    def _user(self) -> Any:
        return self.context["request"].user

    @extend_schema_field(ActionSerializer(many=True))
    def get_available_actions(self, case: Case) -> list[dict[str, str]]:
        request = self.context["request"]
        return [
            {
                "action": action,
                "label": str(workflow.ACTION_LABELS[action]),
                "url": reverse(f"api:case-{action_path(action)}", args=[case.pk], request=request),
            }
            for action in workflow.available_actions(self._user, case)
            # Every step has its endpoint (tests/test_every_step_has_endpoints.py); this only
            # keeps a half-built stage from breaking the case's answer.
            if _has_route(action)
        ]

    @extend_schema_field(FindingSerializer(many=True, allow_null=True))
    def get_warnings(self, case: Case) -> list[dict[str, str]] | None:
        # Warnings may name other cases (duplicates): for the institution's eyes only.
        if self._user.is_public:
            return None
        return [{"code": f.code, "message": f.message} for f in checks.warnings(case)]

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_missing_items(self, case: Case) -> list[str] | None:
        if self._user.is_public:
            return None
        return checks.missing_items(case)


class EventSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    kind = serializers.CharField()
    at = serializers.DateTimeField(help_text="Server time when it was recorded.")
    actor = serializers.SerializerMethodField(help_text="Who acted; null for the system.")
    payload = serializers.JSONField()
    hash = serializers.CharField()
    prev_hash = serializers.CharField()

    def get_actor(self, event: Event) -> str | None:
        return str(event.actor) if event.actor_id else None


# --- Query parameters and action bodies. ---


class CaseFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(Status.choices, required=False)
    next_deadline_before = serializers.DateField(
        required=False, help_text="Cases whose next deadline falls before this day (YYYY-MM-DD)."
    )
    commission = serializers.IntegerField(required=False, help_text="Commission id.")
    q = serializers.CharField(
        required=False, max_length=100, help_text="Part of the case number or of a party's name."
    )


class SubmitSerializer(serializers.Serializer):
    allow_incomplete = serializers.BooleanField(
        default=False,
        help_text=(
            "Staff only: receive an incomplete application, then issue the correction "
            "notice (办案规则 art. 29)."
        ),
    )
    applicant_confirmed = serializers.BooleanField(
        default=False, help_text="The applicant confirmed the record of an oral application."
    )


class CorrectionNoticeSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        default=list,
        help_text="What the applicant must complete or correct; missing items are added.",
    )


class AcceptSerializer(serializers.Serializer):
    warnings_acknowledged = serializers.BooleanField(
        default=False,
        help_text="The officer has read the scope, jurisdiction and duplicate warnings.",
    )
    # Omitted: left as recorded. Unknown values are the service's to refuse, with the others.
    employer_industry = serializers.CharField(
        required=False, allow_blank=True, max_length=1,
        help_text="The employer's GB/T 4754-2017 section, A to T; blank clears it.",
    )  # fmt: skip
    employer_registration_type = serializers.CharField(
        required=False, allow_blank=True, max_length=16,
        help_text="The employer's registration type (state_owned, collective, private, foreign, "
        "shareholding, individual, public, social, other); blank clears it.",
    )  # fmt: skip


class RefuseSerializer(serializers.Serializer):
    # Blank or unknown values are the service's to refuse, all three at once.
    ground = CodeField(RefusalGround.choices)
    reasons = serializers.CharField(allow_blank=True)
    legal_basis = serializers.CharField(allow_blank=True)


class RedirectSerializer(serializers.Serializer):
    to = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), help_text="The competent commission."
    )
    reasons = serializers.CharField(allow_blank=True)


class EmptySerializer(serializers.Serializer):
    pass
