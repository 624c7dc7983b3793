"""The OpenAPI schema and its documentation page.

Both are public on purpose: they describe the shape of the API, never its data, and the court
systems and the portal's developers who integrate with it need them before they hold a token.
Every endpoint they describe requires authentication (except obtaining a token), so knowing the
routes grants nothing; ``api/tests/test_access.py`` holds the list of public routes.
"""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


class SchemaView(SpectacularAPIView):
    # No authentication at all: a stale token must not turn a public page into a 401.
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, its script served as a file (CSP ``script-src 'self'``), assets from the
    drf-spectacular-sidecar package (never a CDN)."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
