"""Service (送达): service addresses, serving documents, receipts.

Action endpoints under ``/api/v1/cases/{id}/…``. Ids in a body (parties, documents, service
records) are looked up within the case: an id of another case is "invalid", never a way in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from zhongcai.accounts.models import User
from zhongcai.cases import serving
from zhongcai.cases.models import (
    Case,
    DocumentKind,
    Party,
    ServiceAddress,
    ServiceMethod,
    ServiceRecord,
)

from .case_common import case_for, run_step
from .schema import READ_ERRORS, WRITE_ERRORS
from .serializers import CaseDetailSerializer


@extend_schema_field(OpenApiTypes.INT)
class InCase(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """An id resolved among the rows of the case in the serializer's context."""

    def __init__(self, rows: Callable[[Case], QuerySet[Any]], **kwargs: Any):
        self.rows = rows
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.rows(self.context["case"])


def inline_choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    """A choice whose codes the schema lists in the description, not as a named enum: several
    choice sets here share a field name ("kind") or a set several names (the three opinions),
    and named enum components would collide."""
    values = [value for value, _label in choices]
    schema = {"type": "string", "description": "One of: " + ", ".join(values) + "."}
    field_class = extend_schema_field(schema)(
        type("InlineChoiceField", (serializers.ChoiceField,), {})
    )
    return field_class(choices, **kwargs)  # type: ignore[no-any-return]


def parties(case: Case) -> QuerySet[Party]:
    return case.parties.all()


# --- Bodies --------------------------------------------------------------------------------


class ServiceAddressBody(serializers.Serializer):  # type: ignore[type-arg]
    party = InCase(parties)
    electronic_consent = serializers.BooleanField(
        help_text="The party consents in writing to electronic service at this address."
    )
    mobile = serializers.CharField(required=False, allow_blank=True, default="")
    email = serializers.CharField(required=False, allow_blank=True, default="")
    postal_address = serializers.CharField(required=False, allow_blank=True, default="")


def _method_field(**kwargs: Any) -> serializers.ChoiceField:
    return inline_choice(ServiceMethod.choices, **kwargs)


def _photo_field() -> serializers.FileField:
    # Empty and too large files are the service's to refuse, with its message.
    return serializers.FileField(
        required=False,
        allow_null=True,
        allow_empty_file=True,
        default=None,
        help_text="Photo or video of the posted document (multipart); needed for posting.",
    )


class ServeApplicationCopyBody(serializers.Serializer):  # type: ignore[type-arg]
    method = _method_field()
    parties = InCase(
        parties,
        many=True,
        required=False,
        help_text="Served again later: whom to serve. By default every party (the response "
        "notice on the respondents, the evidence notice on all).",
    )
    signed_on_the_spot = serializers.BooleanField(required=False, default=False)
    photo = _photo_field()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ServeBody(serializers.Serializer):  # type: ignore[type-arg]
    document = InCase(lambda case: case.documents.all())
    parties = InCase(parties, many=True)
    method = _method_field()
    signed_by_name = serializers.CharField(required=False, allow_blank=True, default="")
    refused = serializers.BooleanField(required=False, default=False)
    photo = _photo_field()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DeliveryBody(serializers.Serializer):  # type: ignore[type-arg]
    record = InCase(lambda case: ServiceRecord.objects.filter(case=case))
    signed_by_name = serializers.CharField(required=False, allow_blank=True, default="")
    refused = serializers.BooleanField(required=False, default=False)
    confirmed = serializers.BooleanField(required=False, default=False)


# --- What is read back -----------------------------------------------------------------------


class PartyRefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.ChoiceField(Party.Role.choices)


class DocumentRefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    kind = inline_choice(DocumentKind.choices)
    title = serializers.CharField()
    issued_at = serializers.DateTimeField()


class ServiceRecordSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    document = DocumentRefSerializer()
    party = PartyRefSerializer()
    method = inline_choice(ServiceMethod.choices)
    address = serializers.CharField()
    sent_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    signed_by_name = serializers.CharField()
    refused = serializers.BooleanField()
    confirmed = serializers.BooleanField()
    deemed_served_on = serializers.DateField(
        allow_null=True, help_text="Periods “from receipt” run for this party from this date."
    )
    proven = serializers.BooleanField(
        help_text="Whether it can ground a default or a deemed withdrawal (办案规则 art. 59)."
    )
    has_photo = serializers.SerializerMethodField()
    note = serializers.CharField()

    def get_has_photo(self, record: ServiceRecord) -> bool:
        return bool(record.photo)


class ServiceAddressSerializer(serializers.Serializer):  # type: ignore[type-arg]
    party = PartyRefSerializer()
    electronic_consent = serializers.BooleanField()
    mobile = serializers.CharField()
    email = serializers.CharField()
    postal_address = serializers.CharField()
    confirmed_at = serializers.DateTimeField()


UPLOAD_PARSERS = [MultiPartParser, JSONParser]


class ServingActions(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Mixed into ``CaseViewSet``: one ``@action`` per step, named like the transition."""

    @extend_schema(
        summary="Record a party's service address, with or without consent to e-service",
        description="送达地址确认书 (民诉法 art. 90; 在线诉讼规则 art. 29); supersedes the last.",
        request=ServiceAddressBody,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="confirm-service-address")
    def confirm_service_address(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
            return serving.service_address_confirm(by=user, case=case, **data)

        return run_step(request, pk, "confirm_service_address", ServiceAddressBody, perform)

    @extend_schema(
        summary="Serve the application copy with the response and evidence notices",
        description="ACCEPTED / PANEL_FORMED → DEFENCE_PERIOD (LDMAL art. 30; 办案规则 art. 33). "
        "Each respondent's defence period runs from its own deemed service date.",
        request={
            "application/json": ServeApplicationCopyBody,
            "multipart/form-data": ServeApplicationCopyBody,
        },
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="serve-application-copy",
        parser_classes=UPLOAD_PARSERS,
    )
    def serve_application_copy(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
            return serving.serve_application_copy(by=user, case=case, **data)

        return run_step(request, pk, "serve_application_copy", ServeApplicationCopyBody, perform)

    @extend_schema(
        summary="Serve an issued document on parties by one method",
        description="Electronic only with prior consent; SMS or telephone only in simplified "
        "cases and never for an award or a 调解书 (办案规则 art. 59); posting needs a photo "
        "(办案规则 art. 20); public notice is deemed served after 30 days, not counted in the "
        "45 (办案规则 art. 46).",
        request={"application/json": ServeBody, "multipart/form-data": ServeBody},
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def serve(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
            return serving.serve(by=user, case=case, **data)

        return run_step(request, pk, "serve", ServeBody, perform)

    @extend_schema(
        summary="Record a signed receipt, a refusal, or the confirmation of a simple service",
        description="Sets the deemed service date of a service by post or in person.",
        request=DeliveryBody,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="record-delivery")
    def record_delivery(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
            return serving.service_record_delivery(by=user, case=case, **data)

        return run_step(request, pk, "record_delivery", DeliveryBody, perform)

    @extend_schema(
        summary="Every service of the case's documents, with deemed service dates",
        responses={200: ServiceRecordSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def services(self, request: Request, pk: int) -> Response:
        case = case_for(request.user, pk)  # type: ignore[arg-type]
        records = (
            ServiceRecord.objects.filter(case=case)
            .select_related("document", "party")
            .order_by("sent_at", "pk")
        )
        return Response(ServiceRecordSerializer(records, many=True).data)

    @extend_schema(
        summary="The parties' current service addresses (送达地址确认书)",
        responses={200: ServiceAddressSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="service-addresses", pagination_class=None)
    def service_addresses(self, request: Request, pk: int) -> Response:
        case = case_for(request.user, pk)  # type: ignore[arg-type]
        addresses = (
            ServiceAddress.objects.filter(party__case=case, superseded_at__isnull=True)
            .select_related("party")
            .order_by("party__role", "party_id")
        )
        return Response(ServiceAddressSerializer(addresses, many=True).data)
