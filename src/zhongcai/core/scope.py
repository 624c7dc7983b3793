"""Data scope: the one place that decides which rows a user may see.

Every list, search, dashboard and export narrows its queryset through ``scope``. A scoped model
declares how it hangs on the organisation tree:

- ``SCOPE_ORG_FIELD``: the lookup path to its ``Organisation`` (``"organisation"``,
  ``"case__commission"``); the empty string for ``Organisation`` itself.
- ``scope_for_public(user)`` (optional classmethod): a ``Q`` of the rows a public user owns.
  Without it, public users see nothing of that model.

Staff see their own organisation and everything below it; public users see their own records;
anyone else (anonymous, a user without an organisation) sees nothing.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

_M = TypeVar("_M", bound=models.Model)


class ScopeError(Exception):
    pass


def _org_path_lookup(model: type[models.Model]) -> str:
    field = getattr(model, "SCOPE_ORG_FIELD", None)
    if field is None:
        raise ScopeError(f"{model.__name__} does not declare SCOPE_ORG_FIELD; it cannot be scoped.")
    return f"{field}__path__startswith" if field else "path__startswith"


def scope(queryset: models.QuerySet[_M], user: Any) -> models.QuerySet[_M]:
    """Narrow ``queryset`` to what ``user`` may see."""
    model = queryset.model
    lookup = _org_path_lookup(model)
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_public:
        owner_q = getattr(model, "scope_for_public", None)
        return queryset.filter(owner_q(user)) if owner_q else queryset.none()
    organisation = user.organisation
    if organisation is None or not organisation.is_active:
        return queryset.none()
    return queryset.filter(**{lookup: organisation.path})


def can_see(obj: models.Model, user: Any) -> bool:
    """True if ``obj`` is within ``user``'s scope (for a single object already in hand)."""
    return scope(type(obj)._default_manager.filter(pk=obj.pk), user).exists()
