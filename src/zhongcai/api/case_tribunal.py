"""The tribunal (组庭), declared relations and recusal (回避).

Action endpoints under ``/api/v1/cases/{id}/…``. People in a body are looked up among the case's
commission's people, seats and applications among the case's own rows, parties among its parties:
an id from elsewhere is "invalid", never a way in. ``GET …/tribunal/`` reads the seats, the
recusals and every draw with its replay check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zhongcai.accounts.models import User
from zhongcai.cases import tribunal as tribunal_services
from zhongcai.cases.models import (
    Case,
    RecusalApplication,
    RecusalGround,
    TribunalKind,
    TribunalMember,
)
from zhongcai.cases.tribunal import Mode, Summary
from zhongcai.orgs.models import Person

from .case_common import case_for, run_step
from .schema import READ_ERRORS, WRITE_ERRORS
from .serializers import CaseDetailSerializer


@extend_schema_field(OpenApiTypes.INT)
class InCase(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """An id resolved among the rows the case in the serializer's context reaches."""

    def __init__(self, rows: Callable[[Case], QuerySet[Any]], **kwargs: Any):
        self.rows = rows
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.rows(self.context["case"])


def commission_people(case: Case) -> QuerySet[Person]:
    return Person.objects.filter(organisation_id=case.commission_id)


def seats(case: Case) -> QuerySet[TribunalMember]:
    return TribunalMember.objects.filter(case=case).select_related("person")


# --- Bodies --------------------------------------------------------------------------------


