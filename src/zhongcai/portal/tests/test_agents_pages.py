"""The agents page of a case on the portal (issue 6 point 1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhongcai.accounts.models import Role, User
from zhongcai.accounts.services import agent_profile_save, employer_register
from zhongcai.cases import agents, services
from zhongcai.cases.models import AgentAuthorisation, Party
from zhongcai.cases.tests.factories import EMPLOYER, draft, id_number, received

pytestmark = pytest.mark.django_db


def _account(username: str, mobile: str, role: Role, body: str) -> User:
    return User.objects.create_user(
        username=username,
        password="x",
        role=role,
        mobile=mobile,
        id_number=id_number(body),
        real_name=username,
    )


@pytest.fixture
def lawyer(province):
    user = _account("周律师", "13712345601", Role.AGENT, "37010219800101201")
    agent_profile_save(by=user, kind="lawyer", licence_number="13701201910123456", firm="泉城所")
    return user


@pytest.fixture
def case(worker_demo, lixia_head):
    return services.case_accept(
        by=lixia_head, case=received(worker_demo), warnings_acknowledged=True
    )


def _url(case):
    return reverse("portal:case-agents", args=[case.pk])


def test_the_applicant_authorises_and_revokes_from_the_page(client, case, worker_demo, lawyer):
    client.force_login(worker_demo)
    page = client.get(_url(case))
    assert page.status_code == 200
    html = page.content.decode()
    # One party: no choice to make, the party goes as a hidden field.
    assert 'type="hidden" name="party"' in html
    assert '<label for="id_mobile">' in html
    response = client.post(
        _url(case),
        {"party": _party(case).pk, "mobile": lawyer.mobile, "authority": "general"},
    )
    assert response.status_code == 302
    grant = AgentAuthorisation.objects.get()
    assert grant.state == "invited" and grant.agent is None
    html = client.get(_url(case)).content.decode()
    assert "周律师" in html and "撤回邀请" in html
    # Double submit: one authorisation, the error on the mobile field.
    again = client.post(
        _url(case),
        {"party": _party(case).pk, "mobile": lawyer.mobile, "authority": "general"},
    )
    assert again.status_code == 200
    html = again.content.decode()
    assert 'id="id_mobile-error"' in html and 'aria-invalid="true"' in html
    assert AgentAuthorisation.objects.count() == 1
    revoke = reverse("portal:case-agent-revoke", args=[case.pk, grant.pk])
    assert client.post(revoke).status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    # Revoking twice tells why and changes nothing.
    response = client.post(revoke, follow=True)
    assert 'class="message error"' in response.content.decode()


def _party(case):
    return case.parties.get(role=Party.Role.APPLICANT)


def test_a_worker_mobile_is_refused_on_the_page(client, case, worker_demo):
    other = _account("路人", "13712345602", Role.WORKER, "37010219800101202")
    client.force_login(worker_demo)
    response = client.post(
        _url(case), {"party": _party(case).pk, "mobile": other.mobile, "authority": "general"}
    )
    assert response.status_code == 200
    assert 'id="id_mobile-error"' in response.content.decode()
    assert not AgentAuthorisation.objects.exists()


def test_strangers_get_404(client, case, worker_demo, lawyer):
    grant = agents.agent_authorise(
        by=worker_demo, case=case, party=_party(case), mobile=lawyer.mobile, authority="general"
    )
    stranger = _account("路人", "13712345602", Role.WORKER, "37010219800101202")
    client.force_login(stranger)
    assert client.get(_url(case)).status_code == 404
    revoke = reverse("portal:case-agent-revoke", args=[case.pk, grant.pk])
    assert client.post(revoke).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None
    # Staff do not use the portal page.
    client.force_login(User.objects.get(username="lixia_intake"))
    assert client.get(_url(case)).status_code == 404


def test_the_employer_sees_its_own_agents_not_the_workers(client, case, worker_demo, lawyer):
    agents.agent_authorise(
        by=worker_demo, case=case, party=_party(case), mobile=lawyer.mobile, authority="general"
    )
    hr = _account("刘红", "13812345678", Role.EMPLOYER, "37010219800101205")
    employer_register(by=hr, credit_code=EMPLOYER["credit_code"], name=EMPLOYER["name"])
    client.force_login(hr)
    html = client.get(_url(case)).content.decode()
    assert "周律师" not in html
    # It may not revoke the worker's agent either.
    grant = AgentAuthorisation.objects.get()
    revoke = reverse("portal:case-agent-revoke", args=[case.pk, grant.pk])
    assert client.post(revoke).status_code == 404


def test_the_agent_reads_the_page_but_changes_nothing(client, case, worker_demo, lawyer):
    grant = agents.agent_authorise(
        by=worker_demo, case=case, party=_party(case), mobile=lawyer.mobile, authority="general"
    )
    client.force_login(lawyer)
    # Invited only: the case is not the agent's yet.
    assert client.get(_url(case)).status_code == 404
    agents.agent_authorisation_accept(by=lawyer, authorisation=grant)
    page = client.get(_url(case))
    assert page.status_code == 200
    assert 'name="mobile"' not in page.content.decode()
    assert client.post(_url(case), {"mobile": lawyer.mobile}).status_code == 403
    revoke = reverse("portal:case-agent-revoke", args=[case.pk, grant.pk])
    assert client.post(revoke).status_code == 403


def test_a_draft_shows_no_form(client, worker_demo):
    case = draft(worker_demo)
    client.force_login(worker_demo)
    page = client.get(_url(case))
    assert page.status_code == 200
    assert 'name="mobile"' not in page.content.decode()
    assert client.post(_url(case), {"mobile": "13712345601"}).status_code == 403


def test_the_pages_need_login(client, case):
    response = client.get(_url(case))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


# --- The agent's invitations -----------------------------------------------------------------


def _invite(case, worker_demo, lawyer, authority="special"):
    return agents.agent_authorise(
        by=worker_demo, case=case, party=_party(case), mobile=lawyer.mobile, authority=authority
    )


def test_the_agent_accepts_an_invitation_from_its_page(client, case, worker_demo, lawyer):
    grant = _invite(case, worker_demo, lawyer)
    client.force_login(lawyer)
    page = client.get(reverse("portal:agent-invitations"))
    assert page.status_code == 200
    html = page.content.decode()
    assert case.case_number in html and _party(case).name in html
    assert reverse("portal:agent-invitation-accept", args=[grant.pk]) in html
    menu_link = f'href="{reverse("portal:agent-invitations")}"'
    assert menu_link in html  # in the menu, for agents only
    assert client.get(reverse("portal:my-case", args=[case.pk])).status_code == 404
    accept = reverse("portal:agent-invitation-accept", args=[grant.pk])
    assert client.get(accept).status_code == 405
    response = client.post(accept)
    assert response.status_code == 302
    assert response.url == reverse("portal:my-case", args=[case.pk])
    assert client.get(response.url).status_code == 200
    grant.refresh_from_db()
    assert grant.state == "accepted" and grant.agent.party == _party(case)
    # Double submit: one Agent row, a clear message, and the invitation is gone from the list.
    again = client.post(accept, follow=True)
    assert 'class="message error"' in again.content.decode()
    assert _party(case).agents.count() == 1
    assert accept not in client.get(reverse("portal:agent-invitations")).content.decode()
    # The party's page shows it accepted.
    client.force_login(worker_demo)
    html = client.get(_url(case)).content.decode()
    assert menu_link not in html
    assert "撤回邀请" not in html
    assert reverse("portal:case-agent-revoke", args=[case.pk, grant.pk]) in html


def test_the_agent_declines_and_the_party_sees_it(client, case, worker_demo, lawyer):
    grant = _invite(case, worker_demo, lawyer)
    client.force_login(lawyer)
    response = client.post(reverse("portal:agent-invitation-decline", args=[grant.pk]))
    assert response.url == reverse("portal:agent-invitations")
    grant.refresh_from_db()
    assert grant.state == "declined"
    assert client.get(reverse("portal:my-case", args=[case.pk])).status_code == 404
    assert (
        client.post(
            reverse("portal:agent-invitation-accept", args=[grant.pk]), follow=True
        ).status_code
        == 200
    )
    grant.refresh_from_db()
    assert grant.state == "declined" and not _party(case).agents.exists()
    client.force_login(worker_demo)
    html = client.get(_url(case)).content.decode()
    assert "代理人已拒绝" in html
    # The party may invite the same agent again.
    client.post(
        _url(case), {"party": _party(case).pk, "mobile": lawyer.mobile, "authority": "general"}
    )
    assert AgentAuthorisation.objects.count() == 2


def test_no_one_else_answers_an_invitation(client, case, worker_demo, lawyer):
    grant = _invite(case, worker_demo, lawyer)
    other = _account("吴律师", "13712345603", Role.AGENT, "37010219800101203")
    agent_profile_save(by=other, kind="citizen")
    for user in (other, worker_demo, User.objects.get(username="lixia_intake")):
        client.force_login(user)
        for name in ("portal:agent-invitation-accept", "portal:agent-invitation-decline"):
            assert client.post(reverse(name, args=[grant.pk])).status_code == 404
    grant.refresh_from_db()
    assert grant.state == "invited"
    # The list is the agent's own; other accounts have no invitations page.
    client.force_login(other)
    assert _party(case).name not in client.get(reverse("portal:agent-invitations")).content.decode()
    client.force_login(worker_demo)
    assert client.get(reverse("portal:agent-invitations")).status_code == 404


def test_the_invitations_page_needs_login(client):
    response = client.get(reverse("portal:agent-invitations"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
