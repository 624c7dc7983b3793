"""What an edit changed, as plain JSON for the event that records it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models

# Personal identifiers are never copied into event payloads: the event says that they changed.
PRIVATE_FIELDS = frozenset({"id_number", "mobile"})


def plain(value: Any) -> Any:
    """A JSON-safe form of a field value: dates as ISO text, decimals as text, rows as keys."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def apply_changes(obj: models.Model, values: dict[str, Any]) -> dict[str, Any]:
    """Set ``values`` on ``obj``; return {field: [before, after]} for those that changed."""
    changed: dict[str, Any] = {}
    for name, value in values.items():
        before = getattr(obj, name)
        if before == value:
            continue
        setattr(obj, name, value)
        if name in PRIVATE_FIELDS:
            changed[name] = "changed"
        else:
            changed[name] = [plain(before), plain(value)]
    return changed


def snapshot_of(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {
        name: ("set" if getattr(obj, name) else "")
        if name in PRIVATE_FIELDS
        else plain(getattr(obj, name))
        for name in fields
    }
