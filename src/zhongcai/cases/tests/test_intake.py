from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from zhongcai.cases import services
from zhongcai.cases.models import Case, CaseDeadline, Channel, Status
from zhongcai.cases.workflow import TransitionError
from zhongcai.core.events import events_of

from .factories import EMPLOYER, WORKER, accepted, application, draft, received

# Tuesday 2026-09-29, 10:00 in Jinan.
BEFORE_NATIONAL_DAY_2026 = "2026-09-29 10:00 +0800"


@pytest.mark.django_db
def test_a_counter_application_is_received_with_a_receipt_and_a_clock(lixia_intake):
    with time_machine.travel("2026-09-30 09:00 +0800", tick=False):
        case = received(lixia_intake)
    assert case.status == Status.RECEIVED
    assert case.receipts.count() == 1
    deadline = case.deadlines.get(code="acceptance_decision")
    # 5 working days after 09-30: 10-01..10-07 National Day, 10-10 a make-up Saturday.
    assert deadline.due_on == date(2026, 10, 13)
    assert case.next_deadline == date(2026, 10, 13)
    assert [e.kind for e in events_of(case)] == ["case.drafted", "case.received"]


@pytest.mark.django_db
def test_an_incomplete_online_application_lists_every_gap_at_once(worker_demo):
    worker = {**WORKER, "phone": "", "mailing_address": ""}
    employer = {**EMPLOYER, "legal_representative": ""}
    case = draft(worker_demo, parties=[worker, employer], claims=[], facts_and_reasons="")
    with pytest.raises(ValidationError) as exc:
        services.case_submit(by=worker_demo, case=case)
    gaps = exc.value.message_dict["application"]
    assert len(gaps) == 5
    case.refresh_from_db()
    assert case.status == Status.DRAFT


@pytest.mark.django_db
def test_bad_identifiers_and_unknown_causes_are_refused_and_nothing_is_written(lixia_intake):
    before = Case.objects.count()
    with pytest.raises(ValidationError) as exc:
        draft(
            lixia_intake,
            causes=["remuneration", "alien_abduction"],
            parties=[
                {**WORKER, "id_number": WORKER["id_number"][:17] + "0"},
                {**EMPLOYER, "credit_code": EMPLOYER["credit_code"][:17] + "0"},
            ],
        )
    errors = exc.value.message_dict
    assert set(errors) >= {"causes", "parties.0.id_number", "parties.1.credit_code"}
    assert Case.objects.count() == before


@pytest.mark.django_db
def test_an_oral_application_needs_the_applicants_confirmation(lixia_intake):
    case = draft(lixia_intake, channel=Channel.ORAL)
    with pytest.raises(ValidationError):
        services.case_submit(by=lixia_intake, case=case)
    case = services.case_submit(by=lixia_intake, case=case, applicant_confirmed=True)
    assert case.status == Status.RECEIVED


@pytest.mark.django_db
def test_the_correction_notice_is_one_time_and_restarts_the_clock(lixia_intake, worker_demo):
    with time_machine.travel("2026-09-29 10:00 +0800", tick=False):
        case = draft(lixia_intake, facts_and_reasons="")
        case = services.case_submit(by=lixia_intake, case=case, allow_incomplete=True)
        case = services.case_issue_correction_notice(
            by=lixia_intake, case=case, items=["请补充考勤记录"]
        )
    assert case.status == Status.AWAITING_CORRECTION
    assert case.next_deadline is None  # the clock stopped
    notice = events_of(case).get(kind="case.correction_notice_issued")
    assert "请补充考勤记录" in notice.payload["items"]
    assert len(notice.payload["items"]) == 2  # the missing facts and the officer's item
    with time_machine.travel("2026-10-12 09:00 +0800", tick=False):
        services.case_update_application(by=lixia_intake, case=case, data=application())
        case = services.case_submit_corrections(by=lixia_intake, case=case)
    assert case.status == Status.RECEIVED
    assert case.clock_started_on == date(2026, 10, 12)
    assert case.next_deadline == date(2026, 10, 19)
    assert case.receipts.count() == 2
    with pytest.raises(TransitionError):
        services.case_issue_correction_notice(by=lixia_intake, case=case, items=["再补一次"])


