"""The guidance library for mediators (model agreements, scripts, checklists): who reads and who
writes which guide.

HRSS departments guide the mediation organisations under them (企业劳动争议协商调解规定 art. 7;
人社部发〔2017〕26号: mediation work is guided and standardised): a guide written by a department
or an organisation is read by every organisation under it, never by a neighbour.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.cases.taxonomy import Cause
from zhongcai.core.events import record_event
from zhongcai.orgs.models import Organisation
from zhongcai.orgs.permissions import is_administrator

from .models import Guide
from .workflow import STAFF_ROLES

MAX_BODY = 50_000
FIELDS = ("kind", "title", "causes", "body")


def _ancestor_ids(organisation: Organisation) -> list[int]:
    return [int(pk) for pk in organisation.path.strip("/").split("/") if pk]


def _organisation(user: User) -> Organisation | None:
    if not user.is_authenticated or user.is_public:
        return None
    organisation = user.organisation
    return organisation if organisation is not None and organisation.is_active else None


def may_write(user: User) -> bool:
    """Staff of a mediation organisation, and HRSS administrators for the organisations under
    their department."""
    organisation = _organisation(user)
    if organisation is None:
        return False
    if organisation.type == Organisation.Type.MEDIATION_ORGANISATION:
        return user.role in STAFF_ROLES
    return is_administrator(user)


def may_edit(user: User, guide: Guide) -> bool:
    return may_write(user) and guide.organisation_id == user.organisation_id


def guides_for(user: User, *, kind: str = "", cause: str = "") -> QuerySet[Guide]:
    """Active guides of the user's organisation and of every one above it; a department also
    reads the guides written under it; the authors also see their deactivated ones."""
    organisation = _organisation(user)
    if organisation is None:
        return Guide.objects.none()
    visible = Q(organisation_id__in=_ancestor_ids(organisation), is_active=True)
    if is_administrator(user):
        visible |= Q(organisation__path__startswith=organisation.path, is_active=True)
    if may_write(user):
        visible |= Q(organisation=organisation)
    guides = Guide.objects.filter(visible).select_related("organisation")
    if kind in Guide.Kind.values:
        guides = guides.filter(kind=kind)
    if cause in Cause.values:
        # JSON list membership, portable across SQLite and PostgreSQL.
        guides = guides.filter(causes__icontains=f'"{cause}"')
    return guides.order_by("kind", "title", "pk")


def get_guide_for(user: User, pk: Any) -> Guide:
    """The guide if ``user`` may read it; 404 otherwise, exactly like a missing one."""
    try:
        return guides_for(user).get(pk=pk)
    except (Guide.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    kind = values.get("kind") or ""
    if kind not in Guide.Kind.values:
        errors["kind"] = [_("Choose a model agreement, a script or a checklist.")]
    title = str(values.get("title") or "").strip()
    if not title:
        errors["title"] = [_("Give the guide a title.")]
    elif len(title) > 200:
        errors["title"] = [_("Keep the title under 200 characters.")]
    causes = list(values.get("causes") or [])
    if any(c not in Cause.values for c in causes):
        errors["causes"] = [_("Unknown cause of dispute.")]
    body = str(values.get("body") or "").strip()
    if not body:
        errors["body"] = [_("Write the guide.")]
    elif len(body) > MAX_BODY:
        errors["body"] = [_("Keep the guide under 50,000 characters.")]
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "title": title, "causes": list(dict.fromkeys(causes)), "body": body}


def _summary(guide: Guide) -> dict[str, Any]:
    return {"kind": guide.kind, "title": guide.title, "causes": guide.causes}


@transaction.atomic
def guide_create(*, by: User, values: dict[str, Any]) -> Guide:
    """Write a guide for the author's organisation and everything under it."""
    if not may_write(by):
        raise PermissionDenied(_("You may not write guides."))
    data = _clean(values)
    guide = Guide.objects.create(organisation=by.organisation, created_by=by, **data)
    record_event(
        guide, "guide.created", actor=by, organisation=by.organisation, payload=_summary(guide)
    )
    return guide


@transaction.atomic
def guide_update(*, by: User, guide: Guide, values: dict[str, Any]) -> Guide:
    if not may_edit(by, guide):
        raise PermissionDenied(_("Only the organisation that wrote a guide edits it."))
    data = _clean(values)
    guide = Guide.objects.select_for_update().get(pk=guide.pk)
    changed = [name for name in FIELDS if getattr(guide, name) != data[name]]
    if changed:
        for name in FIELDS:
            setattr(guide, name, data[name])
        guide.save()
        record_event(
            guide,
            "guide.changed",
            actor=by,
            organisation=guide.organisation,
            payload={"changed": changed, **_summary(guide)},
        )
    return guide


@transaction.atomic
def guide_set_active(*, by: User, guide: Guide, active: bool) -> Guide:
    """Withdraw a guide from the readers (kept, never deleted), or put it back."""
    if not may_edit(by, guide):
        raise PermissionDenied(_("Only the organisation that wrote a guide edits it."))
    guide = Guide.objects.select_for_update().get(pk=guide.pk)
    if guide.is_active != active:
        guide.is_active = active
        guide.save(update_fields=["is_active", "updated_at"])
        record_event(
            guide,
            "guide.reactivated" if active else "guide.deactivated",
            actor=by,
            organisation=guide.organisation,
        )
    return guide
