"""Intake at the counter in Debian's Chromium, on a phone-sized screen.

The flow test finds elements by their names and ids, never by their text, so it runs before the
Chinese translations of new strings exist; the language checks are separate tests (the Chinese
one passes once the translations are in). Screenshots land in test-artifacts/.
"""

import re

import pytest
import test_browser
from test_browser import (
    ARTIFACTS,
    PHONE,
    _data_strings,
    _latin_words,
    _log_in,
    _shoot,
    _stray_chinese,
    _switch_language,
    _usernames,
    _visible_text,
)

from zhongcai.accounts.models import User
from zhongcai.cases import services
from zhongcai.cases.models import Case, ClaimItem, Party, Receipt, Status
from zhongcai.cases.tests.factories import EMPLOYER, WORKER, received
from zhongcai.core.models import Event
from zhongcai.orgs.models import Division

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The same Chromium and phone-sized page as the other browser tests.
browser = test_browser.browser
page = test_browser.page

LATIN = re.compile(r"[A-Za-z][A-Za-z_\d]+")


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _submit(page, selector):
    with page.expect_navigation():
        page.locator(selector).click()
    page.wait_for_load_state("load")


def _case_from_url(page):
    return Case.objects.get(pk=int(re.search(r"/staff/cases/(\d+)/", page.url).group(1)))


def _fill_the_counter_form(page):
    page.check('input[name="channel"][value="counter"]')
    page.fill("#id_applicants-0-name", WORKER["name"])
    page.fill("#id_applicants-0-id_number", WORKER["id_number"])
    page.fill("#id_applicants-0-domicile", WORKER["domicile"])
    page.fill("#id_applicants-0-mailing_address", WORKER["mailing_address"])
    page.fill("#id_applicants-0-phone", WORKER["phone"])
    # The worker's fields are shown for a worker, the employer's for an employer.
    assert page.locator("#id_applicants-0-credit_code").is_hidden()
    assert page.locator("#id_respondents-0-id_number").is_hidden()
    page.fill("#id_respondents-0-name", EMPLOYER["name"])
    page.fill("#id_respondents-0-credit_code", EMPLOYER["credit_code"])
    page.fill("#id_respondents-0-legal_representative", EMPLOYER["legal_representative"])
    page.fill(
        "#id_respondents-0-legal_representative_title", EMPLOYER["legal_representative_title"]
    )
    page.fill("#id_respondents-0-domicile", EMPLOYER["domicile"])
    page.select_option("#id_respondents-0-domicile_division", "370102")
    page.select_option("#id_claims-0-type", "remuneration")
    page.fill("#id_claims-0-description", "支付拖欠工资")
    page.fill("#id_claims-0-amount", "12000")
    # A second claim row, added in place by htmx; what was typed stays.
    page.locator('button[name="add_row"][value="claims"]').click()
    page.wait_for_selector("#id_claims-1-description")
    assert page.input_value("#id_applicants-0-name") == WORKER["name"]
    page.select_option("#id_claims-1-type", "economic_compensation")
    page.fill("#id_claims-1-description", "支付解除劳动合同经济补偿")
    page.fill("#id_claims-1-amount", "9000")
    page.check('input[name="causes"][value="remuneration"]')
    page.fill(
        "#id_facts_and_reasons",
        "申请人自 2024 年 3 月起在被申请人处工作，被申请人拖欠 2026 年 6 月至 8 月工资。",
    )
    page.fill("#id_evidence_summary", "工资条、考勤记录。")
    page.select_option("#id_workplace_division", "370102")


def test_an_officer_records_a_counter_application_and_the_head_accepts_it(page):
    # No inline script or style may be needed: the Content-Security-Policy would block it.
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    _log_in(page, "lixia_intake")
    page.goto(page.base_url + "/staff/cases/new/")
    _fits_the_phone(page)
    _fill_the_counter_form(page)
    _shoot(page, "cases-form")
    # A wrong check digit first: the page says where, keeps everything, and writes nothing.
    good = WORKER["id_number"]
    page.fill("#id_applicants-0-id_number", good[:17] + ("1" if good[17] != "1" else "2"))
    _submit(page, '#application-form button.primary[type="submit"]')
    assert page.locator("#id_applicants-0-id_number-error").is_visible()
    assert page.locator(".error-summary a[href='#id_applicants-0-id_number']").count() == 1
    assert page.input_value("#id_claims-1-description") == "支付解除劳动合同经济补偿"
    assert not Case.objects.exists()
    _fits_the_phone(page)
    page.screenshot(path=str(ARTIFACTS / "cases-form-error-summary.png"))
    page.locator("#id_applicants-0-id_number").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "cases-form-error.png"))
    page.fill("#id_applicants-0-id_number", good)
    _submit(page, '#application-form button.primary[type="submit"]')

    case = _case_from_url(page)
    assert case.status == Status.DRAFT
    assert case.claims.count() == 2
    _fits_the_phone(page)
    _submit(page, ".action-submit button[type=submit]")
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert page.locator(".messages .message.success").count() == 1

    page.goto(page.base_url + "/staff/cases/")
    row = page.locator(f'tr:has(a[href="/staff/cases/{case.pk}/"])')
    assert row.count() == 1
    assert WORKER["name"] in row.inner_text()
    _fits_the_phone(page)
    _shoot(page, "cases-queue")

    receipt = case.receipts.get()
    page.goto(page.base_url + f"/staff/cases/{case.pk}/receipts/{receipt.pk}/")
    assert receipt.number in _visible_text(page)
    _fits_the_phone(page)
    _shoot(page, "cases-receipt")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    _shoot(page, "cases-receipt-print")
    page.emulate_media(media="screen")

    page.context.clear_cookies()
    _log_in(page, "lixia_head")
    page.goto(page.base_url + f"/staff/cases/{case.pk}/")
    assert page.locator(".action-accept").count() == 1
    page.locator(".action-accept summary").click()
    if page.locator("#id_warnings_acknowledged").count():
        page.check("#id_warnings_acknowledged")
    _fits_the_phone(page)
    _shoot(page, "cases-decision")
    _submit(page, ".action-accept button[type=submit]")
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert case.case_number in _visible_text(page)
    _fits_the_phone(page)
    _shoot(page, "cases-detail")
    assert blocked == []


