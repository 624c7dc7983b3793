"""Agents: the agent's own details, and the per-case authorisation a party gives online."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhongcai.accounts.employers import employer_verify
from zhongcai.accounts.models import AgentProfile, Role, User
from zhongcai.accounts.services import agent_profile_save, employer_register
from zhongcai.accounts.tests.codes import code_for
from zhongcai.cases import agents, checks, integrity
from zhongcai.cases.models import Agent, AgentAuthorisation, Case, Party
from zhongcai.cases.selectors import cases_visible_to
from zhongcai.cases.tests.factories import EMPLOYER, accepted, draft, id_number, received
from zhongcai.cases.workflow import may_act
from zhongcai.core.events import events_of, verify_chains
from zhongcai.notifications.models import Notification

pytestmark = pytest.mark.django_db

LICENCE = "13701201910123456"


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
    agent_profile_save(by=user, kind="lawyer", licence_number=LICENCE, firm="山东泉城律师事务所")
    return user


@pytest.fixture
def case(worker_demo, lixia_head):
    """Filed online by worker_demo and accepted."""
    from zhongcai.cases import services

    return services.case_accept(
        by=lixia_head, case=received(worker_demo), warnings_acknowledged=True
    )


def _applicant(case):
    return case.parties.get(role=Party.Role.APPLICANT)


def _respondent(case):
    return case.parties.get(role=Party.Role.RESPONDENT)


# --- Agent details ---------------------------------------------------------------------------


def test_a_lawyer_gives_a_17_digit_licence_and_a_firm(province):
    user = _account("周律师", "13712345601", Role.AGENT, "37010219800101201")
    profile = agent_profile_save(
        by=user, kind="lawyer", licence_number="１３７０１２０１９１０１２３４５６", firm="泉城所"
    )
    assert (profile.kind, profile.licence_number) == ("lawyer", LICENCE)
    assert [e.kind for e in events_of(user)] == ["agent.profile_saved"]
    # Saving again changes the one profile.
    agent_profile_save(by=user, kind="citizen", licence_number=LICENCE, firm="")
    profile = AgentProfile.objects.get(user=user)
    assert (profile.kind, profile.licence_number) == ("citizen", "")


@pytest.mark.parametrize(
    "licence", ["", "1370120191012345", "137012019101234567", "13701201910123A56"]
)
def test_it_refuses_a_bad_licence_number(province, licence):
    user = _account("周律师", "13712345601", Role.AGENT, "37010219800101201")
    with pytest.raises(ValidationError) as exc:
        agent_profile_save(by=user, kind="lawyer", licence_number=licence, firm="泉城所")
    assert list(exc.value.message_dict) == ["licence_number"]
    assert not AgentProfile.objects.filter(user=user).exists()


def test_a_lawyer_names_the_firm_and_kinds_are_checked(province):
    user = _account("周律师", "13712345601", Role.AGENT, "37010219800101201")
    with pytest.raises(ValidationError) as exc:
        agent_profile_save(by=user, kind="lawyer", licence_number=LICENCE, firm=" ")
    assert list(exc.value.message_dict) == ["firm"]
    with pytest.raises(ValidationError) as exc:
        agent_profile_save(by=user, kind="judge")
    assert list(exc.value.message_dict) == ["kind"]


def test_only_an_agent_account_has_agent_details(worker_demo):
    with pytest.raises(PermissionDenied):
        agent_profile_save(by=worker_demo, kind="citizen")


def test_a_new_agent_account_is_sent_to_its_details_page(client, province):
    response = client.post(
        reverse("accounts:register"),
        {
            "role": "agent",
            "real_name": "周律师",
            "id_number": id_number("37010219800101201"),
            "mobile": "13712345601",
            "mobile_code": code_for("13712345601"),
            "password1": "Gongzi-2026!",
            "password2": "Gongzi-2026!",
        },
    )
    assert response.url == reverse("accounts:agent-profile")
    bad = client.post(response.url, {"kind": "lawyer", "licence_number": "12345", "firm": "泉城所"})
    html = bad.content.decode()
    assert 'aria-describedby="id_licence_number-error id_licence_number_helptext"' in html
    assert not AgentProfile.objects.exists()
    good = client.post(
        response.url, {"kind": "lawyer", "licence_number": LICENCE, "firm": "泉城所"}
    )
    assert good.status_code == 302
    assert AgentProfile.objects.get().licence_number == LICENCE


def test_the_agent_page_is_for_agent_accounts(client, worker_demo):
    client.force_login(worker_demo)
    assert client.get(reverse("accounts:agent-profile")).status_code == 403


# --- Authorisation per case ------------------------------------------------------------------


def _authorise(by, case, party, agent, authority="general"):
    """Invite ``agent`` and have it accept: the authorisation in force."""
    grant = agents.agent_authorise(
        by=by, case=case, party=party, mobile=agent.mobile, authority=authority
    )
    return agents.agent_authorisation_accept(by=agent, authorisation=grant)


def test_the_applicant_invites_a_lawyer_who_sees_the_case_once_it_accepts(
    case, worker_demo, lawyer
):
    assert case not in cases_visible_to(lawyer)
    grant = agents.agent_authorise(
        by=worker_demo, case=case, party=_applicant(case), mobile=lawyer.mobile, authority="special"
    )
    assert (grant.agent_user, grant.granted_by, grant.state) == (lawyer, worker_demo, "invited")
    # Invited only: nothing on the case yet.
    assert grant.agent is None and not _applicant(case).agents.exists()
    assert case not in cases_visible_to(lawyer)
    assert not may_act(lawyer, case, "submit_evidence")
    event = events_of(case).last()
    assert (event.kind, event.actor) == ("case.agent_invited", worker_demo)
    assert event.payload["agent_user"] == lawyer.pk and event.payload["authority"] == "special"
    invited = Notification.objects.get(recipient=lawyer, kind="agent_invited")
    assert invited.link == reverse("portal:agent-invitations")

    grant = agents.agent_authorisation_accept(by=lawyer, authorisation=grant)
    assert grant.state == "accepted" and grant.accepted_at is not None
    agent = grant.agent
    assert (agent.party, agent.name, agent.kind, agent.authority) == (
        _applicant(case),
        "周律师",
        Agent.Kind.LAWYER,
        "special",
    )
    assert (agent.phone, agent.firm, agent.id_number) == (
        lawyer.mobile,
        "山东泉城律师事务所",
        lawyer.id_number,
    )
    assert agent.power_of_attorney_received
    assert list(cases_visible_to(lawyer)) == [case]
    # A fresh copy: who acts for whom is cached on the case object for one request.
    assert may_act(lawyer, Case.objects.get(pk=case.pk), "submit_evidence")
    event = events_of(case).last()
    assert (event.kind, event.actor, event.organisation) == (
        "case.agent_authorised",
        lawyer,
        case.institute,
    )
    assert event.payload["digest"] == checks.application_digest(case)
    assert Notification.objects.filter(recipient=worker_demo, kind="agent_accepted").exists()
    # The case row still says what its events say.
    assert integrity.problems_of(case, list(events_of(case))) == []
    assert not list(verify_chains(events_of(case)))
    # Accepting twice: a clear error, nothing more written.
    events = events_of(case).count()
    with pytest.raises(ValidationError, match="已接受"):
        agents.agent_authorisation_accept(by=lawyer, authorisation=grant)
    with pytest.raises(ValidationError, match="已接受"):
        agents.agent_authorisation_decline(by=lawyer, authorisation=grant)
    assert events_of(case).count() == events and _applicant(case).agents.count() == 1


def test_a_declined_invitation_never_opens_the_case_and_can_be_sent_again(
    case, worker_demo, lawyer
):
    grant = agents.agent_authorise(
        by=worker_demo, case=case, party=_applicant(case), mobile=lawyer.mobile, authority="general"
    )
    declined = agents.agent_authorisation_decline(by=lawyer, authorisation=grant)
    assert declined.state == "declined" and declined.declined_at is not None
    assert case not in cases_visible_to(lawyer)
    assert not _applicant(case).agents.exists()
    event = events_of(case).last()
    assert (event.kind, event.actor) == ("case.agent_declined", lawyer)
    assert Notification.objects.filter(recipient=worker_demo, kind="agent_declined").exists()
    with pytest.raises(ValidationError, match="已拒绝"):
        agents.agent_authorisation_accept(by=lawyer, authorisation=grant)
    with pytest.raises(ValidationError):
        agents.agent_authorisation_revoke(by=worker_demo, authorisation=grant)
    assert case not in cases_visible_to(lawyer)
    # The party asks again later: a new invitation, which the agent may accept.
    again = _authorise(worker_demo, case, _applicant(case), lawyer)
    assert again.pk != grant.pk and case in cases_visible_to(lawyer)
    assert integrity.problems_of(case, list(events_of(case))) == []


def test_only_the_invited_agent_answers(case, worker_demo, lawyer):
    grant = agents.agent_authorise(
        by=worker_demo, case=case, party=_applicant(case), mobile=lawyer.mobile, authority="general"
    )
    other = _account("吴律师", "13712345603", Role.AGENT, "37010219800101203")
    agent_profile_save(by=other, kind="citizen")
    for by in (other, worker_demo):
        with pytest.raises(PermissionDenied):
            agents.agent_authorisation_accept(by=by, authorisation=grant)
        with pytest.raises(PermissionDenied):
            agents.agent_authorisation_decline(by=by, authorisation=grant)
    grant.refresh_from_db()
    assert grant.state == "invited" and not _applicant(case).agents.exists()
    assert case not in cases_visible_to(other)


def test_the_party_withdraws_a_pending_invitation(case, worker_demo, lawyer):
    grant = agents.agent_authorise(
        by=worker_demo, case=case, party=_applicant(case), mobile=lawyer.mobile, authority="general"
    )
    revoked = agents.agent_authorisation_revoke(by=worker_demo, authorisation=grant)
    assert revoked.state == "revoked"
    event = events_of(case).last()
    assert event.kind == "case.agent_revoked" and event.payload["agent"] is None
    assert Notification.objects.filter(recipient=lawyer, kind="agent_revoked").exists()
    with pytest.raises(ValidationError, match="撤回"):
        agents.agent_authorisation_accept(by=lawyer, authorisation=grant)
    assert case not in cases_visible_to(lawyer)
    assert not _applicant(case).agents.exists()
    assert integrity.problems_of(case, list(events_of(case))) == []


def test_after_revocation_the_agent_no_longer_sees_the_case(case, worker_demo, lawyer):
    grant = _authorise(worker_demo, case, _applicant(case), lawyer)
    revoked = agents.agent_authorisation_revoke(by=worker_demo, authorisation=grant)
    assert revoked.revoked_at is not None
    assert not cases_visible_to(lawyer).exists()
    # Nothing referred to the Agent row: it left the party list; the authorisation stays.
    assert not _applicant(case).agents.exists()
    assert AgentAuthorisation.objects.filter(pk=grant.pk).exists()
    event = events_of(case).last()
    assert event.kind == "case.agent_revoked" and event.payload["agent_removed"] is True
    assert integrity.problems_of(case, list(events_of(case))) == []
    with pytest.raises(ValidationError):
        agents.agent_authorisation_revoke(by=worker_demo, authorisation=grant)
    # Authorised again later: a new authorisation.
    again = _authorise(worker_demo, case, _applicant(case), lawyer)
    assert again.pk != grant.pk and case in cases_visible_to(lawyer)


def test_the_same_agent_is_not_invited_twice_for_one_party(case, worker_demo, lawyer):
    grant = agents.agent_authorise(
        by=worker_demo, case=case, party=_applicant(case), mobile=lawyer.mobile, authority="general"
    )
    # Neither while the invitation is pending nor once it is accepted.
    for accept in (False, True):
        if accept:
            agents.agent_authorisation_accept(by=lawyer, authorisation=grant)
        events = events_of(case).count()
        with pytest.raises(ValidationError) as exc:
            agents.agent_authorise(
                by=worker_demo,
                case=case,
                party=_applicant(case),
                mobile=lawyer.mobile,
                authority="special",
            )
        assert list(exc.value.message_dict) == ["mobile"]
        assert events_of(case).count() == events
    assert AgentAuthorisation.objects.count() == 1
    assert _applicant(case).agents.count() == 1


def test_a_stranger_may_not_authorise_or_revoke(case, worker_demo, lawyer):
    stranger = _account("路人", "13712345602", Role.WORKER, "37010219800101202")
    with pytest.raises(PermissionDenied):
        agents.agent_authorise(
            by=stranger,
            case=case,
            party=_applicant(case),
            mobile=lawyer.mobile,
            authority="general",
        )
    grant = agents.agent_authorise(
        by=worker_demo, case=case, party=_applicant(case), mobile=lawyer.mobile, authority="general"
    )
    with pytest.raises(PermissionDenied):
        agents.agent_authorisation_revoke(by=stranger, authorisation=grant)
    # The applicant does not act for the employer: it may not name the employer's agent.
    with pytest.raises(PermissionDenied):
        agents.agent_authorise(
            by=worker_demo,
            case=case,
            party=_respondent(case),
            mobile=lawyer.mobile,
            authority="general",
        )
    # The agent itself does not appoint or dismiss agents.
    other = _account("吴律师", "13712345603", Role.AGENT, "37010219800101203")
    agent_profile_save(by=other, kind="citizen")
    with pytest.raises(PermissionDenied):
        agents.agent_authorise(
            by=lawyer, case=case, party=_applicant(case), mobile=other.mobile, authority="general"
        )
    with pytest.raises(PermissionDenied):
        agents.agent_authorisation_revoke(by=lawyer, authorisation=grant)
    assert AgentAuthorisation.objects.filter(revoked_at__isnull=True).count() == 1


def test_only_an_agent_account_with_its_details_can_be_authorised(case, worker_demo, province):
    bare = _account("新代理", "13712345604", Role.AGENT, "37010219800101204")
    other_worker = _account("路人", "13712345602", Role.WORKER, "37010219800101202")
    for mobile in ("13799999999", other_worker.mobile, bare.mobile, "0531-8888"):
        with pytest.raises(ValidationError) as exc:
            agents.agent_authorise(
                by=worker_demo,
                case=case,
                party=_applicant(case),
                mobile=mobile,
                authority="general",
            )
        assert list(exc.value.message_dict) == ["mobile"]
    assert not AgentAuthorisation.objects.exists()
    assert not _applicant(case).agents.exists()


def test_no_agent_is_authorised_on_a_draft(worker_demo, lawyer):
    case = draft(worker_demo)
    with pytest.raises(ValidationError):
        agents.agent_authorise(
            by=worker_demo,
            case=case,
            party=_applicant(case),
            mobile=lawyer.mobile,
            authority="general",
        )
    assert not AgentAuthorisation.objects.exists()


def test_the_employers_staff_authorise_the_employers_lawyer(
    lixia_intake, lixia_head, lawyer, worker_demo
):
    hr = _account("刘红", "13812345678", Role.EMPLOYER, "37010219800101205")
    employer = employer_register(by=hr, credit_code=EMPLOYER["credit_code"], name=EMPLOYER["name"])
    employer_verify(by=lixia_intake, employer=employer)
    case = accepted(lixia_intake, lixia_head)
    grant = _authorise(hr, case, _respondent(case), lawyer)
    assert grant.agent.party == _respondent(case)
    assert case in cases_visible_to(lawyer)
    # The respondent's agent does not see the worker's other cases.
    own = received(worker_demo)
    assert own not in cases_visible_to(lawyer)
