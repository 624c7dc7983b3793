"""What every case endpoint shares: the scoped fetch, the answer, and how a step runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import prefetch_related_objects
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from zhongcai.accounts.models import User
from zhongcai.cases import selectors, workflow
from zhongcai.cases.models import Case

from .serializers import CaseDetailSerializer

DETAIL_PREFETCH = ("parties__agents", "claims", "deadlines", "receipts")


def case_for(user: User, pk: int) -> Case:
    """``selectors.get_case_for`` (404 if missing or out of scope), with the detail prefetched."""
    case = selectors.get_case_for(user, pk)
    prefetch_related_objects([case], *DETAIL_PREFETCH)
    return case


def _detail(request: Request, case: Case) -> dict[str, Any]:
    return CaseDetailSerializer(case, context={"request": request}).data


def run_step(
    request: Request,
    pk: int,
    action: str,
    body_class: type[serializers.Serializer],  # type: ignore[type-arg]
    perform: Callable[[User, Case, dict[str, Any]], Any],
) -> Response:
    """Fetch in scope (404), ask who may act before judging the body (403), validate (400),
    call the service (409 when the state does not allow it), answer with the case."""
    user: User = request.user  # type: ignore[assignment]
    case = case_for(user, pk)
    workflow.ensure_may_act(user, case, action)
    body = body_class(data=request.data, context={"request": request, "case": case})
    body.is_valid(raise_exception=True)
    perform(user, case, dict(body.validated_data))
    return Response(_detail(request, case_for(user, pk)))
