"""The case pages and the room through axe-core on a 360 px phone (as tests/test_accessibility)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhongcai.knowledge.tests.test_browser import ARTIFACTS, PHONE, browser  # noqa: F401
from zhongcai.mediation import room

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


@pytest.fixture
def context(browser, live_server):  # noqa: F811 - the imported fixture
    context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True)
    context.base_url = live_server.url
    yield context
    context.close()


@pytest.fixture
def busy(mediating, worker_demo, lixia_mediator):
    """A room with a message, a file, a meeting and an open proposal."""
    room.message_post(by=worker_demo, case=mediating, body="您好", audience="caucus")
    room.file_share(
        by=worker_demo,
        case=mediating,
        title="工资条",
        kind="evidence",
        audience="joint",
        file=SimpleUploadedFile("工资条.pdf", b"%PDF-1.4"),
    )
    room.meeting_schedule(
        by=lixia_mediator,
        case=mediating,
        mode="video",
        starts_at=timezone.now() + timedelta(days=1),
        minutes=60,
        place="视频会议室 1",
    )
    room.proposal_make(
        by=lixia_mediator, case=mediating, items=[{"description": "支付工资", "amount": "1"}]
    )
    return mediating


def _problems(context, client, user, path):
    client.force_login(user)
    context.clear_cookies()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": context.base_url,
            }
        ]
    )
    page = context.new_page()
    response = page.goto(context.base_url + path)
    assert response is not None and response.status == 200, path
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    problems = [
        f"{path}: {v['id']} {v['help']}: " + "; ".join(" ".join(n["target"]) for n in v["nodes"])
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]
    if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
        problems.append(f"{path}: wider than a phone")
    ARTIFACTS.mkdir(exist_ok=True)
    name = path.strip("/").replace("/", "-")
    page.screenshot(path=str(ARTIFACTS / f"a11y-{name}.png"), full_page=True)
    page.close()
    return problems


def test_the_case_pages_pass_axe_and_fit_a_phone(
    context, client, busy, worker_demo, lixia_mediator
):
    if not AXE.exists():
        pytest.skip("axe-core is missing: run npm ci")
    problems = []
    for user, path in (
        (worker_demo, f"/mediation/my/{busy.pk}/"),
        (worker_demo, "/mediation/my/"),
        (lixia_mediator, f"/staff/mediation/{busy.pk}/"),
        (lixia_mediator, "/staff/mediation/"),
    ):
        problems += _problems(context, client, user, path)
    assert not problems, "\n".join(problems)
