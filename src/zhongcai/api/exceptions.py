"""One mapping from what the services raise to HTTP, used by every API view.

- a case outside the user's scope: ``Http404`` from the selector, exactly like a missing one;
- ``PermissionDenied``: 403 with the service's message;
- ``workflow.TransitionError``: 409 Conflict, the case is not in a state that allows the step;
- Django's ``ValidationError``: 400 with every message, keyed by where it is
  (``parties.0.id_number``), the same flat shape as the serializers' own errors;
- malformed JSON: 400.

Messages are produced in the request's language (Chinese unless the client asks otherwise).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from zhongcai.cases.workflow import TransitionError

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def _add(errors: dict[str, list[str]], path: str, messages: list[Any]) -> None:
    errors.setdefault(path or NON_FIELD, []).extend(str(m) for m in messages)


def flatten_errors(detail: Any, path: str = "") -> dict[str, list[str]]:
    """Nested errors to paths: ``{"parties": [{}, {"agents": [{"name": [m]}]}]}`` becomes
    ``{"parties.1.agents.0.name": [m]}``, the shape ``clean_application`` reports in."""
    errors: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            # A nested object's own errors belong to the object's path.
            child = path if key in (NON_FIELD, NON_FIELD_ERRORS) else f"{path}.{key}".lstrip(".")
            for where, messages in flatten_errors(value, child).items():
                _add(errors, where, messages)
    elif isinstance(detail, list) and all(isinstance(item, str) for item in detail):
        if detail:
            _add(errors, path, detail)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            for where, messages in flatten_errors(item, f"{path}.{index}".lstrip(".")).items():
                _add(errors, where, messages)
    else:
        _add(errors, path, [detail])
    return errors


def _from_django(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return flatten_errors(exc.message_dict)
    return {NON_FIELD: list(exc.messages)}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TransitionError):
        set_rollback()
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_from_django(exc))
    elif isinstance(exc, exceptions.ParseError):
        # The parser's own text is English and technical; lead with DRF's translated one.
        exc = exceptions.ParseError(f"{exceptions.ParseError.default_detail} ({exc.detail})")
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = flatten_errors(response.data)
    return response
