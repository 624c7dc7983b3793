"""Serializer fields that check the shape of input and leave its rules to the services.

An application's content is judged by ``cases.application.clean_application``, which reports
every problem at once, keyed by where it is. If the serializer refused an unknown code or a bad
date first, the user would fix one round of errors only to be shown the next; so these fields
accept any value of the right JSON type and let the service decide. The schema still documents
the codes (as enums) and formats.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# DRF's own messages, already translated in its catalogue.
_NOT_A_STRING = serializers.CharField.default_error_messages["invalid"]


class CodeField(serializers.ChoiceField):
    """A code from ``choices``, documented as an enum; unknown codes are the service's to refuse."""

    default_error_messages = {"invalid": _NOT_A_STRING}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return data


@extend_schema_field(OpenApiTypes.STR)
class DivisionCodeField(serializers.Field):
    """A GB/T 2260 division code; read from the ``<name>_id`` column, written as the code."""

    default_error_messages = {"invalid": _NOT_A_STRING}

    def get_attribute(self, instance: Any) -> Any:
        return getattr(instance, f"{self.source}_id")

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        return str(data)

    def to_representation(self, value: Any) -> str:
        return str(value)


@extend_schema_field(OpenApiTypes.DATE)
class DateTextField(serializers.Field):
    """A date as YYYY-MM-DD; a malformed one is reported by the service with the other errors."""

    default_error_messages = {"invalid": _NOT_A_STRING}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return data

    def to_representation(self, value: Any) -> str:
        return value.isoformat()


@extend_schema_field(OpenApiTypes.DECIMAL)
class AmountField(serializers.Field):
    """Yuan, as a string ("12000.00") or a JSON number; the service checks the range."""

    default_error_messages = {"invalid": serializers.DecimalField.default_error_messages["invalid"]}

    def to_internal_value(self, data: Any) -> str | int | float:
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        return data

    def to_representation(self, value: Any) -> str:
        return f"{value:.2f}"
