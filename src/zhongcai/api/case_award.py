"""Mediation inside arbitration, the award with per-item finality, and court notices after it.

Action endpoints under ``/api/v1/cases/{id}/…``. Ids in a body (claims, parties, awards,
arbitrators) are looked up within the case: an id of another case is "invalid", never a way in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from zhongcai.accounts.models import User
from zhongcai.cases import award as services
from zhongcai.cases import award_drafts, postaward, workflow
from zhongcai.cases.models import (
    Award,
    AwardDraft,
    AwardItem,
    Case,
    ClaimClass,
    CourtNotice,
    Finality,
    MediationAttempt,
    TribunalMember,
)
from zhongcai.documents.markup import plain_text
from zhongcai.orgs.models import Organisation, Person

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


def _parties(case: Case) -> QuerySet[Any]:
    return case.parties.all()


def _seated(case: Case) -> QuerySet[Person]:
    seated = (
        TribunalMember.objects.filter(case=case, ended_at__isnull=True)
        .exclude(seat=TribunalMember.Seat.RECORDER)
        .values("person_id")
    )
    return Person.objects.filter(pk__in=seated)


def _optional(field: type[serializers.Field], **kwargs: Any) -> Any:  # type: ignore[type-arg]
    return field(required=False, allow_null=True, default=None, **kwargs)


# --- Bodies --------------------------------------------------------------------------------


class MediationBody(serializers.Serializer):  # type: ignore[type-arg]
    outcome = serializers.ChoiceField(MediationAttempt.Outcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MediationDocumentBody(serializers.Serializer):  # type: ignore[type-arg]
    agreement = serializers.ListField(
        child=serializers.CharField(), help_text="What the parties agreed, one item each."
    )


class EmptyBody(serializers.Serializer):  # type: ignore[type-arg]
    pass


class EntrustMediationBody(serializers.Serializer):  # type: ignore[type-arg]
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(
            type=Organisation.Type.MEDIATION_ORGANISATION, is_active=True
        ),
        help_text="The mediation organisation entrusted.",
    )
    consent_applicant = serializers.BooleanField()
    consent_respondent = serializers.BooleanField()


class RulingItemBody(serializers.Serializer):  # type: ignore[type-arg]
    claim = InCase(
        lambda case: case.claims.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The claim ruled on; null for an item that answers no claim (a counter-claim).",
    )
    claim_class = serializers.ChoiceField(
        ClaimClass.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Override of the class for the final-award test; by default the claim's type.",
    )
    outcome = serializers.ChoiceField(AwardItem.Outcome.choices)
    ruling = serializers.CharField()
    obligor = InCase(_parties, required=False, allow_null=True, default=None)
    obligee = InCase(
        _parties,
        required=False,
        allow_null=True,
        default=None,
        help_text="In whose favour; for an item that answers no claim, the party who claimed.",
    )
    amount = _optional(serializers.DecimalField, max_digits=14, decimal_places=2, min_value=0)
    perform_within_days = _optional(serializers.IntegerField, min_value=0)


class CorrectionBody(serializers.Serializer):  # type: ignore[type-arg]
    award = InCase(lambda case: case.awards.all())
    corrections = serializers.CharField(allow_blank=True)


class CourtNoticeBody(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(CourtNotice.Kind.choices)
    party = InCase(
        _parties,
        required=False,
        allow_null=True,
        default=None,
        help_text="The party who sued or applied.",
    )
    court_name = serializers.CharField(allow_blank=True)
    court_case_number = serializers.CharField(required=False, allow_blank=True, default="")
    court_date = serializers.DateField()
    file = serializers.FileField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The court's document (multipart); required.",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- What is read back -----------------------------------------------------------------------


class AwardItemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    number = serializers.IntegerField()
    claim = serializers.IntegerField(source="claim_id", allow_null=True)
    claim_class = serializers.ChoiceField(ClaimClass.choices)
    outcome = serializers.ChoiceField(AwardItem.Outcome.choices)
    ruling = serializers.CharField()
    obligor = serializers.IntegerField(source="obligor_id", allow_null=True)
    obligee = serializers.IntegerField(source="obligee_id", allow_null=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    perform_within_days = serializers.IntegerField(allow_null=True)
    final = serializers.BooleanField()
    finality_reason = serializers.CharField()


class AwardSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(Award.Kind.choices)
    document = serializers.IntegerField(source="document_id")
    title = serializers.CharField(source="document.title")
    body = serializers.CharField(source="document.body", help_text="The 裁决书 of record.")
    finality = serializers.ChoiceField(Finality.choices)
    minimum_wage = serializers.DecimalField(
        source="minimum_wage.monthly", max_digits=8, decimal_places=2, allow_null=True
    )
    minimum_wage_division = serializers.CharField(
        source="minimum_wage.division_id", allow_null=True
    )
    minimum_wage_from = serializers.DateField(source="minimum_wage.effective_from", allow_null=True)
    threshold = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    legal_basis = serializers.CharField()
    dissent = serializers.BooleanField(source="has_dissent")
    made_at = serializers.DateTimeField()
    items = AwardItemSerializer(many=True)


class WindowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    party = serializers.IntegerField(source="party_id", allow_null=True)
    started_on = serializers.DateField()
    due_on = serializers.DateField()
    state = serializers.CharField()


class CourtNoticeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(CourtNotice.Kind.choices)
    party = serializers.IntegerField(source="party_id", allow_null=True)
    court_name = serializers.CharField()
    court_case_number = serializers.CharField()
    court_date = serializers.DateField()
    document = serializers.IntegerField(source="document_id")
    post_award_before = serializers.CharField()
    post_award_after = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class AwardsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    post_award = serializers.CharField(help_text="What became of the award (spec §12).")
    awards = AwardSerializer(many=True)
    windows = WindowSerializer(many=True)
    court_notices = CourtNoticeSerializer(many=True)


class DraftItemBody(RulingItemBody):
    """An item of a draft: the outcome and the ruling may wait."""

    outcome = serializers.ChoiceField(
        AwardItem.Outcome.choices, required=False, allow_blank=True, default=""
    )
    ruling = serializers.CharField(required=False, allow_blank=True, default="")


class DraftStepBody(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(Award.Kind.choices)
    version = serializers.IntegerField(
        min_value=0, help_text="The version read: a newer one refuses the step (409)."
    )


class AwardDraftBody(DraftStepBody):
    items = DraftItemBody(many=True, required=False, default=list)
    facts = serializers.CharField(required=False, allow_blank=True, default="")
    reasoning = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The reasons (本委认为); for advance execution, its grounds.",
    )
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    defence_summary = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The respondent's defence as the award states it; empty: as filed.",
    )
    dissent = serializers.CharField(required=False, allow_blank=True, default="")
    dissenting = InCase(_seated, required=False, allow_null=True, default=None)
    applicant = InCase(
        _parties,
        required=False,
        allow_null=True,
        default=None,
        help_text="Advance execution: the worker who applied (LDMAL art. 44).",
    )


class DraftReviewBody(DraftStepBody):
    approve = serializers.BooleanField()
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required to return the draft."
    )


class AwardDraftSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(allow_null=True)
    kind = serializers.ChoiceField(Award.Kind.choices)
    state = serializers.CharField(help_text="draft, submitted, approved, returned; empty: none.")
    version = serializers.IntegerField()
    items = serializers.JSONField()
    facts = serializers.CharField()
    reasoning = serializers.CharField()
    legal_basis = serializers.CharField()
    defence_summary = serializers.CharField()
    dissent = serializers.CharField()
    dissenting = serializers.IntegerField(source="dissenting_id", allow_null=True)
    applicant = serializers.IntegerField(source="applicant_id", allow_null=True)
    review_note = serializers.CharField()
    updated_at = serializers.DateTimeField(allow_null=True)
    updated_by = serializers.CharField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    reviewed_by = serializers.CharField(allow_null=True)
    award = serializers.IntegerField(source="award_id", allow_null=True)
    preview = serializers.SerializerMethodField(
        help_text="The 裁决书 the draft would make today, a line a block, marked 样稿."
    )

    def get_preview(self, draft: AwardDraft) -> str:
        if draft.pk is None:
            return ""
        return plain_text(award_drafts.draft_preview(draft))


def _ensure_may_see_drafts(user: User, case: Case) -> None:
    if not (
        workflow.may_act(user, case, "save_award_draft")
        or workflow.may_act(user, case, "review_award_draft")
    ):
        raise PermissionDenied(_("Only the tribunal and its reviewers see award drafts."))


def _draft_of(case: Case, kind: str) -> AwardDraft:
    draft = award_drafts.open_draft(case, kind)
    if draft is None:
        raise workflow.TransitionError(_("There is no draft of this award to act on."))
    return draft


def _draft_step(
    request: Request,
    pk: int,
    action: str,
    body_class: type[serializers.Serializer],  # type: ignore[type-arg]
    perform: Callable[[User, Case, dict[str, Any]], AwardDraft],
) -> Response:
    """``case_common.run_step``, answering with the draft (its new version and state)."""
    user: User = request.user  # type: ignore[assignment]
    case = case_for(user, pk)
    workflow.ensure_may_act(user, case, action)
    body = body_class(data=request.data, context={"request": request, "case": case})
    body.is_valid(raise_exception=True)
    draft = perform(user, case, dict(body.validated_data))
    return Response(AwardDraftSerializer(draft).data)


UPLOAD_PARSERS = [MultiPartParser, JSONParser]


class AwardActions(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Mixed into ``CaseViewSet``: one ``@action`` per step, named like the transition."""

    @extend_schema(
        summary="Record a mediation attempt (先行调解)",
        description="LDMAL art. 42; 办案规则 art. 68. No award before one is recorded.",
        request=MediationBody,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="record-mediation")
    def record_mediation(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
            return services.mediation_attempt_record(by=user, case=case, **data)

        return run_step(request, pk, "record_mediation", MediationBody, perform)

    @extend_schema(
        summary="Entrust mediation to a mediation organisation before the hearing",
        description="办案规则 art. 69: with both parties' consent; no agreement within 10 "
        "(working) days of consent → the hearing is held. Opens a mediation case.",
        request=EntrustMediationBody,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="entrust-mediation")
    def entrust_mediation(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
            from zhongcai.mediation.entrusted import mediation_entrust

            return mediation_entrust(by=user, case=case, **data)

        return run_step(request, pk, "entrust_mediation", EntrustMediationBody, perform)

    @extend_schema(
        summary="Issue the 调解书 on the agreement reached",
        description="LDMAL art. 42: it takes effect when every applicant and respondent has "
        "signed its receipt; the case then closes by itself.",
        request=MediationDocumentBody,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="issue-mediation-document")
    def issue_mediation_document(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
            return services.mediation_document_issue(by=user, case=case, **data)

        return run_step(request, pk, "issue_mediation_document", MediationDocumentBody, perform)

    @extend_schema(
        summary="Close by mediation (refused unless both sides signed the 调解书)",
        description="→ CLOSED_MEDIATION (LDMAL art. 42). Normally taken by itself on the last "
        "signature.",
        request=EmptyBody,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="close-by-mediation")
    def close_by_mediation(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
            return services.mediation_close(by=user, case=case)

        return run_step(request, pk, "close_by_mediation", EmptyBody, perform)

    # --- The award as a draft (issue 5): written, submitted, reviewed, issued ------------------

    @extend_schema(
        summary="The open award draft of a kind, with the 裁决书 it would make",
        description="Only for the tribunal and its reviewers (the institute head, the presiding "
        "arbitrator); others get 403. With no draft yet: version 0 and no id — write one with "
        "PUT and version 0.",
        parameters=[
            OpenApiParameter(
                "kind", str, enum=list(Award.Kind.values), description="Default: full."
            )
        ],
        responses={200: AwardDraftSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="award-draft", url_name="award-draft")
    def award_draft(self, request: Request, pk: int) -> Response:
        user: User = request.user  # type: ignore[assignment]
        case = case_for(user, pk)
        _ensure_may_see_drafts(user, case)
        kind = request.query_params.get("kind") or Award.Kind.FULL
        if kind not in Award.Kind.values:
            raise serializers.ValidationError({"kind": [_("Choose the kind of award.")]})
        draft = award_drafts.open_draft(case, kind) or AwardDraft(
            case=case, kind=kind, version=0, state=""
        )
        return Response(AwardDraftSerializer(draft).data)

    @extend_schema(
        summary="Write the award draft (PUT): structured items and free text, the version read",
        description="By a member of the tribunal, while an award of the kind may be made. What "
        "is written must be right; it may be incomplete. A version other than the draft's "
        "current one is refused (409): someone saved in between. A save after approval sends "
        "the draft back to review.",
        request=AwardDraftBody,
        responses={200: AwardDraftSerializer, **WRITE_ERRORS},
    )
    @award_draft.mapping.put
    def put_award_draft(self, request: Request, pk: int) -> Response:
        return self._save_award_draft(request, pk)

    @extend_schema(
        summary="Write the award draft (as PUT award-draft)",
        request=AwardDraftBody,
        responses={200: AwardDraftSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="save-award-draft")
    def save_award_draft(self, request: Request, pk: int) -> Response:
        return self._save_award_draft(request, pk)

    def _save_award_draft(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> AwardDraft:
            return award_drafts.award_draft_save(by=user, case=case, **data)

        return _draft_step(request, pk, "save_award_draft", AwardDraftBody, perform)

    @extend_schema(
        summary="Submit the award draft for review",
        description="By a member of the tribunal; the draft must be complete as the award step "
        "checks it (400 with every problem).",
        request=DraftStepBody,
        responses={200: AwardDraftSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="submit-award-draft")
    def submit_award_draft(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> AwardDraft:
            return award_drafts.award_draft_submit(
                by=user, case=case, draft=_draft_of(case, data["kind"]), version=data["version"]
            )

        return _draft_step(request, pk, "submit_award_draft", DraftStepBody, perform)

    @extend_schema(
        summary="Approve the submitted award draft, or return it with a note",
        description="By the institute head or the presiding arbitrator, never by whoever "
        "submitted it (403).",
        request=DraftReviewBody,
        responses={200: AwardDraftSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="review-award-draft")
    def review_award_draft(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> AwardDraft:
            return award_drafts.award_draft_review(
                by=user,
                case=case,
                draft=_draft_of(case, data["kind"]),
                version=data["version"],
                approve=data["approve"],
                note=data["note"],
            )

        return _draft_step(request, pk, "review_award_draft", DraftReviewBody, perform)

    @extend_schema(
        summary="Issue the approved award draft: the award of its kind is made",
        description="By a member of the tribunal, on the version approved. The award step "
        "(LDMAL arts. 43–47: award → CLOSED_AWARD; partial award; advance execution) numbers "
        "and freezes the 裁决书 and may still refuse (409: no mediation attempt, no minimum "
        "wage, suspended).",
        request=DraftStepBody,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="issue-award-draft")
    def issue_award_draft(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
            return award_drafts.award_draft_issue(
                by=user, case=case, draft=_draft_of(case, data["kind"]), version=data["version"]
            )

        return run_step(request, pk, "issue_award_draft", DraftStepBody, perform)

    @extend_schema(
        summary="Correct an award by a 决定书 (办案规则 art. 54); the award is never edited",
        request=CorrectionBody,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="correct-award")
    def correct_award(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
            return services.award_correct(by=user, case=case, **data)

        return run_step(request, pk, "correct_award", CorrectionBody, perform)

    @extend_schema(
        summary="Record a court notice about the award, with the court's document",
        description="Moves the post-award state (spec §12): suit → in litigation; set-aside "
        "application (employer, final items) → pending; granted → set aside; refused → back; "
        "enforcement → in enforcement. A notice that makes no sense now is refused (409).",
        request={"multipart/form-data": CourtNoticeBody},
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="record-court-notice",
        parser_classes=UPLOAD_PARSERS,
    )
    def record_court_notice(self, request: Request, pk: int) -> Response:
        def perform(user: User, case: Case, data: dict[str, Any]) -> Any:
            return postaward.court_notice_record(by=user, case=case, **data)

        return run_step(request, pk, "record_court_notice", CourtNoticeBody, perform)

    @extend_schema(
        summary="The case's awards with per-item finality, the windows and court notices",
        responses={200: AwardsSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def awards(self, request: Request, pk: int) -> Response:
        case = case_for(request.user, pk)  # type: ignore[arg-type]
        awards = (
            case.awards.select_related("document", "minimum_wage")
            .prefetch_related(Prefetch("items", queryset=AwardItem.objects.order_by("number")))
            .order_by("made_at", "pk")
        )
        for award in awards:
            award.has_dissent = bool(award.dissent)  # type: ignore[attr-defined]
        data = {
            "post_award": case.post_award,
            "awards": awards,
            "windows": case.deadlines.filter(code__in=postaward.WINDOW_CODES).order_by(
                "due_on", "pk"
            ),
            "court_notices": case.court_notices.order_by("recorded_at", "pk"),
        }
        return Response(AwardsSerializer(data).data)
