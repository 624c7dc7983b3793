"""Every catalogue document of source "issued" is issued by its step; issuing one that must be
served serves it electronically on the parties who consented, and lists it for the others."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhongcai.cases import archive, closing, letters, services, serving, serving_due
from zhongcai.cases.models import (
    ArchiveEntry,
    CaseDocument,
    DocumentKind,
    Party,
    ServiceMethod,
    ServiceRecord,
    Status,
    Volume,
)
from zhongcai.cases.workflow import TransitionError
from zhongcai.core.events import events_of

from . import factories
from .factories import EMPLOYER, WORKER

pytestmark = pytest.mark.django_db


def text_of(document: CaseDocument) -> str:
    """The frozen content of an issued document, as one string."""
    return json.dumps(document.rendition.content, ensure_ascii=False)


def only(case, kind) -> CaseDocument:
    return CaseDocument.objects.get(case=case, kind=kind)


def party(case, role) -> Party:
    return case.parties.get(role=role)


# --- Intake ----------------------------------------------------------------------------------


def test_a_receipt_issues_its_document_numbered_as_the_receipt(lixia_intake):
    case = factories.received(lixia_intake)
    receipt = case.receipts.get()
    document = only(case, DocumentKind.RECEIPT)
    assert document.number == receipt.number
    assert document.volume == Volume.MAIN
    assert document.data["receipt_number"] == receipt.number
    assert document.data["channel"] == "窗口递交"
    assert document.data["received_by"] == str(lixia_intake)
    assert document.rendition.code == "receipt"
    content = text_of(document)
    assert receipt.number in content
    assert WORKER["name"] in content and EMPLOYER["name"] in content
    received = events_of(case).get(kind="case.received")
    assert received.payload["document"] == document.pk


def test_corrections_get_a_receipt_of_their_own(lixia_intake):
    case = factories.draft(lixia_intake, facts_and_reasons="")
    case = services.case_submit(by=lixia_intake, case=case, allow_incomplete=True)
    case = services.case_issue_correction_notice(by=lixia_intake, case=case, items=["补充事实"])
    services.case_update_application(by=lixia_intake, case=case, data=factories.application())
    services.case_submit_corrections(by=lixia_intake, case=case)
    numbers = sorted(case.receipts.values_list("number", flat=True))
    assert (
        sorted(
            CaseDocument.objects.filter(case=case, kind=DocumentKind.RECEIPT).values_list(
                "number", flat=True
            )
        )
        == numbers
    )
    assert len(numbers) == 2


def test_the_correction_notice_lists_every_item(lixia_intake):
    case = factories.draft(lixia_intake, facts_and_reasons="")
    case = services.case_submit(by=lixia_intake, case=case, allow_incomplete=True)
    case = services.case_issue_correction_notice(
        by=lixia_intake, case=case, items=["请补充考勤记录"]
    )
    notice = only(case, DocumentKind.CORRECTION_NOTICE)
    assert notice.volume == Volume.MAIN
    assert "请补充考勤记录" in notice.data["gaps"]
    assert len(notice.data["gaps"]) >= 2  # the system's gap too: one notice, every item
    content = text_of(notice)
    assert "请补充考勤记录" in content
    assert WORKER["name"] in content
    issued = events_of(case).get(kind="case.correction_notice_issued")
    assert issued.payload["document"] == notice.pk


def test_acceptance_issues_the_notice_and_the_filing_approval(lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    notice = only(case, DocumentKind.ACCEPTANCE_NOTICE)
    form = only(case, DocumentKind.FILING_APPROVAL)
    assert (notice.volume, form.volume) == (Volume.MAIN, Volume.SECONDARY)
    assert notice.number == case.case_number
    assert notice.data["evidence_days"] == 15
    assert form.issued_by == lixia_head
    assert form.data["approver"] == str(lixia_head)
    assert form.data["handler"] == str(lixia_intake)
    assert form.data["approved_on"] == case.accepted_on.isoformat()
    for document in (notice, form):
        content = text_of(document)
        assert case.case_number in content
        assert WORKER["name"] in content and EMPLOYER["name"] in content
    assert "15日内" in text_of(notice)
    accepted = events_of(case).get(kind="case.accepted")
    assert accepted.payload["documents"] == [notice.pk, form.pk]


def test_a_refusal_issues_its_notice_with_reasons_and_basis(lixia_intake, lixia_head):
    case = factories.received(lixia_intake)
    services.case_refuse(
        by=lixia_head,
        case=case,
        ground="out_of_scope",
        reasons="申请人与被申请人之间系承揽关系",
        legal_basis="《劳动人事争议仲裁办案规则》第三十条第一项",
    )
    notice = only(case, DocumentKind.REFUSAL_NOTICE)
    assert notice.data["reasons"] == "申请人与被申请人之间系承揽关系"
    assert notice.data["legal_basis"].startswith("《劳动人事争议仲裁办案规则》")
    content = text_of(notice)
    assert "承揽关系" in content
    assert WORKER["name"] in content
    assert events_of(case).get(kind="case.refused").payload["document"] == notice.pk


def test_a_redirection_names_the_competent_commission(lixia_intake, lixia_head):
    case = factories.received(lixia_intake)
    other = factories.commission("370103")
    services.case_redirect(by=lixia_head, case=case, to=other, reasons="用人单位住所地在市中区")
    notice = only(case, DocumentKind.JURISDICTION_NOTICE)
    assert notice.data["to_commission"] == other.pk
    assert notice.data["to_name"] == other.name
    content = text_of(notice)
    assert other.name in content
    assert WORKER["name"] in content
    assert events_of(case).get(kind="case.redirected").payload["document"] == notice.pk


# --- Letters ---------------------------------------------------------------------------------


def test_a_handler_issues_a_letter_to_another_body(lixia_intake, lixia_head, lixia_clerk):
    case = factories.accepted(lixia_intake, lixia_head)
    letter = letters.letter_issue(
        by=lixia_clerk,
        case=case,
        kind=DocumentKind.INVESTIGATION_LETTER,
        addressee="济南市历下区社会保险事业中心",
        body="请协助调取申请人2024年3月至2026年8月社会保险缴费记录。",
    )
    assert letter.kind == DocumentKind.INVESTIGATION_LETTER
    assert letter.volume == Volume.MAIN
    assert letter.data["addressee"] == "济南市历下区社会保险事业中心"
    content = text_of(letter)
    assert "济南市历下区社会保险事业中心" in content
    assert "社会保险缴费记录" in content
    assert case.case_number in content
    issued = events_of(case).get(kind="case.letter_issued")
    assert issued.payload["document"] == letter.pk
    assert not ServiceRecord.objects.filter(document=letter).exists()  # not served on a party
    assert (letter, party(case, Party.Role.APPLICANT)) not in serving_due.documents_to_serve(case)


def test_a_recommendation_letter_carries_the_recommendations(lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    letter = letters.letter_issue(
        by=lixia_head,
        case=case,
        kind=DocumentKind.RECOMMENDATION_LETTER,
        addressee=EMPLOYER["name"],
        body="被申请人未与申请人订立书面劳动合同。",
        recommendations="依法订立书面劳动合同\n按月足额支付工资",
    )
    assert letter.data["recommendations"] == ["依法订立书面劳动合同", "按月足额支付工资"]
    content = text_of(letter)
    assert "未与申请人订立书面劳动合同" in content
    assert "按月足额支付工资" in content
    with pytest.raises(ValidationError) as exc:
        letters.letter_issue(
            by=lixia_head,
            case=case,
            kind=DocumentKind.INVESTIGATION_LETTER,
            addressee="某单位",
            body="请协助查询",
            recommendations=["x"],
        )
    assert set(exc.value.message_dict) == {"recommendations"}


def test_an_intake_officer_may_not_issue_a_letter(lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    with pytest.raises(PermissionDenied):
        letters.letter_issue(
            by=lixia_intake, case=case, kind="recommendation_letter", addressee="某公司", body="x"
        )


def test_no_letter_before_acceptance(lixia_intake, lixia_clerk):
    case = factories.received(lixia_intake)
    with pytest.raises(TransitionError):
        letters.letter_issue(
            by=lixia_clerk, case=case, kind="recommendation_letter", addressee="某公司", body="x"
        )


def test_a_letter_needs_an_addressee_and_a_body(lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    with pytest.raises(ValidationError) as exc:
        letters.letter_issue(
            by=lixia_head, case=case, kind="recommendation_letter", addressee=" ", body="  "
        )
    assert set(exc.value.message_dict) == {"addressee", "body"}
    with pytest.raises(ValidationError) as exc:
        letters.letter_issue(by=lixia_head, case=case, kind="award", addressee="某", body="x")
    assert set(exc.value.message_dict) == {"kind"}
    assert not CaseDocument.objects.filter(case=case, kind__in=letters.LETTER_KINDS).exists()


def test_the_letter_page_step_and_its_panel(login, lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    client = login(lixia_head)
    url = reverse("cases:case-issue-letter", args=[case.pk])
    response = client.post(url, {"kind": "recommendation_letter", "addressee": "某", "body": ""})
    assert response.status_code == 400
    assert "body" in response.context["stage_letters"]["actions"][0]["form"].errors
    response = client.post(
        url,
        {"kind": "recommendation_letter", "addressee": "济南示例商贸有限公司", "body": "建议规范"},
    )
    assert response.status_code == 302
    page = client.get(reverse("cases:case-detail", args=[case.pk]))
    assert [d.kind for d in page.context["stage_letters"]["letters"]] == [
        DocumentKind.RECOMMENDATION_LETTER
    ]


def test_the_letter_api_step(client, institutions, lixia_intake, lixia_head, lixia_arbitrator):
    case = factories.tribunal_formed(factories.accepted(lixia_intake, lixia_head), lixia_head)
    client.force_login(lixia_intake)
    url = f"/api/v1/cases/{case.pk}/issue-letter/"
    body = {"kind": "investigation_letter", "addressee": "某派出所", "body": "请协助查询"}
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(lixia_arbitrator)  # sits on the tribunal
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert only(case, DocumentKind.INVESTIGATION_LETTER).issued_by == lixia_arbitrator


# --- Service ---------------------------------------------------------------------------------


def test_serving_by_public_notice_issues_the_notice(lixia_intake, lixia_head, lixia_clerk):
    case = factories.accepted(lixia_intake, lixia_head)
    notice = only(case, DocumentKind.ACCEPTANCE_NOTICE)
    respondent = party(case, Party.Role.RESPONDENT)
    (record,) = serving.serve(
        by=lixia_clerk,
        case=case,
        document=notice,
        parties=[respondent],
        method=ServiceMethod.PUBLIC_NOTICE,
        note="被申请人下落不明",
    )
    public = only(case, DocumentKind.PUBLIC_NOTICE)
    assert public.data["party"] == respondent.pk
    assert public.data["document"] == notice.pk
    assert public.data["deemed_served_on"] == record.deemed_served_on.isoformat()
    content = text_of(public)
    assert EMPLOYER["name"] in content
    assert case.case_number in content
    served = events_of(case).get(kind="case.document_served")
    assert served.payload["services"][0]["public_notice"] == public.pk
    # A public notice is published, not served.
    assert not [p for d, p in serving_due.documents_to_serve(case) if d == public]


def _consents(case, who, by, *, electronic):
    return serving.service_address_confirm(
        by=by,
        case=case,
        party=party(case, who),
        electronic_consent=electronic,
        mobile="13800000001" if electronic else "",
        postal_address="济南市历下区泉城路 1 号",
    )


def test_a_consenting_party_is_served_as_the_document_is_issued(
    settings, lixia_intake, lixia_head, lixia_clerk
):
    settings.CASES_AUTO_ELECTRONIC_SERVICE = True
    case = factories.accepted(lixia_intake, lixia_head)
    _consents(case, Party.Role.APPLICANT, lixia_clerk, electronic=True)
    _consents(case, Party.Role.RESPONDENT, lixia_clerk, electronic=False)
    closing.case_extend(by=lixia_head, case=case, days=10, reasons="案情复杂")
    notice = only(case, DocumentKind.EXTENSION_NOTICE)
    applicant, respondent = party(case, Party.Role.APPLICANT), party(case, Party.Role.RESPONDENT)
    (record,) = ServiceRecord.objects.filter(document=notice)
    assert record.party == applicant
    assert record.method == ServiceMethod.ELECTRONIC
    assert record.recorded_by == lixia_head
    assert record.deemed_served_on is not None
    kinds = [e.kind for e in events_of(case)]
    assert kinds[-2:] == ["case.extended", "case.served"]
    served = events_of(case).get(kind="case.served")
    assert served.payload["documents"] == [notice.pk]
    assert served.payload["services"][0]["party"] == applicant.pk
    # The approval form is internal: served on no one. The respondent waits for the clerk.
    pending = serving_due.documents_to_serve(case)
    assert (notice, respondent) in pending
    assert (notice, applicant) not in pending
    assert not [d for d, _p in pending if d.kind == DocumentKind.APPROVAL_FORM]


def test_a_step_that_serves_its_documents_is_not_served_twice(
    settings, lixia_intake, lixia_head, lixia_clerk
):
    settings.CASES_AUTO_ELECTRONIC_SERVICE = True
    case = factories.accepted(lixia_intake, lixia_head)
    _consents(case, Party.Role.RESPONDENT, lixia_clerk, electronic=True)
    serving.serve_application_copy(by=lixia_clerk, case=case, method=ServiceMethod.POST)
    response = only(case, DocumentKind.RESPONSE_NOTICE)
    assert [r.method for r in ServiceRecord.objects.filter(document=response)] == [
        ServiceMethod.POST
    ]
    assert not events_of(case).filter(kind="case.served").exists()


def test_nothing_is_served_automatically_when_the_setting_is_off(
    settings, lixia_intake, lixia_head, lixia_clerk
):
    settings.CASES_AUTO_ELECTRONIC_SERVICE = False
    case = factories.accepted(lixia_intake, lixia_head)
    _consents(case, Party.Role.APPLICANT, lixia_clerk, electronic=True)
    closing.case_extend(by=lixia_head, case=case, days=10, reasons="案情复杂")
    notice = only(case, DocumentKind.EXTENSION_NOTICE)
    assert not ServiceRecord.objects.filter(document=notice).exists()
    assert (notice, party(case, Party.Role.APPLICANT)) in serving_due.documents_to_serve(case)


def test_the_service_panel_lists_what_is_to_be_served(login, lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    page = login(lixia_head).get(reverse("cases:case-detail", args=[case.pk]))
    to_serve = page.context["stage_serving"]["to_serve"]
    applicant = next(e for e in to_serve if e["party"].role == Party.Role.APPLICANT)
    kinds = {d.kind for d in applicant["documents"]}
    assert DocumentKind.ACCEPTANCE_NOTICE in kinds
    # The receipt is handed over (or shown on screen) when the application is received.
    assert DocumentKind.RECEIPT not in kinds
    assert DocumentKind.FILING_APPROVAL not in kinds
    # The acceptance notice goes to the applicants only (catalogue: served on applicants).
    assert not any(e["party"].role == Party.Role.RESPONDENT for e in to_serve)
    assert "受理通知书" in page.content.decode()


# --- The archived file -----------------------------------------------------------------------


def _archived(case, head):
    closing.case_withdraw(by=head, case=case)
    archive.closing_approve(by=head, case=case)
    return archive.case_archive(by=head, case=case)


def test_the_file_lists_the_issued_acceptance_documents_once(lixia_intake, lixia_head):
    case = _archived(factories.accepted(lixia_intake, lixia_head), lixia_head)
    entries = list(ArchiveEntry.objects.filter(case=case))
    kinds = [e.kind for e in entries]
    assert kinds.count("acceptance_notice") == 1
    assert kinds.count("filing_approval") == 1
    assert kinds.count("receipt") == 1
    notice = only(case, DocumentKind.ACCEPTANCE_NOTICE)
    entry = next(e for e in entries if e.kind == "acceptance_notice")
    assert entry.reference == f"document:{notice.pk}"
    assert entry.sha256 == notice.rendition.content_sha256
    assert next(e for e in entries if e.kind == "filing_approval").volume == Volume.SECONDARY


def test_a_case_accepted_before_the_documents_keeps_its_stand_ins(lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    # As accepted before acceptance issued documents: only the event and the receipt row.
    CaseDocument.objects.filter(
        case=case,
        kind__in=[
            DocumentKind.RECEIPT,
            DocumentKind.ACCEPTANCE_NOTICE,
            DocumentKind.FILING_APPROVAL,
        ],
    ).delete()
    items = archive.file_items(case)
    accepted = events_of(case).get(kind="case.accepted")
    assert [(i.kind, i.reference) for i in items if i.kind != "application"] == [
        ("acceptance_notice", f"event:{accepted.pk}"),
        ("filing_approval", f"event:{accepted.pk}"),
        ("receipt", f"receipt:{case.receipts.get().pk}"),
    ]
    assert case.status == Status.ACCEPTED
