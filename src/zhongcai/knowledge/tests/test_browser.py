"""The library's pages on a phone, in Debian's Chromium: nothing wider than the screen.

Screenshots land in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from zhongcai.knowledge.models import Law

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"
PHONE = {"width": 360, "height": 740}
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed")
    playwright_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def phone(browser, live_server, library):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


def _visit(page, path, name):
    page.goto(page.base_url + path)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_the_library_reads_on_a_phone(phone):
    lcl = Law.objects.get(short_title="劳动合同法")
    _visit(phone, "/knowledge/", "knowledge-list")
    _visit(phone, f"/knowledge/laws/{lcl.pk}/", "knowledge-law")
    _visit(phone, f"/knowledge/laws/{lcl.pk}/articles/39/", "knowledge-article")
    _visit(phone, "/knowledge/search?q=经济补偿+工作年限", "knowledge-search")
    first = phone.locator(".hit h2 a").first.inner_text()
    assert "劳动合同法" in first or "条例" in first
    _visit(phone, "/knowledge/search?q=LCL+47", "knowledge-search-exact")
    assert phone.locator(".hit.exact h2 a").inner_text().startswith("劳动合同法 第四十七条")
