"""Issue 6's acceptance journey, in Debian's Chromium at phone width, as a new user would go:
register, apply with two claim items and an evidence file, see the receipt and the decision
date; the commission accepts; the worker finds the acceptance notice in the inbox and confirms
receipt; the employer's HR registers its employer, sees the case and files a defence.

Screenshots of every main step land in test-artifacts/journey-*.png for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from django.utils.formats import date_format

from zhongcai.cases.models import Case, Defence, DocumentKind, Status
from zhongcai.cases.tests.factories import EMPLOYER, id_number

# One Chromium per module, launched as the law library's browser tests launch it.
from zhongcai.knowledge.tests.test_browser import ARTIFACTS, PHONE, browser  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xq7!mediation-2026"
WORKER_ID = id_number("37010219950707001")
WORKER_MOBILE = "13912345678"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def phone(browser, live_server):  # noqa: F811 - the imported fixture
    def open_phone(desktop=False):
        viewport = {"width": 1280, "height": 900} if desktop else PHONE
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.base_url = live_server.url
        contexts.append(context)
        return page

    contexts: list = []
    yield open_phone
    for context in contexts:
        context.close()


def shot(page, name):
    """The page fits a 360 px phone (no sideways scrolling); its screenshot is kept."""
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey-{name}.png"), full_page=True)
    assert width <= PHONE["width"], f"{name}: {width} px wide"


def submit(page, selector="form button.button.primary"):
    with page.expect_navigation():
        page.locator(selector).first.click()


def log_in(page, username, password):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    submit(page)


def test_the_whole_journey_on_a_phone(
    phone, tmp_path, settings, province, institutions, lixia_head
):
    from django.core.cache import cache

    from zhongcai.notifications.tests.memory_gateway import MemorySmsGateway

    cache.clear()
    settings.NOTIFICATIONS_SMS_GATEWAY = (
        "zhongcai.notifications.tests.memory_gateway.MemorySmsGateway"
    )
    MemorySmsGateway.sent.clear()

    # --- A worker registers, proving the mobile number with the SMS code ----------------------
    worker = phone()
    worker.goto(worker.base_url + "/accounts/register/")
    worker.check("input[name=role][value=worker]")
    worker.fill("#id_real_name", "张伟")
    worker.fill("#id_id_number", WORKER_ID)
    worker.fill("#id_mobile", WORKER_MOBILE)
    submit(worker, "button[name=action][value=send_code]")
    [(to, text)] = MemorySmsGateway.sent
    assert to == WORKER_MOBILE
    assert worker.input_value("#id_real_name") == "张伟"  # kept as typed
    worker.fill("#id_mobile_code", re.search(r"\d{6}", text).group(0))
    worker.fill("#id_password1", PASSWORD)
    worker.fill("#id_password2", PASSWORD)
    shot(worker, "01-register")
    submit(worker, "form .form-actions button.primary")
    assert "/accounts/register/" not in worker.url

    # --- and applies online, step by step ------------------------------------------------------
    worker.goto(worker.base_url + "/apply/")
    submit(worker)  # start a new application
    assert "/you/" in worker.url
    assert worker.input_value("#id_id_number") == WORKER_ID  # from the account
    worker.fill("#id_domicile", "济南市历下区文化东路 5 号")
    worker.select_option("#id_domicile_division", "370102")
    worker.check("#id_electronic_service")
    shot(worker, "02-you")
    submit(worker, "button[name=action][value=next]")

    assert "/employer/" in worker.url
    worker.fill("#id_name", EMPLOYER["name"])
    worker.fill("#id_credit_code", EMPLOYER["credit_code"])
    worker.fill("#id_domicile", EMPLOYER["domicile"])
    worker.select_option("#id_domicile_division", "370102")
    worker.fill("#id_legal_representative", EMPLOYER["legal_representative"])
    worker.fill("#id_legal_representative_title", EMPLOYER["legal_representative_title"])
    shot(worker, "03-employer")
    submit(worker, "button[name=action][value=next]")

    assert "/work/" in worker.url
    worker.fill("#id_started_on", "2024-03-01")
    worker.check("input[name=still_employed][value=no]")
    worker.fill("#id_ended_on", "2026-08-31")
    worker.fill("#id_knew_on", "2026-09-01")
    worker.select_option("#id_workplace_division", "370102")
    worker.fill("#id_facts", "公司拖欠 2026 年 6 月至 8 月工资，解除劳动合同后未支付经济补偿。")
    shot(worker, "04-work")
    submit(worker, "button[name=action][value=next]")

    assert "/claims/" in worker.url
    worker.select_option("#id_claims-0-type", "remuneration")
    worker.fill("#id_claims-0-amount", "12000")
    worker.fill("#id_claims-0-description", "支付 2026 年 6 月至 8 月工资")
    submit(worker, "button[name=action][value=save]")  # save, and a row for the next one
    worker.select_option("#id_claims-1-type", "economic_compensation")
    worker.fill("#id_claims-1-amount", "9000")
    worker.fill("#id_claims-1-description", "支付解除劳动合同经济补偿")
    shot(worker, "05-claims")
    submit(worker, "button[name=action][value=next]")

    assert "/evidence/" in worker.url
    slips = tmp_path / "工资条.pdf"
    slips.write_bytes(PDF)
    worker.fill("#id_title", "工资条")
    worker.set_input_files("#id_file", str(slips))
    submit(worker, "form[enctype='multipart/form-data'] button.button.primary")
    assert "工资条" in worker.locator("main").inner_text()
    shot(worker, "06-evidence")
    with worker.expect_navigation():
        worker.locator("a.button.primary").first.click()

    assert "/review/" in worker.url
    shot(worker, "07-review")
    submit(worker, "form button[type=submit].button.primary")

    # --- the receipt and the date by which the commission decides ------------------------------
    assert "/done/" in worker.url
    case = Case.objects.get(owner__mobile=WORKER_MOBILE)
    assert case.status == Status.RECEIVED
    assert case.claims.count() == 2 and case.evidence.count() == 1
    receipt = case.receipts.get()
    due = case.deadlines.get(code="acceptance_decision").due_on
    done = worker.locator("main").inner_text()
    assert receipt.number in done
    assert date_format(due, "DATE_FORMAT") in done
    shot(worker, "08-receipt")

    # --- the commission accepts (its officers' pages have their own browser tests) -------------
    from zhongcai.cases import services

    services.case_accept(by=lixia_head, case=case, warnings_acknowledged=True)

    # --- the worker finds the acceptance notice in the inbox and confirms receipt -------------
    worker.goto(worker.base_url + "/my/cases/")
    shot(worker, "09-my-cases")
    with worker.expect_navigation():
        worker.locator(f"a[href='/my/cases/{case.pk}/']").first.click()
    notice = case.documents.get(kind=DocumentKind.ACCEPTANCE_NOTICE)
    record = notice.services.get(party__role="applicant")
    assert notice.title in worker.locator("main").inner_text()
    shot(worker, "10-inbox")
    submit(worker, f"form[action$='/received/{record.pk}/'] button")
    record.refresh_from_db()
    assert record.signed_at is not None and record.signed_by_name == "张伟"
    shot(worker, "11-received")

    # --- the employer's HR logs in, registers its employer, sees the case, files a defence ----
    hr = phone()
    log_in(hr, "employer_demo", "demo12345")
    hr.goto(hr.base_url + "/accounts/employer/")
    hr.fill("#id_credit_code", EMPLOYER["credit_code"])
    hr.fill("#id_name", EMPLOYER["name"])
    licence = tmp_path / "营业执照和授权委托书.pdf"
    licence.write_bytes(PDF)
    hr.set_input_files("#id_proof", str(licence))
    shot(hr, "12-employer-register")
    submit(hr)
    # Nothing is open to the registrant until the commission checked the licence and letter.
    hr.goto(hr.base_url + "/my/cases/")
    assert not hr.locator(f"a[href='/my/cases/{case.pk}/']").count()
    # The intake officer checks them on the staff page and verifies the registration.
    officer = phone(desktop=True)
    log_in(officer, "lixia_intake", "demo12345")
    officer.goto(officer.base_url + "/staff/employers/")
    assert EMPLOYER["name"] in officer.locator("main").inner_text()
    officer.screenshot(path=str(ARTIFACTS / "journey-13-staff-verifies.png"), full_page=True)
    submit(officer, "button[name=decision][value=verify]")
    hr.goto(hr.base_url + "/my/cases/")
    with hr.expect_navigation():
        hr.locator(f"a[href='/my/cases/{case.pk}/']").first.click()
    assert case.case_number in hr.locator("main").inner_text()
    statement = tmp_path / "答辩状.pdf"
    statement.write_bytes(PDF)
    hr.fill("#id_defence-text", "被申请人已足额支付工资，不同意申请人的请求。")
    hr.set_input_files("#id_defence-file", str(statement))
    shot(hr, "14-defence")
    submit(hr, "form[action$='/defence/'] button[type=submit]")
    defence = Defence.objects.get(case=case)
    assert defence.party.credit_code == EMPLOYER["credit_code"]
    assert defence.recorded_by.username == "employer_demo"
    shot(hr, "15-defence-filed")
