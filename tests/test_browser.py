"""The pages as people see them, in Debian's Chromium: both languages, a phone-sized screen.

Screenshots land in test-artifacts/ for a person to look at. The check for untranslated strings:
in Chinese, no English words may appear except data (user names) and the language switch; in
English, Chinese may appear only inside data (names of people, organisations, divisions).
"""

import os
import re
from pathlib import Path

import pytest

from zhongcai.accounts.models import User
from zhongcai.orgs.models import Division, Organisation

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

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
def page(browser, live_server, province):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


def _visible_text(page):
    return page.locator("body").inner_text()


def _shoot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _switch_language(page, code):
    page.locator(f'.language-switch button[value="{code}"]').click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == code


def _log_in(page, username):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo12345")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")


def _latin_words(text, allowed):
    words = set(re.findall(r"[A-Za-z][A-Za-z_\d]+", text))
    return sorted(w for w in words if w not in allowed)


def _stray_chinese(text, data):
    runs = set(re.findall(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+", text))
    return sorted(run for run in runs if not any(run in item for item in data))


def _data_strings():
    strings = {"简体中文", "仲"}
    strings |= set(User.objects.values_list("real_name", flat=True))
    strings |= set(Organisation.objects.values_list("name", flat=True))
    strings |= set(Organisation.objects.values_list("short_name", flat=True))
    strings |= set(Division.objects.values_list("name", flat=True))
    return strings


def _usernames():
    return {"English"} | set(User.objects.values_list("username", flat=True))


def test_the_portal_home_in_both_languages_on_a_phone(page):
    page.goto(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    zh = _visible_text(page)
    assert "劳动人事争议" in zh
    assert _latin_words(zh, _usernames()) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shoot(page, "home-zh")

    _switch_language(page, "en")
    en = _visible_text(page)
    assert "Unpaid wages?" in en
    assert _stray_chinese(en, _data_strings()) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shoot(page, "home-en")


def test_the_staff_workspace_in_both_languages(page):
    _log_in(page, "lixia_admin")
    assert page.url.endswith("/staff/")
    zh = _visible_text(page)
    assert "工作台" in zh
    assert _latin_words(zh, _usernames()) == []
    _shoot(page, "workspace-zh")

    page.locator(".workspace-nav a", has_text="机构").click()
    page.wait_for_load_state("load")
    assert _latin_words(_visible_text(page), _usernames()) == []
    page.locator("table a").first.click()
    page.wait_for_load_state("load")
    assert _latin_words(_visible_text(page), _usernames()) == []
    _shoot(page, "organisation-zh")

    _switch_language(page, "en")
    en = _visible_text(page)
    assert "Staff" in en
    assert _stray_chinese(en, _data_strings()) == []
    _shoot(page, "organisation-en")

    page.goto(page.base_url + "/staff/")
    en = _visible_text(page)
    assert "Workbench" in en
    assert _stray_chinese(en, _data_strings()) == []
    _shoot(page, "workspace-en")


def test_the_login_and_registration_forms_in_both_languages(page):
    page.goto(page.base_url + "/accounts/register/")
    page.locator("main form .form-actions button.primary").click()
    page.wait_for_load_state("load")
    zh = _visible_text(page)
    assert "必填" in zh or "这个字段是必填项" in zh
    assert _latin_words(zh, _usernames()) == []
    _shoot(page, "register-errors-zh")

    _switch_language(page, "en")
    page.goto(page.base_url + "/accounts/login/")
    en = _visible_text(page)
    assert _stray_chinese(en, _data_strings()) == []
    _shoot(page, "login-en")


def test_the_htmx_search_filters_without_a_page_load(page):
    _log_in(page, "jinan_admin")
    page.goto(page.base_url + "/staff/organisations/")
    page.fill("#org-q", "历城")
    page.wait_for_function(
        "() => !document.querySelector('#organisation-rows').innerText.includes('历下')"
    )
    rows = page.locator("#organisation-rows").inner_text()
    assert "历城区" in rows
    _shoot(page, "organisation-search-zh")
