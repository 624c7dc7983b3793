"""The case page after the first browser journey: the next step first, the dates that matter
now, proposal badges, and the agreement's wording and number in the commission's style."""

import re

import pytest
from django.urls import reverse

from zhongcai.mediation import agreement_text, room, services
from zhongcai.mediation.tests.conftest import apply_online
from zhongcai.mediation.tests.test_agreement import ITEMS, be_mediator, reach_agreement

pytestmark = pytest.mark.django_db


def party_page(login, user, case):
    return login(user).get(reverse("mediation-portal:room-case", args=[case.pk])).content.decode()


def test_an_applied_case_shows_the_acceptance_due_date_only(worker_demo, centre, login):
    case = apply_online(worker_demo, centre)
    html = party_page(login, worker_demo, case)
    assert f'datetime="{case.acceptance_due.isoformat()}"' in html
    assert "room-empty" not in html


def test_a_running_case_shows_the_conclusion_due_date_not_the_acceptance_one(
    mediating, worker_demo, login
):
    html = party_page(login, worker_demo, mediating)
    assert f'datetime="{mediating.conclusion_due.isoformat()}"' in html
    assert f'datetime="{mediating.acceptance_due.isoformat()}"' not in html


def test_a_failed_case_puts_arbitration_first_and_folds_the_empty_room(
    mediating, worker_demo, lixia_mediator, login
):
    be_mediator(mediating, lixia_mediator)
    services.mediation_fail(by=lixia_mediator, case=mediating, reason="双方差距过大")
    html = party_page(login, worker_demo, mediating)
    assert html.index('id="panel-handover-heading"') < html.index('id="room-title"')
    assert html.index('id="panel-handover-heading"') < html.index('id="panel-pool-heading"')
    assert "room-empty" in html and 'id="settlement-talk"' not in html
    assert f'datetime="{mediating.conclusion_due.isoformat()}"' not in html


def test_a_concluded_room_with_messages_stays_open(mediating, worker_demo, lixia_mediator, login):
    room.message_post(by=worker_demo, case=mediating, body="你好", audience="joint")
    be_mediator(mediating, lixia_mediator)
    services.mediation_fail(by=lixia_mediator, case=mediating, reason="双方差距过大")
    html = party_page(login, worker_demo, mediating)
    assert "room-empty" not in html and "你好" in html


def test_an_agreed_case_puts_the_agreement_first_with_its_effective_date(
    mediating, worker_demo, employer_user, lixia_mediator, login
):
    case = reach_agreement(
        mediating, mediator=lixia_mediator, applicant=worker_demo, respondent=employer_user
    )
    html = party_page(login, worker_demo, case)
    assert html.index('id="panel-agreement-heading"') < html.index('id="room-title"')
    assert html.count('id="panel-agreement-heading"') == 1
    effective = case.agreement.effective_at.astimezone().date().isoformat()
    assert effective in html


def test_an_open_proposal_badge_is_not_the_open_button(
    mediating, worker_demo, lixia_mediator, login
):
    room.proposal_make(by=lixia_mediator, case=mediating, items=ITEMS)
    html = party_page(login, worker_demo, mediating)
    badge = re.search(r'<span class="badge status">([^<]*)</span></h4>', html)
    assert badge and badge.group(1).strip() != "查看"


def test_the_agreement_is_numbered_in_the_commissions_style(mediating, lixia_mediator):
    from zhongcai.mediation import agreement as svc

    be_mediator(mediating, lixia_mediator)
    agreement = svc.agreement_draft(by=lixia_mediator, case=mediating, items=ITEMS)
    assert re.fullmatch(r"济历下调协字〔\d{4}〕第1号", agreement.number)


def test_the_employer_line_names_the_legal_representative_then_the_position(mediating):
    employer = mediating.parties.get(role="respondent")
    employer.legal_representative, employer.legal_representative_title = "赵建国", "执行董事"
    employer.save()
    blocks = agreement_text.agreement_blocks(mediating, "济历下调协字〔2026〕第1号", ITEMS)
    texts = [b.get("t", "") for b in blocks]
    assert "法定代表人：赵建国，执行董事。" in texts
    assert not any(t.startswith("执行董事：") for t in texts)
