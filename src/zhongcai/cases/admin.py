"""Configuration only. Cases themselves change through the services, never through the admin."""

from django.contrib import admin

from .models import AcceptanceDelegation, CommissionProfile


@admin.register(CommissionProfile)
class CommissionProfileAdmin(admin.ModelAdmin):
    list_display = ["commission", "abbreviation", "case_number_format"]
    search_fields = ["commission__name", "abbreviation"]
    raw_id_fields = ["commission"]


@admin.register(AcceptanceDelegation)
class AcceptanceDelegationAdmin(admin.ModelAdmin):
    """Read-only here: delegations are granted by the head through the service (an event)."""

    list_display = ["user", "commission", "granted_by", "granted_at", "revoked_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
