"""Mediation inside arbitration, the award with per-item finality, and court notices after it.

Action endpoints under ``/api/v1/cases/{id}/…``.
"""

from __future__ import annotations

from rest_framework import viewsets


class AwardActions(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Mixed into ``CaseViewSet``: one ``@action`` per step, named like the transition."""
