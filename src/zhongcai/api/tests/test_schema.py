import re

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

DOCS = "/api/docs/"


@pytest.mark.django_db
def test_the_schema_is_valid_openapi_3(anonymous, province):
    response = anonymous.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)


@pytest.mark.django_db
def test_the_schema_generates_without_warnings(province, tmp_path):
    # drf-spectacular raises on the first warning or error with --fail-on-warn.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))


@pytest.mark.django_db
def test_the_schema_describes_bodies_and_errors(anonymous, province):
    schema = anonymous.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    accept = schema["paths"]["/api/v1/cases/{id}/accept/"]["post"]
    assert accept["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AcceptRequest"
    }
    assert set(accept["responses"]) == {"200", "400", "401", "403", "404", "409"}
    create = schema["components"]["schemas"]["CaseCreateRequest"]["properties"]
    assert {"commission", "channel", "parties", "claims", "causes"} <= set(create)


@pytest.mark.django_db
def test_the_docs_page_runs_under_our_content_security_policy(anonymous, province):
    response = anonymous.get(DOCS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    # No inline script or style: every <script> has a src, no <style> element.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page
    # Assets come from the platform (drf-spectacular-sidecar), never a CDN.
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert all(source.startswith("/") for source in sources), sources
    assert any("drf_spectacular_sidecar/swagger-ui-dist" in source for source in sources)


@pytest.mark.django_db
def test_the_docs_script_is_served_as_a_file(anonymous, province):
    page = anonymous.get(DOCS).content.decode()
    script = re.search(r'<script src="([^"]*script=[^"]*)"', page).group(1).replace("&amp;", "&")
    response = anonymous.get(script)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()
