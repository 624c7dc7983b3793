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


# --- Minimum wages (stage "award"): data kept by administrators, not code -----------------------
from django.utils.translation import gettext_lazy as _  # noqa: E402

from .models import Award, MinimumWage  # noqa: E402


@admin.register(MinimumWage)
class MinimumWageAdmin(admin.ModelAdmin):
    """Enter each new standard as a new row from its date; a row an award used is kept as it was
    (the award cites it), so it can no longer be changed."""

    list_display = ["division_id", "division_name", "tier", "monthly", "effective_from", "source"]
    list_filter = ["tier", "effective_from"]
    search_fields = ["division__code", "division__name", "source"]
    ordering = ["division_id", "-effective_from"]
    raw_id_fields = ["division"]

    @admin.display(description=_("division"), ordering="division_label")
    def division_name(self, row: MinimumWage) -> str:
        # A row may be seeded before its division is imported: show the code alone then.
        return getattr(row, "division_label", None) or "—"

    def get_queryset(self, request):
        from django.db.models import OuterRef, Subquery

        from zhongcai.orgs.models import Division

        name = Division.objects.filter(pk=OuterRef("division_id")).values("name")[:1]
        return super().get_queryset(request).annotate(division_label=Subquery(name))

    def _used(self, obj) -> bool:
        return obj is not None and Award.objects.filter(minimum_wage=obj).exists()

    def get_readonly_fields(self, request, obj=None):
        if self._used(obj):
            return ["division", "tier", "monthly", "effective_from", "source"]
        return []

    def has_delete_permission(self, request, obj=None):
        return not self._used(obj) and super().has_delete_permission(request, obj)
