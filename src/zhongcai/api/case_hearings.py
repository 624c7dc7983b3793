"""Hearings: scheduling, notices, postponement, attendance, record and signatures, default.

Action endpoints under ``/api/v1/cases/{id}/…``, and ``GET …/hearings/`` for the sessions with
their notice services, attendance, postponement requests and record versions with signatures.
Ids in a body are resolved within the case: another case's id is a 400, like a missing one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zhongcai.accounts.models import User
from zhongcai.cases import hearings
from zhongcai.cases.models import (
    Agent,
    Attendance,
    Case,
    Hearing,
    HearingRecord,
    Party,
    PostponementRequest,
    RecordSignature,
    ServiceMethod,
)
from zhongcai.orgs.models import HearingRoom, Person

from .case_common import case_for, run_step
from .schema import BAD_INPUT, READ_ERRORS, WRITE_ERRORS
from .serializers import CaseDetailSerializer

ERRORS = {**WRITE_ERRORS, 400: BAD_INPUT}


def _codes(choices: Any) -> str:
    return "One of: " + ", ".join(choices.values) + "."


@extend_schema_field(OpenApiTypes.INT)
class InCase(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """An id resolved among the rows of the case in the serializer's context."""

    def __init__(self, scope: Any, **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        case: Case = self.context["case"]
        return self.scope(case)  # type: ignore[no-any-return]


def _rooms(case: Case) -> QuerySet[HearingRoom]:
    return HearingRoom.objects.filter(commission=case.commission_id)


def _hearings(case: Case) -> QuerySet[Hearing]:
    return Hearing.objects.filter(case=case)


def _parties(case: Case) -> QuerySet[Party]:
    return Party.objects.filter(case=case)


def _requests(case: Case) -> QuerySet[PostponementRequest]:
    return PostponementRequest.objects.filter(hearing__case=case).select_related("hearing")


def _records(case: Case) -> QuerySet[HearingRecord]:
    return HearingRecord.objects.filter(hearing__case=case).select_related("hearing")


def _agents(case: Case) -> QuerySet[Agent]:
    return Agent.objects.filter(party__case=case).select_related("party")


def _people(case: Case) -> QuerySet[Person]:
    return Person.objects.filter(hearings__case=case).distinct()


class HearingBookingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    starts_at = serializers.DateTimeField(required=False, allow_null=True)
    ends_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="Or give duration_minutes (default 120)."
    )
    duration_minutes = serializers.IntegerField(
        required=False, allow_null=True, min_value=15, max_value=720
    )
    room = InCase(_rooms, required=False, allow_null=True, help_text="A hearing room id.")
    place = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Another place (办案规则 67)."
    )
    online = serializers.BooleanField(required=False, default=False)
    notice_method = serializers.ChoiceField(
        choices=[(m.value, m.label) for m in hearings.NOTICE_METHODS],
        required=False,
        allow_blank=True,
        default="",
        help_text="How the hearing notice is served on every party in the same step.",
    )


def _booking(data: dict[str, Any]) -> dict[str, Any]:
    minutes = data.get("duration_minutes")
    return {
        "starts_at": data.get("starts_at"),
        "ends_at": data.get("ends_at"),
        "duration": timedelta(minutes=minutes) if minutes else None,
        "room": data.get("room"),
        "place": data.get("place", ""),
        "online": data.get("online", False),
        "notice_method": data.get("notice_method", ""),
    }


class HearingScheduleSerializer(HearingBookingSerializer):
    pass


class HearingPostponementRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    hearing = InCase(_hearings)
    party = InCase(_parties)
    reasons = serializers.CharField(allow_blank=True)


class HearingPostponementDecisionSerializer(HearingBookingSerializer):
    request = InCase(_requests)
    granted = serializers.BooleanField()
    reasons = serializers.CharField(required=False, allow_blank=True, default="")


class HearingEmptySerializer(serializers.Serializer):  # type: ignore[type-arg]
    pass


class HearingAttendanceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    party = InCase(_parties)
    presence = serializers.ChoiceField(choices=Attendance.Presence.choices)
    justified = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class HearingRecordWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    hearing = InCase(_hearings)
    text = serializers.CharField(allow_blank=True)
    correction_reason = serializers.CharField(required=False, allow_blank=True, default="")
    requested_by = InCase(_parties, required=False, allow_null=True)


class HearingRecordSignSerializer(serializers.Serializer):  # type: ignore[type-arg]
    record = InCase(_records)
    person = InCase(_people, required=False, allow_null=True, help_text="Arbitrator or recorder.")
    party = InCase(_parties, required=False, allow_null=True)
    agent = InCase(_agents, required=False, allow_null=True)
    signature_method = serializers.ChoiceField(
        choices=RecordSignature.Method.choices, help_text="On a screen in the room, online, paper."
    )
    refused = serializers.BooleanField(required=False, default=False)


class HearingCloseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    adjourned = serializers.BooleanField(required=False, default=False)


class HearingReasonsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reasons = serializers.CharField(allow_blank=True)


# --- What GET hearings/ answers ----------------------------------------------------------------


class HearingServiceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    party = serializers.IntegerField(source="party_id")
    party_name = serializers.CharField(source="party.name")
    method = serializers.CharField(help_text=_codes(ServiceMethod))
    sent_at = serializers.DateTimeField()
    deemed_served_on = serializers.DateField(allow_null=True)
    proven = serializers.BooleanField(
        help_text="Can ground a default or a deemed withdrawal (办案规则 art. 59)."
    )


class HearingAttendanceRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    party = serializers.IntegerField(source="party_id")
    party_name = serializers.CharField(source="party.name")
    role = serializers.CharField(source="party.role")
    presence = serializers.ChoiceField(choices=Attendance.Presence.choices)
    justified = serializers.BooleanField()
    note = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class HearingPostponementRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    party = serializers.IntegerField(source="party_id")
    reasons = serializers.CharField()
    filed_at = serializers.DateTimeField()
    decision = serializers.CharField(help_text=_codes(PostponementRequest.Decision))
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reasons = serializers.CharField()
    new_hearing = serializers.IntegerField(source="new_hearing_id", allow_null=True)


class HearingSignatureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    signer_role = serializers.CharField(help_text=_codes(RecordSignature.SignerRole))
    name = serializers.CharField()
    party = serializers.IntegerField(source="party_id", allow_null=True)
    agent = serializers.IntegerField(source="agent_id", allow_null=True)
    person = serializers.IntegerField(source="person_id", allow_null=True)
    method = serializers.CharField(help_text=_codes(RecordSignature.Method))
    refused = serializers.BooleanField()
    signed_at = serializers.DateTimeField()


class HearingRecordVersionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    text = serializers.CharField()
    sha256 = serializers.CharField()
    correction_reason = serializers.CharField()
    requested_by = serializers.IntegerField(source="requested_by_id", allow_null=True)
    written_at = serializers.DateTimeField()
    document = serializers.IntegerField(source="document_id", allow_null=True)
    signatures = HearingSignatureSerializer(many=True, source="signatures.all")


class HearingPersonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class HearingSessionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    session = serializers.IntegerField()
    state = serializers.CharField(help_text=_codes(Hearing.State))
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    room = serializers.IntegerField(source="room_id", allow_null=True)
    room_name = serializers.CharField(source="room.name", allow_null=True, default=None)
    place = serializers.CharField()
    online = serializers.BooleanField()
    adjourned = serializers.BooleanField()
    replaces = serializers.IntegerField(source="replaces_id", allow_null=True)
    opened_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    people = HearingPersonSerializer(many=True, source="people.all")
    notice = serializers.IntegerField(source="notice_id", allow_null=True)
    notice_services = HearingServiceSerializer(
        many=True, source="notice.services.all", default=list
    )
    attendance = HearingAttendanceRowSerializer(many=True, source="attendance.all")
    postponements = HearingPostponementRowSerializer(many=True, source="postponements.all")
    records = HearingRecordVersionSerializer(many=True, source="records.all")


# --- Steps ---------------------------------------------------------------------------------------


def _schedule(user: User, case: Case, data: dict[str, Any]) -> Any:
    return hearings.hearing_schedule(by=user, case=case, **_booking(data))


def _request_postponement(user: User, case: Case, data: dict[str, Any]) -> Any:
    return hearings.postponement_request(by=user, case=case, **data)


def _decide_postponement(user: User, case: Case, data: dict[str, Any]) -> Any:
    booking = _booking(data) if data["granted"] else {}
    return hearings.postponement_decide(
        by=user,
        case=case,
        request=data["request"],
        granted=data["granted"],
        reasons=data["reasons"],
        **booking,
    )


def _open(user: User, case: Case, data: dict[str, Any]) -> Any:
    return hearings.hearing_open(by=user, case=case)


def _attendance(user: User, case: Case, data: dict[str, Any]) -> Any:
    return hearings.attendance_record(by=user, case=case, **data)


def _write(user: User, case: Case, data: dict[str, Any]) -> Any:
    return hearings.hearing_record_write(by=user, case=case, **data)


def _sign(user: User, case: Case, data: dict[str, Any]) -> Any:
    method = data.pop("signature_method")
    return hearings.hearing_record_sign(by=user, case=case, method=method, **data)


def _close(user: User, case: Case, data: dict[str, Any]) -> Any:
    return hearings.hearing_close(by=user, case=case, adjourned=data["adjourned"])


