"""The public arbitrator roster (仲裁员名册): what is published, and nothing else.

The roster is published from approved quarters only: when the province approves a commission's
quarter, that commission's lines are rewritten from the approved snapshot; when an appointment
ends (term over, dismissal), its line goes at once. ``PUBLIC_COLUMNS`` is the one list of what
the page and the export show: name, sex, commission, full-/part-time, qualification category
and, for part-timers, their unit (domain/spec.md §4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Appointment, Division, Organisation, Person, QuarterSubmission, RosterEntry
from .spreadsheets import Sheet, workbook_bytes

COUNTY_LEVELS = (Division.Level.COUNTY, Division.Level.FUNCTIONAL_ZONE)


@dataclass(frozen=True)
class Column:
    label: str | Promise
    value: Callable[[RosterEntry], str]


PUBLIC_COLUMNS = (
    Column(_("Name"), lambda e: e.name),
    Column(_("Sex"), lambda e: str(e.get_sex_display())),
    Column(_("Commission"), lambda e: e.commission_name),
    Column(_("Full- or part-time"), lambda e: str(e.get_employment_display())),
    Column(_("Qualification"), lambda e: str(e.get_qualification_route_display())),
    Column(_("Unit (part-timers)"), lambda e: e.unit),
)


def division_codes(division: Division) -> tuple[str, str]:
    """(city, county) codes by which the roster is filtered."""
    if division.level in COUNTY_LEVELS:
        return division.parent_id or "", division.code
    if division.level == Division.Level.PREFECTURE:
        return division.code, ""
    return "", ""


def _later_quarter_approved(submission: QuarterSubmission) -> bool:
    return (
        QuarterSubmission.objects.filter(
            commission=submission.commission_id, status=QuarterSubmission.Status.APPROVED
        )
        .filter(
            Q(year__gt=submission.year) | Q(year=submission.year, quarter__gt=submission.quarter)
        )
        .exists()
    )


def publish(submission: QuarterSubmission) -> int:
    """Rewrite the commission's roster lines from its approved quarter; returns how many.

    Runs inside the approval's transaction. An appointment that ended after the snapshot was
    taken stays off: a dismissed arbitrator never comes back through an older snapshot.
    """
    if _later_quarter_approved(submission):
        return 0
    commission = Organisation.objects.select_related("division").get(pk=submission.commission_id)
    people = submission.snapshot.get("sections", {}).get("people", {})
    arbitrators = [p for p in people.values() if p.get("kind") == Person.Kind.ARBITRATOR]
    still_active = set(
        Appointment.objects.filter(
            pk__in=[p["appointment"] for p in arbitrators if p.get("appointment")],
            status=Appointment.Status.ACTIVE,
        ).values_list("pk", flat=True)
    )
    city, county = division_codes(commission.division)
    RosterEntry.objects.filter(commission=commission).delete()
    entries = [
        RosterEntry(
            appointment_id=p["appointment"],
            commission=commission,
            name=p["name"],
            sex=p["sex"],
            commission_name=commission.name,
            employment=p["employment"],
            qualification_route=p.get("qualification_route") or "",
            unit=(p.get("unit") or "") if p["employment"] == Person.Employment.PART_TIME else "",
            city_code=city,
            county_code=county,
            starts_on=date.fromisoformat(p["appointment_starts_on"]),
            ends_on=(
                date.fromisoformat(p["appointment_ends_on"])
                if p.get("appointment_ends_on")
                else None
            ),
            source=submission,
        )
        for p in arbitrators
        if p.get("appointment") in still_active
    ]
    RosterEntry.objects.bulk_create(entries)
    return len(entries)


def unpublish(appointment: Appointment) -> bool:
    """Take the appointment's line off the roster (its term ended or it was dismissed)."""
    deleted, _detail = RosterEntry.objects.filter(appointment=appointment).delete()
    return deleted > 0


def public_entries(*, city: str = "", county: str = "", today: date | None = None) -> QuerySet:
    """The roster as published today: approved, in office, optionally one city or county."""
    today = today or timezone.localdate()
    entries = RosterEntry.objects.filter(starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    if city:
        entries = entries.filter(city_code=city)
    if county:
        entries = entries.filter(county_code=county)
    return entries.order_by(*RosterEntry._meta.ordering)


def public_rows(entries: Any) -> list[list[str]]:
    return [[column.value(entry) for column in PUBLIC_COLUMNS] for entry in entries]


def export(entries: QuerySet, *, title: str) -> bytes:
    return workbook_bytes(
        [
            Sheet(
                title=str(_("Arbitrator roster")),
                headers=[str(c.label) for c in PUBLIC_COLUMNS],
                rows=public_rows(entries.iterator(chunk_size=2000)),
                notes=[title],
            )
        ]
    )


def filter_choices() -> tuple[list[tuple[str, str]], dict[str, list[tuple[str, str]]]]:
    """Cities, and the counties of each city, for the roster's filters (one query)."""
    cities: list[tuple[str, str]] = []
    counties: dict[str, list[tuple[str, str]]] = {}
    for code, name, level, parent in Division.objects.filter(
        level__in=[Division.Level.PREFECTURE, *COUNTY_LEVELS]
    ).values_list("code", "name", "level", "parent_id"):
        if level == Division.Level.PREFECTURE:
            cities.append((code, name))
        else:
            counties.setdefault(parent or "", []).append((code, name))
    return cities, counties