@pytest.mark.django_db
def test_acceptance_numbers_the_case_and_starts_the_45_day_clock(lixia_intake, lixia_head):
    with time_machine.travel("2026-10-09 15:00 +0800", tick=False):
        case = accepted(lixia_intake, lixia_head)
    assert case.status == Status.ACCEPTED
    assert case.case_number == "济历下劳人仲案字〔2026〕第1号"
    award = case.deadlines.get(code="award")
    assert award.due_on == date(2026, 11, 23)
    # 5 working days from Friday 10-09: 10-10 is a make-up Saturday.
    assert case.deadlines.get(code="tribunal_notice").due_on == date(2026, 10, 15)
    assert case.next_deadline == date(2026, 10, 15)


@pytest.mark.django_db
def test_case_numbers_are_sequential_per_commission_and_year(lixia_intake, lixia_head):
    first = accepted(lixia_intake, lixia_head)
    second = accepted(lixia_intake, lixia_head)
    assert (first.case_seq, second.case_seq) == (1, 2)
    assert second.case_number.endswith("第2号")


@pytest.mark.django_db
def test_an_intake_officer_cannot_approve_without_the_heads_authorisation(lixia_intake, lixia_head):
    case = received(lixia_intake)
    with pytest.raises(PermissionDenied):
        services.case_accept(by=lixia_intake, case=case, warnings_acknowledged=True)
    services.delegation_grant(by=lixia_head, user=lixia_intake, commission=case.commission)
    case = services.case_accept(by=lixia_intake, case=case, warnings_acknowledged=True)
    assert case.status == Status.ACCEPTED


@pytest.mark.django_db
def test_another_countys_staff_cannot_act(lixia_intake, licheng_intake, jinan_admin):
    case = received(lixia_intake)
    for outsider in (licheng_intake, jinan_admin):
        with pytest.raises(PermissionDenied):
            services.case_issue_correction_notice(by=outsider, case=case, items=["x"])


@pytest.mark.django_db
def test_acceptance_is_refused_in_the_wrong_state(lixia_intake, lixia_head):
    case = accepted(lixia_intake, lixia_head)
    with pytest.raises(TransitionError):
        services.case_accept(by=lixia_head, case=case, warnings_acknowledged=True)
    with pytest.raises(TransitionError):
        services.case_refuse(
            by=lixia_head, case=case, ground="out_of_scope", reasons="x", legal_basis="y"
        )


@pytest.mark.django_db
def test_a_late_decision_is_allowed_but_flagged(lixia_intake, lixia_head):
    with time_machine.travel("2026-09-29 10:00 +0800", tick=False):
        case = received(lixia_intake)
    with time_machine.travel("2026-10-20 10:00 +0800", tick=False):
        case = services.case_accept(by=lixia_head, case=case, warnings_acknowledged=True)
    assert events_of(case).get(kind="case.accepted").payload["late"] is True
    assert case.deadlines.get(code="acceptance_decision").met_late


@pytest.mark.django_db
def test_warnings_must_be_acknowledged(lixia_intake, lixia_head):
    # Work done in Qingdao for a Qingdao employer: not Lixia's jurisdiction.
    employer = {**EMPLOYER, "domicile_division": "370202"}
    case = received(lixia_intake, workplace_division="370202", parties=[WORKER, employer])
    with pytest.raises(ValidationError) as exc:
        services.case_accept(by=lixia_head, case=case)
    assert "warnings" in exc.value.message_dict
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


@pytest.mark.django_db
def test_a_duplicate_application_is_flagged(lixia_intake, lixia_head):
    accepted(lixia_intake, lixia_head)
    second = received(lixia_intake)
    from zhongcai.cases.checks import duplicate_findings

    assert [f.code for f in duplicate_findings(second)] == ["duplicate"]


@pytest.mark.django_db
def test_refusal_needs_reasons_and_basis(lixia_intake, lixia_head):
    case = received(lixia_intake)
    with pytest.raises(ValidationError) as exc:
        services.case_refuse(
            by=lixia_head, case=case, ground="nonsense", reasons="", legal_basis=""
        )
    assert set(exc.value.message_dict) == {"ground", "reasons", "legal_basis"}
    case = services.case_refuse(
        by=lixia_head,
        case=case,
        ground="out_of_scope",
        reasons="双方系家庭与家政服务人员之间的纠纷",
        legal_basis="《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》第二条",
    )
    assert case.status == Status.NOT_ACCEPTED
    assert case.next_deadline is None


