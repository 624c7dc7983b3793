"""Who reaches what: anonymous callers nothing but a token; other counties a 404."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from zhongcai.cases.tests.factories import draft, received

# Routes anyone may call. Adding one here is a decision: say why (see docs.py).
PUBLIC_OPERATIONS = {
    ("post", "/api/v1/auth/token/"),
    ("get", "/api/v1/knowledge/search"),
    ("get", "/api/v1/knowledge/similar"),
    # The arbitrator roster is public information (LDMAL art. 20), as its page /roster/ is.
    ("get", "/api/v1/roster/"),
}
PUBLIC_ROUTES = {"api/schema/", "api/docs/", "api/v1/auth/token/"}

CASE_OPERATIONS = [
    ("get", "/api/v1/cases/{id}/"),
    ("get", "/api/v1/cases/{id}/events/"),
    ("put", "/api/v1/cases/{id}/application/"),
    ("patch", "/api/v1/cases/{id}/application/"),
    ("post", "/api/v1/cases/{id}/submit/"),
    ("post", "/api/v1/cases/{id}/issue-correction-notice/"),
    ("post", "/api/v1/cases/{id}/submit-corrections/"),
    ("post", "/api/v1/cases/{id}/accept/"),
    ("post", "/api/v1/cases/{id}/refuse/"),
    ("post", "/api/v1/cases/{id}/redirect/"),
]
HTTP_METHODS = {"get", "put", "patch", "post", "delete"}


def _schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


# Path parameters other than the case's id: any value will do, the caller is not let in.
OTHER_PATH_VALUES = {"document_id": "1", "fmt": "pdf"}


def _api_routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and prefix.startswith("api/"):
            yield prefix + str(pattern.pattern)


@pytest.mark.django_db
def test_every_operation_of_the_schema_needs_authentication(anonymous, lixia_intake):
    case = received(lixia_intake)
    walked = set()
    for path, operations in _schema(anonymous)["paths"].items():
        values = {"id": str(case.pk), **OTHER_PATH_VALUES}
        url = re.sub(r"\{(\w+)\}", lambda m, v=values: v.get(m.group(1), m.group(0)), path)
        assert "{" not in url, f"no value to substitute in {path}"
        for method in HTTP_METHODS & set(operations):
            walked.add((method, path))
            response = getattr(anonymous, method)(url, {}, format="json")
            if (method, path) in PUBLIC_OPERATIONS:
                assert response.status_code not in {401, 403}, (method, path)
            else:
                assert response.status_code in {401, 403}, (method, path, response.status_code)
    assert set(CASE_OPERATIONS) <= walked
    case.refresh_from_db()
    assert case.status == "received"


@pytest.mark.django_db
def test_every_api_route_is_in_the_schema_or_public_on_purpose(anonymous, province):
    in_schema = {path.lstrip("/") for path in _schema(anonymous)["paths"]}
    for route in _api_routes(get_resolver().url_patterns):
        documented = re.sub(
            r"<(?:int|str):(\w+)>",
            lambda m: "{id}" if m.group(1) == "pk" else "{" + m.group(1) + "}",
            route,
        )
        assert documented in in_schema or route in PUBLIC_ROUTES, route


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(PUBLIC_ROUTES - {"api/v1/auth/token/"}))
def test_the_schema_and_its_docs_are_public(anonymous, province, route):
    assert anonymous.get(f"/{route}").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), CASE_OPERATIONS)
def test_another_county_gets_404_exactly_like_a_missing_case(
    api, lixia_intake, licheng_intake, method, path
):
    case = received(lixia_intake)
    client = api(licheng_intake)
    hidden = getattr(client, method)(path.format(id=case.pk), {}, format="json")
    missing = getattr(client, method)(path.format(id=case.pk + 10_000), {}, format="json")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    case.refresh_from_db()
    assert case.status == "received"


@pytest.mark.django_db
def test_the_other_county_does_not_list_it(api, lixia_intake, licheng_intake):
    received(lixia_intake)
    assert api(licheng_intake).get("/api/v1/cases/").json()["count"] == 0


@pytest.mark.django_db
def test_a_public_user_sees_only_their_own_applications(
    api, lixia_intake, worker_demo, employer_demo
):
    own = draft(worker_demo)  # two parties: the scope's join must not repeat it
    draft(employer_demo)
    received(lixia_intake)
    listed = api(worker_demo).get("/api/v1/cases/").json()
    assert [row["id"] for row in listed["results"]] == [own.pk]
    assert listed["count"] == 1
    assert api(worker_demo).get(f"/api/v1/cases/{own.pk}/").status_code == 200
    others = api(employer_demo).get(f"/api/v1/cases/{own.pk}/")
    assert others.status_code == 404


@pytest.mark.django_db
def test_the_city_sees_the_county_but_cannot_act(api, lixia_intake, jinan_admin):
    case = received(lixia_intake)
    client = api(jinan_admin)
    detail = client.get(f"/api/v1/cases/{case.pk}/")
    assert detail.status_code == 200
    assert detail.json()["available_actions"] == []
    response = client.post(f"/api/v1/cases/{case.pk}/accept/", {}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "您无权对本案进行此项操作。"}
