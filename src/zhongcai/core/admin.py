from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .calendar import calendar_changed
from .models import Event, Holiday, HolidayYear


class HolidayInline(admin.TabularInline):
    model = Holiday
    fields = ["date", "kind", "name"]
    extra = 3


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    """Where an administrator enters a year when the State Council publishes its notice."""

    list_display = ["year", "source", "holiday_count", "workday_count"]
    inlines = [HolidayInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[HolidayYear]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                holidays=Count("days", filter=Q(days__kind=Holiday.Kind.HOLIDAY)),
                workdays=Count("days", filter=Q(days__kind=Holiday.Kind.WORKDAY)),
            )
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Running statutory clocks follow the new arrangement (and say so in their history).
        calendar_changed(by=request.user)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        calendar_changed(by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        calendar_changed(by=request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The year is the primary key: editing it would save a second year, not rename this one.
        return ["year"] if obj is not None else []

    @admin.display(description=_("Public holidays"), ordering="holidays")
    def holiday_count(self, obj: Any) -> int:
        return int(obj.holidays)

    @admin.display(description=_("Make-up working days"), ordering="workdays")
    def workday_count(self, obj: Any) -> int:
        return int(obj.workdays)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The event log, to read only: history is written by services, never by hand."""

    list_display = ["kind", "subject", "seq", "actor", "at"]
    list_select_related = ["subject_type", "actor"]
    # Exact matches only: they use the indexes of a table with millions of rows.
    search_fields = ["=kind", "=subject_id", "=hash"]
    show_full_result_count = False

    @admin.display(description=_("subject"))
    def subject(self, obj: Event) -> str:
        return f"{obj.subject_type}:{obj.subject_id}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
