"""The similar-case page and the case page's push on a phone, in Debian's Chromium.

One test for both pages: each test with a live server flushes the database, and reloading the
province and the library is what costs. Screenshots land in test-artifacts/ for a person to look
at.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from zhongcai.cases.tests.factories import received

from .test_browser import ARTIFACTS, PHONE, _visit, browser, phone  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESCRIPTION = (
    "我2020年1月入职，每周工作6天，每天打卡，公司不支付加班费，我辞职后要求支付加班费1万元"
)


def _shoot_in_parts(page, locator, name: str, height: int = 1400) -> None:
    """``locator`` as screenshots of at most ``height`` pixels each: name-1.png, name-2.png …"""
    ARTIFACTS.mkdir(exist_ok=True)
    box = locator.bounding_box()
    top, part = box["y"], 1
    while top < box["y"] + box["height"]:
        clip = {
            "x": box["x"],
            "y": top,
            "width": box["width"],
            "height": min(height, box["y"] + box["height"] - top),
        }
        page.screenshot(path=str(ARTIFACTS / f"{name}-{part}.png"), clip=clip, full_page=True)
        top, part = top + height, part + 1


def test_similar_cases_and_the_case_page_push_read_on_a_phone(
    phone,  # noqa: F811
    browser,  # noqa: F811
    live_server,
    province,
    lixia_intake,
    lixia_arbitrator,
):
    # Anyone: a description, the similar public cases with their reasons.
    _visit(phone, f"/knowledge/similar?q={DESCRIPTION}", "knowledge-similar")
    hits = phone.locator(".similar-hit")
    assert hits.count() >= 3
    assert hits.first.locator(".reason-list.matches li").count() >= 3
    assert hits.first.locator(".passage mark").count() >= 1
    _shoot_in_parts(phone, phone.locator("main"), "knowledge-similar")

    # Staff: the panel of the case page.
    case = received(
        lixia_intake,
        facts_and_reasons="申请人2025年3月入职，每周工作6天，每天打卡，被申请人不支付加班费，"
        "申请人于2026年7月辞职。",
        claims=[{"type": "remuneration", "description": "支付加班费", "amount": "20000"}],
    )
    client = Client()
    client.force_login(lixia_arbitrator)
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{live_server.url}/staff/cases/{case.pk}/")
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        panel = page.locator("#case-push")
        assert panel.locator(".push-item").count() >= 3
        assert panel.locator(".similar-hit").count() >= 3
        _shoot_in_parts(page, panel, "knowledge-case-push")
    finally:
        context.close()
