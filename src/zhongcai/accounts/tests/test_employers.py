"""Employers on the portal: registration by credit code, staff added and removed (issue 6)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse

from zhongcai.accounts.employers import employer_verify
from zhongcai.accounts.models import Employer, EmployerMember, Role, User
from zhongcai.accounts.services import (
    employer_member_add,
    employer_member_remove,
    employer_register,
)
from zhongcai.accounts.tests.codes import code_for
from zhongcai.cases.selectors import cases_visible_to
from zhongcai.cases.tests.factories import EMPLOYER, accepted, credit_code, id_number, received
from zhongcai.core.events import events_of

pytestmark = pytest.mark.django_db

CODE = EMPLOYER["credit_code"]


def _account(username: str, mobile: str, role: Role = Role.EMPLOYER, body: str = "") -> User:
    return User.objects.create_user(
        username=username,
        password="x",
        role=role,
        mobile=mobile,
        id_number=id_number(body or f"370102198001{mobile[-5:]}"),
        real_name=username,
    )


@pytest.fixture
def hr(province):
    return _account("刘红", "13812345678")


@pytest.fixture
def colleague(province):
    return _account("陈明", "13912340001")


def test_it_registers_the_employer_with_its_first_administrator(hr):
    employer = employer_register(by=hr, credit_code=CODE.lower(), name=" 济南示例商贸有限公司 ")
    assert (employer.credit_code, employer.name) == (CODE, "济南示例商贸有限公司")
    member = employer.members.get()
    assert (member.user, member.is_admin, member.removed_at) == (hr, True, None)
    [event] = events_of(employer)
    assert event.kind == "employer.registered" and event.actor == hr


def test_a_registered_code_points_to_its_administrator_and_writes_nothing(hr, colleague):
    employer_register(by=hr, credit_code=CODE, name="济南示例商贸有限公司")
    with pytest.raises(ValidationError) as exc:
        employer_register(by=colleague, credit_code=CODE, name="另一个名字")
    [message] = exc.value.message_dict["credit_code"]
    assert "刘*" in message and "5678" not in message
    assert Employer.objects.count() == 1
    assert not EmployerMember.objects.filter(user=colleague).exists()


def test_two_registering_one_code_at_once_one_wins(hr, colleague, monkeypatch):
    """The check passes for both; the unique code refuses the second insert."""
    employer_register(by=hr, credit_code=CODE, name="济南示例商贸有限公司")
    real_filter = Employer.objects.filter

    class NotYetVisible:
        def exists(self) -> bool:
            return False

    monkeypatch.setattr(
        Employer.objects,
        "filter",
        lambda **kw: NotYetVisible() if kw == {"credit_code": CODE} else real_filter(**kw),
    )
    with pytest.raises(ValidationError) as exc:
        employer_register(by=colleague, credit_code=CODE, name="济南示例商贸有限公司")
    assert "刘*" in exc.value.message_dict["credit_code"][0]
    assert Employer.objects.count() == 1
    assert not EmployerMember.objects.filter(user=colleague).exists()


def test_it_refuses_a_wrong_credit_code_and_an_empty_name(hr):
    with pytest.raises(ValidationError) as exc:
        employer_register(by=hr, credit_code=CODE[:17] + "0", name=" ")
    assert set(exc.value.message_dict) == {"credit_code", "name"}
    assert not Employer.objects.exists()


def test_only_an_employer_account_registers_an_employer(worker_demo):
    with pytest.raises(PermissionDenied):
        employer_register(by=worker_demo, credit_code=CODE, name="济南示例商贸有限公司")
    assert not Employer.objects.exists()


def test_an_administrator_adds_and_removes_a_colleague(hr, colleague):
    employer = employer_register(by=hr, credit_code=CODE, name="济南示例商贸有限公司")
    member = employer_member_add(by=hr, employer=employer, mobile="139 1234 0001")
    assert (member.user, member.is_admin, member.added_by) == (colleague, False, hr)
    with pytest.raises(ValidationError) as exc:
        employer_member_add(by=hr, employer=employer, mobile=colleague.mobile)
    assert "mobile" in exc.value.message_dict
    employer_member_remove(by=hr, member=member)
    member.refresh_from_db()
    assert member.removed_at is not None
    with pytest.raises(ValidationError):
        employer_member_remove(by=hr, member=member)
    # Removed, the colleague may be added again.
    employer_member_add(by=hr, employer=employer, mobile=colleague.mobile)
    assert [e.kind for e in events_of(employer)] == [
        "employer.registered",
        "employer.member_added",
        "employer.member_removed",
        "employer.member_added",
    ]


def test_only_an_employer_account_can_be_added(hr, worker_demo):
    employer = employer_register(by=hr, credit_code=CODE, name="济南示例商贸有限公司")
    for mobile in (worker_demo.mobile, "13700000000", "12345"):
        with pytest.raises(ValidationError) as exc:
            employer_member_add(by=hr, employer=employer, mobile=mobile)
        assert list(exc.value.message_dict) == ["mobile"]
    assert employer.members.count() == 1


def test_staff_who_are_not_administrators_change_nothing(hr, colleague):
    employer = employer_register(by=hr, credit_code=CODE, name="济南示例商贸有限公司")
    member = employer_member_add(by=hr, employer=employer, mobile=colleague.mobile)
    third = _account("赵敏", "13912340002")
    with pytest.raises(PermissionDenied):
        employer_member_add(by=colleague, employer=employer, mobile=third.mobile)
    with pytest.raises(PermissionDenied):
        employer_member_remove(by=colleague, member=employer.members.get(user=hr))
    with pytest.raises(PermissionDenied):
        employer_member_remove(by=third, member=member)
    assert employer.members.filter(removed_at__isnull=True).count() == 2


def test_the_last_administrator_cannot_leave(hr, colleague):
    employer = employer_register(by=hr, credit_code=CODE, name="济南示例商贸有限公司")
    me = employer.members.get(user=hr)
    with pytest.raises(ValidationError):
        employer_member_remove(by=hr, member=me)
    employer_member_add(by=hr, employer=employer, mobile=colleague.mobile, is_admin=True)
    employer_member_remove(by=hr, member=me)
    me.refresh_from_db()
    assert me.removed_at is not None


def test_staff_see_an_accepted_case_against_their_employer_not_a_received_one(
    hr, lixia_intake, lixia_head
):
    employer = employer_register(by=hr, credit_code=CODE, name="济南示例商贸有限公司")
    waiting = received(lixia_intake)
    case = accepted(lixia_intake, lixia_head)
    # Nothing until the commission verified the registration.
    assert not cases_visible_to(hr).exists()
    employer_verify(by=lixia_intake, employer=employer)
    visible = cases_visible_to(hr)
    assert case in visible
    assert waiting not in visible
    # Another employer's staff sees neither.
    other = _account("孙丽", "13912340003")
    employer_register(by=other, credit_code=credit_code("91370102MA3C00002"), name="别的公司")
    assert not cases_visible_to(other).exists()


def test_membership_is_unique_while_active(hr, colleague):
    employer = employer_register(by=hr, credit_code=CODE, name="济南示例商贸有限公司")
    with pytest.raises(IntegrityError):
        EmployerMember.objects.create(
            employer=employer, user=hr, added_by=hr, added_at=employer.registered_at
        )


# --- Pages -----------------------------------------------------------------------------------


def test_a_new_employer_account_is_sent_to_register_its_employer(client, province):
    response = client.post(
        reverse("accounts:register"),
        {
            "role": "employer",
            "real_name": "刘红",
            "id_number": id_number("37010219800101123"),
            "mobile": "13812345678",
            "mobile_code": code_for("13812345678"),
            "password1": "Gongzi-2026!",
            "password2": "Gongzi-2026!",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:employer")
    page = client.get(response.url)
    assert page.status_code == 200
    assert 'name="credit_code"' in page.content.decode()


def test_the_employer_page_registers_and_shows_the_staff(client, hr, colleague):
    client.force_login(hr)
    url = reverse("accounts:employer")
    bad = client.post(url, {"credit_code": CODE[:17] + "0", "name": "济南示例商贸有限公司"})
    html = bad.content.decode()
    assert bad.status_code == 200
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_credit_code-error id_credit_code_helptext"' in html
    assert not Employer.objects.exists()
    response = client.post(url, {"credit_code": CODE, "name": "济南示例商贸有限公司"})
    assert response.status_code == 302
    employer = Employer.objects.get()
    add = reverse("accounts:employer-member-add", args=[employer.pk])
    response = client.post(add, {"mobile": colleague.mobile})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "济南示例商贸有限公司" in html and "陈明" in html and "139****0001" in html
    # Twice: the error is on the field, nothing is added.
    again = client.post(add, {"mobile": colleague.mobile})
    assert again.status_code == 200
    assert f'id="id_{employer.pk}_mobile-error"' in again.content.decode()
    assert employer.members.filter(removed_at__isnull=True).count() == 2
    member = employer.members.get(user=colleague)
    remove = reverse("accounts:employer-member-remove", args=[member.pk])
    assert client.post(remove).status_code == 302
    member.refresh_from_db()
    assert member.removed_at is not None


def test_the_last_administrator_is_told_why_it_cannot_leave(client, hr):
    employer = employer_register(by=hr, credit_code=CODE, name="济南示例商贸有限公司")
    client.force_login(hr)
    me = employer.members.get()
    response = client.post(reverse("accounts:employer-member-remove", args=[me.pk]), follow=True)
    assert 'class="message error"' in response.content.decode()
    me.refresh_from_db()
    assert me.removed_at is None


def test_other_employers_staff_get_404(client, hr, colleague):
    employer = employer_register(by=hr, credit_code=CODE, name="济南示例商贸有限公司")
    employer_register(by=colleague, credit_code=credit_code("91370102MA3C00002"), name="别的公司")
    client.force_login(colleague)
    add = reverse("accounts:employer-member-add", args=[employer.pk])
    assert client.post(add, {"mobile": colleague.mobile}).status_code == 404
    me = employer.members.get()
    remove = reverse("accounts:employer-member-remove", args=[me.pk])
    assert client.post(remove).status_code == 404
    assert employer.members.filter(removed_at__isnull=True).count() == 1


def test_the_employer_pages_need_login_and_an_employer_account(client, worker_demo):
    url = reverse("accounts:employer")
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    client.force_login(worker_demo)
    assert client.get(url).status_code == 403
