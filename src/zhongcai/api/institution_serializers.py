"""Shapes of the institutions API: input is only shaped here; the rules live in ``orgs``."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from zhongcai.orgs.models import (
    Appointment,
    CommissionMember,
    EndReason,
    Person,
    QualificationRoute,
    QuarterDecision,
    QuarterSubmission,
    RosterEntry,
)

from .serializers import OrganisationRefSerializer

# --- Commissions ----------------------------------------------------------------------------


class StaffingSerializer(serializers.Serializer):
    full_time_arbitrators = serializers.IntegerField()
    part_time_arbitrators = serializers.IntegerField()
    recorders = serializers.IntegerField()
    case_assistants = serializers.IntegerField()


class CommissionListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    division = serializers.CharField(source="division_id", help_text="Division code.")
    members = serializers.IntegerField(help_text="Active commission members.")
    staffing = StaffingSerializer(help_text="People in office today.")
    warnings = serializers.ListField(
        child=serializers.CharField(),
        help_text="Composition (LDMAL art. 19) and staffing (组织规则 art. 21) problems.",
    )


class CommissionMemberSerializer(serializers.ModelSerializer):
    category = serializers.CharField(help_text=", ".join(CommissionMember.Category.values))
    position = serializers.CharField(help_text=", ".join(CommissionMember.Position.values))

    class Meta:
        model = CommissionMember
        fields = ["id", "name", "category", "position", "unit", "is_active", "ended_on"]


class CommissionDetailSerializer(CommissionListItemSerializer):
    level = serializers.CharField(help_text="Division level: province, prefecture, county…")
    seat_address = serializers.CharField(allow_blank=True)
    member_list = CommissionMemberSerializer(many=True)
    may_maintain = serializers.BooleanField(help_text="Whether you maintain its records.")


class CommissionFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, help_text="Part of the commission's name.")


# --- People ---------------------------------------------------------------------------------


class AppointmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appointment
        fields = ["id", "starts_on", "ends_on", "status", "ended_on", "end_reason", "end_note"]


class PersonListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = OrganisationRefSerializer()
    kind = serializers.CharField()
    name = serializers.CharField()
    sex = serializers.CharField()
    employment = serializers.CharField()
    unit = serializers.CharField()
    in_office = serializers.BooleanField(help_text="Whether the latest appointment is active.")
    training_hours = serializers.DecimalField(
        max_digits=6, decimal_places=1, allow_null=True, help_text="Class hours this year."
    )


class PersonDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = OrganisationRefSerializer()
    kind = serializers.CharField()
    name = serializers.CharField()
    sex = serializers.CharField()
    id_number = serializers.CharField()
    mobile = serializers.CharField()
    employment = serializers.CharField()
    unit = serializers.CharField()
    qualification_route = serializers.CharField()
    qualification_evidence = serializers.CharField()
    specialties = serializers.CharField()
    appointments = AppointmentSerializer(many=True)
    may_maintain = serializers.BooleanField(help_text="Whether you maintain this record.")


class PersonFilterSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(required=False, help_text="Organisation id.")
    kind = serializers.CharField(required=False, help_text=", ".join(Person.Kind.values))
    status = serializers.CharField(required=False, help_text="in_office or dismissed")
    q = serializers.CharField(required=False, help_text="Part of the name or unit.")


class PersonValuesSerializer(serializers.Serializer):
    """A person's fields; ``orgs.people.clean_person`` judges them (as for the pages)."""

    name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    sex = serializers.CharField(required=False, allow_blank=True, help_text="male or female")
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=18)
    mobile = serializers.CharField(required=False, allow_blank=True, max_length=11)
    employment = serializers.CharField(
        required=False, allow_blank=True, help_text="full_time or part_time"
    )
    unit = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Required for part-timers."
    )
    qualification_route = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Arbitrators: the condition of LDMAL art. 20 met: "
        + ", ".join(QualificationRoute.values),
    )
    qualification_evidence = serializers.CharField(required=False, allow_blank=True, max_length=200)
    specialties = serializers.CharField(required=False, allow_blank=True, max_length=200)


