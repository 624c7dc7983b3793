"""Reads for the public information pages: the commissions, where they are and what they cover.

Anyone may read these; only active arbitration commissions are shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from zhongcai.appointments.selectors import commissions_with_open_slots
from zhongcai.orgs.models import Division, Organisation, Tribunal

# Children that a commission's area lists by name: counties, districts, county-level cities and
# functional zones (a province lists its cities, which have commissions of their own).
LOCAL_LEVELS = (Division.Level.COUNTY, Division.Level.FUNCTIONAL_ZONE)
QUERY_MAX = 50


@dataclass(frozen=True)
class CommissionInfo:
    """What the public needs to reach one commission."""

    commission: Organisation
    address: str
    postcode: str
    phone: str
    office_hours: str
    area: Division
    local_divisions: list[Division]
    bookable: bool

    @property
    def pk(self) -> int:
        return self.commission.pk

    @property
    def name(self) -> str:
        return self.commission.name

    @property
    def scope(self) -> str:
        """``province``, ``city`` or ``local``: how the area reads in plain words."""
        if self.area.level == Division.Level.PROVINCE:
            return "province"
        return "local" if self.area.level in LOCAL_LEVELS else "city"

    @property
    def local_names(self) -> list[str]:
        return [d.name for d in self.local_divisions]

    @property
    def has_contact(self) -> bool:
        return bool(self.address or self.phone or self.office_hours)

    def matches(self, query: str) -> bool:
        names = [self.commission.name, self.commission.short_name, self.area.name]
        names += self.local_names
        return any(query in name for name in names if name)


@dataclass
class CityGroup:
    """The commissions of one city (the city's own first), or the province's own commission."""

    division: Division
    commissions: list[CommissionInfo] = field(default_factory=list)


def _commissions() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(type=Organisation.Type.COMMISSION, is_active=True)
        .select_related("division__parent", "case_profile", "commission_detail")
        .order_by("division_id", "name")
    )


def _local_divisions(areas: list[str]) -> dict[str, list[Division]]:
    found: dict[str, list[Division]] = defaultdict(list)
    divisions = Division.objects.filter(parent_id__in=areas, level__in=LOCAL_LEVELS)
    for division in divisions.order_by("code"):
        if division.parent_id:
            found[division.parent_id].append(division)
    return found


def _info(
    commission: Organisation, local: dict[str, list[Division]], bookable: set[int]
) -> CommissionInfo:
    # A reverse one-to-one that does not exist raises on access; the demo and new commissions
    # have no settings or register details until someone enters them.
    profile = getattr(commission, "case_profile", None)
    detail = getattr(commission, "commission_detail", None)
    address = (profile.address if profile else "") or (detail.seat_address if detail else "")
    return CommissionInfo(
        commission=commission,
        address=address,
        postcode=profile.postcode if profile else "",
        phone=profile.phone if profile else "",
        office_hours=profile.office_hours if profile else "",
        area=commission.division,
        local_divisions=local.get(commission.division_id, []),
        bookable=commission.pk in bookable,
    )


def _city_of(division: Division) -> Division:
    if division.level in LOCAL_LEVELS and division.parent is not None:
        return division.parent
    return division


def clean_query(raw: str) -> str:
    return raw.strip()[:QUERY_MAX]


def commission_directory(query: str = "") -> list[CityGroup]:
    """Every active commission, grouped by city in code order; the province's own comes first.

    ``query`` keeps the commissions whose name, area or any county in their area contains it:
    "历下" finds 历下区's commission and 济南市's, whose area includes 历下区.
    """
    query = clean_query(query)
    commissions = list(_commissions())
    local = _local_divisions([c.division_id for c in commissions])
    bookable = set(commissions_with_open_slots().values_list("pk", flat=True))
    groups: dict[str, CityGroup] = {}
    for commission in commissions:
        info = _info(commission, local, bookable)
        if query and not info.matches(query):
            continue
        city = _city_of(commission.division)
        group = groups.setdefault(city.code, CityGroup(division=city))
        group.commissions.append(info)
    for group in groups.values():
        # The city's own commission before its counties'.
        group.commissions.sort(key=lambda i: (i.area.code != group.division.code, i.area.code))
    return [groups[code] for code in sorted(groups)]


def get_public_commission(pk: Any) -> CommissionInfo:
    """An active commission by primary key; anything else answers 404."""
    try:
        commission = _commissions().get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    local = _local_divisions([commission.division_id])
    bookable = set(
        commissions_with_open_slots().filter(pk=commission.pk).values_list("pk", flat=True)
    )
    return _info(commission, local, bookable)


def tribunals_of(commission: Organisation) -> list[Tribunal]:
    """The tribunals in use, where a party may be heard: the seat first, then resident, circuit."""
    order = list(Tribunal.Kind.values)
    tribunals = Tribunal.objects.filter(commission=commission, is_active=True)
    return sorted(tribunals, key=lambda t: (order.index(t.kind), t.name))
