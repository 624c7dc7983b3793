"""The documentation page as a developer sees it, in Debian's Chromium, under our CSP."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server, province):
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed")
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's event loop would make Django's ORM refuse to run in this thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url
        yield page
        browser.close()


def test_the_docs_render_with_no_policy_violation(page):
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("requestfailed", lambda r: problems.append(f"{r.url}: {r.failure}"))
    page.goto(page.base_url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Zhongcai API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-tag-section").count() >= 3  # auth, calendar, cases
    assert problems == []
