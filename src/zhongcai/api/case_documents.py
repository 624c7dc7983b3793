"""The documents a case has issued so far (notices, decisions, awards, 调解书, records).

Action endpoint ``GET /api/v1/cases/{id}/documents/``. Parties see the main volume only
(办案规则 art. 23); staff of the case see both volumes. Each document's files are downloaded from
``GET /api/v1/cases/{id}/documents/{document}/pdf/`` (or ``docx/``), under the same rule.
"""

from __future__ import annotations

from django.db.models import QuerySet
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
from zhongcai.cases import selectors
from zhongcai.cases.models import Case, CaseDocument
from zhongcai.documents.downloads import document_file_response, formats_for, formats_of

from .schema import READ_ERRORS


class CaseDocumentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="A DocumentKind code, e.g. award, decision.")
    decision_kind = serializers.CharField(help_text="For a 决定书: what it decides.")
    title = serializers.CharField()
    volume = serializers.CharField(help_text="main (正卷) or secondary (副卷).")
    issued_at = serializers.DateTimeField()
    sha256 = serializers.CharField()
    pdf_url = serializers.SerializerMethodField(
        help_text="The PDF (sealed and signed when the document is), or the uploaded file."
    )
    docx_url = serializers.SerializerMethodField(
        help_text=(
            "The Word file, for staff; null for a party (the sealed PDF is the document) and "
            "for a document the platform did not write."
        )
    )

    def _file_url(self, document: CaseDocument, fmt: str) -> str | None:
        request = self.context.get("request")
        allowed = formats_for(request.user, document) if request else formats_of(document)
        if fmt not in allowed:
            return None
        return reverse(
            "api:case-document-file",
            kwargs={"pk": document.case_id, "document_id": document.pk, "fmt": fmt},
            request=self.context.get("request"),
        )

    def get_pdf_url(self, document: CaseDocument) -> str | None:
        return self._file_url(document, "pdf")

    def get_docx_url(self, document: CaseDocument) -> str | None:
        return self._file_url(document, "docx")


def documents_for(user: User, case: Case) -> QuerySet[CaseDocument]:
    """The case's documents ``user`` may read: parties the main volume only (办案规则 art. 23)."""
    return CaseDocument.objects.filter(
        case=case, volume__in=selectors.readable_volumes(user)
    ).select_related("case", "rendition")


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
        documents = documents_for(user, case).order_by("issued_at", "pk")
        return Response(
            CaseDocumentSerializer(documents, many=True, context={"request": request}).data
        )

    @extend_schema(
        summary="Download a document of the case as PDF or DOCX",
        description=(
            "The file as issued: made once, so every download is the same bytes. A party may "
            "download the main volume only (办案规则 art. 23); anything else answers 404."
        ),
        parameters=[
            OpenApiParameter("document_id", int, OpenApiParameter.PATH),
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["pdf", "docx"]),
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            **READ_ERRORS,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="documents/<int:document_id>/<str:fmt>",
        pagination_class=None,
    )
    def document_file(self, request: Request, pk: int, document_id: int, fmt: str) -> FileResponse:
        user: User = request.user  # type: ignore[assignment]
        case = selectors.get_case_for(user, pk)
        document = get_object_or_404(documents_for(user, case), pk=document_id)
        if fmt not in formats_for(user, document):
            raise Http404
        return document_file_response(document, fmt)
