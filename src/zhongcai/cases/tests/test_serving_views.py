"""Service (送达) through the staff pages: the panel, its forms, the printable 送达回证."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhongcai.cases import selectors, serving
from zhongcai.cases.documents import document_issue
from zhongcai.cases.models import DocumentKind, Party, ServiceMethod, ServiceRecord, Status
from zhongcai.cases.views import serving as serving_views

from .factories import accepted

M = ServiceMethod
# Issued before this stage: the receipt, the acceptance notice and the filing approval.
ISSUED_AT_INTAKE = [
    DocumentKind.RECEIPT,
    DocumentKind.ACCEPTANCE_NOTICE,
    DocumentKind.FILING_APPROVAL,
]


def _url(name, case, *args):
    return reverse(f"cases:{name}", args=[case.pk, *args])


@pytest.fixture
def case(institutions, lixia_intake, lixia_head):
    return accepted(lixia_intake, lixia_head)


def _respondent(case):
    return case.parties.get(role=Party.Role.RESPONDENT)


def _notice(case):
    with transaction.atomic():
        return document_issue(
            case=case, kind=DocumentKind.HEARING_NOTICE, title="开庭通知书", by=None
        )


def test_the_case_page_offers_the_service_steps(case, login, lixia_clerk):
    page = login(lixia_clerk).get(_url("case-detail", case))
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("case-confirm-service-address", "case-serve-application-copy", "case-serve"):
        assert f'action="{_url(name, case)}"' in html
    assert 'enctype="multipart/form-data"' in html


def test_a_clerk_serves_the_application_copy_from_the_page(case, login, lixia_clerk):
    response = login(lixia_clerk).post(
        _url("case-serve-application-copy", case),
        {"method": M.IN_PERSON, "signed_on_the_spot": "on"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.DEFENCE_PERIOD
    assert case.deadlines.filter(code="defence", party=_respondent(case)).exists()
    page = login(lixia_clerk).get(_url("case-detail", case))
    assert "应诉通知书" in page.content.decode() or "Notice to respond" in page.content.decode()


def test_electronic_service_without_consent_shows_the_form_again(case, login, lixia_clerk):
    response = login(lixia_clerk).post(
        _url("case-serve-application-copy", case), {"method": M.ELECTRONIC}
    )
    assert response.status_code == 400
    assert "尚未同意电子送达并确认送达地址" in response.content.decode()
    assert not ServiceRecord.objects.filter(case=case).exists()
    assert not case.documents.exclude(kind__in=ISSUED_AT_INTAKE).exists()


def test_a_service_address_is_confirmed_from_the_page(case, login, lixia_clerk):
    respondent = _respondent(case)
    response = login(lixia_clerk).post(
        _url("case-confirm-service-address", case),
        {"party": respondent.pk, "electronic_consent": "on", "mobile": "13800000009"},
    )
    assert response.status_code == 302
    assert serving.current_address(respondent).electronic_consent


def test_posting_with_its_photo_from_the_page(case, login, lixia_clerk):
    notice = _notice(case)
    photo = SimpleUploadedFile(
        "posting.jpg", b"\xff\xd8\xff photo bytes", content_type="image/jpeg"
    )
    response = login(lixia_clerk).post(
        _url("case-serve", case),
        {
            "document": notice.pk,
            "parties": [_respondent(case).pk],
            "method": M.POSTING,
            "note": "拒绝签收",
            "photo": photo,
        },
    )
    assert response.status_code == 302
    record = notice.services.get()
    assert record.photo
    download = login(lixia_clerk).get(_url("case-service-photo", case, record.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"\xff\xd8\xff photo bytes"


def test_posting_without_a_photo_is_refused_and_nothing_is_written(case, login, lixia_clerk):
    notice = _notice(case)
    response = login(lixia_clerk).post(
        _url("case-serve", case),
        {"document": notice.pk, "parties": [_respondent(case).pk], "method": M.POSTING},
    )
    assert response.status_code == 400
    assert not notice.services.exists()


def test_a_party_of_another_case_is_not_a_choice(
    case, login, lixia_clerk, lixia_intake, lixia_head
):
    other = accepted(lixia_intake, lixia_head)
    notice = _notice(case)
    response = login(lixia_clerk).post(
        _url("case-serve", case),
        {"document": notice.pk, "parties": [_respondent(other).pk], "method": M.POST},
    )
    assert response.status_code == 400
    assert not ServiceRecord.objects.exists()


def test_the_signed_receipt_is_recorded_from_the_page(case, login, lixia_clerk):
    notice = _notice(case)
    [record] = serving.serve(
        by=lixia_clerk, case=case, document=notice, parties=[_respondent(case)], method=M.POST
    )
    response = login(lixia_clerk).post(
        _url("case-record-delivery", case), {"record": record.pk, "signed_by_name": "赵建国"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.signed_by_name == "赵建国" and record.deemed_served_on


def test_the_service_receipt_prints(case, login, lixia_clerk):
    notice = _notice(case)
    [record] = serving.serve(
        by=lixia_clerk,
        case=case,
        document=notice,
        parties=[_respondent(case)],
        method=M.IN_PERSON,
        signed_by_name="赵建国",
    )
    page = login(lixia_clerk).get(_url("case-service-receipt", case, record.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "开庭通知书" in html and "赵建国" in html
    assert record.deemed_served_on.isoformat() in html


def test_the_intake_officer_may_not_serve(case, login, lixia_intake):
    response = login(lixia_intake).post(
        _url("case-serve-application-copy", case), {"method": M.POST}
    )
    assert response.status_code == 403


def test_the_city_sees_the_receipt_but_may_not_serve(case, login, lixia_clerk, jinan_admin):
    notice = _notice(case)
    [record] = serving.serve(
        by=lixia_clerk, case=case, document=notice, parties=[_respondent(case)], method=M.POST
    )
    client = login(jinan_admin)
    assert client.get(_url("case-service-receipt", case, record.pk)).status_code == 200
    assert (
        client.post(_url("case-serve-application-copy", case), {"method": M.POST}).status_code
        == 403
    )


def test_a_step_no_longer_possible_goes_back_with_the_reason(case, login, lixia_clerk):
    case.status = Status.HEARING
    case.save(update_fields=["status"])
    response = login(lixia_clerk).post(
        _url("case-serve-application-copy", case), {"method": M.POST}
    )
    assert response.status_code == 302
    [message] = list(get_messages(response.wsgi_request))
    assert "nothing was changed" in str(message) or "未作任何更改" in str(message)
    assert not case.documents.exclude(kind__in=ISSUED_AT_INTAKE).exists()


def test_another_county_gets_404_on_every_service_url(case, login, lixia_clerk, licheng_intake):
    notice = _notice(case)
    [record] = serving.serve(
        by=lixia_clerk,
        case=case,
        document=notice,
        parties=[_respondent(case)],
        method=M.POSTING,
        note="拒收",
        photo=SimpleUploadedFile("p.jpg", b"\xff\xd8\xff x"),
    )
    client = login(licheng_intake)
    for name in serving_views.ACTION_URLS.values():
        assert client.post(reverse(name, args=[case.pk]), {}).status_code == 404, name
    assert client.get(_url("case-service-receipt", case, record.pk)).status_code == 404
    assert client.get(_url("case-service-photo", case, record.pk)).status_code == 404


def test_a_record_of_another_case_is_not_found(case, login, lixia_clerk, lixia_intake, lixia_head):
    other = accepted(lixia_intake, lixia_head)
    notice = _notice(other)
    [record] = serving.serve(
        by=lixia_clerk, case=other, document=notice, parties=[_respondent(other)], method=M.POST
    )
    assert login(lixia_clerk).get(_url("case-service-receipt", case, record.pk)).status_code == 404


def _render_panel(case, user):
    # A fresh case, as each request has: the panel keeps the rows it read on the case object.
    case = selectors.get_case_for(user, case.pk)
    prefetch_related_objects([case], "parties__agents", "deadlines")
    request = RequestFactory().get("/")
    request.user = user
    context = serving_views.panel(request, case, {})
    # Forms render their choices, and rows their parties, when the template shows them.
    for action in context["actions"]:
        str(action["form"])
    for entry in context["documents"]:
        for record in entry["services"]:
            str(record.party.name)
    for address in context["addresses"]:
        str(address.party.name)


def test_the_panel_answers_in_a_bounded_number_of_queries(
    case, lixia_clerk, django_assert_max_num_queries
):
    notice = _notice(case)
    [respondent] = [_respondent(case)]
    serving.serve(by=lixia_clerk, case=case, document=notice, parties=[respondent], method=M.POST)
    serving.service_address_confirm(
        by=lixia_clerk, case=case, party=respondent, electronic_consent=True, mobile="13800000009"
    )
    with CaptureQueriesContext(connection) as one:
        _render_panel(case, lixia_clerk)
    for _round in range(4):
        serving.serve(
            by=lixia_clerk,
            case=case,
            document=_notice(case),
            parties=list(case.parties.all()),
            method=M.POST,
        )
    for party in case.parties.all():
        serving.service_address_confirm(
            by=lixia_clerk, case=case, party=party, electronic_consent=True, mobile="13800000009"
        )
    with django_assert_max_num_queries(len(one)):
        _render_panel(case, lixia_clerk)
