"""The public arbitrator roster: only the published fields, only approved appointments in office."""

import io
import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from zhongcai.orgs import people, verification
from zhongcai.orgs.models import EndReason, Person
from zhongcai.orgs.roster import PUBLIC_COLUMNS

from .factories import approved_quarter, arbitrator, commission

pytestmark = [pytest.mark.django_db, pytest.mark.urls("zhongcai.orgs.tests.urls")]


@pytest.fixture(autouse=True)
def _in_the_third_quarter_of_2026():
    with time_machine.travel(date(2026, 8, 20), tick=False):
        yield


@pytest.fixture
def published(lixia_admin, licheng_admin, jinan_admin, province_admin):
    """Two arbitrators in Lixia, one in Licheng, one in Qingdao's Shinan: all approved."""
    lixia = [
        arbitrator(
            by=lixia_admin,
            name="林晓东",
            employment="full_time",
            unit="历下区人社局仲裁院",
            qualification_route="hr_or_union",
            mobile="13912345678",
            qualification_evidence="人力资源管理工作证明 HR-2003-17",
            specialties="集体争议研究专长",
        ),
        arbitrator(by=lixia_admin, name="孙海燕", sex="female", unit="山东泉城律师事务所"),
    ]
    approved_quarter(commission(), submitter=lixia_admin, city=jinan_admin, province=province_admin)
    licheng = arbitrator(commission("370112"), by=licheng_admin, name="高丽娟")
    approved_quarter(
        commission("370112"), submitter=licheng_admin, city=jinan_admin, province=province_admin
    )
    return [*lixia, licheng]


def _private_values(person: Person) -> list[str]:
    """Everything kept about a person that the roster must never show."""
    values = [person.id_number, person.mobile, person.qualification_evidence, person.specialties]
    if person.employment == Person.Employment.FULL_TIME:
        values.append(person.unit)  # a full-timer's unit is not published
    return [v for v in values if v]


def _export(client, query=""):
    response = client.get(reverse("roster:roster-export") + query)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = [list(row) for row in book.active.iter_rows(values_only=True)]
    return rows[1], rows[2:]  # a title line, the header, the entries


def test_the_roster_opens_without_a_login(client, published):
    response = client.get(reverse("roster:roster"))
    assert response.status_code == 200
    html = response.content.decode()
    for person in published:
        assert person.name in html


def test_the_page_shows_only_the_published_fields(client, published):
    html = client.get(reverse("roster:roster")).content.decode()
    assert [str(c) for c in client.get(reverse("roster:roster")).context["columns"]] == [
        str(c.label) for c in PUBLIC_COLUMNS
    ]
    for person in published:
        for value in _private_values(person):
            assert value not in html, value
    assert "山东泉城律师事务所" in html  # a part-timer's unit is published
    # No ID number or mobile number pattern anywhere on the page.
    assert not re.search(r"\d{17}[\dX]", html)
    assert not re.search(r"1[3-9]\d{9}", html)


def test_the_export_has_exactly_the_published_columns_and_nothing_private(client, published):
    header, rows = _export(client)
    with translation.override("zh-hans"):  # the language of the request
        assert header == [str(c.label) for c in PUBLIC_COLUMNS]
    assert len(rows) == 3
    cells = {str(cell) for row in rows for cell in row if cell is not None}
    for person in published:
        for value in _private_values(person):
            assert value not in cells, value
    assert {row[0] for row in rows} == {"林晓东", "孙海燕", "高丽娟"}


