"""Suspension and extension, withdrawal, revocation, transfer, closing approval, archive.

Action endpoints under ``/api/v1/cases/{id}/…``.
"""

from __future__ import annotations

from rest_framework import viewsets


class ClosingActions(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Mixed into ``CaseViewSet``: one ``@action`` per step, named like the transition."""
