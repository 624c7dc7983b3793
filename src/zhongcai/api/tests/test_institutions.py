"""Institutions, people, quarterly verification and the roster through the API: the tiers."""

from datetime import date

import pytest
import time_machine

from zhongcai.orgs import institutions
from zhongcai.orgs.models import Appointment, QuarterSubmission
from zhongcai.orgs.tests import conftest as orgs_cast
from zhongcai.orgs.tests.factories import (
    approved_quarter,
    arbitrator,
    arbitrator_values,
    commission,
    id_number,
)

pytestmark = pytest.mark.django_db
PEOPLE = "/api/v1/institutions/people/"
COMMISSIONS = "/api/v1/institutions/commissions/"
VERIFICATION = "/api/v1/institutions/verification/"
ROSTER = "/api/v1/roster/"
# Administrators of a neighbouring county and of another city, from the orgs tests' cast.
licheng_admin = orgs_cast.licheng_admin
qingdao_admin = orgs_cast.qingdao_admin
PUBLISHED = {"name", "sex", "commission", "employment", "qualification_route", "unit"}


@pytest.fixture(autouse=True)
def _in_the_third_quarter_of_2026():
    with time_machine.travel(date(2026, 8, 20), tick=False):
        yield


def _submit(client, code="370102"):
    return client.post(
        f"{VERIFICATION}submit/",
        {"commission": commission(code).pk, "year": 2026, "quarter": 3},
        format="json",
    )


def _decide(client, submission_id, outcome, comment=""):
    return client.post(
        f"{VERIFICATION}{submission_id}/decide/",
        {"outcome": outcome, "comment": comment},
        format="json",
    )


# --- Another county: 404; a higher level: 403 ------------------------------------------------


def test_another_county_gets_404_on_a_person_and_edits_nothing(api, lixia_admin, licheng_admin):
    person = arbitrator(commission("370112"), by=licheng_admin)
    client = api(lixia_admin)
    url = f"{PEOPLE}{person.pk}/"
    missing = f"{PEOPLE}{person.pk + 10_000}/"
    assert client.get(url).status_code == 404
    hidden = client.patch(url, {"name": "改名"}, format="json")
    assert hidden.status_code == client.patch(missing, {"name": "改名"}, format="json").status_code
    assert hidden.status_code == 404
    dismissed = client.post(f"{url}dismiss/", {"reason": "misconduct", "note": "x"}, format="json")
    assert dismissed.status_code == 404
    person.refresh_from_db()
    assert person.name == "林晓东"
    assert person.appointments.get().status == Appointment.Status.ACTIVE
    assert person.pk not in [row["id"] for row in client.get(PEOPLE).json()["results"]]


def test_another_county_gets_404_on_a_commission(api, lixia_admin):
    client = api(lixia_admin)
    licheng = commission("370112")
    assert client.get(f"{COMMISSIONS}{licheng.pk}/").status_code == 404
    listed = [row["id"] for row in client.get(COMMISSIONS).json()["results"]]
    assert listed == [commission("370102").pk]
    response = client.post(
        PEOPLE,
        {"organisation": licheng.pk, **_new_person(), "starts_on": "2026-08-20"},
        format="json",
    )
    assert response.status_code == 404
    assert not licheng.people.exists()


