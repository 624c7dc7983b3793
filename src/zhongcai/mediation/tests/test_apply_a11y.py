"""The mediation application pages through axe-core on a 360 px phone (as
tests/test_accessibility.py checks the portal's pages)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from zhongcai.knowledge.tests.test_browser import PHONE, browser  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def context(browser, live_server):  # noqa: F811 - the imported fixture
    context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True)
    context.base_url = live_server.url
    yield context
    context.close()


def _log_in(context, client, user):
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": context.base_url,
            }
        ]
    )


def _problems(context, paths):
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    for path in paths:
        response = page.goto(context.base_url + path)
        assert response is not None and response.status == 200, path
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        problems += [
            f"{path}: {v['id']} {v['help']}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        for size in ("100%", "200%"):
            page.evaluate(f"document.documentElement.style.fontSize = '{size}'")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                problems.append(f"{path}: {width} px wide at text size {size}")
    return problems


def test_the_workers_mediation_pages_pass_axe_and_fit_a_phone(context, client, worker_demo, centre):
    from zhongcai.mediation.tests.conftest import apply_online
    from zhongcai.portal import applying

    assert AXE.exists(), "axe-core is missing: run npm ci (make install)"
    draft = applying.draft_create(by=worker_demo, destination="mediation")
    done = applying.draft_create(by=worker_demo, destination="mediation")
    done.submitted_mediation = apply_online(worker_demo, centre)
    done.save()
    _log_in(context, client, worker_demo)
    paths = ["/", "/mediation/apply/", f"/apply/{draft.pk}/review/", f"/apply/{done.pk}/done/"]
    problems = _problems(context, paths)
    assert not problems, "\n".join(problems)


def test_the_walk_in_page_passes_axe(context, client, lixia_mediator):
    _log_in(context, client, lixia_mediator)
    problems = _problems(context, ["/staff/mediation/new/"])
    assert not problems, "\n".join(problems)
