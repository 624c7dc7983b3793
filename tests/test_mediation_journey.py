"""Issue 8's acceptance journey, in Debian's Chromium, as its users would go: a worker applies
for mediation online at phone width; the Lixia centre's mediator accepts, is appointed as the
mediator both parties chose and proposes terms; both parties accept them, the agreement is
drafted, signed by all three and sealed; both parties apply for arbitral review and the Lixia
commission issues the 调解书. A second mediation runs out of time on day 16 and the worker turns
it into an arbitration application in one step, nothing re-typed.

Along the way: a caucus message never reaches the other side, a mediator of another organisation
gets 404, and a signed agreement cannot be redrafted. Screenshots of every main step land in
test-artifacts/mediation-*.png (parties at phone width, staff on a desktop).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from zhongcai.accounts.models import Employer, EmployerMember
from zhongcai.cases.models import Case
from zhongcai.cases.tests.factories import EMPLOYER

# One Chromium per module, launched as the law library's browser tests launch it.
from zhongcai.knowledge.tests.test_browser import ARTIFACTS, PHONE, browser  # noqa: F401
from zhongcai.mediation import services
from zhongcai.mediation.models import Agreement, MediationCase, Review, ReviewStatus, Status
from zhongcai.mediation.tests.conftest import apply_online, licheng_mediator  # noqa: F401
from zhongcai.orgs.models import Organisation, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
CAUCUS = "私下告诉您：我最低可以接受一万元，请勿转告公司"
FACTS = "公司拖欠 2026 年 6 月至 8 月工资，解除劳动合同后未支付经济补偿。"
LIXIA = "370102"


@pytest.fixture
def open_page(browser, live_server):  # noqa: F811 - the imported fixture
    def open_one(desktop=False):
        viewport = {"width": 1280, "height": 900} if desktop else PHONE
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.base_url = live_server.url
        contexts.append(context)
        return page

    contexts: list = []
    yield open_one
    for context in contexts:
        context.close()


def shot(page, name, phone=True):
    """The screenshot is kept; a party's page fits a 360 px phone (no sideways scrolling)."""
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"mediation-{name}.png"), full_page=True)
    if phone:
        assert width <= PHONE["width"], f"{name}: {width} px wide"


def submit(page, selector):
    with page.expect_navigation():
        page.locator(selector).first.click()


def open_details(page):
    """Forms folded in <details> are filled as a user would after unfolding them."""
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")


def log_in(page, username, password="demo12345"):  # noqa: S107 - the demo accounts
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    submit(page, "form button.button.primary")
    assert "/accounts/login/" not in page.url, username


def no_error(page):
    assert page.locator("[role=alert] .error, .errorlist").count() == 0, page.url


def verified_employer(hr):
    """employer_demo is authorised staff of the respondent of the worker's application."""
    now = timezone.now()
    employer = Employer.objects.create(
        credit_code=EMPLOYER["credit_code"],
        name=EMPLOYER["name"],
        registered_by=hr,
        registered_at=now,
        verified_at=now,
    )
    EmployerMember.objects.create(
        employer=employer, user=hr, is_admin=True, added_by=hr, added_at=now
    )


def apply_for_mediation(worker, centre):
    """The guided form from /mediation/apply/ to the receipt; returns the case."""
    worker.goto(worker.base_url + "/mediation/apply/")
    shot(worker, "01-apply-start")
    submit(worker, "form[action$='/mediation/apply/'] button.primary")
    assert "/you/" in worker.url
    worker.fill("#id_domicile", "济南市历下区泉城路 1 号")
    worker.select_option("#id_domicile_division", LIXIA)
    worker.check("#id_electronic_service")
    submit(worker, "button[name=action][value=next]")

    assert "/employer/" in worker.url
    worker.fill("#id_name", EMPLOYER["name"])
    worker.fill("#id_credit_code", EMPLOYER["credit_code"])
    worker.fill("#id_domicile", EMPLOYER["domicile"])
    worker.select_option("#id_domicile_division", LIXIA)
    worker.fill("#id_legal_representative", EMPLOYER["legal_representative"])
    worker.fill("#id_legal_representative_title", EMPLOYER["legal_representative_title"])
    submit(worker, "button[name=action][value=next]")

    assert "/work/" in worker.url
    worker.fill("#id_started_on", "2024-03-01")
    worker.check("input[name=still_employed][value=no]")
    worker.fill("#id_ended_on", "2026-08-31")
    worker.fill("#id_knew_on", "2026-09-01")
    worker.select_option("#id_workplace_division", LIXIA)
    worker.fill("#id_facts", FACTS)
    submit(worker, "button[name=action][value=next]")

    assert "/claims/" in worker.url
    worker.select_option("#id_claims-0-type", "remuneration")
    worker.fill("#id_claims-0-amount", "12000")
    worker.fill("#id_claims-0-description", "支付 2026 年 6 月至 8 月工资")
    submit(worker, "button[name=action][value=save]")
    worker.select_option("#id_claims-1-type", "economic_compensation")
    worker.fill("#id_claims-1-amount", "9000")
    worker.fill("#id_claims-1-description", "支付解除劳动合同经济补偿")
    shot(worker, "02-claims")
    submit(worker, "button[name=action][value=next]")

    assert "/evidence/" in worker.url
    submit(worker, "a.button.primary")  # no file now: on to the review

    assert "/review/" in worker.url
    radio = worker.locator(f"input[name=organisation][value='{centre.pk}']")
    assert radio.count() == 1, "the Lixia centre is offered"
    radio.check()
    shot(worker, "03-choose-organisation")
    submit(worker, "section.apply-submit button[type=submit].primary")
    assert "/done/" in worker.url
    shot(worker, "04-applied")
    case = MediationCase.objects.get(owner__username="worker_demo")
    assert case.status == Status.APPLIED and case.organisation == centre
    return case


