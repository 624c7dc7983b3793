"""What the API's error answers look like, for ``extend_schema`` (see ``exceptions``)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": "Every problem at once, keyed by where it is; `non_field_errors` for the whole.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

BAD_INPUT = OpenApiResponse(FIELD_ERRORS_SCHEMA, description="Bad input: nothing was changed.")
BAD_APPLICATION = OpenApiResponse(
    FIELD_ERRORS_SCHEMA,
    description="Bad input: nothing was changed. Every problem of the application is listed.",
    examples=[
        OpenApiExample(
            "Application errors",
            description="Messages follow the request's language; shown here in English.",
            value={
                "causes": ["Unknown cause code: ['alien_abduction']."],
                "parties.0.id_number": [
                    "The last character of this ID number does not match: please check every digit."
                ],
            },
        )
    ],
)
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="No or invalid credentials.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Visible, but not yours to change.")
NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description="No such case, or outside your scope (the same answer)."
)
CONFLICT = OpenApiResponse(
    ErrorSerializer, description="The case is not in a state that allows this step."
)

READ_ERRORS = {401: UNAUTHENTICATED, 404: NOT_FOUND}
WRITE_ERRORS = {
    400: BAD_APPLICATION,
    401: UNAUTHENTICATED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: CONFLICT,
}
