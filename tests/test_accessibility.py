"""The portal's pages through axe-core on a 360 px phone, with large text, and by keyboard.

axe-core comes from the npm registry (package.json, ``npm ci``) and is injected into each page;
a page fails on any violation axe rates "serious" or "critical". Every page must also fit 360 px
without horizontal scrolling, at normal and at double text size. Screenshots land in
test-artifacts/ for a person to look at.

To check one more page, add its path to ``PUBLIC_PAGES`` or, if it needs a logged-in worker, to
``WORKER_PAGES``; ``{lixia}`` stands for the Lixia commission's primary key.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from zhongcai.demo.appointments import load_demo_appointments
from zhongcai.knowledge.importer import SHIPPED_LAWS, import_laws
from zhongcai.knowledge.models import Law

# One Chromium per module, launched as the law library's browser tests launch it.
from zhongcai.knowledge.tests.test_browser import ARTIFACTS, PHONE, browser  # noqa: F401
from zhongcai.orgs.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/register/",
    "/calculator/",
    "/appointments/",
    "/appointments/?commission={lixia}",
    "/commissions/",
    "/commissions/?q=历下",
    "/commissions/{lixia}/",
    "/how-it-works/",
    "/roster/",
    "/knowledge/",
    "/query/",
]
WORKER_PAGES = [
    "/notifications/",
    "/appointments/mine/",
    "/apply/",
    "/apply/{draft}/you/",
    "/apply/{draft}/employer/",
    "/apply/{draft}/work/",
    "/apply/{draft}/claims/",
    "/apply/{draft}/evidence/",
    "/apply/{draft}/review/",
    "/apply/{submitted}/done/",
    "/my/cases/",
    "/my/cases/{case}/",
    "/my/cases/{case}/agents/",
]
EMPLOYER_PAGES = [
    "/accounts/employer/",
    "/my/cases/",
    "/my/cases/{case}/",
]


@pytest.fixture
def site(institutions):
    """The demo province with its people (the roster), counter times and the law library."""
    load_demo_appointments()
    if not Law.objects.exists():
        import_laws(SHIPPED_LAWS)
    lixia = Organisation.objects.get(division_id="370102", type=Organisation.Type.COMMISSION)
    return {"lixia": lixia.pk}


@pytest.fixture
def context(browser, live_server):  # noqa: F811 - the imported fixture
    # The site's Content-Security-Policy refuses inline scripts; axe is injected as one.
    context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True)
    context.base_url = live_server.url
    yield context
    context.close()


def _page(context):
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _name(path):
    """A file name that stays the same from run to run: ``/commissions/{lixia}/`` gives
    ``commissions-lixia``."""
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def _problems(page, path, name):
    """What axe and the 360 px check find on the page at ``path``, as lines to read."""
    response = page.goto(page.context.base_url + path)
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("load")
    problems = []
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    for violation in result["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [" ".join(node["target"]) for node in violation["nodes"]]
            problems.append(
                f"{path}: {violation['id']} ({violation['impact']}) {violation['help']}: "
                + "; ".join(targets)
            )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"a11y-{name}.png"), full_page=True)
    for size in ("100%", "200%"):
        page.evaluate(f"document.documentElement.style.fontSize = '{size}'")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide = page.evaluate(
                """(limit) => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > limit + 1)
                    .slice(0, 5).map(e => e.tagName.toLowerCase()
                        + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''))""",
                PHONE["width"],
            )
            problems.append(f"{path}: {width} px wide at text size {size}: {wide}")
    page.screenshot(path=str(ARTIFACTS / f"a11y-{name}-large-text.png"), full_page=True)
    return problems


def _check(context, pages, ids):
    page = _page(context)
    problems = []
    for path in pages:
        problems += _problems(page, path.format(**ids), _name(path))
    assert not problems, "\n".join(problems)


def test_public_pages_pass_axe_and_fit_a_phone(context, site):
    assert AXE.exists(), "axe-core is missing: run npm ci (make install)"
    _check(context, PUBLIC_PAGES, site)


def _log_in(context, client, user):
    """Logged in once, through the session a test client opens."""
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


@pytest.fixture
def cases(site, worker_demo, lixia_head):
    """A draft half-filled, an application submitted from a draft, and an accepted case."""
    from zhongcai.cases import services
    from zhongcai.cases.tests.factories import received
    from zhongcai.portal import applying

    draft = applying.draft_create(by=worker_demo)
    case = services.case_accept(
        by=lixia_head, case=received(worker_demo), warnings_acknowledged=True
    )
    submitted = applying.draft_create(by=worker_demo)
    submitted.submitted_case = case
    submitted.save(update_fields=["submitted_case"])
    return {**site, "draft": draft.pk, "submitted": submitted.pk, "case": case.pk}


def test_worker_pages_pass_axe_and_fit_a_phone(context, cases, client, worker_demo):
    _log_in(context, client, worker_demo)
    _check(context, WORKER_PAGES, cases)


def test_employer_pages_pass_axe_and_fit_a_phone(
    context, cases, client, employer_demo, lixia_intake
):
    from zhongcai.accounts.employers import employer_verify
    from zhongcai.accounts.services import employer_register
    from zhongcai.cases.tests.factories import EMPLOYER

    employer = employer_register(
        by=employer_demo, credit_code=EMPLOYER["credit_code"], name=EMPLOYER["name"]
    )
    employer_verify(by=lixia_intake, employer=employer)
    _log_in(context, client, employer_demo)
    _check(context, EMPLOYER_PAGES, cases)


def _focused(page):
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            const style = getComputedStyle(e);
            const submit = e.type === 'submit' && e.closest('main') !== null;
            return {key: submit ? 'submit' : e.id, tag: e.tagName.toLowerCase(),
                    outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
        }"""
    )


