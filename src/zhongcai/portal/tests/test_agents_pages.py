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
    assert "周律师" in client.get(_url(case)).content.decode()
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
