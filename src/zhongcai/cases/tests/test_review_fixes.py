"""Rules found missing in review: each one a user could have tripped over."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from zhongcai.accounts.models import Role
from zhongcai.accounts.services import staff_user_create
from zhongcai.cases import services
from zhongcai.cases.checks import duplicate_findings
from zhongcai.cases.integrity import check_cases
from zhongcai.cases.models import Agent, Case, CommissionProfile, Status
from zhongcai.cases.numbering import format_problem
from zhongcai.core.events import events_of
from zhongcai.orgs.models import Organisation

from .factories import EMPLOYER, WORKER, accepted, application, commission, draft, received


@pytest.mark.django_db
def test_a_decision_ends_every_intake_clock(lixia_intake, lixia_head):
    case = draft(lixia_intake, facts_and_reasons="")
    case = services.case_submit(by=lixia_intake, case=case, allow_incomplete=True)
    assert case.deadlines.filter(code="correction_notice", state="open").exists()
    case = services.case_refuse(
        by=lixia_head,
        case=case,
        ground="no_clear_claim",
        reasons="未写明事实和理由",
        legal_basis="办案规则第三十条",
    )
    assert case.next_deadline is None
    assert not case.deadlines.filter(state="open").exists()


@pytest.mark.django_db
def test_staff_cannot_receive_an_applicants_online_draft(worker_demo, lixia_intake):
    case = draft(worker_demo)
    with pytest.raises(PermissionDenied):
        services.case_submit(by=lixia_intake, case=case, allow_incomplete=True)
    with pytest.raises(PermissionDenied):
        services.case_update_application(by=lixia_intake, case=case, data=application())
    assert services.case_submit(by=worker_demo, case=case).status == Status.RECEIVED


@pytest.mark.django_db
def test_corrections_still_incomplete_are_refused_and_the_applicant_can_be_refused(
    lixia_intake, lixia_head
):
    case = draft(lixia_intake, facts_and_reasons="")
    case = services.case_submit(by=lixia_intake, case=case, allow_incomplete=True)
    case = services.case_issue_correction_notice(by=lixia_intake, case=case, items=[])
    with pytest.raises(ValidationError) as exc:
        services.case_submit_corrections(by=lixia_intake, case=case)
    assert exc.value.message_dict["application"]
    case.refresh_from_db()
    assert case.status == Status.AWAITING_CORRECTION
    case = services.case_refuse(
        by=lixia_head,
        case=case,
        ground="no_clear_claim",
        reasons="逾期未补正",
        legal_basis="办案规则第三十一条",
    )
    assert case.status == Status.NOT_ACCEPTED


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "1e999999"])
def test_an_amount_that_is_not_a_number_is_refused(lixia_intake, amount):
    claims = [{"type": "remuneration", "description": "工资", "amount": amount}]
    with pytest.raises(ValidationError) as exc:
        draft(lixia_intake, claims=claims)
    assert "claims.0.amount" in exc.value.message_dict


@pytest.mark.django_db
def test_a_draft_cannot_probe_other_counties_for_duplicates(lixia_intake, licheng_intake):
    neighbour_employer = {**EMPLOYER, "domicile_division": "370112"}
    received(
        licheng_intake,
        code="370112",
        workplace_division="370112",
        parties=[WORKER, neighbour_employer],
    )
    probe = draft(lixia_intake)
    assert duplicate_findings(probe) == []
    probe = services.case_submit(by=lixia_intake, case=probe)
    (finding,) = duplicate_findings(probe)
    assert "历城区" in finding.message
    assert "申请" in finding.message and "第 " not in finding.message  # no number, no status


@pytest.mark.django_db
def test_the_applicant_cannot_choose_simplified_handling(worker_demo):
    case = draft(worker_demo, simplified=True, not_labor_flags=["domestic_helper"])
    assert (case.simplified, case.not_labor_flags) == (False, [])


@pytest.mark.django_db
def test_a_case_number_format_without_seq_is_refused(lixia_head):
    assert format_problem("{abbr}劳人仲案字〔{year}〕号")
    assert format_problem("{abbr}{seq}{who}")
    assert format_problem("{abbr{seq}")
    assert format_problem("{abbr}劳人仲案字〔{year}〕第{seq}号") is None
    profile = CommissionProfile(
        commission=commission(), abbreviation="济历下", case_number_format="x"
    )
    with pytest.raises(ValidationError):
        profile.full_clean()


@pytest.mark.django_db
def test_a_legacy_number_is_skipped_never_given_twice(lixia_intake, lixia_head, province_admin):
    sysadmin = staff_user_create(
        by=None,
        username="sysadmin",
        real_name="系统管理员",
        role=Role.SYSTEM_ADMIN,
        organisation=province_admin.organisation,
        password="Xitong-2026!",
    )
    with time_machine.travel("2026-10-09 10:00 +0800", tick=False):
        services.case_import_legacy(
            by=sysadmin,
            commission=commission(),
            data=application(),
            case_number="济历下劳人仲案字〔2026〕第1号",
            accepted_on=date(2026, 3, 2),
            source="旧办案系统",
        )
        case = accepted(lixia_intake, lixia_head)
    assert case.case_number == "济历下劳人仲案字〔2026〕第2号"
    assert list(check_cases()) == []


@pytest.mark.django_db
def test_moving_a_case_to_another_county_behind_the_services_is_detected(lixia_intake, lixia_head):
    case = accepted(lixia_intake, lixia_head)
    licheng = Organisation.objects.get(division_id="370112", type="arbitration_institute")
    Case.objects.filter(pk=case.pk).update(institute=licheng)
    assert any("institute" in problem for problem in check_cases())


@pytest.mark.django_db
def test_widening_an_agents_authority_behind_the_services_is_detected(lixia_intake, lixia_head):
    worker = {
        **WORKER,
        "agents": [{"name": "李律师", "kind": "lawyer", "authority": "general"}],
    }
    case = accepted(lixia_intake, lixia_head, parties=[worker, EMPLOYER])
    assert list(check_cases()) == []
    Agent.objects.filter(party__case=case).update(authority="special")
    assert len(list(check_cases())) == 1


@pytest.mark.django_db
def test_every_version_of_the_application_stays_readable(lixia_intake):
    case = draft(lixia_intake, facts_and_reasons="")
    case = services.case_submit(by=lixia_intake, case=case, allow_incomplete=True)
    case = services.case_issue_correction_notice(by=lixia_intake, case=case, items=[])
    services.case_update_application(by=lixia_intake, case=case, data=application())
    services.case_submit_corrections(by=lixia_intake, case=case)
    received_event = events_of(case).get(kind="case.received")
    corrected_event = events_of(case).get(kind="case.corrections_submitted")
    assert received_event.payload["application"]["facts"] == ""
    assert corrected_event.payload["application"]["facts"].startswith("申请人自")


@pytest.mark.django_db
def test_a_late_correction_notice_is_flagged_even_without_gaps_at_receipt(lixia_intake):
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        case = received(lixia_intake)
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        case = services.case_issue_correction_notice(
            by=lixia_intake, case=case, items=["请补充劳动合同"]
        )
    assert events_of(case).get(kind="case.correction_notice_issued").payload["late"] is True


@pytest.mark.django_db
def test_an_oral_applications_confirmation_is_on_record(lixia_intake):
    from zhongcai.cases.models import Channel

    case = draft(lixia_intake, channel=Channel.ORAL)
    case = services.case_submit(by=lixia_intake, case=case, applicant_confirmed=True)
    assert events_of(case).get(kind="case.received").payload["applicant_confirmed"] is True


@pytest.mark.django_db
def test_the_head_can_withdraw_an_officers_authority(lixia_intake, lixia_head):
    case = received(lixia_intake)
    delegation = services.delegation_grant(
        by=lixia_head, user=lixia_intake, commission=case.commission
    )
    with pytest.raises(PermissionDenied):
        services.delegation_revoke(by=lixia_intake, delegation=delegation)
    services.delegation_revoke(by=lixia_head, delegation=delegation)
    with pytest.raises(PermissionDenied):
        services.case_accept(by=lixia_intake, case=case, warnings_acknowledged=True)
    kinds = [e.kind for e in events_of(lixia_intake)]
    assert kinds[-2:] == ["user.acceptance_delegated", "user.acceptance_delegation_revoked"]
