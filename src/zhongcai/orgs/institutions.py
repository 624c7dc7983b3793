"""Every write to the institutions: commission details and members, tribunals, hearing rooms,
mediation organisations; and the checks of a commission's composition.

Each service takes the acting user as ``by``, checks that the user's own department maintains
the organisation (``permissions.may_maintain``), writes in one transaction and records the event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.core.events import record_event

from .changes import apply_changes, snapshot_of
from .models import (
    CommissionDetail,
    CommissionMember,
    Division,
    HearingRoom,
    MediationDetail,
    Organisation,
    Tribunal,
)
from .permissions import ensure_may_maintain, is_administrator
from .services import organisation_create

if TYPE_CHECKING:
    from zhongcai.accounts.models import User

Member = CommissionMember
# LDMAL art. 19: labor administration, unions and enterprises are represented.
REQUIRED_CATEGORIES = (
    Member.Category.LABOR_ADMINISTRATION,
    Member.Category.UNION,
    Member.Category.EMPLOYER,
)
MEMBER_FIELDS = ["name", "category", "position", "unit"]
TRIBUNAL_FIELDS = ["name", "kind", "address", "is_active"]
ROOM_FIELDS = [
    "name",
    "tribunal",
    "address",
    "seats",
    "has_recording",
    "has_online_hearing",
    "is_active",
]


@dataclass(frozen=True)
class Composition:
    """The active members of a commission, counted."""

    members: int
    chairs: int
    categories: frozenset[str]

    @classmethod
    def of(cls, members: Iterable[CommissionMember]) -> Composition:
        active = [m for m in members if m.is_active]
        return cls(
            members=len(active),
            chairs=sum(m.position == Member.Position.CHAIR for m in active),
            categories=frozenset(m.category for m in active),
        )

    def problems(self) -> list[str]:
        found = []
        if self.members == 0:
            found.append(_("No commission members are on record."))
        elif self.members % 2 == 0:
            found.append(
                _("The commission has %(n)d members: LDMAL art. 19 requires an odd number.")
                % {"n": self.members}
            )
        if self.members and self.chairs == 0:
            found.append(_("The commission has no chair (组织规则 art. 6)."))
        elif self.chairs > 1:
            found.append(
                _("The commission has %(n)d chairs: it has one (组织规则 art. 6).")
                % {"n": self.chairs}
            )
        missing = [c.label for c in REQUIRED_CATEGORIES if c not in self.categories]
        if self.members and missing:
            found.append(
                _("No member represents: %(missing)s (LDMAL art. 19).")
                % {"missing": _(", ").join(str(m) for m in missing)}
            )
        return found


def _locked(model: Any, pk: int) -> Any:
    return model.objects.select_for_update().get(pk=pk)


def _require(values: dict[str, Any], *names: str) -> None:
    errors = {
        name: [_("This field is required.")]
        for name in names
        if not str(values.get(name) or "").strip()
    }
    if errors:
        raise ValidationError(errors)


def _ensure_commission(organisation: Organisation) -> None:
    if organisation.type != Organisation.Type.COMMISSION:
        raise ValidationError(_("This is not an arbitration commission."))


@transaction.atomic
def commission_detail_update(
    *, by: User | None, commission: Organisation, seat_address: str, established_on: date | None
) -> CommissionDetail:
    ensure_may_maintain(by, commission)
    _ensure_commission(commission)
    detail, _created = CommissionDetail.objects.select_for_update().get_or_create(
        commission=commission
    )
    changed = apply_changes(
        detail, {"seat_address": seat_address.strip(), "established_on": established_on}
    )
    if changed:
        detail.save()
        record_event(
            detail,
            "commission.details_changed",
            actor=by,
            organisation=commission,
            payload={"changed": changed},
        )
    return detail


@transaction.atomic
def member_add(*, by: User | None, commission: Organisation, **values: Any) -> CommissionMember:
    ensure_may_maintain(by, commission)
    _ensure_commission(commission)
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    _require(values, "name", "category", "position")
    member = CommissionMember.objects.create(commission=commission, **values)
    record_event(
        member,
        "commission.member_added",
        actor=by,
        organisation=commission,
        payload=snapshot_of(member, MEMBER_FIELDS),
    )
    return member


@transaction.atomic
def member_update(*, by: User | None, member: CommissionMember, **values: Any) -> CommissionMember:
    ensure_may_maintain(by, member.commission)
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    _require(values, "name", "category", "position")
    member = _locked(CommissionMember, member.pk)
    if not member.is_active:
        raise ValidationError(_("This member has left the commission."))
    changed = apply_changes(member, values)
    if changed:
        member.save()
        record_event(
            member,
            "commission.member_changed",
            actor=by,
            organisation=member.commission,
            payload={"changed": changed},
        )
    return member


@transaction.atomic
def member_end(*, by: User | None, member: CommissionMember) -> CommissionMember:
    """The member leaves the commission; the record stays."""
    ensure_may_maintain(by, member.commission)
    member = _locked(CommissionMember, member.pk)
    if not member.is_active:
        return member
    member.is_active = False
    member.ended_on = timezone.localdate()
    member.save(update_fields=["is_active", "ended_on"])
    record_event(
        member,
        "commission.member_left",
        actor=by,
        organisation=member.commission,
        payload={"name": member.name, "ended_on": member.ended_on.isoformat()},
    )
    return member


@transaction.atomic
def tribunal_add(*, by: User | None, commission: Organisation, **values: Any) -> Tribunal:
    ensure_may_maintain(by, commission)
    _ensure_commission(commission)
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    _require(values, "name", "kind")
    tribunal = Tribunal.objects.create(commission=commission, **values)
    record_event(
        tribunal,
        "commission.tribunal_added",
        actor=by,
        organisation=commission,
        payload=snapshot_of(tribunal, TRIBUNAL_FIELDS),
    )
    return tribunal


@transaction.atomic
def tribunal_update(*, by: User | None, tribunal: Tribunal, **values: Any) -> Tribunal:
    ensure_may_maintain(by, tribunal.commission)
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    _require(values, "name", "kind")
    tribunal = _locked(Tribunal, tribunal.pk)
    changed = apply_changes(tribunal, values)
    if changed:
        tribunal.save()
        record_event(
            tribunal,
            "commission.tribunal_changed",
            actor=by,
            organisation=tribunal.commission,
            payload={"changed": changed},
        )
    return tribunal


def _check_room_tribunal(commission: Organisation, values: dict[str, Any]) -> None:
    tribunal = values.get("tribunal")
    if tribunal is not None and tribunal.commission_id != commission.pk:
        raise ValidationError({"tribunal": [_("Choose a tribunal of this commission.")]})


@transaction.atomic
def room_add(*, by: User | None, commission: Organisation, **values: Any) -> HearingRoom:
    ensure_may_maintain(by, commission)
    _ensure_commission(commission)
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    _require(values, "name")
    _check_room_tribunal(commission, values)
    room = HearingRoom.objects.create(commission=commission, **values)
    record_event(
        room,
        "commission.room_added",
        actor=by,
        organisation=commission,
        payload=snapshot_of(room, ROOM_FIELDS),
    )
    return room


@transaction.atomic
def room_update(*, by: User | None, room: HearingRoom, **values: Any) -> HearingRoom:
    ensure_may_maintain(by, room.commission)
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    _require(values, "name")
    _check_room_tribunal(room.commission, values)
    room = _locked(HearingRoom, room.pk)
    changed = apply_changes(room, values)
    if changed:
        room.save()
        record_event(
            room,
            "commission.room_changed",
            actor=by,
            organisation=room.commission,
            payload={"changed": changed},
        )
    return room


@transaction.atomic
def mediation_organisation_create(
    *,
    by: User | None,
    department: Organisation,
    name: str,
    short_name: str,
    kind: str,
    area: str,
    address: str,
) -> Organisation:
    """A mediation organisation under ``department`` (the HRSS department of its division)."""
    if department.type != Organisation.Type.HRSS_DEPARTMENT:
        raise ValidationError(_("Mediation organisations are registered by an HRSS department."))
    if by is not None and not (is_administrator(by) and by.organisation_id == department.pk):
        raise PermissionDenied(_("Register mediation organisations of your own division."))
    _require({"name": name, "kind": kind}, "name", "kind")
    if Organisation.objects.filter(
        division_id=department.division_id,
        type=Organisation.Type.MEDIATION_ORGANISATION,
        name=name.strip(),
    ).exists():
        raise ValidationError({"name": [_("A mediation organisation of this name exists.")]})
    division: Division = department.division
    organisation = organisation_create(
        by=by,
        name=name,
        short_name=short_name.strip(),
        type=Organisation.Type.MEDIATION_ORGANISATION,
        division=division,
        parent=department,
    )
    detail = MediationDetail.objects.create(
        organisation=organisation, kind=kind, area=area.strip(), address=address.strip()
    )
    record_event(
        detail,
        "mediation.registered",
        actor=by,
        organisation=organisation,
        payload=snapshot_of(detail, ["kind", "area", "address"]),
    )
    return organisation


@transaction.atomic
def mediation_organisation_update(
    *, by: User | None, organisation: Organisation, **values: Any
) -> MediationDetail:
    ensure_may_maintain(by, organisation)
    if organisation.type != Organisation.Type.MEDIATION_ORGANISATION:
        raise ValidationError(_("This is not a mediation organisation."))
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    _require(values, "kind")
    detail, _created = MediationDetail.objects.select_for_update().get_or_create(
        organisation=organisation, defaults={"kind": values["kind"]}
    )
    changed = apply_changes(detail, values)
    if changed or _created:
        detail.save()
        record_event(
            detail,
            "mediation.details_changed",
            actor=by,
            organisation=organisation,
            payload={"changed": changed},
        )
    return detail
