"""Defence, evidence, claim changes, counter-applications and added parties through the services."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from zhongcai.cases import evidence, integrity, serving
from zhongcai.cases.deadlines import award_clock
from zhongcai.cases.models import (
    CaseDeadline,
    ClaimChange,
    CounterApplication,
    DocumentKind,
    EvidenceItem,
    Party,
    ServiceMethod,
    Status,
)
from zhongcai.cases.models.evidence import Decision
from zhongcai.cases.workflow import TransitionError
from zhongcai.core.calendar import Unit, compute_deadline
from zhongcai.core.events import events_of

from .factories import EMPLOYER, WORKER, accepted, credit_code, id_number, tribunal_formed

M = ServiceMethod
ACCEPTED_AT = "2025-11-03 09:00 +0800"  # a Monday
SERVED_AT = "2025-11-04 10:00 +0800"
DURING = "2025-11-06 10:00 +0800"  # within every period of the fixture


def _upload(content: bytes = b"%PDF-1.4 wage slips", name: str = "工资条.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _respondent(case):
    return case.parties.get(role=Party.Role.RESPONDENT)


def _applicant(case):
    return case.parties.get(role=Party.Role.APPLICANT)


def _serve(case, clerk):
    """The application copy served in person today: the defence period starts today."""
    serving.serve_application_copy(by=clerk, case=case, method=M.IN_PERSON, signed_on_the_spot=True)
    case.refresh_from_db()
    return case


@pytest.fixture
def case(institutions, lixia_intake, lixia_head, lixia_clerk):
    with time_machine.travel(ACCEPTED_AT, tick=False):
        case = accepted(lixia_intake, lixia_head)
        case = tribunal_formed(case, lixia_head)
    with time_machine.travel(SERVED_AT, tick=False):
        return _serve(case, lixia_clerk)


def _consistent(case):
    case.refresh_from_db()
    return integrity.problems_of(case, list(events_of(case))) == []


# --- Defence -------------------------------------------------------------------------------


def test_a_defence_closes_the_respondents_clock_and_opens_the_copy_clock(case, lixia_clerk):
    respondent = _respondent(case)
    with time_machine.travel("2025-11-10 10:00 +0800", tick=False):
        defence = evidence.defence_file(
            by=lixia_clerk, case=case, party=respondent, text="申请人主张的工资已经支付。"
        )
    assert not defence.late
    clock = case.deadlines.get(code="defence", party=respondent)
    assert (clock.state, clock.met_late) == (CaseDeadline.State.MET, False)
    assert defence.document.kind == DocumentKind.DEFENCE
    copy_clock = case.deadlines.get(code="serve_defence_copy")
    assert copy_clock.due_on == compute_deadline(date(2025, 11, 10), 5, Unit.WORKING).due

    copy = case.documents.get(kind=DocumentKind.DEFENCE_COPY)
    with time_machine.travel("2025-11-11 10:00 +0800", tick=False):
        serving.serve(
            by=lixia_clerk,
            case=case,
            document=copy,
            parties=[_applicant(case)],
            method=M.IN_PERSON,
            signed_by_name="王秀英",
        )
    copy_clock.refresh_from_db()
    assert (copy_clock.state, copy_clock.met_late) == (CaseDeadline.State.MET, False)
    assert _consistent(case)


def test_a_late_defence_is_taken_and_flagged(case, lixia_clerk):
    respondent = _respondent(case)
    with time_machine.travel("2025-12-15 10:00 +0800", tick=False):
        defence = evidence.defence_file(by=lixia_clerk, case=case, party=respondent, text="迟交")
    assert defence.late
    clock = case.deadlines.get(code="defence", party=respondent)
    assert (clock.state, clock.met_late) == (CaseDeadline.State.MET, True)


def test_only_a_respondent_files_a_defence(case, lixia_clerk):
    with pytest.raises(ValidationError) as caught:
        evidence.defence_file(by=lixia_clerk, case=case, party=_applicant(case), text="x")
    assert set(caught.value.message_dict) == {"party"}
    assert not case.defences.exists()


def test_a_defence_needs_text_or_a_file(case, lixia_clerk):
    with pytest.raises(ValidationError) as caught:
        evidence.defence_file(by=lixia_clerk, case=case, party=_respondent(case), text="  ")
    assert set(caught.value.message_dict) == {"text"}


def test_the_defence_period_is_waived_only_in_simplified_handling(case, lixia_head):
    with pytest.raises(ValidationError) as caught:
        evidence.defence_period_waive(
            by=lixia_head, case=case, party=_respondent(case), respondent_consent=True
        )
    assert "只有简易处理的案件才能取消答辩期（办案规则第五十八条）" in " ".join(
        caught.value.message_dict["party"]
    )
    assert not case.defences.exists()


def test_a_waiver_needs_the_respondents_consent_and_calls_off_its_clock(
    institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator
):
    case = tribunal_formed(accepted(lixia_intake, lixia_head, simplified=True), lixia_head)
    case = _serve(case, lixia_clerk)
    respondent = _respondent(case)
    with pytest.raises(ValidationError) as caught:
        evidence.defence_period_waive(
            by=lixia_arbitrator, case=case, party=respondent, respondent_consent=False
        )
    assert set(caught.value.message_dict) == {"respondent_consent"}
    evidence.defence_period_waive(
        by=lixia_arbitrator, case=case, party=respondent, respondent_consent=True, note="当庭"
    )
    clock = case.deadlines.get(code="defence", party=respondent)
    assert clock.state == CaseDeadline.State.CANCELLED
    assert case.defences.get().waived


def test_a_waiver_is_not_possible_before_the_defence_period(institutions, lixia_intake, lixia_head):
    case = accepted(lixia_intake, lixia_head, simplified=True)
    with pytest.raises(TransitionError):
        evidence.defence_period_waive(
            by=lixia_head, case=case, party=_respondent(case), respondent_consent=True
        )


# --- Evidence ------------------------------------------------------------------------------


def test_evidence_is_hashed_on_the_server_and_numbered_in_the_case(case, lixia_clerk):
    content = b"%PDF-1.4 attendance records 2026-06..08"
    first = evidence.evidence_submit(
        by=lixia_clerk,
        case=case,
        party=_applicant(case),
        title="考勤记录",
        purpose="证明加班事实",
        file=_upload(content, "考勤.pdf"),
    )
    second = evidence.evidence_submit(
        by=lixia_clerk, case=case, party=None, title="调查笔录", file=_upload(b"%PDF-1.4 notes")
    )
    assert first.sha256 == hashlib.sha256(content).hexdigest()
    assert (first.size, first.file_name) == (len(content), "考勤.pdf")
    first.file.open("rb")
    assert first.file.read() == content
    assert [first.number, second.number] == [1, 2]
    assert second.party is None  # collected by the commission
    assert events_of(case).filter(kind="case.evidence_submitted").count() == 2


def test_evidence_after_the_evidence_period_is_taken_and_flagged_late(
    case, lixia_head, lixia_clerk
):
    with time_machine.travel("2025-11-05 10:00 +0800", tick=False):
        clock = evidence.evidence_period_set(by=lixia_head, case=case, days=10)
    assert clock.due_on == compute_deadline(date(2025, 11, 5), 10, Unit.CALENDAR).due
    assert case.deadlines.filter(code="evidence_period", state="open").count() == 1
    with time_machine.travel("2025-11-20 10:00 +0800", tick=False):
        item = evidence.evidence_submit(
            by=lixia_clerk, case=case, party=_respondent(case), title="银行流水", file=_upload()
        )
    assert item.late


def test_it_refuses_an_empty_or_too_large_file(case, lixia_clerk):
    with pytest.raises(ValidationError) as caught:
        evidence.evidence_submit(
            by=lixia_clerk, case=case, party=None, title="空", file=_upload(b"", "empty.pdf")
        )
    assert "文件“empty.pdf”为空" in " ".join(caught.value.message_dict["file"])
    with override_settings(CASES_MAX_UPLOAD_MB=1), pytest.raises(ValidationError) as caught:
        evidence.evidence_submit(
            by=lixia_clerk,
            case=case,
            party=None,
            title="大",
            file=_upload(b"x" * (1024 * 1024 + 1), "big.pdf"),
        )
    assert "文件“big.pdf”超过 1 MB" in " ".join(caught.value.message_dict["file"])
    assert not EvidenceItem.objects.filter(case=case).exists()


def test_the_evidence_period_is_set_by_the_bench_only(case, lixia_clerk):
    with pytest.raises(PermissionDenied):
        evidence.evidence_period_set(by=lixia_clerk, case=case, days=10)


def test_a_cross_examination_is_recorded_by_the_other_party(case, lixia_clerk):
    item = evidence.evidence_submit(
        by=lixia_clerk, case=case, party=_applicant(case), title="工资条", file=_upload()
    )
    with pytest.raises(ValidationError) as caught:
        evidence.cross_examination_record(
            by=lixia_clerk,
            case=case,
            evidence=item,
            party=_applicant(case),
            authenticity="admitted",
            legality="admitted",
            relevance="admitted",
        )
    assert set(caught.value.message_dict) == {"party"}
    examination = evidence.cross_examination_record(
        by=lixia_clerk,
        case=case,
        evidence=item,
        party=_respondent(case),
        authenticity="disputed",
        legality="admitted",
        relevance="partly",
        note="工资条无公司盖章",
    )
    assert item.examinations.get() == examination


# --- Claim changes -------------------------------------------------------------------------

ADDED = [{"type": "damages", "description": "支付未签劳动合同二倍工资差额", "amount": "24000"}]


def test_an_accepted_claim_change_restarts_the_award_clock_and_the_defence(
    case, lixia_clerk, lixia_arbitrator
):
    respondent = _respondent(case)
    with time_machine.travel("2025-11-06 10:00 +0800", tick=False):
        change = evidence.claim_change_apply(
            by=lixia_clerk, case=case, kind=ClaimChange.Kind.ADD, items=ADDED, reasons="补充"
        )
    before = award_clock(case).due_on
    with time_machine.travel("2025-11-10 10:00 +0800", tick=False):
        evidence.claim_change_decide(by=lixia_arbitrator, case=case, change=change, accepted=True)
    clock = award_clock(case)
    assert clock.started_on == date(2025, 11, 10)
    assert clock.due_on == compute_deadline(date(2025, 11, 10), 45, Unit.CALENDAR).due
    assert clock.due_on > before
    assert [c.number for c in case.claims.all()] == [1, 2, 3]
    assert case.claims.get(number=3).amount == Decimal("24000.00")
    defence = case.deadlines.filter(code="defence", party=respondent, state="open").get()
    assert defence.started_on == date(2025, 11, 10)
    change.refresh_from_db()
    assert change.decision == Decision.ACCEPTED
    assert _consistent(case)


@time_machine.travel(DURING, tick=False)
def test_a_claim_change_rewrites_the_named_claim(case, lixia_clerk, lixia_head):
    change = evidence.claim_change_apply(
        by=lixia_clerk,
        case=case,
        kind=ClaimChange.Kind.CHANGE,
        items=[{"number": 1, "type": "remuneration", "description": "工资", "amount": "15000"}],
    )
    evidence.claim_change_decide(
        by=lixia_head, case=case, change=change, accepted=True, waived_by=[_respondent(case)]
    )
    assert case.claims.get(number=1).amount == Decimal("15000.00")
    assert case.claims.count() == 2
    # The respondent waived a new period: its first one stays as it was.
    assert case.deadlines.filter(code="defence").count() == 1
    assert _consistent(case)


@time_machine.travel(DURING, tick=False)
def test_a_refused_claim_change_changes_nothing(case, lixia_clerk, lixia_head):
    change = evidence.claim_change_apply(
        by=lixia_clerk, case=case, kind=ClaimChange.Kind.ADD, items=ADDED
    )
    clock = award_clock(case)
    with pytest.raises(ValidationError) as caught:
        evidence.claim_change_decide(by=lixia_head, case=case, change=change, accepted=False)
    assert set(caught.value.message_dict) == {"reasons"}
    evidence.claim_change_decide(
        by=lixia_head, case=case, change=change, accepted=False, reasons="超过举证期限"
    )
    assert award_clock(case) == clock
    assert case.claims.count() == 2
    change.refresh_from_db()
    assert (change.decision, change.decision_reasons) == (Decision.REFUSED, "超过举证期限")
    with pytest.raises(ValidationError):
        evidence.claim_change_decide(by=lixia_head, case=case, change=change, accepted=True)


def test_it_refuses_a_claim_change_after_the_evidence_period(case, lixia_clerk, lixia_head):
    with time_machine.travel("2025-11-05 10:00 +0800", tick=False):
        evidence.evidence_period_set(by=lixia_head, case=case, days=5)
    with (
        time_machine.travel("2025-11-11 10:00 +0800", tick=False),
        pytest.raises(ValidationError) as caught,
    ):
        evidence.claim_change_apply(
            by=lixia_clerk, case=case, kind=ClaimChange.Kind.ADD, items=ADDED
        )
    assert "应另行申请仲裁（办案规则第四十四条）" in " ".join(caught.value.message_dict["kind"])
    assert not case.claim_changes.exists()
    assert not case.documents.filter(kind=DocumentKind.CLAIM_CHANGE).exists()


def test_claim_items_are_judged_like_an_applications(case, lixia_clerk):
    with pytest.raises(ValidationError) as caught:
        evidence.claim_change_apply(
            by=lixia_clerk,
            case=case,
            kind=ClaimChange.Kind.CHANGE,
            items=[{"number": 9, "type": "alien", "description": "", "amount": "abc"}],
        )
    assert set(caught.value.message_dict) == {
        "items.0.type",
        "items.0.amount",
        "items.0.description",
        "items.0.number",
    }


# --- Counter-applications ------------------------------------------------------------------

COUNTER = [{"type": "other", "description": "返还培训费", "amount": "5000"}]


def test_a_joined_counter_application_restarts_the_award_clock(case, lixia_clerk, lixia_arbitrator):
    with time_machine.travel("2025-11-07 10:00 +0800", tick=False):
        counter = evidence.counter_application_file(
            by=lixia_clerk,
            case=case,
            party=_respondent(case),
            items=COUNTER,
            facts_and_reasons="申请人提前离职",
        )
    clock = case.deadlines.get(code="counter_application_decision")
    assert clock.due_on == compute_deadline(date(2025, 11, 7), 5, Unit.WORKING).due
    assert case.documents.filter(kind=DocumentKind.COUNTER_APPLICATION).count() == 1
    with time_machine.travel("2025-11-12 10:00 +0800", tick=False):
        evidence.counter_application_decide(
            by=lixia_arbitrator,
            case=case,
            counter=counter,
            outcome=CounterApplication.Outcome.JOINED,
        )
    clock.refresh_from_db()
    assert (clock.state, clock.met_late) == (CaseDeadline.State.MET, False)
    award = award_clock(case)
    assert award.started_on == date(2025, 11, 12)
    assert award.due_on == compute_deadline(date(2025, 11, 12), 45, Unit.CALENDAR).due
    assert _consistent(case)


@time_machine.travel(DURING, tick=False)
def test_a_refused_counter_application_gets_its_notice(case, lixia_clerk, lixia_head):
    counter = evidence.counter_application_file(
        by=lixia_clerk, case=case, party=_respondent(case), items=COUNTER, facts_and_reasons="x"
    )
    evidence.counter_application_decide(
        by=lixia_head,
        case=case,
        counter=counter,
        outcome=CounterApplication.Outcome.REFUSED,
        reasons="不属于劳动争议",
    )
    notice = case.documents.get(kind=DocumentKind.OTHER)
    assert notice.data == {"counter_application": counter.pk, "outcome": "refused"}


def test_it_refuses_a_counter_application_after_the_defence_period(case, lixia_clerk):
    respondent = _respondent(case)
    due = case.deadlines.get(code="defence", party=respondent).due_on
    with time_machine.travel(f"{due.isoformat()} 10:00 +0800", tick=False):
        evidence.counter_application_file(
            by=lixia_clerk, case=case, party=respondent, items=COUNTER, facts_and_reasons="x"
        )  # the last day is still within
    with time_machine.travel(f"{due.isoformat()} 10:00 +0800", tick=False) as traveller:
        traveller.shift(24 * 3600)
        with pytest.raises(ValidationError) as caught:
            evidence.counter_application_file(
                by=lixia_clerk, case=case, party=respondent, items=COUNTER, facts_and_reasons="x"
            )
    assert "答辩期已于" in " ".join(caught.value.message_dict["party"])
    assert "应另行申请仲裁（办案规则第三十六条）" in " ".join(caught.value.message_dict["party"])
    assert case.counter_applications.count() == 1


def test_a_counter_application_needs_a_running_defence_period(
    institutions, lixia_intake, lixia_head, lixia_clerk
):
    case = accepted(lixia_intake, lixia_head)
    with pytest.raises(ValidationError) as caught:
        evidence.counter_application_file(
            by=lixia_clerk, case=case, party=_respondent(case), items=COUNTER, facts_and_reasons="x"
        )
    assert "没有正在计算的答辩期" in " ".join(caught.value.message_dict["party"])
    assert "应另行申请仲裁（办案规则第三十六条）" in " ".join(caught.value.message_dict["party"])
    assert not case.counter_applications.exists()


# --- Added parties -------------------------------------------------------------------------

THIRD = {
    "role": "third_party",
    "kind": "worker",
    "name": "李明",
    "id_number": id_number("37010219880101001"),
    "domicile": "济南市历下区",
    "phone": "13800000011",
}


def test_an_added_party_restarts_the_award_clock(case, lixia_arbitrator):
    with time_machine.travel("2025-11-12 10:00 +0800", tick=False):
        party = evidence.party_add(
            by=lixia_arbitrator, case=case, data=THIRD, reasons="与案件处理结果有利害关系"
        )
    assert (party.role, party.sex) == (Party.Role.THIRD_PARTY, Party.Sex.MALE)
    notice = case.documents.get(kind=DocumentKind.ADD_PARTY_NOTICE)
    assert notice.data["party"] == party.pk
    assert award_clock(case).started_on == date(2025, 11, 12)
    assert _consistent(case)


def test_an_added_party_is_validated_like_an_applications(case, lixia_head):
    with pytest.raises(ValidationError) as caught:
        evidence.party_add(
            by=lixia_head,
            case=case,
            data={**THIRD, "id_number": "370102198801010010", "role": "boss"},
            reasons="",
        )
    assert set(caught.value.message_dict) == {"id_number", "role", "reasons"}
    assert case.parties.count() == 2


def test_an_added_respondent_gets_its_own_defence_period_when_served(case, lixia_head, lixia_clerk):
    employer = {**EMPLOYER, "name": "济南示例投资有限公司"}
    employer["credit_code"] = credit_code("91370102MA3C00003")
    added = evidence.party_add(by=lixia_head, case=case, data=employer, reasons="出资人")
    with time_machine.travel("2025-11-13 10:00 +0800", tick=False):
        serving.serve_application_copy(by=lixia_clerk, case=case, method=M.POST, parties=[added])
    record = added.services.get(document__kind=DocumentKind.RESPONSE_NOTICE)
    with time_machine.travel("2025-11-17 10:00 +0800", tick=False):
        serving.service_record_delivery(
            by=lixia_clerk, case=case, record=record, signed_by_name="前台"
        )
    clock = case.deadlines.get(code="defence", party=added)
    assert clock.started_on == date(2025, 11, 17)
    case.refresh_from_db()
    assert case.status == Status.DEFENCE_PERIOD


def test_the_same_party_is_not_added_twice(case, lixia_head):
    data = {**WORKER, "role": "applicant"}
    with pytest.raises(ValidationError) as caught:
        evidence.party_add(by=lixia_head, case=case, data=data, reasons="重复")
    assert "该当事人已是本案当事人" in " ".join(caught.value.message_dict["name"])