class FormTribunalBody(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(TribunalKind.choices)
    mode = serializers.ChoiceField(Mode.choices)
    designated = InCase(
        commission_people,
        many=True,
        required=False,
        help_text="Person ids, for a designation: one arbitrator, or three.",
    )
    presiding = InCase(
        commission_people,
        required=False,
        allow_null=True,
        default=None,
        help_text="Three arbitrators: the presiding one (designated, with a reason); otherwise "
        "the first drawn or designated presides.",
    )
    recorder = InCase(
        commission_people,
        help_text="A recorder or case assistant: never one of the arbitrators (组织规则 art. 14).",
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for any designation.",
    )


class ReplaceBody(serializers.Serializer):  # type: ignore[type-arg]
    member = InCase(seats, help_text="The seat to fill: a sitting member, or one who withdrew.")
    mode = serializers.ChoiceField(Mode.choices)
    person = InCase(commission_people, required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ApplyRecusalBody(serializers.Serializer):  # type: ignore[type-arg]
    member = InCase(seats)
    applicant = InCase(
        lambda case: case.parties.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The party applying; null when the member withdraws of their own accord.",
    )
    ground = serializers.ChoiceField(RecusalGround.choices)
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    learned_later = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The ground became known after the hearing began (办案规则 art. 11).",
    )


class DecideRecusalBody(serializers.Serializer):  # type: ignore[type-arg]
    application = InCase(lambda case: RecusalApplication.objects.filter(case=case))
    upheld = serializers.BooleanField()
    reasons = serializers.CharField(required=False, allow_blank=True, default="")


# --- What is read back -----------------------------------------------------------------------


class PersonRefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name = serializers.CharField()


class SeatSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    seat = serializers.ChoiceField(TribunalMember.Seat.choices)
    person = PersonRefSerializer()
    method = serializers.ChoiceField(TribunalMember.Method.choices)
    reason = serializers.CharField(help_text="Why designated rather than drawn.")
    appointed_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    end_reason = serializers.CharField()
    replaces = serializers.IntegerField(source="replaces_id", allow_null=True)


class RecusalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    member = serializers.IntegerField(source="member_id")
    person = PersonRefSerializer(source="member.person")
    applicant = serializers.IntegerField(source="applicant_id", allow_null=True)
    ground = serializers.ChoiceField(RecusalGround.choices)
    reasons = serializers.CharField()
    learned_later = serializers.BooleanField()
    filed_at = serializers.DateTimeField()
    due_on = serializers.DateField(source="deadline.due_on", allow_null=True)
    decision = serializers.ChoiceField(RecusalApplication.Decision.choices)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reasons = serializers.CharField()
    decided_late = serializers.BooleanField(source="deadline.met_late", allow_null=True)
    document = serializers.IntegerField(source="document_id", allow_null=True)


class DrawSerializer(serializers.Serializer):  # type: ignore[type-arg]
    at = serializers.DateTimeField()
    event = serializers.CharField(source="event_kind")
    seed = serializers.CharField()
    candidates = serializers.ListField(
        child=serializers.IntegerField(), help_text="Person ids in the order sampled from."
    )
    excluded = serializers.DictField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="Person id → reason code; for staff only.",
    )
    k = serializers.IntegerField()
    drawn = serializers.ListField(child=serializers.IntegerField())
    replayable = serializers.BooleanField(
        source="replays",
        help_text="random.Random(seed).sample(candidates, k) gives `drawn` again.",
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if self.context.get("public"):
            data["excluded"] = None  # who declared which relation is the staff's to know
        return data


class TribunalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.CharField(help_text="sole, three, or empty before forming.")
    seats = SeatSerializer(many=True, source="sitting")
    past_seats = SeatSerializer(many=True, source="past")
    to_replace = serializers.SerializerMethodField(help_text="Seats left empty by a recusal.")
    challenged = serializers.SerializerMethodField(
        help_text="Seats whose member stops participating until a recusal is decided."
    )
    recusals = RecusalSerializer(many=True)
    draws = DrawSerializer(many=True)
    replayable = serializers.BooleanField(help_text="Every draw replays from its stored seed.")

    def get_to_replace(self, summary: Summary) -> list[int]:
        return [m.pk for m in summary.to_replace]

    def get_challenged(self, summary: Summary) -> list[int]:
        return sorted(summary.challenged)


def _pk(value: Any) -> int | None:
    return value.pk if value is not None else None


class TribunalActions(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Mixed into ``CaseViewSet``: one ``@action`` per step, named like the transition."""

    @extend_schema(
        summary="Form the tribunal: draw (replayable) or designate, and issue its notice",
        description="ACCEPTED → PANEL_FORMED (LDMAL arts. 31–32; 组织规则 arts. 13–14; 办案规则 "
        "art. 37). Three arbitrators for collective and major cases; a designation needs a "
        "reason; the seed and candidates of a draw are in the event.",
        request=FormTribunalBody,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="form-tribunal")
    def form_tribunal(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
            return tribunal_services.tribunal_form(
                by=user,
                case=case,
                kind=data["kind"],
                mode=data["mode"],
                designated=[p.pk for p in data.get("designated", [])],
                presiding=_pk(data["presiding"]),
                recorder=_pk(data["recorder"]),
                reason=data["reason"],
            )

        return run_step(request, pk, "form_tribunal", FormTribunalBody, perform)

    @extend_schema(
        summary="Replace a member of the tribunal, or fill a seat left by a recusal",
        description="Draw (replayable) or designation with a reason; a new notice is issued.",
        request=ReplaceBody,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="replace-tribunal-member")
    def replace_tribunal_member(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
            return tribunal_services.tribunal_member_replace(
                by=user,
                case=case,
                member=data["member"],
                mode=data["mode"],
                person=_pk(data["person"]),
                reason=data["reason"],
            )

        return run_step(request, pk, "replace_tribunal_member", ReplaceBody, perform)

    @extend_schema(
        summary="Record a recusal application, or a member's own withdrawal",
        description="Before the hearing begins, or until the end of debate when the ground "
        "became known later (办案规则 art. 11); opens the 3-working-day decision clock.",
        request=ApplyRecusalBody,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="apply-recusal")
    def apply_recusal(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
            return tribunal_services.recusal_apply(by=user, case=case, **data)

        return run_step(request, pk, "apply_recusal", ApplyRecusalBody, perform)

    @extend_schema(
        summary="Decide on a recusal application by a 决定书",
        description="办案规则 art. 12: within 3 working days. Upheld: the seat ends and is "
        "filled by replace-tribunal-member.",
        request=DecideRecusalBody,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="decide-recusal")
    def decide_recusal(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
            return tribunal_services.recusal_decide(by=user, case=case, **data)

        return run_step(request, pk, "decide_recusal", DecideRecusalBody, perform)

    @extend_schema(
        summary="The tribunal: seats, recusals, and every draw with its replay check",
        responses={200: TribunalSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def tribunal(self, request: Request, pk: int) -> Response:
        case = case_for(request.user, pk)  # type: ignore[arg-type]
        summary = tribunal_services.tribunal_summary(case)
        context = {"request": request, "public": request.user.is_public}  # type: ignore[union-attr]
        return Response(TribunalSerializer(summary, context=context).data)
