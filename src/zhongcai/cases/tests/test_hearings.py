"""Hearings through the services: notice period, conflicts, postponement, default, deemed
withdrawal, the record with its versions and signatures.

"Today" is fixed to Monday 9 March 2026, a plain week: the 5-working-day notice period counted
from it ends on Monday 16 March, so the earliest hearing day is Tuesday 17 March.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from zhongcai.accounts.models import User
from zhongcai.cases import hearings, integrity, serving
from zhongcai.cases.models import (
    Case,
    CaseDeadline,
    CaseDocument,
    DecisionKind,
    DocumentKind,
    Hearing,
    HearingRecord,
    Party,
    PostponementRequest,
    RecordSignature,
    ServiceMethod,
    ServiceRecord,
    Status,
    TribunalMember,
)
from zhongcai.cases.workflow import TransitionError
from zhongcai.core.events import events_of
from zhongcai.orgs.models import HearingRoom, Person

from .factories import (
    EMPLOYER,
    accepted,
    commission,
    id_number,
    in_defence_period,
    people_of,
    tribunal_formed,
)

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = "2026-03-09 09:00 +0800"


def at(day: int, hour: int = 9, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


def travel(day: int, hour: int = 9, minute: int = 0) -> Any:
    return time_machine.travel(at(day, hour, minute), tick=False)


def ready(intake: User, head: User, clerk: User, **changes: Any) -> Case:
    """Accepted on Monday 9 March, sole arbitrator lixia_arbitrator, recorder 杨静, copy served."""
    case = accepted(intake, head, **changes)
    case = tribunal_formed(case, head)
    return in_defence_period(case, clerk)


def schedule(case: Case, by: User, starts: datetime, **changes: Any) -> Hearing:
    values: dict[str, Any] = {
        "room": HearingRoom.objects.filter(commission=case.commission, is_active=True).first(),
        "notice_method": ServiceMethod.IN_PERSON,
    }
    values.update(changes)
    return hearings.hearing_schedule(by=by, case=case, starts_at=starts, **values)


def swap_recorder(case: Case, person: Person) -> None:
    TribunalMember.objects.filter(case=case, seat=TribunalMember.Seat.RECORDER).update(
        person=person
    )


def messages(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


def consistent(case: Case) -> bool:
    case.refresh_from_db()
    return integrity.problems_of(case, list(events_of(case))) == []


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def case(monday, institutions, lixia_intake, lixia_head, lixia_clerk) -> Case:
    return ready(lixia_intake, lixia_head, lixia_clerk)


# --- Notice period (LDMAL art. 35) ------------------------------------------------------------


def test_it_refuses_a_hearing_notice_4_days_ahead(case, lixia_clerk):
    with pytest.raises(ValidationError) as refused:
        schedule(case, lixia_clerk, at(13))
    assert "starts_at" in refused.value.message_dict
    assert "2026-03-17" in messages(refused)  # the earliest possible date is named
    case.refresh_from_db()
    assert case.status == Status.DEFENCE_PERIOD
    assert not Hearing.objects.filter(case=case).exists()
    assert not CaseDocument.objects.filter(case=case, kind=DocumentKind.HEARING_NOTICE).exists()


def test_it_refuses_the_day_the_notice_period_ends(case, lixia_clerk):
    with pytest.raises(ValidationError):
        schedule(case, lixia_clerk, at(16, 14))


def test_it_accepts_the_earliest_allowed_date_and_serves_every_party(
    case, lixia_clerk, lixia_arbitrator
):
    assert hearings.earliest_hearing_date(at(9).date()).isoformat() == "2026-03-17"
    hearing = schedule(case, lixia_clerk, at(17))
    case.refresh_from_db()
    assert case.status == Status.HEARING_SCHEDULED
    assert hearing.session == 1
    assert hearing.ends_at == at(17, 11)  # two hours unless told
    seated = {m.person_id for m in case.tribunal.filter(ended_at__isnull=True)}
    assert {p.pk for p in hearing.people.all()} == seated
    assert hearing.notice.kind == DocumentKind.HEARING_NOTICE
    assert hearing.notice.data["starts_at"] == at(17).isoformat()
    served = ServiceRecord.objects.filter(document=hearing.notice)
    assert {s.party_id for s in served} == set(case.parties.values_list("pk", flat=True))
    assert all(s.proven for s in served)
    event = events_of(case).get(kind="case.hearing_scheduled")
    assert event.payload["hearing"] == hearing.pk
    assert len(event.payload["services"]) == 2
    assert consistent(case)


def test_it_needs_a_place(case, lixia_clerk):
    with pytest.raises(ValidationError) as refused:
        schedule(case, lixia_clerk, at(17), room=None)
    assert "room" in refused.value.message_dict
    # Another place (办案规则 art. 67), or online, will do.
    hearing = schedule(case, lixia_clerk, at(17), room=None, place="被申请人会议室")
    assert hearing.place == "被申请人会议室"


def test_it_refuses_another_commissions_room(case, lixia_clerk):
    licheng_room = HearingRoom.objects.create(commission=commission("370112"), name="历城第一庭")
    with pytest.raises(ValidationError) as refused:
        schedule(case, lixia_clerk, at(17), room=licheng_room)
    assert "room" in refused.value.message_dict


def test_it_refuses_sms_notice_outside_simplified_handling(case, lixia_clerk):
    with pytest.raises(ValidationError) as refused:
        schedule(case, lixia_clerk, at(17), notice_method=ServiceMethod.SMS)
    assert "notice_method" in refused.value.message_dict
    assert not Hearing.objects.filter(case=case).exists()


# --- Conflicts ----------------------------------------------------------------------------------


@pytest.fixture
def other_case(monday, institutions, lixia_intake, lixia_head, lixia_clerk) -> Case:
    """A second Lixia case, sole arbitrator lixia_arbitrator2, recorder 杨静."""
    second = accepted(lixia_intake, lixia_head, facts_and_reasons="另一案：拖欠加班费。")
    second = tribunal_formed(second, lixia_head, arbitrator_users=["lixia_arbitrator2"])
    return in_defence_period(second, lixia_clerk)


def test_it_refuses_a_room_booked_by_another_case(case, other_case, lixia_clerk):
    schedule(case, lixia_clerk, at(17, 9))
    swap_recorder(other_case, people_of("370102", "case_assistant")[0])
    with pytest.raises(ValidationError) as refused:
        schedule(other_case, lixia_clerk, at(17, 10))
    assert list(refused.value.message_dict) == ["room"]
    text = messages(refused)
    assert case.case_number in text
    assert "2026-03-17 09:00" in text and "11:00" in text


def test_it_refuses_an_arbitrator_sitting_in_another_case(
    case, monday, lixia_intake, lixia_head, lixia_clerk
):
    schedule(case, lixia_clerk, at(17, 9))
    second = ready(lixia_intake, lixia_head, lixia_clerk, facts_and_reasons="另一案。")
    swap_recorder(second, people_of("370102", "case_assistant")[0])
    with pytest.raises(ValidationError) as refused:
        schedule(second, lixia_clerk, at(17, 10), room=None, place="被申请人会议室")
    text = messages(refused)
    assert "李明远" in text and case.case_number in text
    assert "杨静" not in text


def test_it_refuses_the_recorder_recording_another_case(case, other_case, lixia_clerk):
    schedule(case, lixia_clerk, at(17, 9))
    with pytest.raises(ValidationError) as refused:
        schedule(other_case, lixia_clerk, at(17, 10, 30), room=None, online=True)
    text = messages(refused)
    assert "杨静" in text and case.case_number in text
    assert "陈雪梅" not in text


def test_back_to_back_hearings_do_not_conflict(case, other_case, lixia_clerk):
    schedule(case, lixia_clerk, at(17, 9))
    hearing = schedule(other_case, lixia_clerk, at(17, 11))
    assert hearing.starts_at == at(17, 11)


def test_a_postponed_hearing_frees_its_room(case, other_case, lixia_clerk, lixia_head):
    first = schedule(case, lixia_clerk, at(17, 9))
    request = hearings.postponement_request(
        by=lixia_clerk,
        case=case,
        hearing=first,
        party=case.parties.get(role=Party.Role.RESPONDENT),
        reasons="法定代表人出差",
    )
    hearings.postponement_decide(
        by=lixia_head,
        case=case,
        request=request,
        granted=True,
        starts_at=at(24),
        room=first.room,
        notice_method=ServiceMethod.IN_PERSON,
    )
    assert schedule(other_case, lixia_clerk, at(17, 9)).room == first.room


# --- Postponement (LDMAL art. 35) --------------------------------------------------------------


def test_it_refuses_a_postponement_requested_2_days_before(case, lixia_clerk):
    hearing = schedule(case, lixia_clerk, at(17))
    with travel(15), pytest.raises(ValidationError) as refused:
        hearings.postponement_request(
            by=lixia_clerk,
            case=case,
            hearing=hearing,
            party=case.parties.get(role=Party.Role.APPLICANT),
            reasons="住院",
        )
    assert "2026-03-17" in messages(refused)
    assert not PostponementRequest.objects.exists()


def test_a_postponement_granted_books_and_notifies_the_new_hearing(case, lixia_clerk, lixia_head):
    hearing = schedule(case, lixia_clerk, at(17))
    with travel(12):
        request = hearings.postponement_request(
            by=lixia_clerk,
            case=case,
            hearing=hearing,
            party=case.parties.get(role=Party.Role.APPLICANT),
            reasons="住院手术",
        )
        with pytest.raises(ValidationError):  # the same notice period for the new date
            hearings.postponement_decide(
                by=lixia_head,
                case=case,
                request=request,
                granted=True,
                starts_at=at(19),
                room=hearing.room,
                notice_method=ServiceMethod.IN_PERSON,
            )
        hearing.refresh_from_db()
        assert hearing.state == Hearing.State.SCHEDULED
        decided = hearings.postponement_decide(
            by=lixia_head,
            case=case,
            request=request,
            granted=True,
            starts_at=at(20, 14),
            room=hearing.room,
            notice_method=ServiceMethod.IN_PERSON,
        )
    hearing.refresh_from_db()
    assert hearing.state == Hearing.State.POSTPONED
    new = decided.new_hearing
    assert new.starts_at == at(20, 14) and new.session == 1 and new.replaces == hearing
    assert decided.decision == PostponementRequest.Decision.GRANTED
    assert decided.notice.kind == DocumentKind.POSTPONEMENT_NOTICE
    for document in (decided.notice, new.notice):
        assert ServiceRecord.objects.filter(document=document).count() == 2
    case.refresh_from_db()
    assert case.status == Status.HEARING_SCHEDULED
    assert consistent(case)


def test_a_postponement_refused_needs_reasons_and_keeps_the_hearing(case, lixia_clerk, lixia_head):
    hearing = schedule(case, lixia_clerk, at(17))
    request = hearings.postponement_request(
        by=lixia_clerk,
        case=case,
        hearing=hearing,
        party=case.parties.get(role=Party.Role.RESPONDENT),
        reasons="业务繁忙",
    )
    with pytest.raises(ValidationError):
        hearings.postponement_decide(by=lixia_head, case=case, request=request, granted=False)
    decided = hearings.postponement_decide(
        by=lixia_head, case=case, request=request, granted=False, reasons="理由不正当"
    )
    assert decided.decision == PostponementRequest.Decision.REFUSED
    hearing.refresh_from_db()
    assert hearing.state == Hearing.State.SCHEDULED


def test_only_the_head_decides_a_postponement(case, lixia_clerk):
    from django.core.exceptions import PermissionDenied

    hearing = schedule(case, lixia_clerk, at(17))
    request = hearings.postponement_request(
        by=lixia_clerk,
        case=case,
        hearing=hearing,
        party=case.parties.get(role=Party.Role.RESPONDENT),
        reasons="业务繁忙",
    )
    with pytest.raises(PermissionDenied):
        hearings.postponement_decide(
            by=lixia_clerk, case=case, request=request, granted=False, reasons="x"
        )


# --- Opening, attendance, default ----------------------------------------------------------------


def test_a_hearing_opens_on_its_day_only(case, lixia_clerk, lixia_arbitrator):
    schedule(case, lixia_clerk, at(17))
    with pytest.raises(ValidationError) as refused:
        hearings.hearing_open(by=lixia_arbitrator, case=case)
    assert "2026-03-17" in messages(refused)
    with travel(17, 8, 55):
        hearing = hearings.hearing_open(by=lixia_arbitrator, case=case)
    assert hearing.state == Hearing.State.OPEN
    case.refresh_from_db()
    assert case.status == Status.HEARING


def test_an_absent_respondent_is_a_default_and_the_hearing_continues(
    case, lixia_clerk, lixia_arbitrator
):
    schedule(case, lixia_clerk, at(17))
    with travel(17):
        hearings.hearing_open(by=lixia_arbitrator, case=case)
        respondent = case.parties.get(role=Party.Role.RESPONDENT)
        entry = hearings.attendance_record(
            by=lixia_clerk, case=case, party=respondent, presence="absent"
        )
        hearings.attendance_record(
            by=lixia_clerk,
            case=case,
            party=case.parties.get(role=Party.Role.APPLICANT),
            presence="present",
        )
        event = events_of(case).filter(kind="case.attendance_recorded").first()
        assert event.payload["default"] is True
        assert event.payload["default_award_possible"] is True  # served in person, signed
        assert entry.presence == "absent"
        hearing = hearings.hearing_close(by=lixia_arbitrator, case=case)
    case.refresh_from_db()
    assert case.status == Status.DELIBERATION
    assert hearing.state == Hearing.State.HELD and not hearing.adjourned
    assert consistent(case)


def test_attendance_is_recorded_in_session_only(case, lixia_clerk):
    from zhongcai.cases.workflow import TransitionError

    schedule(case, lixia_clerk, at(17))
    with pytest.raises(TransitionError):
        hearings.attendance_record(
            by=lixia_clerk,
            case=case,
            party=case.parties.get(role=Party.Role.RESPONDENT),
            presence="absent",
        )


def test_an_adjourned_hearing_is_followed_by_session_2(case, lixia_clerk, lixia_arbitrator):
    schedule(case, lixia_clerk, at(17))
    with travel(17):
        hearings.hearing_open(by=lixia_arbitrator, case=case)
        closed = hearings.hearing_close(by=lixia_arbitrator, case=case, adjourned=True)
        assert closed.adjourned
        second = schedule(case, lixia_clerk, at(25))
    assert second.session == 2
    case.refresh_from_db()
    assert case.status == Status.HEARING_SCHEDULED
    assert consistent(case)


# --- Deemed withdrawal (LDMAL art. 36; 办案规则 arts. 39, 59) -----------------------------------


@pytest.fixture
def simplified(monday, institutions, lixia_intake, lixia_head, lixia_clerk) -> Case:
    return ready(lixia_intake, lixia_head, lixia_clerk, simplified=True)


def _applicant_missing(case: Case, clerk: User, arbitrator: User) -> None:
    hearings.hearing_open(by=arbitrator, case=case)
    hearings.attendance_record(
        by=clerk,
        case=case,
        party=case.parties.get(role=Party.Role.APPLICANT),
        presence="absent",
    )


def test_an_applicant_absent_after_an_sms_only_notice_cannot_be_deemed_withdrawn(
    simplified, lixia_clerk, lixia_arbitrator
):
    schedule(simplified, lixia_clerk, at(17), notice_method=ServiceMethod.SMS)
    with travel(17, 9, 30):
        _applicant_missing(simplified, lixia_clerk, lixia_arbitrator)
        with pytest.raises(ValidationError) as refused:
            hearings.case_deem_withdrawn(
                by=lixia_arbitrator, case=simplified, reasons="申请人无正当理由未到庭"
            )
    assert "王秀英" in messages(refused)
    simplified.refresh_from_db()
    assert simplified.status == Status.HEARING
    assert not CaseDocument.objects.filter(case=simplified, kind=DocumentKind.DECISION).exists()


def test_a_confirmed_sms_notice_is_proven(simplified, lixia_clerk, lixia_arbitrator):
    hearing = schedule(simplified, lixia_clerk, at(17), notice_method=ServiceMethod.SMS)
    applicant = simplified.parties.get(role=Party.Role.APPLICANT)
    record = ServiceRecord.objects.get(document=hearing.notice, party=applicant)
    serving.service_record_delivery(by=lixia_clerk, case=simplified, record=record, confirmed=True)
    with travel(17, 9, 30):
        _applicant_missing(simplified, lixia_clerk, lixia_arbitrator)
        closed = hearings.case_deem_withdrawn(
            by=lixia_arbitrator, case=simplified, reasons="申请人无正当理由未到庭"
        )
    assert closed.status == Status.CLOSED_DEEMED_WITHDRAWN


def test_an_applicant_absent_after_an_in_person_signed_notice_is_deemed_withdrawn(
    simplified, lixia_clerk, lixia_arbitrator
):
    hearing = schedule(simplified, lixia_clerk, at(17), notice_method=ServiceMethod.IN_PERSON)
    with travel(17, 9, 30):
        _applicant_missing(simplified, lixia_clerk, lixia_arbitrator)
        closed = hearings.case_deem_withdrawn(
            by=lixia_arbitrator, case=simplified, reasons="申请人无正当理由未到庭"
        )
    assert closed.status == Status.CLOSED_DEEMED_WITHDRAWN
    assert closed.closed_at == at(17, 9, 30)
    decision = CaseDocument.objects.get(case=simplified, kind=DocumentKind.DECISION)
    assert decision.decision_kind == DecisionKind.DEEMED_WITHDRAWAL
    assert not CaseDeadline.objects.filter(
        case=simplified, state__in=[CaseDeadline.State.OPEN, CaseDeadline.State.PAUSED]
    ).exists()
    assert CaseDeadline.objects.filter(
        case=simplified, code="award", state=CaseDeadline.State.CANCELLED
    ).exists()
    hearing.refresh_from_db()
    assert hearing.state == Hearing.State.HELD
    event = events_of(simplified).get(kind="case.deemed_withdrawn")
    assert event.payload["reapplication_accepted"] is False
    assert event.payload["document"] == decision.pk
    assert consistent(simplified)


def test_an_applicant_who_attends_is_not_deemed_withdrawn(case, lixia_clerk, lixia_arbitrator):
    schedule(case, lixia_clerk, at(17))
    with travel(17):
        hearings.hearing_open(by=lixia_arbitrator, case=case)
        with pytest.raises(ValidationError):  # nothing recorded yet
            hearings.case_deem_withdrawn(by=lixia_arbitrator, case=case, reasons="未到庭")
        hearings.attendance_record(
            by=lixia_clerk,
            case=case,
            party=case.parties.get(role=Party.Role.APPLICANT),
            presence="absent",
            justified=True,
            note="交通事故",
        )
        with pytest.raises(ValidationError):
            hearings.case_deem_withdrawn(by=lixia_arbitrator, case=case, reasons="未到庭")


def test_deemed_withdrawal_waits_for_the_start_of_a_scheduled_hearing(
    case, lixia_clerk, lixia_arbitrator
):
    schedule(case, lixia_clerk, at(17))
    with travel(17, 8, 30), pytest.raises(TransitionError):
        hearings.case_deem_withdrawn(by=lixia_arbitrator, case=case, reasons="未到庭")
    with travel(17, 9, 40):
        closed = hearings.case_deem_withdrawn(by=lixia_arbitrator, case=case, reasons="未到庭")
    assert closed.status == Status.CLOSED_DEEMED_WITHDRAWN
    assert Hearing.objects.get(case=case).state == Hearing.State.CANCELLED
    assert consistent(case)


# --- The record (LDMAL art. 40; 办案规则 art. 42) ----------------------------------------------


@pytest.fixture
def in_session(case, lixia_clerk, lixia_arbitrator):
    hearing = schedule(case, lixia_clerk, at(17))
    with travel(17, 10):
        hearings.hearing_open(by=lixia_arbitrator, case=case)
        yield hearing


def test_a_correction_makes_version_2_and_keeps_version_1(case, in_session, lixia_clerk):
    first = hearings.hearing_record_write(
        by=lixia_clerk, case=case, hearing=in_session, text="仲裁员：现在开庭。\n申请人：工资未付。"
    )
    applicant = case.parties.get(role=Party.Role.APPLICANT)
    with pytest.raises(ValidationError) as refused:
        hearings.hearing_record_write(
            by=lixia_clerk, case=case, hearing=in_session, text="改过的笔录"
        )
    assert "correction_reason" in refused.value.message_dict
    second = hearings.hearing_record_write(
        by=lixia_clerk,
        case=case,
        hearing=in_session,
        text="仲裁员：现在开庭。\n申请人：三个月工资未付。",
        correction_reason="申请人指出遗漏“三个月”",
        requested_by=applicant,
    )
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.text == "仲裁员：现在开庭。\n申请人：工资未付。"
    assert first.sha256 != second.sha256
    assert second.requested_by == applicant
    import hashlib

    assert second.sha256 == hashlib.sha256(second.text.encode()).hexdigest()
    documents = CaseDocument.objects.filter(case=case, kind=DocumentKind.HEARING_RECORD)
    assert documents.count() == 2
    assert second.document.sha256 == second.sha256
    assert HearingRecord.objects.filter(hearing=in_session).count() == 2


def test_signatures_sign_the_latest_version_and_a_refusal_is_recorded(
    case, in_session, lixia_clerk
):
    first = hearings.hearing_record_write(
        by=lixia_clerk, case=case, hearing=in_session, text="笔录内容"
    )
    respondent = case.parties.get(role=Party.Role.RESPONDENT)
    arbitrator = in_session.people.get(kind=Person.Kind.ARBITRATOR)
    signed = hearings.hearing_record_sign(
        by=lixia_clerk, case=case, record=first, method="screen", person=arbitrator
    )
    assert signed.signer_role == RecordSignature.SignerRole.ARBITRATOR
    refusal = hearings.hearing_record_sign(
        by=lixia_clerk, case=case, record=first, method="screen", party=respondent, refused=True
    )
    assert refusal.refused and refusal.name == EMPLOYER["name"]
    event = events_of(case).filter(kind="case.hearing_record_signed").last()
    assert event.payload["refused"] is True
    with pytest.raises(ValidationError):  # once per signer and version
        hearings.hearing_record_sign(
            by=lixia_clerk, case=case, record=first, method="screen", party=respondent
        )
    with pytest.raises(ValidationError):  # the tribunal signs; it does not refuse
        hearings.hearing_record_sign(
            by=lixia_clerk, case=case, record=first, method="paper", person=arbitrator,
            refused=True,
        )  # fmt: skip
    hearings.hearing_record_write(
        by=lixia_clerk, case=case, hearing=in_session, text="笔录内容（补正）",
        correction_reason="补正", requested_by=respondent,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        hearings.hearing_record_sign(
            by=lixia_clerk, case=case, record=first, method="screen", party=respondent
        )
    assert "record" in refused.value.message_dict


# --- Collective one-time notice (办案规则 art. 64) --------------------------------------------


def test_in_a_collective_case_the_hearing_notice_meets_the_one_time_notice_clock(
    monday, institutions, lixia_intake, lixia_head, lixia_clerk
):
    workers = [
        {
            "role": "applicant",
            "kind": "worker",
            "name": f"工人{i:02d}",
            "id_number": id_number(f"370102199001{i + 10:02d}{100 + i:03d}"),
            "domicile": "济南市历下区解放路 23 号",
            "domicile_division": "370102",
            "mailing_address": "济南市历下区解放路 23 号",
            "phone": f"139053100{i:02d}",
            "is_representative": i < 3,
        }
        for i in range(10)
    ]
    collective = accepted(lixia_intake, lixia_head, collective=True, parties=[*workers, EMPLOYER])
    collective = tribunal_formed(
        collective,
        lixia_head,
        arbitrator_users=["lixia_arbitrator", "lixia_arbitrator2", "lixia_arbitrator3"],
    )
    assert collective.deadlines.filter(code="collective_notice", state="open").exists()
    hearing = schedule(collective, lixia_clerk, at(17))
    assert hearing.people.count() == 4
    clock = collective.deadlines.get(code="collective_notice")
    assert clock.state == CaseDeadline.State.MET and not clock.met_late
    assert ServiceRecord.objects.filter(document=hearing.notice).count() == 11


def test_a_party_signs_the_record_online_in_its_own_name_only(
    case, in_session, lixia_clerk, worker_demo
):
    record = hearings.hearing_record_write(
        by=lixia_clerk, case=case, hearing=in_session, text="笔录内容"
    )
    applicant = case.parties.get(role=Party.Role.APPLICANT)
    respondent = case.parties.get(role=Party.Role.RESPONDENT)
    Party.objects.filter(pk=applicant.pk).update(user=worker_demo)
    case = Case.objects.get(pk=case.pk)
    with pytest.raises(PermissionDenied):  # not its party
        hearings.hearing_record_sign(
            by=worker_demo, case=case, record=record, method="online", party=respondent
        )
    with pytest.raises(PermissionDenied):  # a refusal is the tribunal's to record
        hearings.hearing_record_sign(
            by=worker_demo, case=case, record=record, method="online", party=applicant, refused=True
        )
    with pytest.raises(PermissionDenied):  # online only
        hearings.hearing_record_sign(
            by=worker_demo, case=case, record=record, method="screen", party=applicant
        )
    signed = hearings.hearing_record_sign(
        by=worker_demo, case=case, record=record, method="online", party=applicant
    )
    assert (signed.signer_role, signed.party, signed.name) == (
        RecordSignature.SignerRole.PARTY,
        applicant,
        applicant.name,
    )
    assert signed.recorded_by == worker_demo
