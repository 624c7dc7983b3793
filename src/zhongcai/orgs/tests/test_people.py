"""People of the roster: the rules of a record, appointments, dismissal and the 5-year bar."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from zhongcai.core.events import events_of
from zhongcai.orgs import people
from zhongcai.orgs.models import Appointment, EndReason, Person, RosterEntry

from .factories import approved_quarter, arbitrator, arbitrator_values, commission, id_number

pytestmark = pytest.mark.django_db


def test_an_arbitrator_needs_an_id_number_a_qualification_and_a_part_timers_unit(lixia_admin):
    with pytest.raises(ValidationError) as caught:
        people.person_create(
            by=lixia_admin,
            organisation=commission(),
            values=arbitrator_values(id_number="", qualification_route="", unit=""),
            starts_on=date(2026, 1, 1),
        )
    assert set(caught.value.message_dict) == {"id_number", "qualification_route", "unit"}
    assert not Person.objects.filter(name="林晓东").exists()


def test_a_recorder_needs_no_qualification_and_none_is_kept(lixia_admin):
    recorder = people.person_create(
        by=lixia_admin,
        organisation=commission(),
        values=arbitrator_values(
            kind=Person.Kind.RECORDER, id_number="", employment="full_time", unit=""
        ),
        starts_on=date(2026, 1, 1),
    )
    assert recorder.qualification_route == ""
    assert recorder.appointments.get().status == Appointment.Status.ACTIVE


def test_a_mediator_belongs_to_a_mediation_organisation_not_to_a_commission(lixia_admin):
    with pytest.raises(ValidationError) as caught:
        people.person_create(
            by=lixia_admin,
            organisation=commission(),
            values=arbitrator_values(kind=Person.Kind.MEDIATOR),
            starts_on=date(2026, 1, 1),
        )
    assert "kind" in caught.value.message_dict


def test_the_record_and_its_appointment_are_events_without_the_id_number(lixia_admin):
    person = arbitrator(by=lixia_admin)
    kinds = [e.kind for e in events_of(person)]
    assert kinds == ["person.created", "person.appointed"]
    created = events_of(person).first().payload
    assert created["id_number"] == "set"
    assert person.id_number not in str(created)
    assert created["mobile"] == "set"


def test_a_county_cannot_put_people_on_another_countys_commission(lixia_admin):
    with pytest.raises(PermissionDenied):
        arbitrator(commission("370112"), by=lixia_admin)


def test_the_city_watches_but_does_not_maintain_a_countys_people(jinan_admin):
    with pytest.raises(PermissionDenied):
        arbitrator(commission("370102"), by=jinan_admin)


def test_the_same_person_is_not_recorded_twice_in_one_commission(lixia_admin):
    number = id_number()
    arbitrator(by=lixia_admin, id_number=number)
    with pytest.raises(ValidationError) as caught:
        arbitrator(by=lixia_admin, id_number=number)
    assert "already on record" in str(caught.value)


def test_only_one_appointment_runs_at_a_time(lixia_admin):
    person = arbitrator(by=lixia_admin)
    with pytest.raises(ValidationError):
        people.appointment_create(by=lixia_admin, person=person, starts_on=date(2026, 12, 1))


def test_a_dismissal_states_its_facts(lixia_admin):
    person = arbitrator(by=lixia_admin)
    with pytest.raises(ValidationError) as caught:
        people.appointment_end(
            by=lixia_admin, appointment=person.appointments.get(), reason=EndReason.MISCONDUCT
        )
    assert "note" in caught.value.message_dict


@time_machine.travel(date(2026, 6, 10), tick=False)
def test_a_dismissed_arbitrator_cannot_be_reappointed_within_five_years(
    lixia_admin, jinan_admin, province_admin
):
    person = arbitrator(by=lixia_admin, starts_on=date(2025, 1, 1))
    approved_quarter(commission(), submitter=lixia_admin, city=jinan_admin, province=province_admin)
    assert RosterEntry.objects.filter(appointment__person=person).exists()

    appointment = people.appointment_end(
        by=lixia_admin,
        appointment=person.appointments.get(),
        reason=EndReason.MISCONDUCT,
        note="私自会见当事人并接受宴请（劳动争议调解仲裁法第三十四条）",
    )
    assert appointment.status == Appointment.Status.DISMISSED
    assert not RosterEntry.objects.filter(appointment__person=person).exists()
    assert events_of(person).last().kind == "person.dismissed"

    with pytest.raises(ValidationError) as caught:
        people.appointment_create(by=lixia_admin, person=person, starts_on=date(2026, 7, 1))
    assert "2031-06-10" in str(caught.value)

    # Next door, under a new record with the same ID number: still barred.
    with time_machine.travel(date(2031, 6, 9), tick=False), pytest.raises(ValidationError):
        arbitrator(commission("370112"), id_number=person.id_number, starts_on=date(2031, 6, 9))

    with time_machine.travel(date(2031, 6, 10), tick=False):
        again = people.appointment_create(
            by=lixia_admin, person=person, starts_on=date(2031, 6, 10)
        )
    assert again.status == Appointment.Status.ACTIVE


@time_machine.travel(date(2026, 6, 10), tick=False)
def test_a_term_that_ends_normally_does_not_bar_reappointment(lixia_admin):
    person = arbitrator(by=lixia_admin, starts_on=date(2023, 1, 1))
    people.appointment_end(
        by=lixia_admin, appointment=person.appointments.get(), reason=EndReason.TERM_EXPIRED
    )
    again = people.appointment_create(by=lixia_admin, person=person, starts_on=date(2026, 7, 1))
    assert again.status == Appointment.Status.ACTIVE


@time_machine.travel(date(2026, 6, 10), tick=False)
def test_the_length_of_the_bar_comes_from_settings(lixia_admin, settings):
    settings.ORGS_RULES = {"reappointment_bar_years": 2}
    person = arbitrator(by=lixia_admin, starts_on=date(2025, 1, 1))
    people.appointment_end(
        by=lixia_admin,
        appointment=person.appointments.get(),
        reason=EndReason.FAILED_ASSESSMENT,
        note="2025 年度考核不合格",
    )
    bar = people.reappointment_bar(
        id_number=person.id_number, person=None, starts_on=date(2026, 7, 1)
    )
    assert bar is not None and bar.until == date(2028, 6, 10)


def test_a_barred_year_from_29_february_ends_on_1_march():
    assert people.add_years(date(2024, 2, 29), 5) == date(2029, 3, 1)


def test_training_and_assessment_are_recorded_with_events(lixia_admin):
    person = arbitrator(by=lixia_admin)
    people.training_add(
        by=lixia_admin,
        person=person,
        completed_on=date(2026, 3, 1),
        hours="16",
        course="仲裁员岗前培训",
    )
    with pytest.raises(ValidationError):
        people.training_add(
            by=lixia_admin, person=person, completed_on=date(2026, 3, 2), hours=0, course="x"
        )
    people.assessment_record(by=lixia_admin, person=person, year=2025, result="pass")
    with pytest.raises(ValidationError):
        people.assessment_record(by=lixia_admin, person=person, year=2025, result="excellent")
    assert [e.kind for e in events_of(person)][-2:] == [
        "person.training_recorded",
        "person.assessed",
    ]


def test_staffing_expectations_come_from_settings(settings):
    assert len(people.staffing_warnings(full_time_arbitrators=3, case_assistants=1)) == 0
    assert len(people.staffing_warnings(full_time_arbitrators=2, case_assistants=0)) == 2
    settings.ORGS_RULES = {"min_full_time_arbitrators": 2, "min_case_assistants": 0}
    assert people.staffing_warnings(full_time_arbitrators=2, case_assistants=0) == []


def test_an_account_links_only_to_a_record_of_its_own_kind(lixia_admin, lixia_clerk):
    with pytest.raises(ValidationError) as caught:
        arbitrator(by=lixia_admin, user=lixia_clerk)
    assert "user" in caught.value.message_dict
