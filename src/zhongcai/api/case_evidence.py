"""Defence, evidence and cross-examination, claim changes, counter-applications, added parties.

Action endpoints under ``/api/v1/cases/{id}/…``; reads of the stage's rows; the evidence file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from zhongcai.accounts.models import User
from zhongcai.cases import evidence
from zhongcai.cases.models import (
    Case,
    ClaimChange,
    CounterApplication,
    CrossExamination,
    EvidenceItem,
    Party,
)
from zhongcai.cases.models.evidence import Decision

from .case_common import case_for, run_step
from .case_serving import UPLOAD_PARSERS, InCase, PartyRefSerializer, inline_choice, parties
from .schema import READ_ERRORS, WRITE_ERRORS
from .serializers import CaseDetailSerializer, PartySerializer


def respondents(case: Case) -> Any:
    return case.parties.filter(role=Party.Role.RESPONDENT)


def _text(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


def _file(help_text: str) -> serializers.FileField:
    # Empty and too large files are the service's to refuse, with its message.
    return serializers.FileField(
        required=False, allow_null=True, allow_empty_file=True, default=None, help_text=help_text
    )


CLAIMS_HELP = (
    "Each claim: type, description, amount (yuan, as text); for a change, the number of the "
    "claim it rewrites. Judged by the service, which lists every problem at once."
)

# --- Bodies --------------------------------------------------------------------------------


class DefenceBody(serializers.Serializer):  # type: ignore[type-arg]
    party = InCase(respondents)
    text = _text()
    file = _file("The defence document (multipart); optional when the text is given.")


class WaiveDefenceBody(serializers.Serializer):  # type: ignore[type-arg]
    party = InCase(respondents)
    respondent_consent = serializers.BooleanField(
        help_text="The respondent consented (办案规则 art. 58); only in simplified handling."
    )
    note = _text()


class ApplicationEvidenceBody(serializers.Serializer):  # type: ignore[type-arg]
    title = _text()
    purpose = _text()
    file = _file("The evidence file (multipart). Its SHA-256 is computed on the server.")


class EvidencePeriodBody(serializers.Serializer):  # type: ignore[type-arg]
    days = serializers.IntegerField(help_text="Calendar days from today (办案规则 art. 15).")


class EvidenceBody(serializers.Serializer):  # type: ignore[type-arg]
    party = InCase(
        parties,
        required=False,
        allow_null=True,
        default=None,
        help_text="Who submits it; null when the commission collected it.",
    )
    title = _text()
    purpose = _text()
    file = _file("The evidence file (multipart). Its SHA-256 is computed on the server.")


class CrossExaminationBody(serializers.Serializer):  # type: ignore[type-arg]
    evidence = InCase(lambda case: case.evidence.all())
    party = InCase(parties)
    authenticity = inline_choice(CrossExamination.Opinion.choices)
    legality = inline_choice(CrossExamination.Opinion.choices)
    relevance = inline_choice(CrossExamination.Opinion.choices)
    note = _text()


class ClaimChangeBody(serializers.Serializer):  # type: ignore[type-arg]
    kind = inline_choice(ClaimChange.Kind.choices)
    items = serializers.ListField(child=serializers.DictField(), help_text=CLAIMS_HELP)
    reasons = _text()


class ClaimChangeDecisionBody(serializers.Serializer):  # type: ignore[type-arg]
    change = InCase(lambda case: case.claim_changes.all())
    accepted = serializers.BooleanField()
    reasons = _text(help_text="Required for a refusal.")
    waived_by = InCase(
        respondents,
        many=True,
        required=False,
        default=list,
        help_text="Respondents who expressly waived a new defence period (办案规则 art. 44).",
    )


class CounterApplicationBody(serializers.Serializer):  # type: ignore[type-arg]
    party = InCase(respondents)
    items = serializers.ListField(child=serializers.DictField(), help_text=CLAIMS_HELP)
    facts_and_reasons = _text()


class CounterDecisionBody(serializers.Serializer):  # type: ignore[type-arg]
    counter = InCase(lambda case: case.counter_applications.all())
    outcome = inline_choice(
        [
            (o.value, o.label)
            for o in (
                CounterApplication.Outcome.JOINED,
                CounterApplication.Outcome.SEPARATE,
                CounterApplication.Outcome.REFUSED,
            )
        ]
    )
    reasons = _text(help_text="Required unless joined.")


class AddPartyBody(serializers.Serializer):  # type: ignore[type-arg]
    party = PartySerializer(help_text="As in an application, and validated the same way.")
    reasons = _text()


# --- What is read back -----------------------------------------------------------------------


class DefenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    party = PartyRefSerializer()
    text = serializers.CharField()
    waived = serializers.BooleanField()
    late = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()
    document = serializers.IntegerField(source="document_id", allow_null=True)


class CrossExaminationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    party = PartyRefSerializer()
    authenticity = inline_choice(CrossExamination.Opinion.choices)
    legality = inline_choice(CrossExamination.Opinion.choices)
    relevance = inline_choice(CrossExamination.Opinion.choices)
    note = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class EvidenceItemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    party = PartyRefSerializer(allow_null=True, help_text="Null: collected by the commission.")
    title = serializers.CharField()
    purpose = serializers.CharField()
    file_name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    late = serializers.BooleanField()
    file_url = serializers.SerializerMethodField()
    examinations = CrossExaminationSerializer(many=True)

    def get_file_url(self, item: EvidenceItem) -> str | None:
        if not item.file:
            return None
        url = reverse(
            "api:case-evidence-file",
            kwargs={"pk": item.case_id},
            request=self.context.get("request"),
        )
        return f"{url}?item={item.pk}"


class ClaimChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    kind = inline_choice(ClaimChange.Kind.choices)
    items = serializers.JSONField()
    reasons = serializers.CharField()
    filed_at = serializers.DateTimeField()
    decision = inline_choice(Decision.choices)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reasons = serializers.CharField()


class CounterApplicationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    party = PartyRefSerializer()
    items = serializers.JSONField()
    facts_and_reasons = serializers.CharField()
    filed_at = serializers.DateTimeField()
    outcome = inline_choice(CounterApplication.Outcome.choices)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reasons = serializers.CharField()


def _step(name: str, service: Callable[..., Any]) -> Callable[[User, Case, dict[str, Any]], Any]:
    def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
        return service(by=user, case=case, **data)

    perform.__name__ = name
    return perform


def _write(summary: str, body: type[serializers.Serializer], description: str = "") -> Any:  # type: ignore[type-arg]
    return extend_schema(
        summary=summary,
        description=description,
        request=body,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )


def _upload(summary: str, body: type[serializers.Serializer], description: str = "") -> Any:  # type: ignore[type-arg]
    return extend_schema(
        summary=summary,
        description=description,
        request={"multipart/form-data": body, "application/json": body},
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )


class EvidenceActions(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Mixed into ``CaseViewSet``: one ``@action`` per step, named like the transition."""

    @_upload(
        "Record a respondent's defence",
        DefenceBody,
        "LDMAL art. 30: a late defence is taken, flagged late. Opens the 5-day clock to serve "
        "its copy on the applicants.",
    )
    @action(detail=True, methods=["post"], url_path="file-defence", parser_classes=UPLOAD_PARSERS)
    def file_defence(self, request: Request, pk: int) -> Response:
        perform = _step("file_defence", evidence.defence_file)
        return run_step(request, pk, "file_defence", DefenceBody, perform)

    @_write(
        "Waive a respondent's defence period",
        WaiveDefenceBody,
        "Simplified handling only, with the respondent's consent (办案规则 art. 58).",
    )
    @action(detail=True, methods=["post"], url_path="waive-defence-period")
    def waive_defence_period(self, request: Request, pk: int) -> Response:
        perform = _step("waive_defence_period", evidence.defence_period_waive)
        return run_step(request, pk, "waive_defence_period", WaiveDefenceBody, perform)

    @_write("Set the evidence period", EvidencePeriodBody, "Replaces the running one.")
    @action(detail=True, methods=["post"], url_path="set-evidence-period")
    def set_evidence_period(self, request: Request, pk: int) -> Response:
        perform = _step("set_evidence_period", evidence.evidence_period_set)
        return run_step(request, pk, "set_evidence_period", EvidencePeriodBody, perform)

    @_upload(
        "Add an item of evidence with its file",
        EvidenceBody,
        "Numbered in the case; SHA-256 and size computed on the server; after the evidence "
        "period it is flagged late (办案规则 art. 15).",
    )
    @action(
        detail=True, methods=["post"], url_path="submit-evidence", parser_classes=UPLOAD_PARSERS
    )
    def submit_evidence(self, request: Request, pk: int) -> Response:
        perform = _step("submit_evidence", evidence.evidence_submit)
        return run_step(request, pk, "submit_evidence", EvidenceBody, perform)

    @_upload(
        "Add evidence to the application",
        ApplicationEvidenceBody,
        "While the application is a draft or being corrected (办案规则 art. 29); offered by the "
        "first applicant.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="add-application-evidence",
        parser_classes=UPLOAD_PARSERS,
    )
    def add_application_evidence(self, request: Request, pk: int) -> Response:
        perform = _step("add_application_evidence", evidence.application_evidence_add)
        return run_step(request, pk, "add_application_evidence", ApplicationEvidenceBody, perform)

    @_write("Record a party's cross-examination of an item", CrossExaminationBody)
    @action(detail=True, methods=["post"], url_path="record-cross-examination")
    def record_cross_examination(self, request: Request, pk: int) -> Response:
        perform = _step("record_cross_examination", evidence.cross_examination_record)
        return run_step(request, pk, "record_cross_examination", CrossExaminationBody, perform)

    @_write(
        "Record added or changed claims",
        ClaimChangeBody,
        "Before the evidence period expires (办案规则 art. 44); later, a new application.",
    )
    @action(detail=True, methods=["post"], url_path="apply-claim-change")
    def apply_claim_change(self, request: Request, pk: int) -> Response:
        perform = _step("apply_claim_change", evidence.claim_change_apply)
        return run_step(request, pk, "apply_claim_change", ClaimChangeBody, perform)

    @_write(
        "Decide on added or changed claims",
        ClaimChangeDecisionBody,
        "Accepted: claims rewritten, the 45 days count again from today (办案规则 art. 46(3)), "
        "a new defence period for each respondent unless waived.",
    )
    @action(detail=True, methods=["post"], url_path="decide-claim-change")
    def decide_claim_change(self, request: Request, pk: int) -> Response:
        perform = _step("decide_claim_change", evidence.claim_change_decide)
        return run_step(request, pk, "decide_claim_change", ClaimChangeDecisionBody, perform)

    @_write(
        "Record a respondent's counter-application",
        CounterApplicationBody,
        "Within its defence period only (办案规则 art. 36); later, a separate application.",
    )
    @action(detail=True, methods=["post"], url_path="file-counter-application")
    def file_counter_application(self, request: Request, pk: int) -> Response:
        perform = _step("file_counter_application", evidence.counter_application_file)
        return run_step(request, pk, "file_counter_application", CounterApplicationBody, perform)

    @_write(
        "Decide on a counter-application",
        CounterDecisionBody,
        "Joined (the 45 days count again, 办案规则 art. 46(4)), separate, or not accepted.",
    )
    @action(detail=True, methods=["post"], url_path="decide-counter-application")
    def decide_counter_application(self, request: Request, pk: int) -> Response:
        perform = _step("decide_counter_application", evidence.counter_application_decide)
        return run_step(request, pk, "decide_counter_application", CounterDecisionBody, perform)

    @_write(
        "Add a party or a third party",
        AddPartyBody,
        "The 45 days count again from today (办案规则 art. 46(1)).",
    )
    @action(detail=True, methods=["post"], url_path="add-party")
    def add_party(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
            try:
                return evidence.party_add(
                    by=user, case=case, data=dict(data["party"]), reasons=data["reasons"]
                )
            except ValidationError as exc:
                # The service judges a party as a form's fields; here they sit under "party".
                raise ValidationError(
                    {
                        key if key == "reasons" else f"party.{key}": messages
                        for key, messages in exc.message_dict.items()
                    }
                ) from exc

        return run_step(request, pk, "add_party", AddPartyBody, perform)

    # --- Reads ---

    @extend_schema(
        summary="Defences and waivers of the defence period",
        responses={200: DefenceSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def defences(self, request: Request, pk: int) -> Response:
        case = case_for(request.user, pk)  # type: ignore[arg-type]
        rows = case.defences.select_related("party").order_by("submitted_at", "pk")
        return Response(DefenceSerializer(rows, many=True).data)

    @extend_schema(
        summary="The evidence list, with SHA-256 hashes and cross-examinations",
        responses={200: EvidenceItemSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="evidence", pagination_class=None)
    def evidence_list(self, request: Request, pk: int) -> Response:
        case = case_for(request.user, pk)  # type: ignore[arg-type]
        rows = (
            case.evidence.select_related("party")
            .prefetch_related("examinations__party")
            .order_by("number")
        )
        return Response(EvidenceItemSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Download an evidence file",
        parameters=[
            OpenApiParameter("item", int, required=True, description="The evidence item's id.")
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            **READ_ERRORS,
        },
    )
    @action(detail=True, methods=["get"], url_path="evidence-file", pagination_class=None)
    def evidence_file(self, request: Request, pk: int) -> FileResponse:
        case = case_for(request.user, pk)  # type: ignore[arg-type]
        item = request.query_params.get("item", "")
        if not item.isdigit():
            raise Http404
        row = get_object_or_404(EvidenceItem, case=case, pk=int(item))
        if not row.file:
            raise Http404
        return FileResponse(
            row.file.open("rb"),
            as_attachment=True,
            filename=row.file_name or row.file.name.rsplit("/")[-1],
        )

    @extend_schema(
        summary="Applications to add or change claims, and their decisions",
        responses={200: ClaimChangeSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="claim-changes", pagination_class=None)
    def claim_changes(self, request: Request, pk: int) -> Response:
        case = case_for(request.user, pk)  # type: ignore[arg-type]
        rows = case.claim_changes.order_by("filed_at", "pk")
        return Response(ClaimChangeSerializer(rows, many=True).data)

    @extend_schema(
        summary="Counter-applications and their decisions",
        responses={200: CounterApplicationSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="counter-applications", pagination_class=None)
    def counter_applications(self, request: Request, pk: int) -> Response:
        case = case_for(request.user, pk)  # type: ignore[arg-type]
        rows = case.counter_applications.select_related("party").order_by("filed_at", "pk")
        return Response(CounterApplicationSerializer(rows, many=True).data)