def test_the_city_reads_a_countys_person_but_cannot_edit_it(api, lixia_admin, jinan_admin):
    person = arbitrator(by=lixia_admin)
    client = api(jinan_admin)
    detail = client.get(f"{PEOPLE}{person.pk}/")
    assert detail.status_code == 200
    assert detail.json()["may_maintain"] is False
    assert client.patch(f"{PEOPLE}{person.pk}/", {"name": "改名"}, format="json").status_code == 403
    response = client.post(
        f"{PEOPLE}{person.pk}/dismiss/", {"reason": "misconduct", "note": "x"}, format="json"
    )
    assert response.status_code == 403
    response = client.post(
        PEOPLE,
        {"organisation": commission().pk, **_new_person(), "starts_on": "2026-08-20"},
        format="json",
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.name == "林晓东"
    assert person.appointments.get().status == Appointment.Status.ACTIVE
    lixia = client.get(f"{COMMISSIONS}{commission().pk}/")
    assert lixia.status_code == 200
    assert lixia.json()["may_maintain"] is False


def test_staff_who_are_not_administrators_get_403(api, lixia_intake):
    assert api(lixia_intake).get(PEOPLE).status_code == 403
    assert api(lixia_intake).get(COMMISSIONS).status_code == 403


# --- A county's own records ------------------------------------------------------------------


def _new_person(**changes):
    values = {k: v for k, v in arbitrator_values(**changes).items() if k != "id_number"}
    return {**values, "id_number": changes.get("id_number") or id_number()}


def test_a_county_puts_a_person_on_record_and_edits_it(api, lixia_admin):
    client = api(lixia_admin)
    created = client.post(
        PEOPLE,
        {"organisation": commission().pk, **_new_person(name="周敏"), "starts_on": "2026-08-20"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["name"] == "周敏"
    assert [a["status"] for a in body["appointments"]] == ["active"]
    url = f"{PEOPLE}{body['id']}/"
    changed = client.patch(url, {"specialties": "工伤"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["specialties"] == "工伤"
    assert changed.json()["name"] == "周敏"


def test_the_pages_validation_applies(api, lixia_admin):
    client = api(lixia_admin)
    bad = client.post(
        PEOPLE,
        {
            "organisation": commission().pk,
            **_new_person(id_number="370102198001011234", unit=""),
            "starts_on": "2026-08-20",
        },
        format="json",
    )
    assert bad.status_code == 400
    assert {"id_number", "unit"} <= set(bad.json())
    person = arbitrator(by=lixia_admin)
    response = client.patch(f"{PEOPLE}{person.pk}/", {"unit": ""}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"unit"}


def test_a_dismissed_arbitrator_cannot_be_appointed_again_within_5_years(
    api, lixia_admin, licheng_admin
):
    person = arbitrator(by=lixia_admin)
    client = api(lixia_admin)
    response = client.post(
        f"{PEOPLE}{person.pk}/dismiss/",
        {"reason": "misconduct", "note": "收受当事人财物"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["appointments"][0]["status"] == "dismissed"
    again = client.post(f"{PEOPLE}{person.pk}/appoint/", {"starts_on": "2029-01-01"}, format="json")
    assert again.status_code == 400
    assert "starts_on" in again.json()
    next_door = api(licheng_admin).post(
        PEOPLE,
        {
            "organisation": commission("370112").pk,
            **_new_person(id_number=person.id_number),
            "starts_on": "2026-09-01",
        },
        format="json",
    )
    assert next_door.status_code == 400
    assert "starts_on" in next_door.json()
    assert not commission("370112").people.exists()


def test_the_commission_shows_members_and_staffing_warnings(api, lixia_admin):
    institutions.member_add(
        by=lixia_admin,
        commission=commission(),
        name="王立新",
        category="labor_administration",
        position="chair",
        unit="",
    )
    arbitrator(by=lixia_admin)
    body = api(lixia_admin).get(f"{COMMISSIONS}{commission().pk}/").json()
    assert [m["name"] for m in body["member_list"]] == ["王立新"]
    assert body["staffing"]["part_time_arbitrators"] == 1
    assert body["may_maintain"] is True
    assert len(body["warnings"]) >= 2  # too few full-timers and no case assistant


# --- Quarterly verification ------------------------------------------------------------------


def test_a_county_cannot_approve_its_own_submission(api, lixia_admin):
    arbitrator(by=lixia_admin)
    client = api(lixia_admin)
    submitted = _submit(client)
    assert submitted.status_code == 201, submitted.json()
    pk = submitted.json()["id"]
    for outcome in ("forwarded", "approved"):
        assert _decide(client, pk, outcome).status_code == 403
    assert QuarterSubmission.objects.get(pk=pk).status == QuarterSubmission.Status.SUBMITTED


def test_a_county_cannot_submit_another_countys_quarter(api, lixia_admin, jinan_admin):
    assert _submit(api(lixia_admin), "370112").status_code == 404
    assert _submit(api(jinan_admin), "370102").status_code == 403
    assert not QuarterSubmission.objects.exists()


def test_a_city_reviews_only_its_own_counties(api, lixia_admin, qingdao_admin):
    pk = _submit(api(lixia_admin)).json()["id"]
    client = api(qingdao_admin)
    assert client.get(f"{VERIFICATION}{pk}/").status_code == 404
    assert _decide(client, pk, "forwarded").status_code == 404
    assert client.get(VERIFICATION).json()["count"] == 0
    assert QuarterSubmission.objects.get(pk=pk).status == QuarterSubmission.Status.SUBMITTED


def test_the_city_forwards_and_the_province_approves(
    api, lixia_admin, jinan_admin, province_admin, anonymous
):
    arbitrator(by=lixia_admin, name="林晓东")
    pk = _submit(api(lixia_admin)).json()["id"]
    city = api(jinan_admin)
    waiting = city.get(VERIFICATION).json()["results"]
    assert [(row["id"], row["may_decide"]) for row in waiting] == [(pk, True)]
    detail = city.get(f"{VERIFICATION}{pk}/").json()
    people = next(section for section in detail["diff"] if section["code"] == "people")
    assert [item["title"].split(" · ")[0] for item in people["added"]] == ["林晓东"]
    assert detail["base"] is None
    assert detail["digest_ok"] is True
    # The province waits for the city.
    assert _decide(api(province_admin), pk, "approved").status_code == 403
    returned = _decide(city, pk, "returned")
    assert returned.status_code == 400
    assert "comment" in returned.json()
    forwarded = _decide(city, pk, "forwarded")
    assert forwarded.status_code == 200
    assert forwarded.json()["status"] == "reviewed"
    assert _decide(api(lixia_admin), pk, "approved").status_code == 403
    approved = _decide(api(province_admin), pk, "approved")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert [d["outcome"] for d in approved.json()["decisions"]] == ["forwarded", "approved"]
    assert [row["name"] for row in anonymous.get(ROSTER).json()["results"]] == ["林晓东"]


# --- The public roster -----------------------------------------------------------------------


@pytest.fixture
def published(lixia_admin, jinan_admin, province_admin):
    person = arbitrator(by=lixia_admin, name="林晓东", mobile="13912345678")
    approved_quarter(commission(), submitter=lixia_admin, city=jinan_admin, province=province_admin)
    return person


def test_the_roster_shows_exactly_the_published_fields(anonymous, published):
    response = anonymous.get(ROSTER)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 1
    assert set(rows[0]) == PUBLISHED
    assert rows[0]["unit"] == "山东示例律师事务所"
    text = response.content.decode()
    for private in (published.id_number, published.mobile, "address", "id_number", "mobile"):
        assert private not in text


def test_the_roster_filters_by_city_and_county(anonymous, published):
    assert anonymous.get(ROSTER, {"county": "370102"}).json()["count"] == 1
    assert anonymous.get(ROSTER, {"city": "370100"}).json()["count"] == 1
    assert anonymous.get(ROSTER, {"county": "370112"}).json()["count"] == 0
    assert anonymous.get(ROSTER, {"city": "370200"}).json()["count"] == 0


def test_a_dismissed_arbitrator_disappears_from_the_roster(api, anonymous, lixia_admin, published):
    response = api(lixia_admin).post(
        f"{PEOPLE}{published.pk}/dismiss/",
        {"reason": "misconduct", "note": "收受当事人财物"},
        format="json",
    )
    assert response.status_code == 200
    assert anonymous.get(ROSTER).json()["count"] == 0


def test_a_stale_token_does_not_close_the_public_roster(anonymous, published):
    anonymous.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert anonymous.get(ROSTER).status_code == 200


# --- Bounded queries -------------------------------------------------------------------------


def test_the_lists_are_bounded_in_queries(
    api, lixia_admin, jinan_admin, province_admin, django_assert_max_num_queries, anonymous
):
    for n in range(12):
        arbitrator(by=lixia_admin, name=f"仲裁员{n}")
    approved_quarter(commission(), submitter=lixia_admin, city=jinan_admin, province=province_admin)
    client = api(province_admin)
    client.get(PEOPLE)  # warm the per-process caches (rules, divisions)
    with django_assert_max_num_queries(10):
        assert len(client.get(PEOPLE).json()["results"]) == 12
    with django_assert_max_num_queries(10):
        assert len(client.get(COMMISSIONS).json()["results"]) == 50
    with django_assert_max_num_queries(10):
        assert client.get(VERIFICATION).json()["count"] == 1
    with django_assert_max_num_queries(4):
        assert anonymous.get(ROSTER).json()["count"] == 12