def _data_words():
    """Latin words that are data: receipt numbers, hashes, ID numbers, credit codes."""
    strings = list(Receipt.objects.values_list("number", flat=True))
    strings += [h[:12] for h in Event.objects.values_list("hash", flat=True)]
    strings += list(Party.objects.values_list("id_number", flat=True))
    strings += list(Party.objects.values_list("credit_code", flat=True))
    return {word for text in strings for word in LATIN.findall(text)}


def _case_data_strings():
    strings = _data_strings()
    strings |= set(Case.objects.values_list("case_number", flat=True))
    for field in ("name", "domicile", "mailing_address", "legal_representative", "occupation"):
        strings |= set(Party.objects.values_list(field, flat=True))
    strings |= set(Party.objects.values_list("legal_representative_title", flat=True))
    strings |= set(ClaimItem.objects.values_list("description", flat=True))
    strings |= set(Case.objects.values_list("facts_and_reasons", flat=True))
    strings |= set(Case.objects.values_list("evidence_summary", flat=True))
    strings |= set(Receipt.objects.values_list("what", flat=True))
    strings |= set(Division.objects.values_list("name", flat=True))
    # What a correction notice told the applicant is a record, quoted as it was issued.
    for payload in Event.objects.filter(kind__startswith="case.").values_list("payload", flat=True):
        strings |= set(payload.get("items") or [])
    # Legal citations and holiday names are quoted as the law and the notices write them.
    strings |= {"劳动争议调解仲裁法第二十九条；办案规则第三十条、第三十一条", "国庆节", "中秋节"}
    strings |= {"劳动争议调解仲裁法第三十条", "劳动争议调解仲裁法第三十二条；办案规则第三十七条"}
    strings |= {
        "劳动争议调解仲裁法第四十三条；办案规则第四十五条、第四十六条",
        "办案规则第二十九条",
    }
    return strings


def _pages_of_a_case(page):
    """The queue, the form, the case page and the receipt of a received application."""
    intake = User.objects.get(username="lixia_intake")
    case = received(intake)
    case = services.case_issue_correction_notice(by=intake, case=case, items=["请补充考勤记录"])
    case = services.case_submit_corrections(by=intake, case=case)
    receipt = case.receipts.first()
    _log_in(page, "lixia_intake")
    return [
        "/staff/cases/",
        "/staff/cases/?tab=decided",
        "/staff/cases/new/",
        f"/staff/cases/{case.pk}/",
        f"/staff/cases/{case.pk}/receipts/{receipt.pk}/",
    ]


# Quoted law and case texts are marked lang="zh-Hans": they are Chinese in any interface
# language, and may contain Latin words of their own (a case about an "APP"). The reasons of
# the similar-case panel mix interface words with quoted elements.
_INTERFACE_TEXT = """() => {
    document.body.querySelectorAll('[lang], %s').forEach((node) => node.remove());
    return document.body.innerText;
}"""


def _interface_text(page, *, also_without=""):
    return page.evaluate(_INTERFACE_TEXT % (also_without or "script"))


def test_the_intake_pages_have_no_untranslated_english_in_chinese(page):
    urls = _pages_of_a_case(page)
    allowed = _usernames() | _data_words()
    for url in urls:
        page.goto(page.base_url + url)
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert _latin_words(_interface_text(page), allowed) == [], url
    page.reload()
    _shoot(page, "cases-receipt-zh")


def test_the_intake_pages_have_no_stray_chinese_in_english(page):
    urls = _pages_of_a_case(page)
    page.goto(page.base_url + urls[0])
    _switch_language(page, "en")
    data = _case_data_strings()
    for url in urls:
        page.goto(page.base_url + url)
        text = _interface_text(page, also_without="#case-push .reason-list")
        assert _stray_chinese(text, data) == [], url
        _fits_the_phone(page)
    page.goto(page.base_url + urls[3])
    _shoot(page, "cases-received-en")
