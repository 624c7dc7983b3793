"""The tribunal (组庭), declared relations and recusal (回避).

Action endpoints under ``/api/v1/cases/{id}/…``.
"""

from __future__ import annotations

from rest_framework import viewsets


class TribunalActions(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Mixed into ``CaseViewSet``: one ``@action`` per step, named like the transition."""
