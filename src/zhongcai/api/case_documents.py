"""The documents a case has issued so far (notices, decisions, awards, 调解书, records).

Action endpoint ``GET /api/v1/cases/{id}/documents/``. Parties see the main volume only
(办案规则 art. 23); staff of the case see both volumes.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zhongcai.accounts.models import User
from zhongcai.cases import selectors
from zhongcai.cases.models import CaseDocument, Volume

from .schema import READ_ERRORS


class CaseDocumentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="A DocumentKind code, e.g. award, decision.")
    decision_kind = serializers.CharField(help_text="For a 决定书: what it decides.")
    title = serializers.CharField()
    volume = serializers.CharField(help_text="main (正卷) or secondary (副卷).")
    issued_at = serializers.DateTimeField()
    sha256 = serializers.CharField()


class DocumentsActions(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Mixed into ``CaseViewSet``."""

    @extend_schema(
        summary="The documents the case has issued, oldest first",
        description="Parties see the main volume only (办案规则 art. 23).",
        responses={200: CaseDocumentSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="documents", pagination_class=None)
    def documents(self, request: Request, pk: int) -> Response:
        user: User = request.user  # type: ignore[assignment]
        case = selectors.get_case_for(user, pk)
        documents = CaseDocument.objects.filter(case=case).order_by("issued_at", "pk")
        if user.is_public:
            documents = documents.filter(volume=Volume.MAIN)
        return Response(CaseDocumentSerializer(documents, many=True).data)
