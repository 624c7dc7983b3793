"""Service (送达) through its services: methods, deemed dates, and what runs from them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation

from zhongcai.cases import integrity, serving
from zhongcai.cases.deadlines import award_clock, derivation, period
from zhongcai.cases.documents import document_issue
from zhongcai.cases.models import (
    CaseDeadline,
    DocumentKind,
    Party,
    ServiceMethod,
    ServiceRecord,
    Status,
)
from zhongcai.cases.workflow import TransitionError
from zhongcai.core.calendar import Unit, compute_deadline
from zhongcai.core.events import events_of

from .factories import EMPLOYER, WORKER, accepted, credit_code

M = ServiceMethod
MONDAY = "2025-11-03 09:00 +0800"
# Issued before this stage: the receipt, the acceptance notice and the filing approval.
ISSUED_AT_INTAKE = [
    DocumentKind.RECEIPT,
    DocumentKind.ACCEPTANCE_NOTICE,
    DocumentKind.FILING_APPROVAL,
]

SECOND_EMPLOYER = {
    **EMPLOYER,
    "name": "济南示例劳务派遣有限公司",
    "credit_code": credit_code("91370102MA3C00002"),
}


def _photo(content: bytes = b"\xff\xd8\xff JPEG-ish bytes") -> SimpleUploadedFile:
    return SimpleUploadedFile("posting.jpg", content, content_type="image/jpeg")


def _respondents(case):
    return list(case.parties.filter(role=Party.Role.RESPONDENT).order_by("pk"))


def _applicant(case):
    return case.parties.get(role=Party.Role.APPLICANT)


def _consent(case, clerk, party, mobile="13800000009"):
    return serving.service_address_confirm(
        by=clerk, case=case, party=party, electronic_consent=True, mobile=mobile
    )


def _issue(case, kind, title="文书"):
    with transaction.atomic():
        return document_issue(case=case, kind=kind, title=title, by=None)


def _defence_clock(case, party):
    return case.deadlines.get(code="defence", party=party)


@pytest.fixture
def case(institutions, lixia_intake, lixia_head):
    with time_machine.travel(MONDAY, tick=False):
        return accepted(lixia_intake, lixia_head)


@pytest.fixture
def two_respondents(institutions, lixia_intake, lixia_head):
    with time_machine.travel(MONDAY, tick=False):
        return accepted(lixia_intake, lixia_head, parties=[WORKER, EMPLOYER, SECOND_EMPLOYER])


# --- The application copy ------------------------------------------------------------------


def test_it_serves_the_application_copy_and_opens_the_defence_period(case, lixia_clerk):
    for party in case.parties.all():
        _consent(case, lixia_clerk, party)
    with time_machine.travel("2025-11-05 10:00 +0800", tick=False):
        records = serving.serve_application_copy(by=lixia_clerk, case=case, method=M.ELECTRONIC)
    case.refresh_from_db()
    assert case.status == Status.DEFENCE_PERIOD
    kinds = sorted((r.document.kind, r.party.role) for r in records)
    assert kinds == [
        (DocumentKind.EVIDENCE_NOTICE, Party.Role.APPLICANT),
        (DocumentKind.EVIDENCE_NOTICE, Party.Role.RESPONDENT),
        (DocumentKind.RESPONSE_NOTICE, Party.Role.RESPONDENT),
    ]
    assert {r.deemed_served_on for r in records} == {date(2025, 11, 5)}
    [respondent] = _respondents(case)
    clock = _defence_clock(case, respondent)
    assert clock.started_on == date(2025, 11, 5)
    assert clock.due_on == compute_deadline(date(2025, 11, 5), 10, Unit.WORKING).due
    served = case.deadlines.get(code="serve_application_copy")
    assert (served.state, served.met_late) == (CaseDeadline.State.MET, False)
    assert case.deadlines.filter(code="evidence_period", state="open").exists()
    assert integrity.problems_of(case, list(events_of(case))) == []


def test_a_late_service_of_the_application_copy_is_flagged(case, lixia_clerk):
    with time_machine.travel("2025-11-20 10:00 +0800", tick=False):
        serving.serve_application_copy(
            by=lixia_clerk, case=case, method=M.IN_PERSON, signed_on_the_spot=True
        )
    served = case.deadlines.get(code="serve_application_copy")
    assert served.met_late
    assert events_of(case).get(kind="case.application_copy_served").payload["late"] is True


def test_two_respondents_served_on_different_days_get_their_own_defence_periods(
    two_respondents, lixia_clerk
):
    case = two_respondents
    with time_machine.travel("2025-11-04 10:00 +0800", tick=False):
        serving.serve_application_copy(by=lixia_clerk, case=case, method=M.POST)
    first, second = _respondents(case)
    assert not case.deadlines.filter(code="defence").exists()  # the letters are on their way
    notices = ServiceRecord.objects.filter(case=case, document__kind=DocumentKind.RESPONSE_NOTICE)
    with time_machine.travel("2025-11-06 15:00 +0800", tick=False):
        serving.service_record_delivery(
            by=lixia_clerk, case=case, record=notices.get(party=first), signed_by_name="赵建国"
        )
    with time_machine.travel("2025-11-12 11:00 +0800", tick=False):
        serving.service_record_delivery(
            by=lixia_clerk, case=case, record=notices.get(party=second), signed_by_name="李四"
        )
    one, two = _defence_clock(case, first), _defence_clock(case, second)
    assert (one.started_on, two.started_on) == (date(2025, 11, 6), date(2025, 11, 12))
    assert one.due_on == compute_deadline(date(2025, 11, 6), 10, Unit.WORKING).due
    assert two.due_on == compute_deadline(date(2025, 11, 12), 10, Unit.WORKING).due
    assert one.due_on != two.due_on


def test_a_second_service_of_the_copy_gives_no_second_defence_period(case, lixia_clerk):
    [respondent] = _respondents(case)
    serving.serve_application_copy(
        by=lixia_clerk, case=case, method=M.IN_PERSON, signed_on_the_spot=True
    )
    notice = case.documents.get(kind=DocumentKind.RESPONSE_NOTICE)
    serving.serve(
        by=lixia_clerk,
        case=case,
        document=notice,
        parties=[respondent],
        method=M.IN_PERSON,
        signed_by_name="赵建国",
    )
    assert case.deadlines.filter(code="defence", party=respondent).count() == 1


def test_the_application_copy_needs_a_respondent(case, lixia_clerk):
    with pytest.raises(ValidationError) as caught:
        serving.serve_application_copy(
            by=lixia_clerk, case=case, method=M.POST, parties=[_applicant(case)]
        )
    assert "parties" in caught.value.message_dict
    assert not case.documents.exclude(kind__in=ISSUED_AT_INTAKE).exists()


def test_it_refuses_the_application_copy_once_the_hearing_began(case, lixia_clerk, lixia_head):
    case.status = Status.HEARING
    case.save(update_fields=["status"])
    with pytest.raises(TransitionError):
        serving.serve_application_copy(by=lixia_clerk, case=case, method=M.POST)


# --- Methods -------------------------------------------------------------------------------


def test_it_refuses_electronic_service_without_consent(case, lixia_clerk):
    [respondent] = _respondents(case)
    serving.service_address_confirm(
        by=lixia_clerk,
        case=case,
        party=respondent,
        electronic_consent=False,
        postal_address="济南市历下区经十路 100 号",
    )
    with pytest.raises(ValidationError) as caught:
        serving.serve_application_copy(by=lixia_clerk, case=case, method=M.ELECTRONIC)
    assert "尚未同意电子送达并确认送达地址" in " ".join(caught.value.message_dict["method"])
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert not ServiceRecord.objects.filter(case=case).exists()
    assert not case.documents.exclude(
        kind__in=[*ISSUED_AT_INTAKE, DocumentKind.SERVICE_ADDRESS]
    ).exists()


def test_a_new_address_confirmation_supersedes_the_consent(case, lixia_clerk):
    [respondent] = _respondents(case)
    _consent(case, lixia_clerk, respondent)
    serving.service_address_confirm(
        by=lixia_clerk,
        case=case,
        party=respondent,
        electronic_consent=False,
        postal_address="济南市历下区经十路 200 号",
    )
    assert respondent.service_addresses.filter(superseded_at__isnull=True).count() == 1
    assert serving.current_address(respondent).electronic_consent is False
    assert case.documents.filter(kind=DocumentKind.SERVICE_ADDRESS).count() == 2


def test_electronic_consent_needs_a_mobile_or_an_email(case, lixia_clerk):
    [respondent] = _respondents(case)
    with pytest.raises(ValidationError) as caught:
        serving.service_address_confirm(
            by=lixia_clerk, case=case, party=respondent, electronic_consent=True, mobile="12345"
        )
    assert set(caught.value.message_dict) == {"mobile"}
    assert not respondent.service_addresses.exists()


def test_it_refuses_sms_in_a_case_not_simplified(case, lixia_clerk):
    with pytest.raises(ValidationError) as caught:
        serving.serve_application_copy(by=lixia_clerk, case=case, method=M.SMS)
    assert "只有简易处理的案件才能以短信或电话方式送达" in " ".join(
        caught.value.message_dict["method"]
    )
    assert not ServiceRecord.objects.filter(case=case).exists()


def test_sms_in_a_simplified_case_is_served_but_not_proven_until_confirmed(
    institutions, lixia_intake, lixia_head, lixia_clerk
):
    case = accepted(lixia_intake, lixia_head, simplified=True)
    records = serving.serve_application_copy(by=lixia_clerk, case=case, method=M.SMS)
    record = next(r for r in records if r.document.kind == DocumentKind.RESPONSE_NOTICE)
    assert record.deemed_served_on is not None
    assert not record.proven
    assert not serving.proven_notice(case, record.party, record.document)
    serving.service_record_delivery(by=lixia_clerk, case=case, record=record, confirmed=True)
    assert serving.proven_notice(case, record.party, record.document)


def test_it_refuses_sms_for_an_award_even_in_a_simplified_case(
    institutions, lixia_intake, lixia_head, lixia_clerk
):
    case = accepted(lixia_intake, lixia_head, simplified=True)
    award = _issue(case, DocumentKind.AWARD, "裁决书")
    with pytest.raises(ValidationError) as caught:
        serving.serve(
            by=lixia_clerk,
            case=case,
            document=award,
            parties=list(case.parties.all()),
            method=M.SMS,
        )
    assert "裁决书和调解书不得以短信或电话方式送达" in " ".join(caught.value.message_dict["method"])
    assert not award.services.exists()


def test_it_refuses_posting_without_a_photo(case, lixia_clerk):
    notice = _issue(case, DocumentKind.HEARING_NOTICE)
    [respondent] = _respondents(case)
    with pytest.raises(ValidationError) as caught:
        serving.serve(
            by=lixia_clerk,
            case=case,
            document=notice,
            parties=[respondent],
            method=M.POSTING,
            note="受送达人拒绝签收",
        )
    assert set(caught.value.message_dict) == {"photo"}
    assert not notice.services.exists()


def test_posting_is_deemed_served_three_working_days_later(case, lixia_clerk):
    notice = _issue(case, DocumentKind.HEARING_NOTICE)
    [respondent] = _respondents(case)
    with time_machine.travel("2025-11-07 16:00 +0800", tick=False):  # a Friday
        [record] = serving.serve(
            by=lixia_clerk,
            case=case,
            document=notice,
            parties=[respondent],
            method=M.POSTING,
            photo=_photo(),
            note="受送达人拒绝签收，留置送达",
        )
    assert record.deemed_served_on == date(2025, 11, 12)  # Mon, Tue, Wed
    assert record.photo
    assert "SHA-256" in record.note


def test_public_notice_excludes_its_30_days_from_the_award_clock(case, lixia_clerk):
    before = award_clock(case).due_on
    notice = _issue(case, DocumentKind.HEARING_NOTICE)
    [respondent] = _respondents(case)
    with time_machine.travel("2025-11-10 09:00 +0800", tick=False):
        [record] = serving.serve(
            by=lixia_clerk,
            case=case,
            document=notice,
            parties=[respondent],
            method=M.PUBLIC_NOTICE,
            note="下落不明",
        )
    assert record.deemed_served_on == date(2025, 11, 10) + timedelta(days=30)
    clock = award_clock(case)
    assert clock.excluded_days == 30
    assert clock.due_on == compute_deadline(case.accepted_on, 75, Unit.CALENDAR).due
    assert clock.due_on >= before + timedelta(days=30)
    with translation.override("en"):
        assert "public-notice service (2025-11-10 to 2025-12-10) not counted" in derivation(clock)
    event = events_of(case).get(kind="case.document_served")
    assert event.payload["services"][0]["excluded_from_award_clock"] is True


def test_two_public_notices_at_once_exclude_the_period_once(two_respondents, lixia_clerk):
    case = two_respondents
    notice = _issue(case, DocumentKind.HEARING_NOTICE)
    serving.serve(
        by=lixia_clerk,
        case=case,
        document=notice,
        parties=_respondents(case),
        method=M.PUBLIC_NOTICE,
        note="下落不明",
    )
    assert award_clock(case).excluded_days == 30


def test_post_is_served_on_the_signed_receipt_or_the_returned_refusal(case, lixia_clerk):
    notice = _issue(case, DocumentKind.HEARING_NOTICE)
    [respondent] = _respondents(case)
    applicant = _applicant(case)
    with time_machine.travel("2025-11-04 09:00 +0800", tick=False):
        first, second = serving.serve(
            by=lixia_clerk,
            case=case,
            document=notice,
            parties=[applicant, respondent],
            method=M.POST,
        )
    assert first.deemed_served_on is None and first.address
    with time_machine.travel("2025-11-07 09:00 +0800", tick=False):
        serving.service_record_delivery(by=lixia_clerk, case=case, record=second, refused=True)
    second.refresh_from_db()
    assert second.deemed_served_on == date(2025, 11, 7)
    with pytest.raises(ValidationError):
        serving.service_record_delivery(by=lixia_clerk, case=case, record=second, refused=True)


def test_only_a_simple_service_is_confirmed(case, lixia_clerk):
    notice = _issue(case, DocumentKind.HEARING_NOTICE)
    [record] = serving.serve(
        by=lixia_clerk,
        case=case,
        document=notice,
        parties=[_applicant(case)],
        method=M.POST,
    )
    with pytest.raises(ValidationError) as caught:
        serving.service_record_delivery(by=lixia_clerk, case=case, record=record, confirmed=True)
    assert set(caught.value.message_dict) == {"confirmed"}


def test_a_clerk_of_another_role_may_not_serve(case, lixia_intake):
    from django.core.exceptions import PermissionDenied

    notice = _issue(case, DocumentKind.HEARING_NOTICE)
    with pytest.raises(PermissionDenied):
        serving.serve(
            by=lixia_intake,
            case=case,
            document=notice,
            parties=[_applicant(case)],
            method=M.POST,
        )


def test_posting_and_public_notice_periods_are_declared_once():
    # Declared once: a posting takes effect after 3 working days, a public notice after 30.
    assert (period("posting_service").days, period("posting_service").unit) == (3, "working")
    assert (period("public_notice_service").days, period("public_notice_service").unit) == (
        30,
        "calendar",
    )