class PersonCreateSerializer(PersonValuesSerializer):
    organisation = serializers.IntegerField(help_text="The commission or mediation organisation.")
    kind = serializers.CharField(help_text="arbitrator, recorder, case_assistant or mediator")
    starts_on = serializers.DateField(help_text="First day of the first appointment.")
    ends_on = serializers.DateField(required=False, allow_null=True)


class PersonDismissSerializer(serializers.Serializer):
    reason = serializers.CharField(
        help_text="Why the appointment ends: "
        + ", ".join(EndReason.values)
        + ". A dismissal reason bars re-appointment as arbitrator (组织规则 art. 34)."
    )
    note = serializers.CharField(
        required=False, allow_blank=True, help_text="The facts and the decision."
    )


class PersonAppointSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)


# --- Quarterly verification -----------------------------------------------------------------


class SubmissionListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    commission = OrganisationRefSerializer()
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    status = serializers.CharField(help_text=", ".join(QuarterSubmission.Status.values))
    submitted_at = serializers.DateTimeField()
    submitted_by = serializers.CharField(source="submitted_by.real_name")
    waiting_for = serializers.CharField(
        allow_null=True, help_text=", ".join(QuarterDecision.Step.values)
    )
    may_decide = serializers.BooleanField(help_text="Whether the decision is yours to take.")


class FieldChangeSerializer(serializers.Serializer):
    label = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class ItemDiffSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    changes = FieldChangeSerializer(many=True)
    values = serializers.SerializerMethodField()

    def get_values(self, item: Any) -> list[dict[str, str]]:
        return [{"label": label, "value": value} for label, value in item.values]


class SectionDiffSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    added = ItemDiffSerializer(many=True)
    removed = ItemDiffSerializer(many=True)
    changed = ItemDiffSerializer(many=True)
    unchanged = serializers.IntegerField()


class DecisionSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.real_name")

    class Meta:
        model = QuarterDecision
        fields = ["step", "outcome", "by", "at", "comment"]


class SubmissionDetailSerializer(SubmissionListItemSerializer):
    note = serializers.CharField()
    base = serializers.IntegerField(
        source="base_id", allow_null=True, help_text="The last approved quarter compared with."
    )
    diff = SectionDiffSerializer(many=True, help_text="Against the last approved quarter.")
    checks = serializers.ListField(child=serializers.CharField())
    decisions = DecisionSerializer(many=True)
    digest_ok = serializers.BooleanField(help_text="The frozen snapshot matches its digest.")


class SubmissionFilterSerializer(serializers.Serializer):
    commission = serializers.IntegerField(required=False, help_text="Commission id.")
    status = serializers.CharField(
        required=False, help_text=", ".join(QuarterSubmission.Status.values)
    )


class SubmitQuarterSerializer(serializers.Serializer):
    commission = serializers.IntegerField(help_text="Commission id.")
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    note = serializers.CharField(required=False, allow_blank=True)


class DecideSerializer(serializers.Serializer):
    outcome = serializers.CharField(
        help_text="City review: forwarded or returned; province approval: approved or returned."
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, help_text="Required when returning."
    )


# --- The public roster ----------------------------------------------------------------------


class RosterEntrySerializer(serializers.ModelSerializer):
    """Exactly the published columns (``orgs.roster.PUBLIC_COLUMNS``), nothing else."""

    commission = serializers.CharField(source="commission_name")

    class Meta:
        model = RosterEntry
        fields = ["name", "sex", "commission", "employment", "qualification_route", "unit"]


class RosterFilterSerializer(serializers.Serializer):
    city = serializers.CharField(required=False, max_length=6, help_text="City division code.")
    county = serializers.CharField(required=False, max_length=6, help_text="County division code.")
