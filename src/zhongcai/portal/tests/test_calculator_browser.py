"""The claim calculator on a 360 px phone, in Debian's Chromium, keyboard only.

Screenshots land in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import pytest

# One Chromium per module, launched as the law library's browser tests launch it.
from zhongcai.knowledge.tests.test_browser import ARTIFACTS, PHONE, browser  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def phone(browser, live_server):  # noqa: F811 - the imported fixture
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


def _fits(page, name):
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_worker_calculates_compensation_on_a_phone(phone):
    phone.goto(phone.base_url + "/calculator/")
    _fits(phone, "calculator-form")
    phone.locator("#id_start").fill("2021-01-01")
    phone.locator("#id_end").fill("2024-07-31")
    wage = phone.locator("#id_monthly_wage")
    wage.fill("8000")
    wage.press("Enter")
    phone.wait_for_selector("#result")
    assert "32,000.00" in phone.locator("#result").inner_text()
    _fits(phone, "calculator-result")


def test_an_error_is_read_with_its_field_on_a_phone(phone):
    phone.goto(phone.base_url + "/calculator/?item=overtime")
    wage = phone.locator("#id_monthly_wage")
    wage.fill("-1")
    phone.locator("#id_workday_hours").fill("10")
    wage.press("Enter")
    phone.wait_for_selector("#id_monthly_wage-error")
    assert wage.get_attribute("aria-describedby") == "id_monthly_wage-error"
    _fits(phone, "calculator-error")
