"""A failed mediation handed to arbitration; mediation entrusted by an arbitration tribunal."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import MediationCase

staff_urlpatterns: list = []  # mounted under /staff/mediation/ (namespace "mediation")
party_urlpatterns: list = []  # mounted under /mediation/ (namespace "mediation-portal")


def panel_context(request: HttpRequest, case: MediationCase) -> dict[str, Any]:
    """What this module's panel of the case page needs (staff and party pages)."""
    return {}
