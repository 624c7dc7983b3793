"""The guided online application, through the pages, as a registered worker would use them."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse
from django.utils.formats import date_format

from zhongcai.cases.models import Case, Status
from zhongcai.cases.tests.factories import EMPLOYER, WORKER, commission
from zhongcai.portal import applying
from zhongcai.portal.models import ApplicationDraft, DraftAttachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% pay slips\n"


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel("2026-11-30 10:00 +0800", tick=False):
        yield


@pytest.fixture
def worker(login, worker_demo):
    return login(worker_demo)


def _url(draft, step):
    return reverse("portal:apply-step", args=[draft.pk, step])


def _fresh(draft):
    return ApplicationDraft.objects.get(pk=draft.pk)


def _start(client):
    response = client.post(reverse("portal:apply"))
    draft = ApplicationDraft.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == _url(draft, "you")
    return draft


def _post(client, draft, step, data, **extra):
    return client.post(_url(draft, step), {"version": _fresh(draft).version, **data}, **extra)


YOU = {
    "name": WORKER["name"],
    "id_number": WORKER["id_number"],
    "phone": WORKER["phone"],
    "domicile": WORKER["domicile"],
    "domicile_division": "370102",
    "mailing_address": "",
    "occupation": "收银员",
    "electronic_service": "on",
}
EMPLOYER_STEP = {
    key: EMPLOYER[key]
    for key in (
        "name",
        "credit_code",
        "domicile",
        "domicile_division",
        "legal_representative",
        "legal_representative_title",
        "phone",
    )
}
WORK = {
    "started_on": "2024-03-01",
    "still_employed": "no",
    "ended_on": "2026-08-31",
    "knew_on": "2026-09-01",
    "workplace_division": "370102",
    "facts": "公司拖欠 2026 年 6 月至 8 月工资，8 月底解除劳动合同未支付经济补偿。",
}


def _claims(*rows, initial=0):
    data = {
        "claims-TOTAL_FORMS": str(len(rows)),
        "claims-INITIAL_FORMS": str(initial),
        "claims-MIN_NUM_FORMS": "0",
        "claims-MAX_NUM_FORMS": "50",
    }
    for i, row in enumerate(rows):
        data.update({f"claims-{i}-{key}": value for key, value in row.items()})
    return data


TWO_CLAIMS = _claims(
    {"type": "remuneration", "amount": "12000", "description": "支付拖欠工资"},
    {"type": "economic_compensation", "amount": "9,000", "description": "支付经济补偿"},
)


def _complete(client, draft):
    for step, data in (("you", YOU), ("employer", EMPLOYER_STEP), ("work", WORK)):
        response = _post(client, draft, step, data)
        assert response.status_code == 302, response.content.decode()
    assert _post(client, draft, "claims", TWO_CLAIMS).status_code == 302
    upload = SimpleUploadedFile("工资条.pdf", PDF, content_type="application/pdf")
    response = _post(client, draft, "evidence", {"title": "工资条", "file": upload})
    assert response.status_code == 302


def test_a_worker_applies_with_two_claims_and_a_file_and_gets_the_receipt(worker, worker_demo):
    draft = _start(worker)
    page = worker.get(_url(draft, "you")).content.decode()
    assert "第 1 步" in page or "Step 1 of 6" in page
    assert WORKER["id_number"] in page  # prefilled from the account
    _complete(worker, draft)
    review = worker.get(_url(draft, "review"))
    assert review.context["gaps"] == []
    lixia = commission("370102")
    assert [c.commission for c in review.context["competent"]] == [lixia]
    response = _post(worker, draft, "review", {"commission": lixia.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:apply-done", args=[draft.pk])

    case = Case.objects.get(owner=worker_demo)
    assert case.status == Status.RECEIVED and case.commission == lixia
    assert [(c.type, str(c.amount)) for c in case.claims.order_by("number")] == [
        ("remuneration", "12000.00"),
        ("economic_compensation", "9000.00"),
    ]
    assert list(case.evidence.values_list("title", "sha256")) == [
        ("工资条", DraftAttachment.objects.get().sha256)
    ]
    assert case.parties.get(role="applicant").user == worker_demo
    assert WORK["facts"] in case.facts_and_reasons
    # The 送达地址确认书 came with the application: online service to the mobile number.
    address = case.parties.get(role="applicant").service_addresses.get()
    assert address.electronic_consent and address.mobile == WORKER["phone"]
    [receipt] = case.receipts.all()
    deadline = case.deadlines.get(code="acceptance_decision")
    done = worker.get(response["Location"]).content.decode()
    assert receipt.number in done
    assert date_format(deadline.due_on, "DATE_FORMAT") in done
    assert lixia.name in done
    # The draft is now closed: its steps lead to the receipt.
    assert worker.get(_url(draft, "claims"))["Location"] == response["Location"]


def test_submitting_twice_makes_one_case(worker, worker_demo):
    draft = _start(worker)
    _complete(worker, draft)
    version = _fresh(draft).version
    lixia = commission("370102")
    first = worker.post(_url(draft, "review"), {"version": version, "commission": lixia.pk})
    second = worker.post(_url(draft, "review"), {"version": version, "commission": lixia.pk})
    assert first.status_code == second.status_code == 302
    assert Case.objects.filter(owner=worker_demo).count() == 1
    again = applying.draft_submit(by=worker_demo, draft=draft, version=version)
    assert again == Case.objects.get(owner=worker_demo)
    assert again.receipts.count() == 1


def test_a_stale_draft_is_refused_and_nothing_is_overwritten(worker):
    draft = _start(worker)
    old_version = _fresh(draft).version
    # Saved meanwhile on the phone…
    assert _post(worker, draft, "you", YOU).status_code == 302
    # …then the laptop, still showing the old page, saves another address.
    response = worker.post(_url(draft, "you"), {**YOU, "domicile": "别处", "version": old_version})
    assert response.status_code == 409
    assert _fresh(draft).data["you"]["domicile"] == YOU["domicile"]
    page = response.content.decode()
    assert YOU["domicile"] in page and "别处" not in page
    assert f'name="version" value="{_fresh(draft).version}"' in page


def test_a_wrong_id_check_digit_is_shown_on_its_field_and_the_rest_is_kept(worker):
    draft = _start(worker)
    wrong = WORKER["id_number"][:17] + ("0" if WORKER["id_number"][17] != "0" else "1")
    response = _post(worker, draft, "you", {**YOU, "id_number": wrong})
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["id_number"]
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and 'id="id_id_number-error"' in page
    saved = _fresh(draft).data["you"]
    assert saved["domicile"] == YOU["domicile"]
    assert saved["id_number"] == WORKER["id_number"]  # the account's, not the wrong one


def test_a_negative_amount_is_refused_on_its_field(worker):
    draft = _start(worker)
    data = _claims({"type": "remuneration", "amount": "-500", "description": "工资"})
    response = _post(worker, draft, "claims", data)
    assert response.status_code == 200
    [form] = [f for f in response.context["formset"].forms if f.errors]
    assert list(form.errors) == ["amount"]
    assert 'id="id_claims-0-amount-error"' in response.content.decode()
    assert _fresh(draft).data["claims"] == [{"type": "remuneration", "description": "工资"}]


def test_the_calculator_button_saves_the_claims_first(worker):
    draft = _start(worker)
    data = _claims({"type": "remuneration", "amount": "100", "description": "工资"})
    response = _post(worker, draft, "claims", {**data, "action": "calculator"})
    assert response["Location"] == reverse("portal:calculator")
    assert _fresh(draft).data["claims"][0]["amount"] == "100.00"


def test_a_program_renamed_pdf_is_refused(worker):
    draft = _start(worker)
    exe = SimpleUploadedFile("工资条.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100)
    response = _post(worker, draft, "evidence", {"title": "工资条", "file": exe})
    assert response.status_code == 400
    [error] = response.context["form"].errors["file"]
    assert "工资条.pdf" in error
    assert not DraftAttachment.objects.exists()


def test_an_empty_file_is_refused(worker):
    draft = _start(worker)
    empty = SimpleUploadedFile("空.pdf", b"")
    response = _post(worker, draft, "evidence", {"title": "空", "file": empty})
    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert not DraftAttachment.objects.exists()


def test_a_60_mb_upload_is_refused_without_being_held_in_memory(worker, tmp_path, monkeypatch):
    draft = _start(worker)
    big = tmp_path / "录音.mp3"
    with big.open("wb") as handle:
        handle.write(b"ID3")
        handle.truncate(60 * 1024 * 1024)
    seen = []
    real = applying.upload_problems

    def spy(file, field):
        seen.append(type(file))
        return real(file, field)

    monkeypatch.setattr(applying, "upload_problems", spy)
    with big.open("rb") as handle:
        response = _post(worker, draft, "evidence", {"title": "录音", "file": handle})
    assert response.status_code == 400
    [error] = response.context["form"].errors["file"]
    assert "录音.mp3" in error and "20" in error
    assert seen == [TemporaryUploadedFile]  # streamed to disk, not kept in memory
    assert not DraftAttachment.objects.exists()


def test_a_file_is_listed_and_removed(worker):
    draft = _start(worker)
    upload = SimpleUploadedFile("合同.pdf", PDF)
    _post(worker, draft, "evidence", {"title": "劳动合同", "file": upload})
    attachment = DraftAttachment.objects.get()
    page = worker.get(_url(draft, "evidence")).content.decode()
    assert "劳动合同" in page and "合同.pdf" in page
    download = worker.get(reverse("portal:apply-attachment", args=[draft.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == PDF
    remove = reverse("portal:apply-attachment-remove", args=[draft.pk, attachment.pk])
    assert worker.post(remove, {"version": _fresh(draft).version}).status_code == 302
    assert not DraftAttachment.objects.exists()


def test_another_worker_and_staff_get_404_on_every_draft_url(
    client, worker_demo, employer_demo, lixia_intake
):
    client.force_login(worker_demo)
    draft = _start(client)
    _post(client, draft, "evidence", {"title": "x", "file": SimpleUploadedFile("x.pdf", PDF)})
    attachment = DraftAttachment.objects.get()
    urls = [_url(draft, step) for step in applying.STEP_SLUGS] + [
        reverse("portal:apply-done", args=[draft.pk]),
        reverse("portal:apply-delete", args=[draft.pk]),
        reverse("portal:apply-attachment", args=[draft.pk, attachment.pk]),
        reverse("portal:apply-attachment-remove", args=[draft.pk, attachment.pk]),
    ]
    for other in (employer_demo, lixia_intake):
        client.force_login(other)
        for url in urls:
            assert client.get(url).status_code in (404, 405), url
            assert client.post(url, {"version": _fresh(draft).version}).status_code == 404, url
    assert ApplicationDraft.objects.filter(pk=draft.pk).exists()
    assert DraftAttachment.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, province):
    response = client.get(reverse("portal:apply"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_drafts_are_listed_resumed_and_deleted(worker):
    draft = _start(worker)
    _post(worker, draft, "employer", EMPLOYER_STEP)
    page = worker.get(reverse("portal:apply")).content.decode()
    assert EMPLOYER["name"] in page and _url(draft, "you") in page
    response = worker.post(reverse("portal:apply-delete", args=[draft.pk]))
    assert response.status_code == 302
    assert not ApplicationDraft.objects.filter(pk=draft.pk).exists()


def test_the_employer_look_up_fills_in_name_and_credit_code(worker, employer_demo):
    from django.utils import timezone

    from zhongcai.accounts.models import Employer

    employer = Employer.objects.create(
        credit_code=EMPLOYER["credit_code"],
        name=EMPLOYER["name"],
        registered_by=employer_demo,
        registered_at=timezone.now(),
    )
    draft = _start(worker)
    page = worker.get(_url(draft, "employer"), {"q": "示例商贸"}).content.decode()
    assert f"?use={employer.pk}" in page
    form = worker.get(_url(draft, "employer"), {"use": employer.pk}).context["form"]
    assert form.initial["credit_code"] == EMPLOYER["credit_code"]


def test_the_review_lists_gaps_with_links_and_refuses_an_incomplete_application(worker):
    draft = _start(worker)
    review = worker.get(_url(draft, "review"))
    gaps = review.context["gaps"]
    assert {gap.step for gap in gaps} >= {"you", "employer", "work", "claims"}
    assert _url(draft, "employer") in review.content.decode()
    response = _post(worker, draft, "review", {})
    assert response.status_code == 400
    assert response.context["problems"]
    assert not Case.objects.exists()


def test_the_limitation_warning_gives_the_date_the_year_ended(worker):
    draft = _start(worker)
    _post(worker, draft, "work", {**WORK, "knew_on": "2025-06-01", "still_employed": "no"})
    data = _claims({"type": "economic_compensation", "amount": "9000", "description": "补偿"})
    _post(worker, draft, "claims", data)
    page = worker.get(_url(draft, "review")).content.decode()
    assert "2026年6月1日" in page


def test_the_competent_commission_for_a_lixia_workplace_is_shown(worker):
    draft = _start(worker)
    _post(worker, draft, "work", {**WORK, "workplace_division": "370102"})
    page = worker.get(_url(draft, "review")).content.decode()
    assert commission("370102").name in page


def test_two_competent_commissions_are_offered_place_of_work_first(worker):
    draft = _start(worker)
    _post(worker, draft, "work", {**WORK, "workplace_division": "370112"})
    _post(worker, draft, "employer", {**EMPLOYER_STEP, "domicile_division": "370102"})
    competent = worker.get(_url(draft, "review")).context["competent"]
    assert [c.commission for c in competent] == [commission("370112"), commission("370102")]


def test_no_competent_commission_is_said_plainly_and_one_can_be_chosen(worker, worker_demo):
    from zhongcai.orgs.models import Organisation

    draft = _start(worker)
    _complete(worker, draft)
    lixia = commission("370102")
    Organisation.objects.filter(pk=lixia.pk).update(is_active=False)
    review = worker.get(_url(draft, "review"))
    assert review.context["competent"] == []
    page = review.content.decode()
    assert 'id="apply-commission"' in page and "<optgroup" in page
    licheng = commission("370112")
    response = _post(worker, draft, "review", {"commission": licheng.pk})
    assert response.status_code == 302
    assert Case.objects.get(owner=worker_demo).commission == licheng


def test_crafted_requests_lose_nothing_and_crash_nothing(worker):
    draft = _start(worker)
    _complete(worker, draft)
    # The claims posted without the formset's own fields: refused whole, the claims kept.
    response = _post(worker, draft, "claims", {"claims-0-type": "remuneration"})
    assert response.status_code == 400
    assert len(applying.claims_of(_fresh(draft))) == 2
    # Odd numbers in a choice or a look-up: a plain answer, never a server error.
    response = _post(worker, draft, "review", {"commission": "²"})
    assert response.status_code == 200 and response.context["problems"]
    assert worker.get(_url(draft, "employer") + "?use=abc").status_code == 200
    assert worker.get(_url(draft, "employer") + "?use=²").status_code == 200
    assert not Case.objects.exists()


def test_the_drafts_files_go_once_they_are_in_the_case(
    worker, worker_demo, django_capture_on_commit_callbacks
):
    draft = _start(worker)
    _complete(worker, draft)
    stored = DraftAttachment.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        _post(worker, draft, "review", {"commission": commission("370102").pk})
    case = Case.objects.get(owner=worker_demo)
    assert case.evidence.count() == 1
    assert not DraftAttachment.objects.exists()
    assert not DraftAttachment.file.field.storage.exists(stored)


def test_a_person_keeps_at_most_five_unfinished_applications(worker, worker_demo):
    for _ in range(applying.MAX_OPEN_DRAFTS):
        _start(worker)
    response = worker.post(reverse("portal:apply"), follow=True)
    assert ApplicationDraft.objects.filter(owner=worker_demo).count() == applying.MAX_OPEN_DRAFTS
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
