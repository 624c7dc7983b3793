"""Hearings: scheduling, notices, postponement, attendance, record and signatures, default.

Action endpoints under ``/api/v1/cases/{id}/…``.
"""

from __future__ import annotations

from rest_framework import viewsets


class HearingsActions(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Mixed into ``CaseViewSet``: one ``@action`` per step, named like the transition."""
