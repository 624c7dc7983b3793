"""Snapshots of a commission's records for quarterly verification, and their diff.

``SECTIONS`` says which records and fields a quarter freezes; the same declaration gives the
labels the reviewer sees. A snapshot is plain JSON keyed by record, so the diff of two quarters
is additions, removals and changed fields per record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from .changes import plain
from .institutions import Composition
from .models import (
    AnnualAssessment,
    Appointment,
    CommissionDetail,
    CommissionMember,
    HearingRoom,
    Organisation,
    Person,
    QualificationRoute,
    QuarterSubmission,
    Tribunal,
)
from .people import staffing_warnings

SCHEMA = 1


# --- What a snapshot holds ------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    label: str | Promise
    choices: type[models.TextChoices] | None = None

    def display(self, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return str(gettext_lazy("Yes") if value else gettext_lazy("No"))
        if self.choices is not None and value in self.choices.values:
            return str(self.choices(value).label)
        return str(value)


@dataclass(frozen=True)
class Section:
    code: str
    label: str | Promise
    fields: tuple[Field, ...]
    title_field: str = "name"


SECTIONS = (
    Section(
        "commission",
        gettext_lazy("Commission"),
        (
            Field("name", gettext_lazy("Name")),
            Field("short_name", gettext_lazy("Short name")),
            Field("division", gettext_lazy("Division code")),
            Field("seat_address", gettext_lazy("Seat")),
            Field("established_on", gettext_lazy("Established on")),
            Field("institute", gettext_lazy("Arbitration institute")),
        ),
    ),
    Section(
        "members",
        gettext_lazy("Commission members"),
        (
            Field("name", gettext_lazy("Name")),
            Field("category", gettext_lazy("Represents"), CommissionMember.Category),
            Field("position", gettext_lazy("Position"), CommissionMember.Position),
            Field("unit", gettext_lazy("Unit and post")),
        ),
    ),
    Section(
        "tribunals",
        gettext_lazy("Tribunals"),
        (
            Field("name", gettext_lazy("Name")),
            Field("kind", gettext_lazy("Kind"), Tribunal.Kind),
            Field("address", gettext_lazy("Address")),
        ),
    ),
    Section(
        "rooms",
        gettext_lazy("Hearing rooms"),
        (
            Field("name", gettext_lazy("Name")),
            Field("tribunal", gettext_lazy("Tribunal")),
            Field("address", gettext_lazy("Address")),
            Field("seats", gettext_lazy("Seats")),
            Field("has_recording", gettext_lazy("Audio and video recording")),
            Field("has_online_hearing", gettext_lazy("Equipped for online hearings")),
        ),
    ),
    Section(
        "people",
        gettext_lazy("People"),
        (
            Field("name", gettext_lazy("Name")),
            Field("kind", gettext_lazy("Kind"), Person.Kind),
            Field("sex", gettext_lazy("Sex"), Person.Sex),
            Field("id_number", gettext_lazy("Resident ID number")),
            Field("mobile", gettext_lazy("Mobile number")),
            Field("employment", gettext_lazy("Full- or part-time"), Person.Employment),
            Field("unit", gettext_lazy("Unit")),
            Field("qualification_route", gettext_lazy("Qualification"), QualificationRoute),
            Field("qualification_evidence", gettext_lazy("Supporting document")),
            Field("specialties", gettext_lazy("Specialties")),
            Field("account", gettext_lazy("Account")),
            Field("appointment_starts_on", gettext_lazy("Appointed from")),
            Field("appointment_ends_on", gettext_lazy("Appointed until")),
            Field("training_hours", gettext_lazy("Training hours this year")),
            Field("assessment", gettext_lazy("Latest assessment")),
        ),
    ),
)
SECTION_BY_CODE = {section.code: section for section in SECTIONS}


def _people(commission: Organisation, year: int) -> dict[str, dict[str, Any]]:
    appointments = (
        Appointment.objects.filter(
            person__organisation=commission, status=Appointment.Status.ACTIVE
        )
        .select_related("person__user")
        .order_by("person__kind", "person__name", "person_id")
    )
    ids = [a.person_id for a in appointments]
    hours = dict(
        Person.objects.filter(pk__in=ids)
        .annotate(hours=Sum("trainings__hours", filter=Q(trainings__completed_on__year=year)))
        .values_list("pk", "hours")
    )
    assessments: dict[int, str] = {}
    for person_id, year_, result in (
        AnnualAssessment.objects.filter(person_id__in=ids)
        .values_list("person_id", "year", "result")
        .order_by("person_id", "-year")
    ):
        assessments.setdefault(person_id, f"{year_}: {AnnualAssessment.Result(result).label}")
    people = {}
    for appointment in appointments:
        person = appointment.person
        people[str(person.pk)] = {
            "appointment": appointment.pk,
            "kind": person.kind,
            "name": person.name,
            "sex": person.sex,
            "id_number": person.id_number,
            "mobile": person.mobile,
            "employment": person.employment,
            "unit": person.unit,
            "qualification_route": person.qualification_route,
            "qualification_evidence": person.qualification_evidence,
            "specialties": person.specialties,
            "account": person.user.username if person.user else "",
            "appointment_starts_on": appointment.starts_on.isoformat(),
            "appointment_ends_on": plain(appointment.ends_on),
            "training_hours": plain(hours.get(person.pk) or Decimal(0)),
            "assessment": assessments.get(person.pk, ""),
        }
    return people


def build_snapshot(commission: Organisation, year: int, quarter: int) -> dict[str, Any]:
    """The commission's records as they stand now, as plain JSON."""
    detail = CommissionDetail.objects.filter(commission=commission).first()
    institute = commission.children.filter(
        type=Organisation.Type.ARBITRATION_INSTITUTE, is_active=True
    ).first()
    members = list(CommissionMember.objects.filter(commission=commission, is_active=True))
    tribunals = list(Tribunal.objects.filter(commission=commission, is_active=True))
    rooms = HearingRoom.objects.filter(commission=commission, is_active=True).select_related(
        "tribunal"
    )
    people = _people(commission, year)
    kinds = [(p["kind"], p["employment"]) for p in people.values()]
    checks = Composition.of(members).problems() + staffing_warnings(
        full_time_arbitrators=kinds.count((Person.Kind.ARBITRATOR, Person.Employment.FULL_TIME)),
        case_assistants=sum(k == Person.Kind.CASE_ASSISTANT for k, _e in kinds),
    )
    return {
        "schema": SCHEMA,
        "year": year,
        "quarter": quarter,
        "sections": {
            "commission": {
                "commission": {
                    "name": commission.name,
                    "short_name": commission.short_name,
                    "division": commission.division_id,
                    "seat_address": detail.seat_address if detail else "",
                    "established_on": plain(detail.established_on) if detail else None,
                    "institute": institute.name if institute else "",
                }
            },
            "members": {
                str(m.pk): {
                    "name": m.name,
                    "category": m.category,
                    "position": m.position,
                    "unit": m.unit,
                }
                for m in members
            },
            "tribunals": {
                str(t.pk): {"name": t.name, "kind": t.kind, "address": t.address} for t in tribunals
            },
            "rooms": {
                str(r.pk): {
                    "name": r.name,
                    "tribunal": r.tribunal.name if r.tribunal else "",
                    "address": r.address,
                    "seats": r.seats,
                    "has_recording": r.has_recording,
                    "has_online_hearing": r.has_online_hearing,
                }
                for r in rooms
            },
            "people": people,
        },
        "checks": [str(c) for c in checks],
    }


