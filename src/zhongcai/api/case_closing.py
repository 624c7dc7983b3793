"""Suspension and extension, withdrawal, revocation, transfer, closing approval, archive.

Action endpoints under ``/api/v1/cases/{id}/…``, and what a client reads of this stage: the
award clock with its derivation (``clock/``), the archived file's table of contents (``file/``:
parties see the main volume only, 办案规则 art. 23), and the transfer links (``transfers/``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zhongcai.accounts.models import User
from zhongcai.cases import archive as archiving
from zhongcai.cases import closing, deadlines, selectors
from zhongcai.cases.models import Case, CaseDeadline, SuspensionReason
from zhongcai.cases.taxonomy import RefusalGround
from zhongcai.orgs.models import Organisation

from .case_common import case_for, run_step
from .fields import CodeField
from .schema import READ_ERRORS, WRITE_ERRORS
from .serializers import CaseDetailSerializer, EmptySerializer, EventSerializer


def _note() -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, default="")


class SuspendSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        SuspensionReason.choices, help_text="办案规则 art. 47 (1)–(7)."
    )
    note = _note()


class ResumeSerializer(serializers.Serializer):
    note = _note()


class ExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(
        min_value=1, help_text="At most 15 days in all (LDMAL art. 43), before the time limit ends."
    )
    reasons = serializers.CharField()


class WithdrawSerializer(serializers.Serializer):
    reasons = _note()


class RevokeSerializer(serializers.Serializer):
    # The refusal grounds' own enum (one name in the schema); only art. 30(1)–(3) revoke.
    ground = CodeField(
        RefusalGround.choices,
        help_text="The condition of 办案规则 art. 30(1)–(3) that fails (art. 32): "
        + ", ".join(closing.REVOCATION_GROUNDS),
    )
    reasons = serializers.CharField()

    def validate_ground(self, value: str) -> str:
        if value not in closing.REVOCATION_GROUNDS:
            raise serializers.ValidationError(
                _("Choose the ground of 办案规则 art. 30(1)–(3) that fails.")
            )
        return value


class TransferSerializer(serializers.Serializer):
    to = serializers.IntegerField(help_text="Id of the competent commission of the province.")
    reasons = serializers.CharField()

    def validate_to(self, value: int) -> Organisation:
        case: Case = self.context["case"]
        for target in closing.transfer_targets(case):
            if target.pk == value:
                return target
        raise serializers.ValidationError(
            _("Choose another active arbitration commission of the province.")
        )


class ApproveClosingSerializer(serializers.Serializer):
    note = _note()


class AwardClockSerializer(serializers.Serializer):
    state = serializers.ChoiceField(CaseDeadline.State.choices)
    started_on = serializers.DateField(help_text="Acceptance, or the last restart (art. 46).")
    days = serializers.IntegerField(help_text="The statutory period: 45.")
    extension_days = serializers.IntegerField()
    excluded_days = serializers.IntegerField(
        help_text="Suspension and public-notice days not counted (办案规则 art. 46)."
    )
    counted_days = serializers.IntegerField()
    due_on = serializers.DateField()
    certain = serializers.BooleanField()
    paused_on = serializers.DateField(allow_null=True)
    extended = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    adjustments = serializers.ListField(child=serializers.DictField())
    derivation = serializers.SerializerMethodField(help_text="How the due date was reached.")

    def get_extended(self, deadline: CaseDeadline) -> bool:
        return deadline.extension_days > 0

    def get_overdue(self, deadline: CaseDeadline) -> bool:
        return deadline.overdue_at is not None

    def get_derivation(self, deadline: CaseDeadline) -> str:
        return deadlines.derivation(deadline)


class ClockSerializer(serializers.Serializer):
    suspended = serializers.BooleanField()
    award = AwardClockSerializer(allow_null=True, help_text="Null before acceptance.")


class ArchiveEntrySerializer(serializers.Serializer):
    volume = serializers.CharField()
    order = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    reference = serializers.CharField()
    dated = serializers.DateTimeField()
    sha256 = serializers.CharField()


class FileSerializer(serializers.Serializer):
    archived_at = serializers.DateTimeField(allow_null=True)
    retention_years = serializers.IntegerField(allow_null=True)
    retain_until = serializers.DateField(allow_null=True)
    entries = ArchiveEntrySerializer(many=True)


class CaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField()
    commission = serializers.CharField(source="commission.name")


class TransferredFromSerializer(CaseRefSerializer):
    events = EventSerializer(many=True)


class TransfersSerializer(serializers.Serializer):
    transferred_from = TransferredFromSerializer(allow_null=True)
    transferred_to = CaseRefSerializer(many=True)


class ClosingActions(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Mixed into ``CaseViewSet``: one ``@action`` per step, named like the transition."""

    @extend_schema(
        summary="Suspend the case: the award clock pauses",
        description="办案规则 art. 47; 中止审理通知书 and approval form. Head only.",
        request=SuspendSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="suspend")
    def suspend(self, request: Request, pk: int) -> Response:
        return run_step(
            request,
            pk,
            "suspend",
            SuspendSerializer,
            lambda by, case, body: closing.case_suspend(by=by, case=case, **body),
        )

    @extend_schema(
        summary="Resume the case: the suspended days are not counted",
        description="办案规则 arts. 46–47; 恢复审理通知书.",
        request=ResumeSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="resume")
    def resume(self, request: Request, pk: int) -> Response:
        return run_step(
            request,
            pk,
            "resume",
            ResumeSerializer,
            lambda by, case, body: closing.case_resume(by=by, case=case, **body),
        )

    @extend_schema(
        summary="Extend the award time limit (at most 15 days in all, before it ends)",
        description="LDMAL art. 43; 办案规则 art. 45; 延长审理期限通知书 and approval form.",
        request=ExtendSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="extend")
    def extend(self, request: Request, pk: int) -> Response:
        return run_step(
            request,
            pk,
            "extend",
            ExtendSerializer,
            lambda by, case, body: closing.case_extend(by=by, case=case, **body),
        )

    @extend_schema(
        summary="Record the applicant's withdrawal: the case closes",
        description="办案规则 art. 35: a new application on the same matter must be accepted.",
        request=WithdrawSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="withdraw")
    def withdraw(self, request: Request, pk: int) -> Response:
        return run_step(
            request,
            pk,
            "withdraw",
            WithdrawSerializer,
            lambda by, case, body: closing.case_withdraw(by=by, case=case, **body),
        )

    @extend_schema(
        summary="Revoke a case that should not have been accepted",
        description="办案规则 arts. 30, 32; the decision must be served within 5 working days.",
        request=RevokeSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="revoke")
    def revoke(self, request: Request, pk: int) -> Response:
        return run_step(
            request,
            pk,
            "revoke",
            RevokeSerializer,
            lambda by, case, body: closing.case_revoke(by=by, case=case, **body),
        )

    @extend_schema(
        summary="Transfer the case to the competent commission",
        description=(
            "办案规则 art. 9: this case closes; the receiving commission gets a new case, "
            "received now, linked to this one (see ``transfers/``)."
        ),
        request=TransferSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="transfer")
    def transfer(self, request: Request, pk: int) -> Response:
        return run_step(
            request,
            pk,
            "transfer",
            TransferSerializer,
            lambda by, case, body: closing.case_transfer(by=by, case=case, **body),
        )

    @extend_schema(
        summary="Approve the closing (结案审批表)",
        description="办案规则 art. 22. Head only; the file may then be archived.",
        request=ApproveClosingSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="approve-closing")
    def approve_closing(self, request: Request, pk: int) -> Response:
        return run_step(
            request,
            pk,
            "approve_closing",
            ApproveClosingSerializer,
            lambda by, case, body: archiving.closing_approve(by=by, case=case, **body),
        )

    @extend_schema(
        summary="Archive the file: table of contents frozen per volume, retention set",
        description="办案规则 arts. 21–24: 10 years for an award, 5 for any other closing.",
        request=EmptySerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="archive")
    def archive(self, request: Request, pk: int) -> Response:
        return run_step(
            request,
            pk,
            "archive",
            EmptySerializer,
            lambda by, case, body: archiving.case_archive(by=by, case=case),
        )

    @extend_schema(
        summary="The award clock: due date, counted days, adjustments and derivation",
        responses={200: ClockSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="clock", pagination_class=None)
    def clock(self, request: Request, pk: int) -> Response:
        case = case_for(request.user, pk)  # type: ignore[arg-type]
        award = max(
            (d for d in case.deadlines.all() if d.code == "award"),
            key=lambda d: d.pk,
            default=None,
        )
        return Response(ClockSerializer({"suspended": case.suspended, "award": award}).data)

    @extend_schema(
        summary="The archived file's table of contents; parties see the main volume only",
        description="办案规则 art. 23. Empty until the file is archived.",
        responses={200: FileSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="file", pagination_class=None)
    def file(self, request: Request, pk: int) -> Response:
        user: User = request.user  # type: ignore[assignment]
        case = selectors.get_case_for(user, pk)
        data: dict[str, Any] = {
            "archived_at": case.archived_at,
            "retention_years": case.retention_years,
            "retain_until": case.retain_until,
            "entries": list(archiving.entries_for(user, case)),
        }
        return Response(FileSerializer(data).data)

    @extend_schema(
        summary="Where the case came from (with that case's history) and where it went",
        description=(
            "The transferring case is read through the case it became: its number, commission "
            "and events, as the reader may see events of their own case."
        ),
        responses={200: TransfersSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="transfers", pagination_class=None)
    def transfers(self, request: Request, pk: int) -> Response:
        user: User = request.user  # type: ignore[assignment]
        case = selectors.get_case_for(user, pk)
        source = None
        if case.transferred_from_id:
            old = Case.objects.select_related("commission").get(pk=case.transferred_from_id)
            source = {
                "id": old.pk,
                "case_number": old.case_number,
                "commission": old.commission,
                "events": selectors.case_events_for(user, old),
            }
        moved = list(Case.objects.filter(transferred_from=case).select_related("commission"))
        return Response(
            TransfersSerializer({"transferred_from": source, "transferred_to": moved}).data
        )
