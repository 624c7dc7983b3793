"""Reads of the organisation tree, always through the data scope."""

from django.db.models import Count, QuerySet
from django.http import Http404

from zhongcai.accounts.models import User
from zhongcai.core.scope import scope

from .models import Organisation


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    return scope(Organisation.objects.select_related("division"), user).order_by("path")


def get_organisation_for(user: User, pk: int) -> Organisation:
    """The organisation if ``user`` may see it; otherwise 404, exactly like a missing one."""
    try:
        return organisations_visible_to(user).annotate(staff_count=Count("staff")).get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None


def children_of(organisation: Organisation) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(parent=organisation)
        .select_related("division")
        .annotate(staff_count=Count("staff"))
        .order_by("division_id", "type", "name")
    )