@pytest.mark.django_db
def test_redirect_names_another_commission(lixia_intake, lixia_head):
    from .factories import commission

    case = received(lixia_intake)
    with pytest.raises(ValidationError):
        services.case_redirect(by=lixia_head, case=case, to=case.commission, reasons="x")
    case = services.case_redirect(
        by=lixia_head, case=case, to=commission("370202"), reasons="劳动合同履行地在青岛市市南区"
    )
    assert case.status == Status.REDIRECTED


@pytest.mark.django_db
def test_verify_events_holds_after_a_scenario_and_catches_a_row_edit(
    lixia_intake, lixia_head, capsys
):
    case = accepted(lixia_intake, lixia_head)
    call_command("verify_events")
    Case.objects.filter(pk=case.pk).update(status=Status.NOT_ACCEPTED)
    with pytest.raises(Exception, match=r"不一致|disagree|断裂"):
        call_command("verify_events")


@pytest.mark.django_db
def test_verify_events_catches_an_edited_claim(lixia_intake, lixia_head):
    from zhongcai.cases.integrity import check_cases

    case = accepted(lixia_intake, lixia_head)
    assert list(check_cases()) == []
    case.claims.filter(number=1).update(amount="99999.00")
    assert len(list(check_cases())) == 1


@pytest.mark.django_db
def test_deadline_rows_match_the_engine(lixia_intake):
    case = received(lixia_intake)
    for deadline in case.deadlines.all():
        from zhongcai.cases.deadlines import explain

        assert explain(deadline).due == deadline.due_on
        assert deadline.state == CaseDeadline.State.OPEN


@pytest.mark.django_db
def test_a_clock_in_a_year_without_holiday_data_says_so(lixia_intake, lixia_head):
    from zhongcai.cases.deadlines import explain

    # Accepted on 2026-12-10: the 45 days run into 2027, whose arrangement is not published yet.
    with time_machine.travel("2026-12-10 10:00 +0800", tick=False):
        case = accepted(lixia_intake, lixia_head)
    award = case.deadlines.get(code="award")
    assert award.due_on == date(2027, 1, 25)
    assert not award.certain
    assert "2027" in explain(award).explain("zh-hans")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received_at", "decision_due"),
    [
        # National Day 2025: 10-01..10-08 off, Saturday 10-11 worked.
        ("2025-09-30 16:00 +0800", date(2025, 10, 14)),
        # National Day 2026: 10-01..10-07 off, Saturday 10-10 worked.
        ("2026-09-30 16:00 +0800", date(2026, 10, 13)),
        # Spring Festival 2026: Saturday 02-14 worked, 02-15..02-23 off.
        ("2026-02-12 09:00 +0800", date(2026, 2, 26)),
    ],
)
def test_the_acceptance_clock_on_real_holiday_calendars(lixia_intake, received_at, decision_due):
    with time_machine.travel(received_at, tick=False):
        case = received(lixia_intake)
    assert case.next_deadline == decision_due


@pytest.mark.django_db
def test_an_award_clock_ending_in_the_spring_festival_moves_to_the_first_working_day(
    lixia_intake, lixia_head
):
    from zhongcai.cases.deadlines import explain

    with time_machine.travel("2026-01-05 10:00 +0800", tick=False):
        case = accepted(lixia_intake, lixia_head)
    award = case.deadlines.get(code="award")
    # 45 days after 01-05 is 02-19, inside the 02-15..02-23 holiday.
    assert award.due_on == date(2026, 2, 24)
    assert "春节" in explain(award).explain("zh-hans")


@pytest.mark.django_db
def test_each_application_is_its_own_dispute_unless_it_comes_from_a_mediation(
    province, lixia_intake
):
    import uuid

    from zhongcai.cases.tests.factories import application, commission

    first, second = draft(lixia_intake), draft(lixia_intake)
    assert first.dispute != second.dispute
    mediated = uuid.uuid4()
    third = services.case_create(
        by=lixia_intake,
        commission=commission("370102"),
        channel=Channel.COUNTER,
        data=application(),
        dispute=mediated,
    )
    assert third.dispute == mediated