def _deem_withdrawn(user: User, case: Case, data: dict[str, Any]) -> Any:
    return hearings.case_deem_withdrawn(by=user, case=case, reasons=data["reasons"])


class HearingsActions(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Mixed into ``CaseViewSet``: one ``@action`` per step, named like the transition."""

    @extend_schema(
        summary="The hearing sessions: notices and their service, attendance, postponement "
        "requests, record versions and signatures",
        responses={200: HearingSessionSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="hearings", pagination_class=None)
    def hearings(self, request: Request, pk: int) -> Response:
        case = case_for(request.user, pk)  # type: ignore[arg-type]
        return Response(HearingSessionSerializer(hearings.hearings_of(case), many=True).data)

    @extend_schema(
        summary="Schedule a hearing and serve its notice on every party",
        description="PANEL_FORMED / DEFENCE_PERIOD / DELIBERATION → HEARING_SCHEDULED. The room, "
        "arbitrators and recorder must be free; the hearing day must leave the notice period "
        "clear (LDMAL art. 35: at least 5 working days). Closes the collective one-time notice "
        "clock (办案规则 art. 64).",
        request=HearingScheduleSerializer,
        responses={200: CaseDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="schedule-hearing")
    def schedule_hearing(self, request: Request, pk: int) -> Response:
        return run_step(request, pk, "schedule_hearing", HearingScheduleSerializer, _schedule)

    @extend_schema(
        summary="Record a party's request to postpone the hearing",
        description="At least 3 working days before the hearing (LDMAL art. 35).",
        request=HearingPostponementRequestSerializer,
        responses={200: CaseDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="request-postponement")
    def request_postponement(self, request: Request, pk: int) -> Response:
        return run_step(
            request,
            pk,
            "request_postponement",
            HearingPostponementRequestSerializer,
            _request_postponement,
        )

    @extend_schema(
        summary="Decide a postponement request; granted, the new hearing is booked and notified",
        request=HearingPostponementDecisionSerializer,
        responses={200: CaseDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="decide-postponement")
    def decide_postponement(self, request: Request, pk: int) -> Response:
        return run_step(
            request,
            pk,
            "decide_postponement",
            HearingPostponementDecisionSerializer,
            _decide_postponement,
        )

    @extend_schema(
        summary="Open the scheduled session on its day",
        description="HEARING_SCHEDULED → HEARING (办案规则 art. 41).",
        request=HearingEmptySerializer,
        responses={200: CaseDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="open-hearing")
    def open_hearing(self, request: Request, pk: int) -> Response:
        return run_step(request, pk, "open_hearing", HearingEmptySerializer, _open)

    @extend_schema(
        summary="Record a party's attendance; a respondent's absence is a default",
        description="LDMAL art. 36; 办案规则 art. 39.",
        request=HearingAttendanceSerializer,
        responses={200: CaseDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="record-attendance")
    def record_attendance(self, request: Request, pk: int) -> Response:
        return run_step(request, pk, "record_attendance", HearingAttendanceSerializer, _attendance)

    @extend_schema(
        summary="Write the hearing record, or correct it as a new version",
        description="LDMAL art. 40; 办案规则 art. 42. A version is never edited.",
        request=HearingRecordWriteSerializer,
        responses={200: CaseDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="write-hearing-record")
    def write_hearing_record(self, request: Request, pk: int) -> Response:
        return run_step(request, pk, "write_hearing_record", HearingRecordWriteSerializer, _write)

    @extend_schema(
        summary="Record a signature on the latest version, or a refusal to sign",
        description="Give exactly one of person (arbitrator, recorder), party or agent.",
        request=HearingRecordSignSerializer,
        responses={200: CaseDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="sign-hearing-record")
    def sign_hearing_record(self, request: Request, pk: int) -> Response:
        return run_step(request, pk, "sign_hearing_record", HearingRecordSignSerializer, _sign)

    @extend_schema(
        summary="Close the session; adjourned if another session will be scheduled",
        description="HEARING → DELIBERATION.",
        request=HearingCloseSerializer,
        responses={200: CaseDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="close-hearing")
    def close_hearing(self, request: Request, pk: int) -> Response:
        return run_step(request, pk, "close_hearing", HearingCloseSerializer, _close)

    @extend_schema(
        summary="Deem the application withdrawn: the applicant did not appear after proven notice",
        description="HEARING (or HEARING_SCHEDULED after its start) → CLOSED_DEEMED_WITHDRAWN "
        "(LDMAL art. 36; 办案规则 arts. 39, 59). Re-application is not accepted.",
        request=HearingReasonsSerializer,
        responses={200: CaseDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="deem-withdrawn")
    def deem_withdrawn(self, request: Request, pk: int) -> Response:
        return run_step(request, pk, "deem_withdrawn", HearingReasonsSerializer, _deem_withdrawn)
