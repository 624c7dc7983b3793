"""Cases in the API: fetch through the selectors, call one service, answer with the case.

Every transition is its own action endpoint (``POST /api/v1/cases/{id}/accept/``), never a
``PATCH`` of the status: the services decide, and write the case's event with server time.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from zhongcai.cases import selectors, services, workflow
from zhongcai.cases.models import Case, Party

from .case_award import AwardActions
from .case_closing import ClosingActions
from .case_common import _detail, case_for
from .case_documents import DocumentsActions
from .case_efile import EfileActions
from .case_evidence import EvidenceActions
from .case_hearings import HearingsActions
from .case_letters import LettersActions
from .case_serving import ServingActions
from .case_tribunal import TribunalActions
from .schema import BAD_INPUT, READ_ERRORS, UNAUTHENTICATED, WRITE_ERRORS
from .serializers import (
    AcceptSerializer,
    ApplicationSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseFilterSerializer,
    CaseListItemSerializer,
    CorrectionNoticeSerializer,
    EmptySerializer,
    EventSerializer,
    RedirectSerializer,
    RefuseSerializer,
    SubmitSerializer,
)


class CasePagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


@extend_schema(tags=["cases"])
@extend_schema_view(
    list=extend_schema(
        summary="Cases in your scope",
        parameters=[CaseFilterSerializer],
        responses={200: CaseListItemSerializer(many=True), 400: BAD_INPUT, 401: UNAUTHENTICATED},
    ),
    create=extend_schema(
        summary="Open a draft application",
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer, **WRITE_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A case with its parties, claims, clocks and the steps open to you",
        responses={200: CaseDetailSerializer, **READ_ERRORS},
    ),
)
class CaseViewSet(
    TribunalActions,
    ServingActions,
    EvidenceActions,
    LettersActions,
    HearingsActions,
    AwardActions,
    ClosingActions,
    DocumentsActions,
    EfileActions,
    viewsets.GenericViewSet,
):
    """Arbitration cases in the intake stage, as far as the signed-in user may see them."""

    parser_classes = [JSONParser]
    pagination_class = CasePagination
    serializer_class = CaseDetailSerializer
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Case]:
        return selectors.cases_visible_to(self.request.user).prefetch_related("parties")

    def list(self, request: Request) -> Response:
        filters = CaseFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        cases = self.get_queryset()
        if "status" in wanted:
            cases = cases.filter(status=wanted["status"])
        if "next_deadline_before" in wanted:
            cases = cases.filter(next_deadline__lt=wanted["next_deadline_before"])
        if "commission" in wanted:
            cases = cases.filter(commission_id=wanted["commission"])
        if wanted.get("q"):
            q = wanted["q"]
            named = Party.objects.filter(name__icontains=q).values("case_id")
            cases = cases.filter(Q(case_number__icontains=q) | Q(pk__in=named))
        page = self.paginate_queryset(cases)
        data = CaseListItemSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    def create(self, request: Request) -> Response:
        body = CaseCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        content = dict(body.validated_data)
        case = services.case_create(
            by=request.user,
            commission=content.pop("commission"),
            channel=content.pop("channel"),
            data=content,
        )
        case = case_for(request.user, case.pk)
        return Response(
            _detail(request, case),
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:case-detail", args=[case.pk], request=request)},
        )

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(_detail(request, case_for(request.user, pk)))

    @extend_schema(
        methods=["PUT"],
        summary="Replace the application's content (draft, or while being corrected)",
        request=ApplicationSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @extend_schema(
        methods=["PATCH"],
        summary="Change some of the application's content; lists are replaced whole",
        request=ApplicationSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["put", "patch"])
    def application(self, request: Request, pk: int) -> Response:
        case = case_for(request.user, pk)
        partial = request.method == "PATCH"
        body = ApplicationSerializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        content = dict(body.validated_data)
        if partial:
            # What the client did not send stays as it is: start from the case's own content.
            content = {**ApplicationSerializer(case).data, **content}
        services.case_update_application(by=request.user, case=case, data=content)
        return Response(_detail(request, case_for(request.user, pk)))

    @extend_schema(
        summary="The case's hash-chained event log",
        responses={200: EventSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request: Request, pk: int) -> Response:
        case = case_for(request.user, pk)
        events = selectors.case_events_for(request.user, case)
        return Response(EventSerializer(events, many=True).data)

    # --- Transitions (spec §12.2). Each answers with the case as it now is. ---

    def _transition(
        self,
        request: Request,
        pk: int,
        name: str,
        body_class: type[serializers.Serializer],
        service: Callable[..., Case],
    ) -> Response:
        case = case_for(request.user, pk)
        # Who may act is asked before the body is judged, so that someone who may never take
        # this step is told so, not shown the case's warnings or a list of input errors.
        workflow.ensure_may_act(request.user, case, name)
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        service(by=request.user, case=case, **body.validated_data)
        return Response(_detail(request, case_for(request.user, pk)))

    @extend_schema(
        summary="Submit the application: receipt issued, 5-working-day clock starts",
        description="DRAFT → RECEIVED (办案规则 art. 29).",
        request=SubmitSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: int) -> Response:
        return self._transition(request, pk, "submit", SubmitSerializer, services.case_submit)

    @extend_schema(
        summary="Issue the one-time correction notice listing every gap",
        description="RECEIVED → AWAITING_CORRECTION (一次性告知, 办案规则 art. 29).",
        request=CorrectionNoticeSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="issue-correction-notice")
    def issue_correction_notice(self, request: Request, pk: int) -> Response:
        return self._transition(
            request,
            pk,
            "issue_correction_notice",
            CorrectionNoticeSerializer,
            services.case_issue_correction_notice,
        )

    @extend_schema(
        summary="Submit the corrections: new receipt, the clock runs again",
        description="AWAITING_CORRECTION → RECEIVED (办案规则 art. 46(2)).",
        request=EmptySerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="submit-corrections")
    def submit_corrections(self, request: Request, pk: int) -> Response:
        return self._transition(
            request, pk, "submit_corrections", EmptySerializer, services.case_submit_corrections
        )

    @extend_schema(
        summary="Accept: case number allocated, 45-day award clock starts",
        description="RECEIVED → ACCEPTED (LDMAL arts. 29, 43; 办案规则 art. 30).",
        request=AcceptSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: int) -> Response:
        return self._transition(request, pk, "accept", AcceptSerializer, services.case_accept)

    @extend_schema(
        summary="Refuse, with reasons and legal basis",
        description="RECEIVED → NOT_ACCEPTED (LDMAL art. 29; 办案规则 art. 31).",
        request=RefuseSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: int) -> Response:
        return self._transition(request, pk, "refuse", RefuseSerializer, services.case_refuse)

    @extend_schema(
        summary="Redirect the applicant to the competent commission",
        description="RECEIVED → REDIRECTED (办案规则 arts. 8, 31).",
        request=RedirectSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def redirect(self, request: Request, pk: int) -> Response:
        return self._transition(request, pk, "redirect", RedirectSerializer, services.case_redirect)
