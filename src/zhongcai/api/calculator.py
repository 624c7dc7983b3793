"""``GET /api/v1/calendar/deadline``: the deadline engine, open to any signed-in system."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from zhongcai.core.calendar import Unit, compute_deadline

from .schema import BAD_INPUT, UNAUTHENTICATED


class DeadlineQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text="The triggering day (YYYY-MM-DD); not counted.")
    # Sign and size are the engine's to judge (core.calendar), with its own messages.
    days = serializers.IntegerField(help_text="Length of the period.")
    unit = serializers.ChoiceField(Unit.choices)


class ComputedDeadlineSerializer(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField()
    unit = serializers.ChoiceField(Unit.choices)
    due = serializers.DateField()
    certain = serializers.BooleanField(
        help_text="False when a year's holiday arrangement is not yet in the table."
    )
    assumed_years = serializers.ListField(child=serializers.IntegerField())
    explanation = serializers.CharField()


class DeadlineCalculatorView(APIView):
    @extend_schema(
        summary="When a statutory period ends, and why",
        description="Counted as domain/spec.md §11.1: the trigger day is not counted; a last "
        "day on a rest day moves to the next working day; working-day periods skip holidays "
        "and count make-up working days.",
        parameters=[DeadlineQuerySerializer],
        tags=["calendar"],
        responses={200: ComputedDeadlineSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED},
    )
    def get(self, request: Request) -> Response:
        query = DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            result = compute_deadline(**query.validated_data)
        except (TypeError, ValueError) as exc:
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]}) from exc
        return Response(
            ComputedDeadlineSerializer(
                {
                    "start": result.start,
                    "days": result.days,
                    "unit": result.unit,
                    "due": result.due,
                    "certain": result.is_certain,
                    "assumed_years": list(result.assumed_years),
                    "explanation": result.explain(),
                }
            ).data
        )
