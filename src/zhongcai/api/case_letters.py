"""Letters to other bodies: 调查取证函 and 仲裁建议书 (spec §5.1; rules in ``cases.letters``).

One action endpoint under ``/api/v1/cases/{id}/…``; the letters are read with the case's
documents (``documents/``).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zhongcai.cases import jurisdiction, letters
from zhongcai.cases.models import Party

from .case_common import run_step
from .case_serving import inline_choice
from .schema import WRITE_ERRORS
from .serializers import CaseDetailSerializer


class LetterSerializer(serializers.Serializer):
    kind = inline_choice(
        [(k.value, k.label) for k in letters.LETTER_KINDS],
        help_text="investigation_letter (调查取证函) or recommendation_letter (仲裁建议书).",
    )
    addressee = serializers.CharField(
        allow_blank=True,
        max_length=letters.ADDRESSEE_LENGTH,
        help_text="The body the letter is addressed to, as printed on it.",
    )
    body = serializers.CharField(
        allow_blank=True,
        help_text="The matters to check (one a line), or what the case showed.",
    )
    recommendations = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="A recommendation letter only: the recommendations, one each.",
    )


class JurisdictionRejectionSerializer(serializers.Serializer):
    party = serializers.PrimaryKeyRelatedField(
        queryset=Party.objects.all(), help_text="The party who objected (a party of this case)."
    )
    objected_on = serializers.DateField(help_text="When the written objection was received.")
    reasons = serializers.CharField(allow_blank=True, help_text="Why this commission is competent.")


class LettersActions(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Mixed into ``CaseViewSet``: one ``@action`` per step, named like the transition."""

    @extend_schema(
        summary="Issue a letter to another body (调查取证函 or 仲裁建议书)",
        description=(
            "办案规则 art. 17 (evidence from other bodies); the recommendation letter is "
            "practice. A handler of an open case; the letter goes to the main volume."
        ),
        request=LetterSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="issue-letter")
    def issue_letter(self, request: Request, pk: int) -> Response:
        return run_step(
            request,
            pk,
            "issue_letter",
            LetterSerializer,
            lambda by, case, body: letters.letter_issue(by=by, case=case, **body),
        )

    @extend_schema(
        summary="Reject an objection to jurisdiction (决定书)",
        description=(
            "办案规则 art. 10: the institute head; the decision is served on every party. "
            "An objection that is upheld is a transfer (transfer)."
        ),
        request=JurisdictionRejectionSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="decide-jurisdiction")
    def decide_jurisdiction(self, request: Request, pk: int) -> Response:
        return run_step(
            request,
            pk,
            "decide_jurisdiction",
            JurisdictionRejectionSerializer,
            lambda by, case, body: jurisdiction.jurisdiction_objection_reject(
                by=by, case=case, **body
            ),
        )
