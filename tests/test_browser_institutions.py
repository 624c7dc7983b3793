"""The institutions pages and the public roster in Debian's Chromium, on a phone-sized screen.

Screenshots land in test-artifacts/ for a person to look at.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("zhongcai.orgs.tests.urls"),
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed")
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's event loop would make Django's ORM refuse to run in this thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def demo(province):
    from zhongcai.demo.institutions import load_demo_institutions

    load_demo_institutions()


@pytest.fixture
def page(browser, live_server, demo):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


def _shoot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _too_wide(page):
    """The elements that stick out of the screen, for the failure message."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 8)
            .map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"""
    )


def _log_in(page, username):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo12345")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")


def test_the_public_roster_on_a_phone(page):
    page.goto(page.base_url + "/roster/")
    text = page.locator("main").inner_text()
    assert "李明远" in text and "孙海燕" in text
    # The roster shows what was approved: the unit changed since waits for the next approval.
    assert "山东泉城律师事务所" in text and "北京德和衡" not in text
    assert not re.search(r"\d{17}[\dX]", text)
    assert _fits(page)
    _shoot(page, "roster-zh")

    # Choosing a city narrows the list and offers its counties, without a full reload.
    page.select_option("select[name=city]", "370200")
    page.wait_for_url(re.compile(r"city=370200"))
    page.wait_for_function("!document.querySelector('select[name=county]').disabled")
    assert "李明远" not in page.locator("main").inner_text()
    page.select_option("select[name=city]", "370100")
    page.wait_for_url(re.compile(r"city=370100"))
    page.wait_for_function("document.querySelectorAll('select[name=county] option').length > 5")
    page.select_option("select[name=county]", "370102")
    page.wait_for_url(re.compile(r"county=370102"))
    assert "李明远" in page.locator("main").inner_text()
    assert _fits(page)
    _shoot(page, "roster-lixia-zh")

    page.locator('.language-switch button[value="en"]').click()
    page.wait_for_load_state("load")
    assert "Arbitrator roster" in page.locator("main").inner_text()
    assert _fits(page)
    _shoot(page, "roster-en")


def test_the_city_reviews_a_quarter_with_its_diff_on_a_phone(page):
    from zhongcai.orgs.models import QuarterSubmission

    waiting = QuarterSubmission.objects.get(status=QuarterSubmission.Status.SUBMITTED)
    _log_in(page, "jinan_admin")
    page.goto(page.base_url + "/staff/institutions/verification/")
    _shoot(page, "verification-dashboard-zh")
    assert _fits(page), _too_wide(page)
    page.locator(f'a[href="/staff/institutions/verification/{waiting.pk}/"]').first.click()
    page.wait_for_load_state("load")
    main = page.locator("main").inner_text()
    assert "吴建平" in main
    assert "北京德和衡（济南）律师事务所" in main and "山东泉城律师事务所" in main
    assert page.locator("ins", has_text="北京德和衡（济南）律师事务所").count() == 1
    assert _fits(page)
    _shoot(page, "verification-diff-zh")

    page.locator("input[name=outcome][value=forwarded]").check()
    page.locator("form.decision button[type=submit]").click()
    page.wait_for_load_state("load")
    waiting.refresh_from_db()
    assert waiting.status == QuarterSubmission.Status.REVIEWED
    page.locator('.language-switch button[value="en"]').click()
    page.wait_for_load_state("load")
    assert _fits(page)
    _shoot(page, "verification-diff-en")


def test_the_county_pages_on_a_phone(page):
    from zhongcai.orgs.models import Organisation

    lixia = Organisation.objects.get(division_id="370102", type="commission")
    _log_in(page, "lixia_admin")
    page.goto(page.base_url + f"/staff/institutions/commissions/{lixia.pk}/")
    assert "王立新" in page.locator("main").inner_text()
    assert _fits(page)
    _shoot(page, "commission-zh")
    page.goto(page.base_url + f"/staff/institutions/people/?organisation={lixia.pk}")
    assert _fits(page)
    _shoot(page, "people-zh")
    page.goto(page.base_url + "/staff/institutions/performance/")
    assert _fits(page)
    _shoot(page, "performance-zh")
    person = lixia.people.get(name="孙海燕")
    page.goto(page.base_url + f"/staff/institutions/people/{person.pk}/")
    assert _fits(page), _too_wide(page)
    _shoot(page, "person-zh")


def test_an_import_with_a_bad_row_reports_it_on_a_phone(page):
    from zhongcai.orgs.models import Person
    from zhongcai.orgs.tests.factories import sheet, sheet_row

    content = sheet([sheet_row(name="张伟"), sheet_row(name="王芳", sex="女", kind="法官")])
    _log_in(page, "lixia_admin")
    page.goto(page.base_url + "/staff/institutions/people/import/")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "人员.xlsx", "mimeType": "application/octet-stream", "buffer": content}],
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    page.wait_for_selector("table.report")
    main = page.locator("main").inner_text()
    assert "王芳" in main and "人员类别" in main
    assert not Person.objects.filter(name__in=["张伟", "王芳"]).exists()
    assert _fits(page), _too_wide(page)
    _shoot(page, "import-report-zh")