def _visibly_focused(focused):
    return focused["outline"] != "none" and focused["width"] >= 2


def test_the_login_form_is_reached_by_keyboard_with_visible_focus(context, site):
    page = _page(context)
    page.goto(context.base_url + "/")
    page.keyboard.press("Tab")
    first = _focused(page)
    assert first["tag"] == "a" and page.locator(".skip-link").is_visible(), first
    assert _visibly_focused(first), first

    page.goto(context.base_url + "/accounts/login/")
    wanted = ["id_username", "id_password", "submit"]
    # The user name field has autofocus; from anywhere before it, Tab walks the page to it.
    focused = _focused(page)
    reached = [focused["key"]] if focused["key"] in wanted else []
    assert not reached or _visibly_focused(focused), focused
    for _ in range(40):
        if reached and reached[-1] == "submit":
            break
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["key"] in wanted:
            assert _visibly_focused(focused), focused
            reached.append(focused["key"])
    assert reached == wanted, reached
    page.screenshot(path=str(ARTIFACTS / "a11y-login-keyboard.png"))


AGENT_PAGES = [
    "/accounts/agent/",
    "/my/invitations/",
    "/my/cases/",
]


def test_agent_pages_pass_axe_and_fit_a_phone(context, cases, client, worker_demo):
    from zhongcai.accounts.models import Role, User
    from zhongcai.accounts.services import agent_profile_save
    from zhongcai.cases.agents import agent_authorise
    from zhongcai.cases.models import Case
    from zhongcai.cases.tests.factories import id_number

    lawyer = User.objects.create_user(
        username="lawyer",
        password="x",
        role=Role.AGENT,
        mobile="13700000099",
        id_number=id_number("37010219820615004"),
        real_name="孙立新",
    )
    agent_profile_save(by=lawyer, kind="lawyer", licence_number="13701200910234567", firm="律所")
    case = Case.objects.get(pk=cases["case"])
    applicant = case.parties.get(role="applicant")
    agent_authorise(
        by=worker_demo, case=case, party=applicant, mobile=lawyer.mobile, authority="general"
    )
    _log_in(context, client, lawyer)
    _check(context, AGENT_PAGES, cases)
