"""Mediator profiles (what the draw filters on: specialties, languages, availability, most
running cases) and the training records of mediators.

A person of the roster without a profile counts as available, with no specialties and at most
10 running cases.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import Role, User
from zhongcai.cases.taxonomy import Cause
from zhongcai.core.events import record_event
from zhongcai.orgs.models import Person, TrainingRecord
from zhongcai.orgs.people import MAX_TRAINING_HOURS

from .models import RUNNING_STATES, MediationCase, MediatorProfile
from .workflow import STAFF_ROLES

MAX_LANGUAGES = 10
CAUSES = dict(Cause.choices)


def cause_labels(codes: list[str]) -> list[str]:
    return [str(CAUSES.get(code, code)) for code in codes]


def profile_of(person: Person) -> MediatorProfile:
    """The person's profile; without one, the defaults (available, no specialties, 10 cases)."""
    try:
        return person.mediator_profile
    except MediatorProfile.DoesNotExist:
        return MediatorProfile(person=person)


def is_available(profile: MediatorProfile, today: date) -> bool:
    """Available unless switched off, or absent until a day not yet passed (inclusive)."""
    if not profile.available:
        return False
    return profile.unavailable_until is None or profile.unavailable_until < today


def loads(person_ids: list[int]) -> dict[int, int]:
    """Running cases (ACCEPTED or MEDIATING) of each mediator."""
    rows = (
        MediationCase.objects.filter(mediator_id__in=person_ids, status__in=RUNNING_STATES)
        .values_list("mediator_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(person_ids, 0)
    counts.update(dict(rows))
    return counts


def is_staff_of(user: User, organisation_id: int) -> bool:
    return (
        user.is_authenticated
        and not user.is_public
        and user.role in STAFF_ROLES
        and user.organisation_id == organisation_id
    )


def may_edit_profile(user: User, person: Person) -> bool:
    """The organisation's head edits every profile; a mediator edits its own."""
    if person.kind != Person.Kind.MEDIATOR or not is_staff_of(user, person.organisation_id):
        return False
    return user.role == Role.INSTITUTE_HEAD or person.user_id == user.pk


def may_add_training(user: User, person: Person) -> bool:
    """The organisation's head records its mediators' training (组织规则 art. 29 for the roster);
    the HRSS departments do it on the institutions pages."""
    return (
        person.kind == Person.Kind.MEDIATOR
        and is_staff_of(user, person.organisation_id)
        and user.role == Role.INSTITUTE_HEAD
    )


def _codes(values: Any, key: str) -> list[str]:
    values = list(values or [])
    unknown = [v for v in values if v not in Cause.values]
    if unknown:
        raise ValidationError({key: [_("Unknown cause of dispute.")]})
    return list(dict.fromkeys(values))


def _languages(values: Any) -> list[str]:
    if isinstance(values, str):
        values = values.replace("，", ",").replace("、", ",").split(",")
    clean = list(dict.fromkeys(v.strip() for v in values or [] if v and v.strip()))
    if len(clean) > MAX_LANGUAGES or any(len(v) > 30 for v in clean):
        raise ValidationError({"languages": [_("List at most 10 languages, each in a word.")]})
    return clean


@transaction.atomic
def mediator_profile_update(
    *,
    by: User,
    person: Person,
    specialties: list[str],
    languages: list[str] | str,
    available: bool,
    unavailable_until: date | None,
    max_load: int,
) -> MediatorProfile:
    """Write what the draw filters on. The event goes on the person's record."""
    if not may_edit_profile(by, person):
        raise PermissionDenied(_("You may not edit this mediator's profile."))
    errors: dict[str, list[str]] = {}
    try:
        specialties = _codes(specialties, "specialties")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        languages = _languages(languages)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not isinstance(max_load, int) or isinstance(max_load, bool) or not 1 <= max_load <= 100:
        errors["max_load"] = [_("Enter a number of cases from 1 to 100.")]
    if errors:
        raise ValidationError(errors)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    profile, _created = MediatorProfile.objects.get_or_create(person=person)
    values = {
        "specialties": specialties,
        "languages": languages,
        "available": bool(available),
        "unavailable_until": unavailable_until,
        "max_load": max_load,
    }
    changed = {name: value for name, value in values.items() if getattr(profile, name) != value}
    for name, value in values.items():
        setattr(profile, name, value)
    profile.save()
    if changed:
        payload = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in changed.items()}
        record_event(
            person,
            "person.mediator_profile_changed",
            actor=by,
            organisation=person.organisation,
            payload={"changed": payload},
        )
    return profile


@transaction.atomic
def mediator_training_add(
    *,
    by: User,
    person: Person,
    completed_on: date,
    hours: Decimal,
    course: str,
    provider: str = "",
) -> TrainingRecord:
    """Record in-service training of a mediator (the roster's ``TrainingRecord``)."""
    if not may_add_training(by, person):
        raise PermissionDenied(_("Only the organisation's head records its mediators' training."))
    errors: dict[str, list[str]] = {}
    if not (course or "").strip():
        errors["course"] = [_("Name the course.")]
    if completed_on > timezone.localdate():
        errors["completed_on"] = [_("Record training once it is completed.")]
    try:
        hours = Decimal(str(hours))
    except InvalidOperation:
        hours = Decimal(-1)
    if not hours.is_finite() or not Decimal(0) < hours <= MAX_TRAINING_HOURS:
        errors["hours"] = [_("Class hours are more than 0 and at most 200 per record.")]
    if errors:
        raise ValidationError(errors)
    record = TrainingRecord.objects.create(
        person=person,
        completed_on=completed_on,
        hours=hours,
        course=course.strip(),
        provider=(provider or "").strip(),
    )
    record_event(
        person,
        "person.training_recorded",
        actor=by,
        organisation=person.organisation,
        payload={
            "completed_on": completed_on.isoformat(),
            "hours": str(record.hours),
            "course": record.course,
            "provider": record.provider,
        },
    )
    return record
