"""The electronic case file (电子卷宗) as one PDF per volume.

Action endpoints ``GET /api/v1/cases/{id}/efile/main/`` and ``…/efile/secondary/``: the cover,
the table of contents and every item of the volume, numbered continuously. Parties get the main
volume only: the secondary one answers 403 (办案规则 art. 23). One fixed path per volume, so an
unknown volume is simply not found.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request

from zhongcai.accounts.models import User
from zhongcai.cases.models import Volume
from zhongcai.documents.efile_views import volume_response

from .schema import READ_ERRORS, ErrorSerializer

PDF = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)}
PARTY_FORBIDDEN = OpenApiResponse(
    ErrorSerializer, description="Parties and their agents may not consult the secondary volume."
)


class EfileActions(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Mixed into ``CaseViewSet``."""

    @extend_schema(
        summary="The main volume (正卷) of the case file as one PDF",
        description=(
            "The cover, the table of contents with each item's pages, then every item of the "
            "main volume in the file's order (issued documents as issued, evidence, service "
            "receipts, hearing records), with continuous page numbers. Parties may download it "
            "(办案规则 art. 23)."
        ),
        responses={**PDF, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="efile/main", pagination_class=None)
    def efile_main(self, request: Request, pk: int) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        return volume_response(user, pk, Volume.MAIN)

    @extend_schema(
        summary="The secondary volume (副卷) of the case file as one PDF: staff only",
        description=(
            "The commission's internal records (approval forms, deliberation records). "
            "Parties get 403 (办案规则 art. 23)."
        ),
        responses={**PDF, 403: PARTY_FORBIDDEN, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="efile/secondary", pagination_class=None)
    def efile_secondary(self, request: Request, pk: int) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        return volume_response(user, pk, Volume.SECONDARY)
