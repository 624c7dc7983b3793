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

from zhongcai.cases import letters

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


class LettersActions(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Mixed into ``CaseViewSet``: one ``@action`` per step, named like the transition."""

    @extend_schema(
        summary="Issue a letter to another body (调查取证函 or 仲裁建议书)",
        description=(
            "办案规则 art. 18 (evidence from other bodies); the recommendation letter is "
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
