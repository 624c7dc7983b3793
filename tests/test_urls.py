"""Every URL of the platform either is public on purpose or needs a login."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages anyone may open. Adding a URL here is a decision: say why in the review.
PUBLIC = {
    # The claim calculator and the commissions' open counter times: nothing personal.
    "calculator/",
    "appointments/",
    # Public information: the commissions' addresses, hours and areas; how arbitration works.
    "commissions/",
    "how-it-works/",
    # The counter query: receipt number + ID number give the stage and next date only, the
    # same "not found" for either mismatch, rate limited (portal.mycases_views.query).
    "query/",
    "",  # portal home
    "accounts/login/",
    "accounts/register/",
    "i18n/setlang/",
    "healthz",
    # The API's description: shapes, never data; integrators need it before they have a token.
    "api/schema/",
    "api/docs/",
    # Where a token is obtained (POST only; lock-out applies).
    "api/v1/auth/token/",
    # Laws are public information (the law library's search).
    "api/v1/knowledge/search",
    "api/v1/knowledge/similar",
    # The arbitrator roster, published fields only (LDMAL art. 20), like /roster/.
    "api/v1/roster/",
}
# Whole areas that are public: the law library is public information, the arbitrator roster is
# public (LDMAL art. 20), and so is each commission's page.
PUBLIC_PREFIXES = ("knowledge/", "roster/", "commissions/")


def _is_public(route):
    return route in PUBLIC or route.startswith(PUBLIC_PREFIXES)


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _concrete(route):
    # Fill converters with a plausible value so the view runs its checks.
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(?:str|slug|path):\w+>", "x", route)
    route = re.sub(r"<\w+:\w+>", "1", route)  # custom converters (article numbers)
    return "/" + route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\/", "/")


ROUTES = sorted({r for r in _walk(get_resolver().url_patterns) if not r.startswith("admin/")})


def test_the_public_list_names_only_existing_routes():
    assert set(ROUTES) >= PUBLIC


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(PUBLIC - {"i18n/setlang/"}))
def test_public_pages_open_without_a_login(client, route):
    # Answered without a login: a page (200), another method only (405, the token endpoint),
    # or a request for input (400, a search without a query).
    assert client.get(_concrete(route)).status_code in {200, 400, 405}


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if not _is_public(r)])
def test_every_non_public_url_needs_a_login(client, route):
    url = _concrete(route)
    response = client.get(url)
    if route.startswith("api/"):
        # The API answers 401 (or 403 where a session exists), never a redirect.
        assert response.status_code in {401, 403}, url
        return
    assert response.status_code in {302, 405}, url
    if response.status_code == 302:
        assert "/accounts/login/" in response.url, url


@pytest.mark.django_db
def test_the_admin_site_needs_a_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response.url
