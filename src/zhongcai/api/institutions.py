"""Institutions, their people and quarterly verification in the API; the public roster.

Every read goes through ``orgs.selectors`` (out of scope answers 404, like a missing record) and
every write through one ``orgs`` service, which decides: a record seen but maintained by another
level answers 403 (``orgs.permissions``), bad input 400 with the services' own messages. Only
administrators of an HRSS department use these endpoints, as only they use the pages.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from zhongcai.accounts.models import User
from zhongcai.orgs import people, roster, selectors, snapshots, verification
from zhongcai.orgs.institutions import Composition
from zhongcai.orgs.models import (
    Appointment,
    CommissionDetail,
    Organisation,
    Person,
    QuarterSubmission,
)
from zhongcai.orgs.permissions import (
    MAINTAINED_TYPES,
    ensure_may_maintain,
    is_administrator,
    may_decide,
    may_maintain,
    pending_step,
)

from .institution_serializers import (
    CommissionDetailSerializer,
    CommissionFilterSerializer,
    CommissionListItemSerializer,
    DecideSerializer,
    PersonAppointSerializer,
    PersonCreateSerializer,
    PersonDetailSerializer,
    PersonDismissSerializer,
    PersonFilterSerializer,
    PersonListItemSerializer,
    PersonValuesSerializer,
    RosterEntrySerializer,
    RosterFilterSerializer,
    SubmissionDetailSerializer,
    SubmissionFilterSerializer,
    SubmissionListItemSerializer,
    SubmitQuarterSerializer,
)
from .schema import BAD_INPUT, FORBIDDEN, UNAUTHENTICATED, WRITE_ERRORS

LIST_ERRORS = {400: BAD_INPUT, 401: UNAUTHENTICATED, 403: FORBIDDEN}
READ_ERRORS = {401: UNAUTHENTICATED, 403: FORBIDDEN, 404: WRITE_ERRORS[404]}


class IsAdministrator(permissions.BasePermission):
    """An administrator of an HRSS department (``orgs.permissions.is_administrator``)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_administrator(request.user)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class _InstitutionsViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, IsAdministrator]
    parser_classes = [JSONParser]
    pagination_class = Pagination
    lookup_value_converter = "int"

    @property
    def user(self) -> User:
        return self.request.user  # type: ignore[return-value]

    def filters(self, serializer_class: type) -> dict[str, Any]:
        query = serializer_class(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return dict(query.validated_data)


# --- Commissions ----------------------------------------------------------------------------


def _warnings(members: list[Any], staffing: selectors.Staffing) -> list[str]:
    return [
        str(w)
        for w in Composition.of(members).problems()
        + people.staffing_warnings(
            full_time_arbitrators=staffing.full_time_arbitrators,
            case_assistants=staffing.case_assistants,
        )
    ]


def _staffing(staffing: selectors.Staffing) -> dict[str, int]:
    return {
        "full_time_arbitrators": staffing.full_time_arbitrators,
        "part_time_arbitrators": staffing.part_time_arbitrators,
        "recorders": staffing.recorders,
        "case_assistants": staffing.case_assistants,
    }


@extend_schema(tags=["institutions"])
@extend_schema_view(
    list=extend_schema(
        summary="Arbitration commissions in your scope, with their staffing warnings",
        parameters=[CommissionFilterSerializer],
        responses={200: CommissionListItemSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A commission with its members and staffing warnings",
        responses={200: CommissionDetailSerializer, **READ_ERRORS},
    ),
)
class CommissionViewSet(_InstitutionsViewSet):
    serializer_class = CommissionDetailSerializer

    def list(self, request: Request) -> Response:
        wanted = self.filters(CommissionFilterSerializer)
        commissions = selectors.commissions_visible_to(self.user)
        if wanted.get("q"):
            commissions = commissions.filter(name__icontains=wanted["q"])
        page = self.paginate_queryset(commissions) or []
        ids = [c.pk for c in page]
        staffing = selectors.staffing_of(ids)
        members = selectors.members_of(ids)
        rows = [
            {
                "id": c.pk,
                "name": c.name,
                "division_id": c.division_id,
                "members": len(members[c.pk]),
                "staffing": _staffing(staffing[c.pk]),
                "warnings": _warnings(members[c.pk], staffing[c.pk]),
            }
            for c in page
        ]
        return self.get_paginated_response(CommissionListItemSerializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        commission = selectors.get_commission_for(self.user, pk)
        members = list(commission.commission_members.all())
        active = [m for m in members if m.is_active]
        staffing = selectors.staffing_of([commission.pk])[commission.pk]
        detail = CommissionDetail.objects.filter(commission=commission).first()
        data = {
            "id": commission.pk,
            "name": commission.name,
            "division_id": commission.division_id,
            "level": commission.division.level,
            "seat_address": detail.seat_address if detail else "",
            "members": len(active),
            "member_list": members,
            "staffing": _staffing(staffing),
            "warnings": _warnings(members, staffing),
            "may_maintain": may_maintain(self.user, commission),
        }
        return Response(CommissionDetailSerializer(data).data)


# --- People ---------------------------------------------------------------------------------


def _person_detail(user: User, pk: int) -> dict[str, Any]:
    person = selectors.get_person_for(user, pk)
    data = PersonDetailSerializer(
        {
            **{f: getattr(person, f) for f in people.PERSON_FIELDS},
            "id": person.pk,
            "organisation": person.organisation,
            "appointments": person.appointments.all(),
            "may_maintain": may_maintain(user, person.organisation),
        }
    ).data
    return dict(data)


@extend_schema(tags=["institutions"])
@extend_schema_view(
    list=extend_schema(
        summary="People (arbitrators, recorders, case assistants, mediators) in your scope",
        parameters=[PersonFilterSerializer],
        responses={200: PersonListItemSerializer(many=True), **LIST_ERRORS},
    ),
    create=extend_schema(
        summary="Put a person on record with their first appointment",
        description="Only the department of the organisation's own division maintains it "
        "(403 otherwise). A dismissed arbitrator is refused until the bar ends (组织规则 "
        "art. 34).",
        request=PersonCreateSerializer,
        responses={201: PersonDetailSerializer, **WRITE_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A person's record with their appointments",
        responses={200: PersonDetailSerializer, **READ_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change some of a person's fields",
        description="The kind does not change. Another level's record: 403.",
        request=PersonValuesSerializer,
        responses={200: PersonDetailSerializer, **WRITE_ERRORS},
    ),
)
class PersonViewSet(_InstitutionsViewSet):
    serializer_class = PersonDetailSerializer

    def _organisation(self, pk: int) -> Organisation:
        organisation = selectors.get_organisation_for(self.user, pk)
        if organisation.type not in MAINTAINED_TYPES:
            raise Http404
        return organisation

    def list(self, request: Request) -> Response:
        wanted = self.filters(PersonFilterSerializer)
        listed = selectors.person_list(
            self.user,
            organisation=wanted.get("organisation"),
            kind=wanted.get("kind", ""),
            status=wanted.get("status", ""),
            query=wanted.get("q", ""),
        )
        page = self.paginate_queryset(listed) or []
        rows = []
        for person in page:
            appointments = list(person.appointments.all())  # prefetched, latest first
            rows.append(
                {
                    "id": person.pk,
                    "organisation": person.organisation,
                    "kind": person.kind,
                    "name": person.name,
                    "sex": person.sex,
                    "employment": person.employment,
                    "unit": person.unit,
                    "in_office": bool(appointments)
                    and appointments[0].status == Appointment.Status.ACTIVE,
                    "training_hours": person.training_hours,
                }
            )
        return self.get_paginated_response(PersonListItemSerializer(rows, many=True).data)

    def create(self, request: Request) -> Response:
        body = PersonCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        organisation = self._organisation(values.pop("organisation"))
        person = people.person_create(
            by=self.user,
            organisation=organisation,
            starts_on=values.pop("starts_on"),
            ends_on=values.pop("ends_on", None),
            values=values,
        )
        return Response(
            _person_detail(self.user, person.pk),
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:person-detail", args=[person.pk], request=request)},
        )

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(_person_detail(self.user, pk))

    def partial_update(self, request: Request, pk: int) -> Response:
        person = selectors.get_person_for(self.user, pk)
        # Who may change it is asked before the body is judged: another level learns only that.
        ensure_may_maintain(self.user, person.organisation)
        body = PersonValuesSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        people.person_update(by=self.user, person=person, values=dict(body.validated_data))
        return Response(_person_detail(self.user, pk))

    def _active_appointment(self, person: Person) -> Appointment:
        appointment = person.appointments.filter(status=Appointment.Status.ACTIVE).first()
        if appointment is None:
            # The service's own message for an appointment that already ended.
            appointment = person.appointments.first()
        if appointment is None:
            raise Http404
        return appointment

    @extend_schema(
        summary="End the person's appointment, or dismiss them (解聘)",
        description="The person leaves the public roster at once. A dismissal reason bars "
        "re-appointment as arbitrator for 5 years (组织规则 art. 34), province-wide.",
        request=PersonDismissSerializer,
        responses={200: PersonDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: int) -> Response:
        person = selectors.get_person_for(self.user, pk)
        ensure_may_maintain(self.user, person.organisation)
        body = PersonDismissSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        people.appointment_end(
            by=self.user, appointment=self._active_appointment(person), **body.validated_data
        )
        return Response(_person_detail(self.user, pk))

    @extend_schema(
        summary="Appoint the person again for a new term",
        description="Refused while an appointment is active, and for a dismissed arbitrator "
        "until the bar ends (组织规则 art. 34).",
        request=PersonAppointSerializer,
        responses={200: PersonDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def appoint(self, request: Request, pk: int) -> Response:
        person = selectors.get_person_for(self.user, pk)
        ensure_may_maintain(self.user, person.organisation)
        body = PersonAppointSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        people.appointment_create(by=self.user, person=person, **body.validated_data)
        return Response(_person_detail(self.user, pk))


# --- Quarterly verification -----------------------------------------------------------------


def _submission_row(user: User, submission: QuarterSubmission) -> dict[str, Any]:
    return {
        "id": submission.pk,
        "commission": submission.commission,
        "year": submission.year,
        "quarter": submission.quarter,
        "status": submission.status,
        "submitted_at": submission.submitted_at,
        "submitted_by": submission.submitted_by,
        "waiting_for": pending_step(submission),
        "may_decide": may_decide(user, submission),
    }


def _submission_detail(user: User, pk: int) -> dict[str, Any]:
    submission = selectors.get_submission_for(user, pk)
    data = {
        **_submission_row(user, submission),
        "note": submission.note,
        "base_id": submission.base_id,
        "diff": snapshots.diff(
            submission.base.snapshot if submission.base else None, submission.snapshot
        ),
        "checks": submission.snapshot.get("checks", []),
        "decisions": submission.decisions.select_related("by"),
        "digest_ok": snapshots.digest_of(submission.snapshot) == submission.snapshot_digest,
    }
    return dict(SubmissionDetailSerializer(data).data)


@extend_schema(tags=["verification"])
@extend_schema_view(
    list=extend_schema(
        summary="Quarterly submissions visible to you",
        parameters=[SubmissionFilterSerializer],
        responses={200: SubmissionListItemSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A quarterly submission with its diff against the last approved quarter",
        responses={200: SubmissionDetailSerializer, **READ_ERRORS},
    ),
)
class SubmissionViewSet(_InstitutionsViewSet):
    serializer_class = SubmissionDetailSerializer

    def list(self, request: Request) -> Response:
        wanted = self.filters(SubmissionFilterSerializer)
        submissions = selectors.submissions_visible_to(self.user)
        if "commission" in wanted:
            submissions = submissions.filter(commission_id=wanted["commission"])
        if wanted.get("status"):
            submissions = submissions.filter(status=wanted["status"])
        page = self.paginate_queryset(submissions) or []
        rows = [_submission_row(self.user, s) for s in page]
        return self.get_paginated_response(SubmissionListItemSerializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(_submission_detail(self.user, pk))

    @extend_schema(
        summary="Submit a commission's quarter (核准填报): its records are frozen",
        description="The quarter just ended or the current one. A county's quarter goes to its "
        "city, a city's or the province's own to the province.",
        request=SubmitQuarterSerializer,
        responses={201: SubmissionDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=False, methods=["post"])
    def submit(self, request: Request) -> Response:
        body = SubmitQuarterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        commission = selectors.get_commission_for(self.user, values.pop("commission"))
        submission = verification.quarter_submit(by=self.user, commission=commission, **values)
        return Response(
            _submission_detail(self.user, submission.pk),
            status=status.HTTP_201_CREATED,
            headers={
                "Location": reverse("api:submission-detail", args=[submission.pk], request=request)
            },
        )

    @extend_schema(
        summary="Decide on a quarter: the city forwards or returns, the province approves",
        description="Nobody decides on their own submission; a city only on its own counties. "
        "Approval publishes the commission's roster.",
        request=DecideSerializer,
        responses={200: SubmissionDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: int) -> Response:
        submission = selectors.get_submission_for(self.user, pk)
        body = DecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        verification.quarter_decide(by=self.user, submission=submission, **body.validated_data)
        return Response(_submission_detail(self.user, pk))


# --- The public roster ----------------------------------------------------------------------


class RosterPagination(PageNumberPagination):
    page_size = 50


class RosterView(generics.GenericAPIView):
    """Public on purpose, like /roster/: LDMAL art. 20 roster, published fields only."""

    permission_classes = [permissions.AllowAny]
    # Nobody signs in to read a public list; a stale token must not turn it into a 401.
    authentication_classes: list[type] = []
    pagination_class = RosterPagination
    serializer_class = RosterEntrySerializer

    @extend_schema(
        summary="The public arbitrator roster (仲裁员名册)",
        description="Approved, in-office appointments only; name, sex, commission, full- or "
        "part-time, qualification and (part-timers) unit — nothing else.",
        parameters=[RosterFilterSerializer],
        tags=["roster"],
        auth=[],
        responses={200: RosterEntrySerializer(many=True), 400: BAD_INPUT},
    )
    def get(self, request: Request) -> Response:
        query = RosterFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        entries = roster.public_entries(**query.validated_data)
        page = self.paginate_queryset(entries) or []
        return self.get_paginated_response(RosterEntrySerializer(page, many=True).data)