def digest_of(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- The diff -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class ItemDiff:
    key: str
    title: str
    changes: list[FieldChange] = field(default_factory=list)
    values: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SectionDiff:
    code: str
    label: str
    added: list[ItemDiff] = field(default_factory=list)
    removed: list[ItemDiff] = field(default_factory=list)
    changed: list[ItemDiff] = field(default_factory=list)
    unchanged: int = 0

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def _title(section: Section, item: dict[str, Any]) -> str:
    title = str(item.get(section.title_field) or "—")
    if section.code == "people" and item.get("kind") in Person.Kind.values:
        title = f"{title} · {Person.Kind(item['kind']).label}"
    return title


def _values(section: Section, item: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(f.label), f.display(item.get(f.name))) for f in section.fields]


def diff(base: dict[str, Any] | None, current: dict[str, Any]) -> list[SectionDiff]:
    """Additions, removals and changed fields, section by section, keyed by record."""
    before_sections = (base or {}).get("sections", {})
    result = []
    for section in SECTIONS:
        before = before_sections.get(section.code, {})
        after = current.get("sections", {}).get(section.code, {})
        out = SectionDiff(section.code, str(section.label))
        for key, item in after.items():
            if key not in before:
                out.added.append(
                    ItemDiff(key, _title(section, item), values=_values(section, item))
                )
                continue
            changes = [
                FieldChange(
                    str(f.label), f.display(before[key].get(f.name)), f.display(item.get(f.name))
                )
                for f in section.fields
                if before[key].get(f.name) != item.get(f.name)
            ]
            if changes:
                out.changed.append(ItemDiff(key, _title(section, item), changes=changes))
            else:
                out.unchanged += 1
        for key, item in before.items():
            if key not in after:
                out.removed.append(
                    ItemDiff(key, _title(section, item), values=_values(section, item))
                )
        result.append(out)
    return result


def snapshot_problems() -> Iterator[str]:
    """For ``verify_events``: every stored snapshot still matches the digest taken at submission."""
    for pk, snapshot, digest in QuarterSubmission.objects.values_list(
        "pk", "snapshot", "snapshot_digest"
    ).iterator(chunk_size=200):
        if digest_of(snapshot) != digest:
            yield f"quarterly submission {pk}: snapshot does not match its digest"