def test_the_roster_filters_by_city_and_county(client, published, shinan_admin, qingdao_admin,
                                               province_admin):  # fmt: skip
    arbitrator(commission("370202"), by=shinan_admin, name="青岛仲裁员")
    approved_quarter(
        commission("370202"), submitter=shinan_admin, city=qingdao_admin, province=province_admin
    )
    names = lambda query: {  # noqa: E731
        row[0][1] for row in client.get(reverse("roster:roster") + query).context["rows"]
    }
    assert names("") == {"林晓东", "孙海燕", "高丽娟", "青岛仲裁员"}
    assert names("?city=370100") == {"林晓东", "孙海燕", "高丽娟"}
    assert names("?city=370100&county=370112") == {"高丽娟"}
    assert names("?county=370202") == {"青岛仲裁员"}
    assert names("?city=370100&county=370202") == {"林晓东", "孙海燕", "高丽娟"}  # mismatch ignored
    _header, rows = _export(client, "?county=370112")
    assert [row[0] for row in rows] == ["高丽娟"]


def test_only_approved_appointments_appear(client, lixia_admin, jinan_admin):
    arbitrator(by=lixia_admin, name="待审仲裁员")
    submission = verification.quarter_submit(
        by=lixia_admin, commission=commission(), year=2026, quarter=3
    )
    verification.quarter_decide(by=jinan_admin, submission=submission, outcome="forwarded")
    assert "待审仲裁员" not in client.get(reverse("roster:roster")).content.decode()


def test_an_arbitrator_appointed_after_the_approved_quarter_waits_for_the_next(
    client, published, lixia_admin
):
    arbitrator(by=lixia_admin, name="新聘仲裁员")
    assert "新聘仲裁员" not in client.get(reverse("roster:roster")).content.decode()


def test_recorders_are_not_on_the_roster(client, lixia_admin, jinan_admin, province_admin):
    people.person_create(
        by=lixia_admin,
        organisation=commission(),
        values={"kind": "recorder", "name": "书记员甲", "sex": "female",
                "employment": "full_time"},
        starts_on=date(2026, 1, 1),
    )  # fmt: skip
    approved_quarter(commission(), submitter=lixia_admin, city=jinan_admin, province=province_admin)
    assert "书记员甲" not in client.get(reverse("roster:roster")).content.decode()


def test_a_dismissed_arbitrator_disappears_at_once_and_stays_off(
    client, published, lixia_admin, jinan_admin, province_admin
):
    dismissed = published[0]
    people.appointment_end(
        by=lixia_admin,
        appointment=dismissed.appointments.get(),
        reason=EndReason.MISCONDUCT,
        note="徇私舞弊（劳动争议调解仲裁法第三十四条）",
    )
    assert dismissed.name not in client.get(reverse("roster:roster")).content.decode()
    _header, rows = _export(client)
    assert dismissed.name not in {row[0] for row in rows}

    # The next approved quarter does not bring them back.
    with time_machine.travel(date(2026, 10, 8), tick=False):
        approved_quarter(
            commission(), submitter=lixia_admin, city=jinan_admin, province=province_admin
        )
        assert dismissed.name not in client.get(reverse("roster:roster")).content.decode()


def test_an_appointment_past_its_end_date_drops_off(client, lixia_admin, jinan_admin,
                                                    province_admin):  # fmt: skip
    person = arbitrator(by=lixia_admin, name="到期仲裁员")
    appointment = person.appointments.get()
    appointment.ends_on = date(2026, 9, 30)
    appointment.save()
    approved_quarter(commission(), submitter=lixia_admin, city=jinan_admin, province=province_admin)
    assert "到期仲裁员" in client.get(reverse("roster:roster")).content.decode()
    with time_machine.travel(date(2026, 10, 1), tick=False):
        assert "到期仲裁员" not in client.get(reverse("roster:roster")).content.decode()


def test_the_roster_page_is_bounded_in_queries(client, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(reverse("roster:roster") + "?city=370100")


def test_the_roster_table_itself_holds_nothing_but_published_and_filtering_fields():
    from zhongcai.orgs.models import RosterEntry

    assert {f.name for f in RosterEntry._meta.concrete_fields} == {
        # published
        "name", "sex", "commission_name", "employment", "qualification_route", "unit",
        # filtering, validity and provenance, never shown
        "id", "appointment", "commission", "city_code", "county_code", "starts_on", "ends_on",
        "source",
    }  # fmt: skip
