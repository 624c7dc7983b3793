"""Following a case on the portal: my cases, the case page, the inbox, the employer's defence,
and the counter query."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhongcai.accounts.models import Employer, EmployerMember, Role
from zhongcai.accounts.services import public_user_register
from zhongcai.accounts.tests.codes import code_for
from zhongcai.cases import services
from zhongcai.cases.models import (
    Defence,
    DocumentKind,
    EvidenceItem,
    Party,
    Receipt,
    ServiceMethod,
    ServiceRecord,
    Status,
)
from zhongcai.cases.serving import serve_application_copy, service_address_confirm
from zhongcai.cases.tests.factories import EMPLOYER, WORKER, id_number, received
from zhongcai.core.events import events_of
from zhongcai.portal import mycases

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _pdf(name: str = "pay-slips.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _url(name: str, *args: object) -> str:
    return reverse(f"portal:{name}", args=args)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.fixture
def submitted(institutions, worker_demo):
    """王秀英 (worker_demo) applied online against 济南示例商贸有限公司; not yet accepted."""
    return received(worker_demo)


@pytest.fixture
def case(submitted, lixia_head):
    return services.case_accept(by=lixia_head, case=submitted, warnings_acknowledged=True)


@pytest.fixture
def hr(employer_demo):
    """employer_demo is HR staff of the respondent (its credit code)."""
    now = timezone.now()
    employer = Employer.objects.create(
        credit_code=EMPLOYER["credit_code"],
        name=EMPLOYER["name"],
        registered_by=employer_demo,
        registered_at=now,
        verified_at=now,
    )
    EmployerMember.objects.create(
        employer=employer, user=employer_demo, is_admin=True, added_by=employer_demo, added_at=now
    )
    return employer_demo


@pytest.fixture
def stranger(province):
    return public_user_register(
        mobile="13900000077",
        id_number=id_number("37010219920101003"),
        real_name="张三",
        password="a long enough password 1",
        mobile_code=code_for("13900000077"),
        role=Role.WORKER,
    )


def _party(case, role):
    return case.parties.get(role=role)


@pytest.fixture
def served(case, hr, worker_demo, lixia_clerk):
    """Both parties consented to e-service; the application copy and evidence notice were
    served electronically."""
    for party in case.parties.all():
        service_address_confirm(
            by=lixia_clerk, case=case, party=party, electronic_consent=True, mobile="13800000009"
        )
    serve_application_copy(by=lixia_clerk, case=case, method=ServiceMethod.ELECTRONIC)
    case.refresh_from_db()
    return case


def _record(case, role, kind=DocumentKind.EVIDENCE_NOTICE):
    return ServiceRecord.objects.get(case=case, party__role=role, document__kind=kind)


# --- My cases -----------------------------------------------------------------------------------


def test_it_lists_the_workers_case_with_its_stage_in_plain_words(login, submitted, worker_demo):
    page = login(worker_demo).get(_url("my-cases"))
    assert page.status_code == 200
    text = page.content.decode()
    assert _url("my-case", submitted.pk) in text
    assert EMPLOYER["name"] in text
    deadline = submitted.deadlines.get(code="acceptance_decision")
    assert f"{deadline.due_on.month}月{deadline.due_on.day}日" in text


def test_an_empty_list_says_how_to_start(login, stranger):
    page = login(stranger).get(_url("my-cases"))
    assert page.status_code == 200
    assert page.context["cases"] == []


def test_anonymous_users_are_sent_to_log_in(client, submitted):
    for url in (_url("my-cases"), _url("my-case", submitted.pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_staff_get_no_my_cases(login, case, lixia_clerk):
    client = login(lixia_clerk)
    assert client.get(_url("my-cases"))["Location"] == reverse("workspace:dashboard")
    assert client.get(_url("my-case", case.pk)).status_code == 404


# --- The case page ------------------------------------------------------------------------------


def test_the_worker_sees_its_case_the_stage_and_the_dates(login, served, worker_demo):
    page = login(worker_demo).get(_url("my-case", served.pk))
    assert page.status_code == 200
    view = page.context["view"]
    assert view.case.pk == served.pk
    assert [p.role for p in view.mine] == [Party.Role.APPLICANT]
    assert view.stage == str(mycases.STAGE_TEXT[Status.DEFENCE_PERIOD])
    assert view.stage in page.content.decode()
    labels = {d.label for d in view.dates}
    assert labels == {
        str(mycases.OTHER_DEFENCE),
        str(mycases.DATE_LABELS["evidence_period"]),
        str(mycases.DATE_LABELS["award"]),
    }
    # The evidence notice served online waits for its "received".
    [item] = page.context["records"]
    assert item["may_sign"] is True


def test_another_worker_gets_404_everywhere(login, served, stranger):
    client = login(stranger)
    record = _record(served, Party.Role.APPLICANT)
    assert client.get(_url("my-case", served.pk)).status_code == 404
    assert client.get(_url("my-case-document", served.pk, record.document_id)).status_code == 404
    posts = [
        ("my-case-address", {"address-party": "1", "address-mobile": "13900000077"}),
        ("my-case-defence", {"defence-text": "不同意"}),
        ("my-case-evidence", {"evidence-title": "x"}),
    ]
    for name, data in posts:
        assert client.post(_url(name, served.pk), data).status_code == 404
    response = client.post(_url("my-case-received", served.pk, record.pk))
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.signed_at is None


def test_received_signs_once(login, served, worker_demo):
    client = login(worker_demo)
    record = _record(served, Party.Role.APPLICANT)
    response = client.post(_url("my-case-received", served.pk, record.pk))
    assert response.status_code == 302
    record.refresh_from_db()
    first = record.signed_at
    assert first is not None
    assert record.signed_by_name == str(worker_demo)
    page = client.post(_url("my-case-received", served.pk, record.pk), follow=True)
    record.refresh_from_db()
    assert record.signed_at == first
    assert [m.level_tag for m in page.context["messages"]][-1] == "info"
    assert events_of(served).filter(kind="case.service_updated").count() == 1


def test_a_worker_cannot_sign_for_the_employers_record(login, served, worker_demo):
    record = _record(served, Party.Role.RESPONDENT, DocumentKind.RESPONSE_NOTICE)
    response = login(worker_demo).post(_url("my-case-received", served.pk, record.pk))
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.signed_at is None


def test_the_worker_confirms_its_service_address(login, case, worker_demo):
    worker = _party(case, Party.Role.APPLICANT)
    client = login(worker_demo)
    page = client.get(_url("my-case", case.pk))
    assert any(t.anchor == "address" for t in page.context["tasks"])
    response = client.post(
        _url("my-case-address", case.pk),
        {
            "address-party": worker.pk,
            "address-electronic_consent": "on",
            "address-mobile": "13800000001",
        },
    )
    assert response.status_code == 302
    address = worker.service_addresses.get()
    assert (address.electronic_consent, address.mobile) == (True, "13800000001")


def test_electronic_consent_without_a_number_is_an_error_on_the_field(login, case, worker_demo):
    worker = _party(case, Party.Role.APPLICANT)
    response = login(worker_demo).post(
        _url("my-case-address", case.pk),
        {"address-party": worker.pk, "address-electronic_consent": "on"},
    )
    assert response.status_code == 400
    form = response.context["address_form"]
    assert "mobile" in form.errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert not worker.service_addresses.exists()


# --- The employer -------------------------------------------------------------------------------


def test_the_employer_sees_the_case_only_once_accepted(login, submitted, hr, lixia_head):
    client = login(hr)
    assert client.get(_url("my-cases")).context["cases"] == []
    assert client.get(_url("my-case", submitted.pk)).status_code == 404
    services.case_accept(by=lixia_head, case=submitted, warnings_acknowledged=True)
    assert [v.case.pk for v in client.get(_url("my-cases")).context["cases"]] == [submitted.pk]
    page = client.get(_url("my-case", submitted.pk))
    assert page.status_code == 200
    assert [p.role for p in page.context["view"].mine] == [Party.Role.RESPONDENT]


def test_the_employer_files_its_defence(login, served, hr):
    client = login(hr)
    page = client.get(_url("my-cases"))
    assert [v.case.pk for v in page.context["cases"]] == [served.pk]
    page = client.get(_url("my-case", served.pk))
    assert page.context["defence_form"] is not None
    employer = _party(served, Party.Role.RESPONDENT)
    response = client.post(
        _url("my-case-defence", served.pk),
        {"defence-party": employer.pk, "defence-text": "申请人的请求没有事实依据。"},
    )
    assert response.status_code == 302
    defence = Defence.objects.get(case=served)
    assert defence.party == employer
    assert events_of(served).filter(kind="case.defence_filed").count() == 1
    # A second click does not file a second defence: the service says so on the field.
    page = client.post(
        _url("my-case-defence", served.pk),
        {"defence-party": employer.pk, "defence-text": "申请人的请求没有事实依据。"},
    )
    assert page.status_code == 400
    assert "text" in page.context["defence_form"].errors
    assert Defence.objects.filter(case=served).count() == 1


def test_a_worker_cannot_file_a_defence(login, served, worker_demo):
    employer = _party(served, Party.Role.RESPONDENT)
    response = login(worker_demo).post(
        _url("my-case-defence", served.pk),
        {"defence-party": employer.pk, "defence-text": "冒充"},
    )
    assert response.status_code == 302  # told on the page: nothing to file here
    assert not Defence.objects.filter(case=served).exists()


def test_the_employer_hands_in_evidence_and_a_disguised_file_is_refused(login, served, hr):
    client = login(hr)
    employer = _party(served, Party.Role.RESPONDENT)
    bad = client.post(
        _url("my-case-evidence", served.pk),
        {
            "evidence-party": employer.pk,
            "evidence-title": "考勤表",
            "evidence-file": _pdf("setup.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert bad.status_code == 400
    assert "file" in bad.context["evidence_form"].errors
    good = client.post(
        _url("my-case-evidence", served.pk),
        {"evidence-party": employer.pk, "evidence-title": "考勤表", "evidence-file": _pdf()},
    )
    assert good.status_code == 302
    again = client.post(
        _url("my-case-evidence", served.pk),
        {"evidence-party": employer.pk, "evidence-title": "考勤表", "evidence-file": _pdf()},
    )
    assert again.status_code == 400
    assert list(EvidenceItem.objects.filter(case=served).values_list("party", flat=True)) == [
        employer.pk
    ]


def test_a_step_the_state_refuses_is_a_message_not_a_crash(login, submitted, worker_demo):
    # Evidence is handed in once the case is accepted (the application carries its own).
    worker = _party(submitted, Party.Role.APPLICANT)
    response = login(worker_demo).post(
        _url("my-case-evidence", submitted.pk),
        {"evidence-party": worker.pk, "evidence-title": "工资条", "evidence-file": _pdf()},
        follow=True,
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not EvidenceItem.objects.filter(case=submitted).exists()


def test_the_party_downloads_a_served_document(login, served, worker_demo):
    record = _record(served, Party.Role.APPLICANT)
    response = login(worker_demo).get(_url("my-case-document", served.pk, record.document_id))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- The counter query --------------------------------------------------------------------------


@pytest.fixture
def counter_case(institutions, lixia_intake):
    case = received(lixia_intake)
    return case, Receipt.objects.filter(case=case).get()


def test_the_query_answers_with_the_stage_only(client, counter_case):
    case, receipt = counter_case
    page = client.post(
        _url("query"), {"receipt_number": receipt.number, "id_number": WORKER["id_number"]}
    )
    assert page.status_code == 200
    answer = page.context["answer"]
    assert answer is not None
    assert case.status == Status.RECEIVED
    assert answer.next_date is not None
    text = page.content.decode()
    assert WORKER["name"] not in text and EMPLOYER["name"] not in text


def test_a_wrong_id_reads_like_a_wrong_number(client, counter_case, stranger):
    _case, receipt = counter_case
    wrong_id = client.post(
        _url("query"), {"receipt_number": receipt.number, "id_number": stranger.id_number}
    )
    wrong_number = client.post(
        _url("query"), {"receipt_number": "X-000", "id_number": WORKER["id_number"]}
    )

    def answer(response):
        text = response.content.decode()
        start = text.index('id="answer"')
        return text[start : text.index("</section>", start)]

    assert wrong_id.context["not_found"] and wrong_number.context["not_found"]
    assert wrong_id.context["answer"] is None and wrong_number.context["answer"] is None
    assert answer(wrong_id) == answer(wrong_number)


def test_the_query_is_rate_limited(client, counter_case, settings):
    settings.PORTAL_QUERY_ATTEMPTS_PER_HOUR = 2
    data = {"receipt_number": "X-000", "id_number": WORKER["id_number"]}
    assert client.post(_url("query"), data).status_code == 200
    assert client.post(_url("query"), data).status_code == 200
    assert client.post(_url("query"), data).status_code == 429


def test_one_id_number_cannot_walk_the_receipts_from_many_addresses(client, counter_case, settings):
    # An employer knows its worker's ID number: a new address per try does not help it.
    settings.PORTAL_QUERY_ATTEMPTS_PER_HOUR = 2
    data = {"receipt_number": "X-000", "id_number": WORKER["id_number"]}
    statuses = [
        client.post(_url("query"), data, REMOTE_ADDR=f"198.51.100.{i}").status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_the_receipt_number_cannot_be_guessed_from_the_case(counter_case):
    case, receipt = counter_case
    stem = f"-{case.pk:07d}-1-"
    assert stem in receipt.number
    assert len(receipt.number.split(stem)[1]) == 4  # a random tail


# --- The hearing record (LDMAL art. 40) -----------------------------------------------------------


@pytest.fixture
def record(served, lixia_clerk, lixia_head, lixia_arbitrator, institutions):
    """The hearing under way with version 1 of its record written."""
    from zhongcai.cases import hearings
    from zhongcai.cases.tests.factories import hearing_scheduled, in_hearing, tribunal_formed

    case = tribunal_formed(served, lixia_head)
    case = hearing_scheduled(case, lixia_clerk)
    case = in_hearing(case, lixia_arbitrator)
    hearing = case.hearings.get()
    return hearings.hearing_record_write(
        by=lixia_clerk, case=case, hearing=hearing, text="仲裁员：现在开庭。"
    )


def test_the_worker_signs_the_hearing_record_online(login, record, worker_demo, stranger):
    from zhongcai.cases.models import RecordSignature

    case = record.hearing.case
    applicant = _party(case, Party.Role.APPLICANT)
    client = login(worker_demo)
    page = client.get(_url("my-case", case.pk))
    [item] = page.context["to_sign"]
    assert item.record == record and item.parties == [applicant]
    url = reverse("portal:my-case-sign-record", args=[case.pk, record.pk])
    # Someone else's case: 404, nothing signed.
    assert login(stranger).post(url, {"party": applicant.pk}).status_code == 404
    client = login(worker_demo)
    response = client.post(url, {"party": applicant.pk})
    assert response.status_code == 302
    signature = RecordSignature.objects.get(record=record)
    assert (signature.party, signature.method) == (applicant, "online")
    assert client.get(_url("my-case", case.pk)).context["to_sign"] == []
    # A second click: said plainly, still one signature.
    client.post(url, {"party": applicant.pk})
    assert RecordSignature.objects.filter(record=record).count() == 1
