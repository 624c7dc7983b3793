"""The dashboard pages: who may see them, of which area, and what a bad request gets."""

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from zhongcai.cases.tests import factories
from zhongcai.monitoring import figures
from zhongcai.orgs.models import Organisation

pytestmark = pytest.mark.django_db
CN = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def lixia_case(institutions, lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    figures.rebuild()
    return case


def _org(code, kind="hrss_department"):
    return Organisation.objects.get(division_id=code, type=kind)


def test_the_province_sees_its_cities_and_lixia_in_them(login, province_admin, lixia_case):
    response = login(province_admin).get(reverse("monitoring:dashboard"))
    assert response.status_code == 200
    view = response.context["view"]
    assert view.totals.accepted == 1
    assert len(view.children) >= 16
    data = json.loads(
        response.content.decode()
        .split('id="dashboard-data"')[1]
        .split(">", 1)[1]
        .split("</script>")[0]
    )
    lixia = next(c for c in data["counties"] if c["code"] == "370102")
    assert lixia["accepted"] == 1 and "division=370102" in lixia["url"]


def test_drilling_down_to_a_county(login, province_admin, lixia_case):
    client = login(province_admin)
    response = client.get(reverse("monitoring:dashboard"), {"organisation": _org("370102").pk})
    assert response.status_code == 200
    assert [o.division_id for o in response.context["trail"]] == ["370000", "370100", "370102"]
    assert response.context["view"].totals.accepted == 1
    licheng = client.get(reverse("monitoring:dashboard"), {"organisation": _org("370112").pk})
    assert licheng.context["view"].totals.accepted == 0


def test_a_county_cannot_reach_another_countys_figures_or_list(login, lixia_admin, lixia_case):
    client = login(lixia_admin)
    licheng = _org("370112").pk
    assert client.get(reverse("monitoring:dashboard"), {"organisation": licheng}).status_code == 404
    assert (
        client.get(reverse("monitoring:dashboard-data"), {"organisation": licheng}).status_code
        == 404
    )
    assert (
        client.get(reverse("monitoring:dashboard-figures"), {"organisation": licheng}).status_code
        == 404
    )
    cases = reverse("monitoring:cases")
    assert client.get(cases, {"organisation": licheng}).status_code == 404
    assert client.get(cases, {"division": "370112"}).status_code == 404
    # Its own county, by organisation or by a click on the map, lists its case.
    own = client.get(cases, {"division": "370102", "indicator": "accepted"})
    assert own.status_code == 200
    assert [c.pk for c in own.context["page"]] == [lixia_case.pk]


def test_the_city_sees_its_counties_only(login, jinan_admin, lixia_case):
    response = login(jinan_admin).get(reverse("monitoring:dashboard-data"))
    data = response.json()
    assert data["area"]["division"] == "370100"
    assert {c["code"][:4] for c in data["counties"]} == {"3701"}
    assert data["totals"]["accepted"] == 1
    qingdao = _org("370200").pk
    assert (
        login(jinan_admin)
        .get(reverse("monitoring:dashboard"), {"organisation": qingdao})
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    "username", ["lixia_clerk", "lixia_arbitrator", "lixia_intake", "worker_demo"]
)
def test_other_roles_are_refused(login, username, django_user_model, province):
    user = django_user_model.objects.get(username=username)
    response = login(user).get(reverse("monitoring:dashboard"))
    assert response.status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, province):
    response = client.get(reverse("monitoring:dashboard"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_bad_parameters_are_said_not_crashed(login, province_admin, lixia_case):
    client = login(province_admin)
    url = reverse("monitoring:dashboard")
    response = client.get(url, {"start": "2026-13-01", "end": "x"})
    assert response.status_code == 200 and response.context["asked"].errors
    response = client.get(url, {"start": "2026-10-01", "end": "2026-09-01"})
    assert response.status_code == 200 and response.context["asked"].errors
    response = client.get(url, {"period": "decade"})
    assert response.status_code == 200 and response.context["asked"].errors
    assert client.get(url, {"organisation": "abc"}).status_code == 404
    assert client.get(url, {"organisation": "999999"}).status_code == 404
    cases = reverse("monitoring:cases")
    assert client.get(cases, {"indicator": "nonsense"}).status_code == 404
    assert client.get(cases, {"indicator": "closure_rate", "part": "x"}).status_code == 404
    assert client.get(cases, {"division": "999999"}).status_code == 404


def test_a_rate_lists_its_numerator_or_denominator(login, province_admin, lixia_case):
    client = login(province_admin)
    cases = reverse("monitoring:cases")
    whole = client.get(cases, {"indicator": "closure_rate", "part": "denominator"})
    part = client.get(cases, {"indicator": "closure_rate"})
    assert [c.pk for c in whole.context["page"]] == [lixia_case.pk]
    assert list(part.context["page"]) == []


def test_the_map_joins_every_county_to_its_division(login, province_admin, province):
    response = login(province_admin).get(reverse("monitoring:province-map"))
    assert response.status_code == 200
    shapes = json.loads(response.content)
    codes = {f["properties"]["code"] for f in shapes["features"]}
    # Every county of today's Shandong has a shape, Laiwu's under Jinan since 2019.
    assert len(codes) == 136
    laiwu = next(f for f in shapes["features"] if f["properties"]["name"] == "莱芜区")
    assert laiwu["properties"]["city"] == "370100"


def test_the_award_due_soon_tile_lists_what_it_counts(login, province_admin, lixia_case):
    due = lixia_case.deadlines.get(code="award").due_on
    with time_machine.travel(datetime.combine(due - timedelta(days=1), time(10), tzinfo=CN)):
        client = login(province_admin)  # a session of weeks ago would have expired
        view = client.get(reverse("monitoring:dashboard")).context["view"]
        assert view.totals.near_deadline == 1
        listed = client.get(reverse("monitoring:cases"), {"indicator": "near_deadline"})
        assert [c.pk for c in listed.context["page"]] == [lixia_case.pk]
    with time_machine.travel(datetime.combine(due + timedelta(days=1), time(10), tzinfo=CN)):
        client = login(province_admin)
        listed = client.get(reverse("monitoring:cases"), {"indicator": "near_deadline"})
        assert list(listed.context["page"]) == []  # past due: counted as overdue instead


def test_the_breakdowns_of_an_area(login, province_admin, lixia_admin, lixia_case):
    response = login(province_admin).get(reverse("monitoring:breakdowns"))
    assert response.status_code == 200
    tables = {result.code: rows for result, rows in response.context["tables"]}
    assert {"cause", "method", "result", "finality", "collective", "employer_industry",
            "employer_type"} <= set(tables)  # fmt: skip
    assert sum(n for _label, n, _share in tables["collective"]) == 1
    licheng = _org("370112").pk
    assert (
        login(lixia_admin)
        .get(reverse("monitoring:breakdowns"), {"organisation": licheng})
        .status_code
        == 404
    )
