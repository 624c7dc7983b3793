"""Service (送达) through the API: every step, the service list, and every way it is refused."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from zhongcai.cases import integrity
from zhongcai.cases.documents import document_issue
from zhongcai.cases.models import (
    Case,
    DocumentKind,
    Party,
    ServiceMethod,
    ServiceRecord,
    Status,
)
from zhongcai.cases.tests.factories import accepted
from zhongcai.core.events import events_of

M = ServiceMethod
# Issued before this stage: the receipt, the acceptance notice and the filing approval.
ISSUED_AT_INTAKE = [
    DocumentKind.RECEIPT,
    DocumentKind.ACCEPTANCE_NOTICE,
    DocumentKind.FILING_APPROVAL,
]


def _post(client, case, step, body=None, **kwargs):
    return client.post(
        f"/api/v1/cases/{case.pk}/{step}/", body or {}, format=kwargs.get("format", "json")
    )


def _respondent(case):
    return case.parties.get(role=Party.Role.RESPONDENT)


def _applicant(case):
    return case.parties.get(role=Party.Role.APPLICANT)


@pytest.fixture
def case(institutions, lixia_intake, lixia_head):
    with time_machine.travel("2025-11-03 09:00 +0800", tick=False):
        return accepted(lixia_intake, lixia_head)


def _issue(case, kind=DocumentKind.HEARING_NOTICE, title="开庭通知书"):
    with transaction.atomic():
        return document_issue(case=case, kind=kind, title=title, by=None)


def test_consent_then_electronic_service_of_the_application_copy(case, api, lixia_clerk):
    client = api(lixia_clerk)
    for party in case.parties.all():
        confirmed = _post(
            client,
            case,
            "confirm-service-address",
            {"party": party.pk, "electronic_consent": True, "mobile": "13800000009"},
        )
        assert confirmed.status_code == 200, confirmed.json()
    with time_machine.travel("2025-11-04 10:00 +0800", tick=False):
        served = _post(client, case, "serve-application-copy", {"method": M.ELECTRONIC})
    assert served.status_code == 200, served.json()
    assert served.json()["status"] == Status.DEFENCE_PERIOD
    listed = client.get(f"/api/v1/cases/{case.pk}/services/").json()
    assert len(listed) == 3
    assert {row["deemed_served_on"] for row in listed} == {"2025-11-04"}
    assert {row["document"]["kind"] for row in listed} == {"response_notice", "evidence_notice"}
    addresses = client.get(f"/api/v1/cases/{case.pk}/service-addresses/").json()
    assert {a["electronic_consent"] for a in addresses} == {True}
    defence = case.deadlines.get(code="defence")
    assert defence.started_on == date(2025, 11, 4)
    assert integrity.problems_of(Case.objects.get(pk=case.pk), list(events_of(case))) == []


def test_electronic_service_without_consent_is_a_400_with_nothing_written(case, api, lixia_clerk):
    response = _post(api(lixia_clerk), case, "serve-application-copy", {"method": M.ELECTRONIC})
    assert response.status_code == 400
    assert "method" in response.json()
    assert not ServiceRecord.objects.exists()
    assert not case.documents.exclude(kind__in=ISSUED_AT_INTAKE).exists()
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_sms_in_a_case_not_simplified_is_refused(case, api, lixia_clerk):
    notice = _issue(case)
    response = _post(
        api(lixia_clerk),
        case,
        "serve",
        {"document": notice.pk, "parties": [_respondent(case).pk], "method": M.SMS},
    )
    assert response.status_code == 400
    assert "只有简易处理的案件才能以短信或电话方式送达" in " ".join(response.json()["method"])
    assert not notice.services.exists()


def test_sms_for_an_award_is_refused(institutions, lixia_intake, lixia_head, api, lixia_clerk):
    case = accepted(lixia_intake, lixia_head, simplified=True)
    award = _issue(case, DocumentKind.AWARD, "裁决书")
    response = _post(
        api(lixia_clerk),
        case,
        "serve",
        {"document": award.pk, "parties": [_applicant(case).pk], "method": M.SMS},
    )
    assert response.status_code == 400
    assert not award.services.exists()


def test_posting_with_a_photo_in_multipart(case, api, lixia_clerk):
    notice = _issue(case)
    photo = SimpleUploadedFile("p.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
    response = api(lixia_clerk).post(
        f"/api/v1/cases/{case.pk}/serve/",
        {
            "document": notice.pk,
            "parties": [_respondent(case).pk],
            "method": M.POSTING,
            "note": "拒收",
            "photo": photo,
        },
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    [row] = api(lixia_clerk).get(f"/api/v1/cases/{case.pk}/services/").json()
    assert row["has_photo"] and row["deemed_served_on"]


def test_posting_without_a_photo_is_refused(case, api, lixia_clerk):
    notice = _issue(case)
    response = _post(
        api(lixia_clerk),
        case,
        "serve",
        {"document": notice.pk, "parties": [_respondent(case).pk], "method": M.POSTING},
    )
    assert response.status_code == 400
    assert "photo" in response.json()


def test_post_then_the_signed_receipt(case, api, lixia_clerk):
    client = api(lixia_clerk)
    with time_machine.travel("2025-11-04 10:00 +0800", tick=False):
        assert _post(client, case, "serve-application-copy", {"method": M.POST}).status_code == 200
    record = ServiceRecord.objects.get(
        case=case, party=_respondent(case), document__kind=DocumentKind.RESPONSE_NOTICE
    )
    with time_machine.travel("2025-11-07 10:00 +0800", tick=False):
        signed = _post(
            client, case, "record-delivery", {"record": record.pk, "signed_by_name": "赵建国"}
        )
    assert signed.status_code == 200
    assert case.deadlines.get(code="defence").started_on == date(2025, 11, 7)
    again = _post(client, case, "record-delivery", {"record": record.pk, "signed_by_name": "x"})
    assert again.status_code == 400


def test_an_id_from_another_case_is_a_400(case, api, lixia_clerk, lixia_intake, lixia_head):
    other = accepted(lixia_intake, lixia_head)
    notice = _issue(other)
    response = _post(
        api(lixia_clerk),
        case,
        "serve",
        {"document": notice.pk, "parties": [_respondent(other).pk], "method": M.POST},
    )
    assert response.status_code == 400
    assert set(response.json()) == {"document", "parties"}


def test_the_intake_officer_and_the_city_get_403(case, api, lixia_intake, jinan_admin):
    for user in (lixia_intake, jinan_admin):
        response = _post(api(user), case, "serve-application-copy", {"method": M.POST})
        assert response.status_code == 403
    assert api(jinan_admin).get(f"/api/v1/cases/{case.pk}/services/").status_code == 200


def test_the_application_copy_in_the_wrong_state_is_a_409(case, api, lixia_clerk):
    Case.objects.filter(pk=case.pk).update(status=Status.DELIBERATION)
    response = _post(api(lixia_clerk), case, "serve-application-copy", {"method": M.POST})
    assert response.status_code == 409
    assert not case.documents.exclude(kind__in=ISSUED_AT_INTAKE).exists()


def test_another_county_gets_404_on_every_service_endpoint(case, api, lixia_clerk, licheng_intake):
    notice = _issue(case)
    client = api(licheng_intake)
    for step in (
        "confirm-service-address",
        "serve-application-copy",
        "serve",
        "record-delivery",
    ):
        assert _post(client, case, step, {"document": notice.pk}).status_code == 404, step
    for read in ("services", "service-addresses"):
        assert client.get(f"/api/v1/cases/{case.pk}/{read}/").status_code == 404, read
