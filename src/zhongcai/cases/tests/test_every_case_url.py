"""Every URL that names a case, page or API, answers another county exactly as a missing case.

Walks the URL configuration, so a stage that adds a URL is covered without touching this test.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from zhongcai.cases.tests import factories

CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def case_urls():
    """(route, kind) for every route under /staff/cases/<pk>/ and /api/v1/cases/<pk>/."""
    found = []
    for route in _walk(get_resolver().url_patterns):
        if route.startswith("staff/cases/<int:pk>") or route.startswith("api/v1/cases/<int:pk>"):
            found.append(route)
    return sorted(set(found))


def _url(route, pk):
    def fill(match):
        return str(pk) if match.group("name") == "pk" else "1"

    return "/" + CONVERTER.sub(fill, route).replace("^", "").replace("$", "")


def test_there_are_case_urls_to_walk():
    assert len(case_urls()) > 10


@pytest.mark.parametrize("route", case_urls())
def test_another_county_gets_404(
    route, institutions, lixia_intake, lixia_head, licheng_intake, client
):
    case = factories.accepted(lixia_intake, lixia_head)
    client.force_login(licheng_intake)
    url = _url(route, case.pk)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    if response.status_code == 405:
        response = client.put(url, "{}", content_type="application/json")
    assert response.status_code == 404, (url, response.status_code)
