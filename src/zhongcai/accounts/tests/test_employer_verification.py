"""Commission staff verify an employer's registration before it opens any case (ADR 10)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhongcai.accounts.employers import employer_refuse, employer_verify, employers_to_verify
from zhongcai.accounts.models import Employer, Role, User
from zhongcai.accounts.services import employer_register
from zhongcai.cases.tests.factories import EMPLOYER, id_number
from zhongcai.core.events import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(province):
    return User.objects.create_user(
        username="hr",
        password="x",
        role=Role.EMPLOYER,
        mobile="13812340000",
        id_number=id_number("37010219800101123"),
        real_name="刘红",
    )


def _register(hr, proof=None):
    return employer_register(
        by=hr, credit_code=EMPLOYER["credit_code"], name=EMPLOYER["name"], proof=proof
    )


def _pdf():
    return SimpleUploadedFile(
        "营业执照.pdf", b"%PDF-1.4\n licence\n", content_type="application/pdf"
    )


def test_staff_of_the_employers_area_verify_it_and_its_admin_is_told(hr, lixia_intake):
    employer = _register(hr, _pdf())
    assert employer.proof and employer.verified_at is None
    assert list(employers_to_verify(lixia_intake)) == [employer]
    employer_verify(by=lixia_intake, employer=employer)
    employer.refresh_from_db()
    assert employer.verified_by == lixia_intake and employer.verified_at is not None
    assert hr.notifications.filter(kind="employer.verified").exists()
    assert not employers_to_verify(lixia_intake).exists()
    with pytest.raises(ValidationError):
        employer_verify(by=lixia_intake, employer=employer)


def test_no_one_else_verifies(hr, licheng_intake, lixia_clerk, worker_demo, jinan_admin):
    employer = _register(hr)
    # Another county, a role that does not verify, a public user.
    for user in (licheng_intake, lixia_clerk, worker_demo):
        with pytest.raises(PermissionDenied):
            employer_verify(by=user, employer=employer)
    assert not employers_to_verify(licheng_intake).exists()
    # The city above does.
    employer_verify(by=jinan_admin, employer=employer)


def test_a_refused_registration_is_removed_so_the_real_employer_can_register(
    hr, lixia_intake, employer_demo
):
    employer = _register(hr)
    with pytest.raises(ValidationError):
        employer_refuse(by=lixia_intake, employer=employer, reason=" ")
    employer_refuse(by=lixia_intake, employer=employer, reason="授权委托书未加盖单位公章。")
    assert not Employer.objects.exists()
    assert "公章" in Event.objects.get(kind="employer.refused").payload["reason"]
    assert hr.notifications.filter(kind="employer.refused").exists()
    again = employer_register(
        by=employer_demo, credit_code=EMPLOYER["credit_code"], name=EMPLOYER["name"]
    )
    assert again.pk != employer.pk


def test_the_staff_page_lists_verifies_and_refuses(client, hr, lixia_intake, licheng_intake):
    employer = _register(hr, _pdf())
    client.force_login(licheng_intake)
    assert EMPLOYER["name"] not in client.get(reverse("employers-staff:queue")).content.decode()
    decide = reverse("employers-staff:decide", args=[employer.pk])
    assert client.post(decide, {"decision": "verify"}).status_code == 404
    assert client.get(reverse("employers-staff:proof", args=[employer.pk])).status_code == 404
    client.force_login(lixia_intake)
    page = client.get(reverse("employers-staff:queue")).content.decode()
    assert EMPLOYER["name"] in page
    proof = client.get(reverse("employers-staff:proof", args=[employer.pk]))
    assert proof.status_code == 200 and "attachment" in proof["Content-Disposition"]
    assert client.post(decide, {"decision": "verify"}).status_code == 302
    employer.refresh_from_db()
    assert employer.verified_at is not None
    # The public never reach the page.
    client.force_login(hr)
    assert client.get(reverse("employers-staff:queue")).status_code == 403


def test_a_disguised_program_is_refused_as_proof(hr):
    program = SimpleUploadedFile("licence.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as raised:
        _register(hr, program)
    assert "proof" in raised.value.message_dict
    assert not Employer.objects.exists()
