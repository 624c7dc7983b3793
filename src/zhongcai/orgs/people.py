"""Every write to the people of the roster: records, appointments and their end, training,
annual assessments; and the checks that go with them (LDMAL art. 20, 34; 组织规则).

Each service takes the acting user as ``by``, checks that the user's department maintains the
person's organisation, writes in one transaction and records the person's event. Personal
identifiers never go into event payloads (``changes.PRIVATE_FIELDS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import Role
from zhongcai.core.events import record_event
from zhongcai.core.identifiers import validate_id_number, validate_mobile

from . import roster
from .changes import apply_changes, snapshot_of
from .models import (
    AnnualAssessment,
    Appointment,
    EndReason,
    Organisation,
    Person,
    QualificationRoute,
    TrainingRecord,
)
from .permissions import ensure_may_maintain
from .rules import is_dismissal, rule

if TYPE_CHECKING:
    from zhongcai.accounts.models import User

K = Person.Kind
PERSON_FIELDS = [
    "kind",
    "name",
    "sex",
    "id_number",
    "mobile",
    "employment",
    "unit",
    "qualification_route",
    "qualification_evidence",
    "specialties",
]
# Who works where: a commission's arbitrators, recorders and case assistants; a mediation
# organisation's mediators.
KINDS_BY_ORGANISATION: dict[str, frozenset[str]] = {
    Organisation.Type.COMMISSION: frozenset({K.ARBITRATOR, K.RECORDER, K.CASE_ASSISTANT}),
    Organisation.Type.MEDIATION_ORGANISATION: frozenset({K.MEDIATOR}),
}
# Which accounts may be linked to a record of each kind.
ROLES_BY_KIND: dict[str, frozenset[Role]] = {
    K.ARBITRATOR: frozenset({Role.ARBITRATOR, Role.INSTITUTE_HEAD}),
    K.RECORDER: frozenset({Role.CLERK}),
    K.CASE_ASSISTANT: frozenset({Role.CLERK, Role.INTAKE_OFFICER}),
    K.MEDIATOR: frozenset({Role.MEDIATOR}),
}
DOCUMENT_SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png"})
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_TRAINING_HOURS = Decimal(200)  # one record; a typo like 400 is caught


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


@dataclass(frozen=True)
class Bar:
    """A dismissal that still bars re-appointment as arbitrator (组织规则 art. 34 [M])."""

    dismissed_on: date
    until: date
    commission: str
    reason: str

    def message(self) -> str:
        return _(
            "Dismissed as arbitrator by %(commission)s on %(date)s (%(reason)s): may not be "
            "appointed again before %(until)s (组织规则 art. 34)."
        ) % {
            "commission": self.commission,
            "date": self.dismissed_on.isoformat(),
            "reason": self.reason,
            "until": self.until.isoformat(),
        }


def reappointment_bar(*, id_number: str, person: Person | None, starts_on: date) -> Bar | None:
    """The dismissal that bars appointing this person as arbitrator from ``starts_on``, if any.

    Looked up province-wide by ID number, not only in the caller's scope: a person dismissed in
    one county may not be appointed next door.
    """
    years = int(rule("reappointment_bar_years"))
    today = timezone.localdate()
    earliest = min(today, starts_on)
    dismissals = Appointment.objects.filter(
        person__kind=K.ARBITRATOR,
        status=Appointment.Status.DISMISSED,
        ended_on__gt=add_years(earliest, -years),
    ).select_related("person__organisation")
    who = Q()
    if id_number:
        who |= Q(person__id_number=id_number)
    if person is not None and person.pk:
        who |= Q(person=person)
    if not who:
        return None
    dismissals = dismissals.filter(who)
    latest = dismissals.order_by("-ended_on").first()
    if latest is None or latest.ended_on is None:
        return None
    until = add_years(latest.ended_on, years)
    if earliest >= until:
        return None
    return Bar(
        dismissed_on=latest.ended_on,
        until=until,
        commission=latest.person.organisation.name,
        reason=EndReason(latest.end_reason).label,
    )


def clean_person(
    organisation: Organisation, values: dict[str, Any], *, person: Person | None = None
) -> dict[str, Any]:
    """Normalize and check a person's fields; raise ``ValidationError`` with every problem.

    The one place where the rules of a record live: the forms and the spreadsheet import both
    come here.
    """
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    kind = data.get("kind") or (person.kind if person else "")
    data["kind"] = kind
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    allowed = KINDS_BY_ORGANISATION.get(organisation.type, frozenset())
    if kind not in K.values:
        add("kind", _("Choose arbitrator, recorder, case assistant or mediator."))
    elif kind not in allowed:
        add(
            "kind",
            _("A %(kind)s is not kept by a %(type)s.")
            % {"kind": K(kind).label, "type": organisation.get_type_display()},
        )
    if not data.get("name"):
        add("name", _("Enter the name."))
    if data.get("sex") not in Person.Sex.values:
        add("sex", _("Choose male or female."))
    if data.get("employment") not in Person.Employment.values:
        add("employment", _("Choose full-time or part-time."))
    elif data["employment"] == Person.Employment.PART_TIME and not data.get("unit"):
        add("unit", _("A part-timer's unit is required (it is published on the roster)."))
    if data.get("employment") == Person.Employment.FULL_TIME:
        data["unit"] = data.get("unit") or ""

    id_number = data.get("id_number") or ""
    if id_number:
        try:
            data["id_number"] = id_number = validate_id_number(id_number)
        except ValidationError as exc:
            errors.setdefault("id_number", []).extend(exc.messages)
    elif kind == K.ARBITRATOR:
        add(
            "id_number",
            _("An arbitrator's ID number is required: the re-appointment bar follows it."),
        )
    data["id_number"] = id_number
    if data.get("mobile"):
        try:
            data["mobile"] = validate_mobile(data["mobile"])
        except ValidationError as exc:
            errors.setdefault("mobile", []).extend(exc.messages)
    data["mobile"] = data.get("mobile") or ""

    if kind == K.ARBITRATOR:
        if data.get("qualification_route") not in QualificationRoute.values:
            add(
                "qualification_route",
                _("Choose which condition of LDMAL art. 20 the arbitrator meets."),
            )
    else:
        data["qualification_route"] = ""

    if id_number and kind in K.values and "id_number" not in errors:
        duplicates = Person.objects.filter(
            organisation=organisation, kind=kind, id_number=id_number
        )
        if person is not None:
            duplicates = duplicates.exclude(pk=person.pk)
        if duplicates.exists():
            add("id_number", _("This person is already on record here."))

    user = data.get("user")
    if user is not None:
        problem = _link_problem(user, organisation, kind, person)
        if problem:
            add("user", problem)
    if errors:
        raise ValidationError(errors)
    return data


def _link_problem(user: User, organisation: Organisation, kind: str, person: Person | None) -> str:
    if kind in ROLES_BY_KIND and user.role not in ROLES_BY_KIND[kind]:
        return _("That account is not an account of a %(kind)s.") % {"kind": K(kind).label}
    if user.organisation is None or not user.organisation.is_within(organisation):
        return _("Link an account of this organisation.")
    taken = Person.objects.filter(user=user)
    if person is not None:
        taken = taken.exclude(pk=person.pk)
    if taken.exists():
        return _("That account is already linked to another record.")
    return ""


def _check_document(document: UploadedFile) -> None:
    suffix = PurePath(document.name or "").suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise ValidationError({"qualification_document": [_("Upload a PDF, JPEG or PNG file.")]})
    if (document.size or 0) > DOCUMENT_MAX_BYTES:
        raise ValidationError({"qualification_document": [_("The file is larger than 10 MB.")]})


def _check_term(starts_on: date | None, ends_on: date | None) -> date:
    if starts_on is None:
        raise ValidationError({"starts_on": [_("Enter the first day of the appointment.")]})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": [_("The appointment cannot end before it starts.")]})
    return starts_on


@transaction.atomic
def person_create(
    *,
    by: User | None,
    organisation: Organisation,
    values: dict[str, Any],
    starts_on: date | None,
    ends_on: date | None = None,
    document: UploadedFile | None = None,
) -> Person:
    """Put a person on record with their first appointment."""
    ensure_may_maintain(by, organisation)
    data = clean_person(organisation, values)
    first_day = _check_term(starts_on, ends_on)
    if document:
        _check_document(document)
    person = Person(organisation=organisation, **data)
    if document:
        person.qualification_document = document
    person.save()
    record_event(
        person,
        "person.created",
        actor=by,
        organisation=organisation,
        payload=snapshot_of(person, PERSON_FIELDS),
    )
    appointment_create(by=by, person=person, starts_on=first_day, ends_on=ends_on)
    return person


@transaction.atomic
def person_update(
    *,
    by: User | None,
    person: Person,
    values: dict[str, Any],
    document: UploadedFile | None = None,
) -> Person:
    ensure_may_maintain(by, person.organisation)
    person = Person.objects.select_for_update().select_related("organisation").get(pk=person.pk)
    # Fields not given keep their values: a partial update changes only what it names.
    current = {name: getattr(person, name) for name in PERSON_FIELDS} | {"user": person.user}
    data = clean_person(
        person.organisation, {**current, **values, "kind": person.kind}, person=person
    )
    data.pop("kind")
    if document:
        _check_document(document)
    changed = apply_changes(person, data)
    if document:
        person.qualification_document = document
        changed["qualification_document"] = ["", document.name]
    if changed:
        person.save()
        record_event(
            person,
            "person.changed",
            actor=by,
            organisation=person.organisation,
            payload={"changed": changed},
        )
    return person


@transaction.atomic
def appointment_create(
    *, by: User | None, person: Person, starts_on: date, ends_on: date | None = None
) -> Appointment:
    """Appoint (聘任) the person for a term. A dismissed arbitrator waits out the bar."""
    ensure_may_maintain(by, person.organisation)
    person = Person.objects.select_for_update().select_related("organisation").get(pk=person.pk)
    _check_term(starts_on, ends_on)
    if person.appointments.filter(status=Appointment.Status.ACTIVE).exists():
        raise ValidationError(
            {"starts_on": [_("The person already has an active appointment; end it first.")]}
        )
    if person.kind == K.ARBITRATOR:
        bar = reappointment_bar(id_number=person.id_number, person=person, starts_on=starts_on)
        if bar is not None:
            raise ValidationError({"starts_on": [bar.message()]}, code="reappointment_bar")
    appointment = Appointment.objects.create(person=person, starts_on=starts_on, ends_on=ends_on)
    record_event(
        person,
        "person.appointed",
        actor=by,
        organisation=person.organisation,
        payload={
            "appointment": appointment.pk,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
        },
    )
    return appointment


@transaction.atomic
def appointment_end(
    *, by: User | None, appointment: Appointment, reason: str, note: str = ""
) -> Appointment:
    """End a term today, or dismiss (解聘). The person leaves the public roster at once.

    LDMAL art. 34: misconduct under art. 33(4), bribery, favouritism or perverting the award
    must lead to dismissal. A dismissal bars re-appointment for ``reappointment_bar_years``.
    """
    person = appointment.person
    ensure_may_maintain(by, person.organisation)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != Appointment.Status.ACTIVE:
        raise ValidationError(_("This appointment has already ended."))
    if reason not in EndReason.values:
        raise ValidationError({"reason": [_("Choose why the appointment ends.")]})
    dismissal = is_dismissal(reason)
    if dismissal and not note.strip():
        raise ValidationError({"note": [_("A dismissal states the facts and the decision.")]})
    appointment.status = Appointment.Status.DISMISSED if dismissal else Appointment.Status.ENDED
    appointment.ended_on = timezone.localdate()
    appointment.end_reason = reason
    appointment.end_note = note.strip()
    appointment.save(update_fields=["status", "ended_on", "end_reason", "end_note"])
    removed = roster.unpublish(appointment)
    record_event(
        person,
        "person.dismissed" if dismissal else "person.appointment_ended",
        actor=by,
        organisation=person.organisation,
        payload={
            "appointment": appointment.pk,
            "reason": reason,
            "note": appointment.end_note,
            "ended_on": appointment.ended_on.isoformat(),
            "removed_from_roster": removed,
        },
    )
    return appointment


def _hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": [_("Enter the class hours as a number.")]}) from None
    if not Decimal(0) < hours <= MAX_TRAINING_HOURS:
        raise ValidationError(
            {"hours": [_("Class hours are more than 0 and at most 200 per record.")]}
        )
    return hours


@transaction.atomic
def training_add(
    *,
    by: User | None,
    person: Person,
    completed_on: date,
    hours: Any,
    course: str,
    provider: str = "",
) -> TrainingRecord:
    ensure_may_maintain(by, person.organisation)
    errors: dict[str, list[str]] = {}
    if not course.strip():
        errors["course"] = [_("Name the course.")]
    if completed_on > timezone.localdate():
        errors["completed_on"] = [_("Record training once it is completed.")]
    if errors:
        raise ValidationError(errors)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    record = TrainingRecord.objects.create(
        person=person,
        completed_on=completed_on,
        hours=_hours(hours),
        course=course.strip(),
        provider=provider.strip(),
    )
    record_event(
        person,
        "person.training_recorded",
        actor=by,
        organisation=person.organisation,
        payload=snapshot_of(record, ["completed_on", "hours", "course", "provider"]),
    )
    return record


@transaction.atomic
def assessment_record(
    *, by: User | None, person: Person, year: int, result: str, note: str = ""
) -> AnnualAssessment:
    """The annual assessment (组织规则 arts. 25–28 [M]). A fail is a ground for dismissal,
    decided separately with ``appointment_end``."""
    ensure_may_maintain(by, person.organisation)
    errors: dict[str, list[str]] = {}
    if result not in AnnualAssessment.Result.values:
        errors["result"] = [_("Choose excellent, pass or fail.")]
    if not 2000 <= year <= timezone.localdate().year:
        errors["year"] = [_("Enter a past or the current year.")]
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if AnnualAssessment.objects.filter(person=person, year=year).exists():
        errors["year"] = [_("This year's assessment is already recorded.")]
    if errors:
        raise ValidationError(errors)
    assessment = AnnualAssessment.objects.create(
        person=person, year=year, result=result, note=note.strip()
    )
    record_event(
        person,
        "person.assessed",
        actor=by,
        organisation=person.organisation,
        payload={"year": year, "result": result, "note": assessment.note},
    )
    return assessment


def staffing_warnings(*, full_time_arbitrators: int, case_assistants: int) -> list[str]:
    """组织规则 art. 21 [M]: the staffing a commission should have, as warnings."""
    warnings = []
    minimum = int(rule("min_full_time_arbitrators"))
    if full_time_arbitrators < minimum:
        warnings.append(
            _(
                "%(n)d full-time arbitrators in office; a commission should have at least "
                "%(min)d (组织规则 art. 21)."
            )
            % {"n": full_time_arbitrators, "min": minimum}
        )
    minimum = int(rule("min_case_assistants"))
    if case_assistants < minimum:
        warnings.append(
            _(
                "%(n)d case assistants in office; a commission should have at least %(min)d "
                "(组织规则 art. 21)."
            )
            % {"n": case_assistants, "min": minimum}
        )
    return warnings
