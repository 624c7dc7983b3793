"""Every write to the organisation tree."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from zhongcai.core.events import record_event

from .models import Division, Organisation

if TYPE_CHECKING:
    from zhongcai.accounts.models import User


class OrganisationError(ValueError):
    pass


@transaction.atomic
def organisation_create(
    *,
    by: User | None,
    name: str,
    type: Organisation.Type,
    division: Division,
    parent: Organisation | None,
    short_name: str = "",
) -> Organisation:
    """Create an organisation under ``parent`` (or as a root) and place it in the tree."""
    name = name.strip()
    if not name:
        raise OrganisationError(_("An organisation needs a name."))
    if parent is not None and not parent.is_active:
        raise OrganisationError(_("The parent organisation is no longer active."))
    # The path needs the primary key: insert with a unique placeholder, then set it.
    organisation = Organisation.objects.create(
        name=name,
        short_name=short_name,
        type=type,
        division=division,
        parent=parent,
        path=f"~{uuid.uuid4().hex}",
    )
    organisation.path = f"{parent.path if parent else '/'}{organisation.pk}/"
    organisation.save(update_fields=["path"])
    record_event(
        organisation,
        "organisation.created",
        actor=by,
        organisation=organisation,
        payload={
            "name": name,
            "type": str(type),
            "division": division.code,
            "parent": parent.pk if parent else None,
        },
    )
    return organisation


@transaction.atomic
def organisation_rename(
    *, by: User | None, organisation: Organisation, name: str, short_name: str
) -> Organisation:
    name = name.strip()
    if not name:
        raise OrganisationError(_("An organisation needs a name."))
    if (name, short_name) == (organisation.name, organisation.short_name):
        return organisation
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = {"name": organisation.name, "short_name": organisation.short_name}
    organisation.name, organisation.short_name = name, short_name
    organisation.save(update_fields=["name", "short_name"])
    record_event(
        organisation,
        "organisation.renamed",
        actor=by,
        organisation=organisation,
        payload={"before": before, "after": {"name": name, "short_name": short_name}},
    )
    return organisation