def test_mediation_from_application_to_the_mediation_document(
    open_page,
    settings,
    province,
    institutions,
    worker_demo,
    employer_demo,
    lixia_mediator,
    licheng_mediator,  # noqa: F811 - the imported fixture
):
    from django.core.cache import cache

    cache.clear()
    verified_employer(employer_demo)
    centre = Organisation.objects.get(
        division_id=LIXIA, type=Organisation.Type.MEDIATION_ORGANISATION
    )
    commission = Organisation.objects.get(division_id=LIXIA, type=Organisation.Type.COMMISSION)
    zhao = Person.objects.get(user=lixia_mediator)

    # --- 1. The worker applies online, at phone width ---------------------------------------
    worker = open_page()
    log_in(worker, "worker_demo")
    case = apply_for_mediation(worker, centre)
    staff_url = f"/staff/mediation/{case.pk}/"
    party_url = f"/mediation/my/{case.pk}/"

    # --- 2. The mediator accepts, is appointed as chosen, proposes terms --------------------
    mediator = open_page(desktop=True)
    log_in(mediator, "lixia_mediator")
    mediator.goto(mediator.base_url + staff_url)
    open_details(mediator)
    mediator.check("#accept-respondent_consent")
    shot(mediator, "05-staff-accept", phone=False)
    submit(mediator, f"form[action$='{staff_url}accept/'] button[type=submit]")
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED

    mediator.select_option("#id_pool_choose_person", str(zhao.pk))
    mediator.check("#id_pool_choose_applicant_consents")
    mediator.check("#id_pool_choose_respondent_consents")
    submit(mediator, f"form[action$='{staff_url}mediator/choose/'] button[type=submit]")
    case.refresh_from_db()
    assert case.status == Status.MEDIATING and case.mediator == zhao

    # A caucus with the worker: for the worker's eyes only.
    applicant = case.parties.get(role="applicant")
    mediator.fill("#message-body", CAUCUS)
    mediator.select_option("#message-audience", "caucus")
    mediator.select_option("#message-party", str(applicant.pk))
    submit(mediator, f"form[action$='{staff_url}messages/'] button[type=submit]")
    assert CAUCUS in mediator.locator("main").inner_text()

    open_details(mediator)
    mediator.fill("#proposal-item_1", "公司支付 2026 年 6 月至 8 月工资")
    mediator.fill("#proposal-amount_1", "11000")
    mediator.fill("#proposal-item_2", "公司支付经济补偿")
    mediator.fill("#proposal-amount_2", "8000")
    submit(mediator, f"form[action$='{staff_url}proposals/'] button[type=submit]")
    proposal = case.proposals.get()
    shot(mediator, "06-staff-proposed", phone=False)

    # A mediator of another organisation does not find the case.
    outsider = open_page(desktop=True)
    log_in(outsider, licheng_mediator.username, "x")  # the Licheng centre's
    assert outsider.goto(outsider.base_url + staff_url).status == 404

    # --- 3. Both parties accept the proposal ------------------------------------------------
    answer = f"form[action$='{party_url}proposals/{proposal.pk}/answer/']"
    worker.goto(worker.base_url + party_url)
    assert CAUCUS in worker.locator("main").inner_text()
    worker.check(f"{answer} input[name=answer][value=accept]")
    shot(worker, "07-worker-answers")
    submit(worker, f"{answer} button[type=submit]")
    no_error(worker)

    hr = open_page()
    log_in(hr, "employer_demo")
    hr.goto(hr.base_url + party_url)
    assert CAUCUS not in hr.content(), "a caucus message reached the other side"
    hr.check(f"{answer} input[name=answer][value=accept]")
    submit(hr, f"{answer} button[type=submit]")
    no_error(hr)
    assert CAUCUS not in hr.content()
    shot(hr, "08-employer-answered")

    # The mediator drafts the agreement from the accepted proposal.
    mediator.goto(mediator.base_url + staff_url)
    draft = f"form[action$='{staff_url}agreement/draft/']"
    mediator.check(f"{draft} input[name=use_proposal]")
    submit(mediator, f"{draft} button[type=submit]")
    agreement = Agreement.objects.get(case=case)

    # Worker, employer and mediator sign.
    for page, name in ((worker, "09-worker-signs"), (hr, None)):
        page.goto(page.base_url + party_url)
        sign = f"form[action$='{party_url}agreement/sign/']"
        page.check(f"{sign} input[name=confirm_read]")
        if name:
            shot(page, name)
        submit(page, f"{sign} button[type=submit]")
        no_error(page)
    mediator.goto(mediator.base_url + staff_url)
    # Signed: the text is fixed. The draft form is gone, and a POST of it is refused.
    assert mediator.locator(draft).count() == 0
    digest = agreement.content_sha256
    refused = mediator.evaluate(
        """async (url) => {
            const token = document.querySelector('input[name=csrfmiddlewaretoken]').value;
            const body = new URLSearchParams({csrfmiddlewaretoken: token, item_1: '另行约定'});
            const r = await fetch(url, {method: 'POST', body, redirect: 'manual'});
            return r.status;
        }""",
        f"{staff_url}agreement/draft/",
    )
    assert refused != 200
    agreement.refresh_from_db()
    assert agreement.content_sha256 == digest and agreement.signatures.count() == 2

    sign = f"form[action$='{staff_url}agreement/sign/']"
    mediator.goto(mediator.base_url + staff_url)
    mediator.check(f"{sign} input[name=confirm_read]")
    submit(mediator, f"{sign} button[type=submit]")
    shot(mediator, "10-staff-all-signed", phone=False)
    submit(mediator, f"form[action$='{staff_url}agreement/seal/'] button[type=submit]")
    case.refresh_from_db()
    agreement.refresh_from_db()
    assert case.status == Status.AGREED
    assert agreement.sealed_at and agreement.pdf and agreement.pdf.size > 0
    shot(mediator, "11-staff-sealed", phone=False)

    # --- 4. Both parties apply for arbitral review; the commission issues the 调解书 ---------
    for page, name in ((worker, "12-worker-applies-review"), (hr, "13-employer-applies-review")):
        page.goto(page.base_url + party_url)
        form = f"form[action$='{party_url}agreement/review/']"
        page.select_option(f"{form} select[name=commission]", str(commission.pk))
        shot(page, name)
        submit(page, f"{form} button[type=submit]")
        no_error(page)
    case.refresh_from_db()
    assert case.status == Status.REVIEW_REQUESTED
    found = Review.objects.get(case=case)

    intake = open_page(desktop=True)
    log_in(intake, "lixia_intake")
    intake.goto(intake.base_url + "/staff/mediation/reviews/")
    shot(intake, "14-reviews-queue", phone=False)
    submit(intake, f"a[href='/staff/mediation/reviews/{found.pk}/']")
    submit(intake, f"form[action$='/reviews/{found.pk}/accept/'] button[type=submit]")
    shot(intake, "15-review-accepted", phone=False)
    submit(intake, f"form[action$='/reviews/{found.pk}/issue/'] button[type=submit]")
    found.refresh_from_db()
    case.refresh_from_db()
    assert found.status == ReviewStatus.ISSUED and case.status == Status.CONFIRMED

    worker.goto(worker.base_url + party_url)
    shot(worker, "16-worker-confirmed")
    with worker.expect_download() as download:
        worker.locator(f"a[href='{party_url}agreement/issued/{found.pk}/']").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # --- 5. A second mediation runs out of time; the worker goes to arbitration in one step -
    second = apply_online(worker_demo, centre, facts_and_reasons=FACTS)
    second = services.mediation_accept(by=lixia_mediator, case=second, respondent_consent=True)
    second = services.mediator_draw(by=lixia_mediator, case=second)
    assert services.mediation_expire_due(today=second.conclusion_due + timedelta(days=1)) == [
        second.pk
    ]
    second.refresh_from_db()
    assert second.status == Status.FAILED

    second_url = f"/mediation/my/{second.pk}/"
    worker.goto(worker.base_url + second_url)
    shot(worker, "17-worker-failed")
    submit(worker, f"form[action$='{second_url}arbitration/apply/'] button[type=submit]")
    second.refresh_from_db()
    arbitration = Case.objects.get(pk=second.arbitration_case_id)
    assert worker.url.endswith(f"{second_url}arbitration/")
    shot(worker, "18-arbitration-draft")

    assert arbitration.dispute == second.dispute
    assert second.facts == FACTS and arbitration.facts_and_reasons == FACTS

    def who(party):
        return (party.role, party.kind, party.name, party.id_number, party.credit_code)

    assert sorted(map(who, arbitration.parties.all())) == sorted(map(who, second.parties.all()))
    carried = [(c.type, c.amount) for c in arbitration.claims.order_by("number")]
    assert carried == [(c.type, c.amount) for c in second.claims.order_by("number")]
    shown = worker.locator("main").inner_text()
    for claim in arbitration.claims.all():
        assert claim.description in shown
    assert FACTS in shown
