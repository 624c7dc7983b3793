"""Clocks that stop and stretch, and the closings other than by award (services)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from zhongcai.accounts.models import Role, User
from zhongcai.cases import closing, integrity, services
from zhongcai.cases.deadlines import award_clock
from zhongcai.cases.models import (
    Case,
    CaseDeadline,
    DecisionKind,
    DocumentKind,
    Extension,
    ServiceMethod,
    Status,
    Suspension,
    SuspensionReason,
    Volume,
)
from zhongcai.cases.serving import serve
from zhongcai.cases.taxonomy import RefusalGround
from zhongcai.cases.tests import factories
from zhongcai.cases.workflow import TransitionError
from zhongcai.core.calendar import add_calendar_days
from zhongcai.core.events import events_of, verify_chains
from zhongcai.orgs.models import Organisation

pytestmark = pytest.mark.django_db

D = date(2026, 3, 2)  # a Monday with no holiday near it or 55 days on


def at(day: date, hour: int = 10) -> str:
    return f"{day.isoformat()} {hour:02d}:00 +0800"


def consistent(case: Case) -> bool:
    case.refresh_from_db()
    return integrity.problems_of(case, list(events_of(case))) == []


def kinds(case: Case) -> list[str]:
    return [e.kind for e in events_of(case)]


# What intake and acceptance issued before any step of this stage.
INTAKE_DOCUMENTS = (
    DocumentKind.RECEIPT,
    DocumentKind.ACCEPTANCE_NOTICE,
    DocumentKind.FILING_APPROVAL,
)


def documents_of_the_stage(case: Case):
    return case.documents.exclude(kind__in=INTAKE_DOCUMENTS)


def running(case: Case) -> list[CaseDeadline]:
    return list(
        case.deadlines.filter(state__in=[CaseDeadline.State.OPEN, CaseDeadline.State.PAUSED])
    )


@pytest.fixture(autouse=True)
def _a_week_after_d():
    # Steps without their own date happen a few days after the acceptance on D.
    with time_machine.travel(at(D + timedelta(days=5)), tick=False):
        yield


@pytest.fixture
def accepted_on_d(lixia_intake, lixia_head):
    with time_machine.travel(at(D), tick=False):
        return factories.accepted(lixia_intake, lixia_head)


# --- Suspension ------------------------------------------------------------------------------


def test_suspension_excludes_its_days_from_the_45(accepted_on_d, lixia_head):
    case = accepted_on_d
    with time_machine.travel(at(D + timedelta(days=10)), tick=False):
        suspension = closing.case_suspend(
            by=lixia_head, case=case, reason=SuspensionReason.AWAITING_APPRAISAL, note="工伤认定"
        )
    case.refresh_from_db()
    assert case.suspended
    assert award_clock(case).state == CaseDeadline.State.PAUSED

    with time_machine.travel(at(D + timedelta(days=20)), tick=False):
        closing.case_resume(by=lixia_head, case=case, note="工伤认定已作出")

    clock = award_clock(case)
    assert clock.state == CaseDeadline.State.OPEN
    assert clock.excluded_days == 10
    assert clock.counted_days == 55
    assert clock.due_on == add_calendar_days(D, 55).due
    suspension.refresh_from_db()
    assert suspension.ended_on == D + timedelta(days=20)
    assert suspension.excluded_days == 10
    case.refresh_from_db()
    assert not case.suspended
    assert kinds(case)[-2:] == ["case.suspended", "case.resumed"]
    assert consistent(case)


def test_suspension_issues_the_notice_and_the_approval_form_in_their_volumes(
    accepted_on_d, lixia_head
):
    closing.case_suspend(by=lixia_head, case=accepted_on_d, reason=SuspensionReason.FORCE_MAJEURE)
    volumes = dict(documents_of_the_stage(accepted_on_d).values_list("kind", "volume"))
    assert volumes == {
        DocumentKind.SUSPENSION_NOTICE: Volume.MAIN,
        DocumentKind.APPROVAL_FORM: Volume.SECONDARY,
    }


def test_another_reason_needs_its_details_and_nothing_is_written(accepted_on_d, lixia_head):
    before = kinds(accepted_on_d)
    with pytest.raises(ValidationError) as caught:
        closing.case_suspend(by=lixia_head, case=accepted_on_d, reason=SuspensionReason.OTHER)
    assert "note" in caught.value.message_dict
    with pytest.raises(ValidationError):
        closing.case_suspend(by=lixia_head, case=accepted_on_d, reason="bored")
    assert kinds(accepted_on_d) == before
    assert not Suspension.objects.filter(case=accepted_on_d).exists()


def test_only_the_head_suspends(accepted_on_d, lixia_clerk):
    with pytest.raises(PermissionDenied):
        closing.case_suspend(
            by=lixia_clerk, case=accepted_on_d, reason=SuspensionReason.FORCE_MAJEURE
        )


def test_a_suspended_case_is_not_suspended_twice_nor_resumed_unsuspended(accepted_on_d, lixia_head):
    with pytest.raises(TransitionError):
        closing.case_resume(by=lixia_head, case=accepted_on_d)
    closing.case_suspend(by=lixia_head, case=accepted_on_d, reason=SuspensionReason.FORCE_MAJEURE)
    with pytest.raises(TransitionError):
        closing.case_suspend(
            by=lixia_head, case=accepted_on_d, reason=SuspensionReason.FORCE_MAJEURE
        )


def test_it_refuses_to_suspend_an_application_not_yet_accepted(lixia_intake, lixia_head):
    case = factories.received(lixia_intake)
    with pytest.raises(TransitionError):
        closing.case_suspend(by=lixia_head, case=case, reason=SuspensionReason.FORCE_MAJEURE)


# --- Extension -------------------------------------------------------------------------------


def test_an_extension_moves_the_due_date_with_notice_and_approval_form(accepted_on_d, lixia_head):
    with time_machine.travel(at(D + timedelta(days=40)), tick=False):
        extension = closing.case_extend(
            by=lixia_head, case=accepted_on_d, days=10, reasons="案情复杂"
        )
    clock = award_clock(accepted_on_d)
    assert clock.extension_days == 10
    assert clock.due_on == add_calendar_days(D, 55).due
    assert extension.document.kind == DocumentKind.EXTENSION_NOTICE
    assert accepted_on_d.documents.filter(kind=DocumentKind.APPROVAL_FORM).count() == 1
    assert consistent(accepted_on_d)


def test_it_refuses_an_extension_requested_after_expiry(accepted_on_d, lixia_head):
    due = award_clock(accepted_on_d).due_on
    before = kinds(accepted_on_d)
    with (
        time_machine.travel(at(due + timedelta(days=1)), tick=False),
        pytest.raises(ValidationError) as caught,
    ):
        closing.case_extend(by=lixia_head, case=accepted_on_d, days=5, reasons="案情复杂")
    assert "days" in caught.value.message_dict
    assert kinds(accepted_on_d) == before
    assert not Extension.objects.filter(case=accepted_on_d).exists()
    assert not documents_of_the_stage(accepted_on_d).exists()
    assert award_clock(accepted_on_d).extension_days == 0


def test_an_extension_on_the_due_date_itself_is_in_time(accepted_on_d, lixia_head):
    due = award_clock(accepted_on_d).due_on
    with time_machine.travel(at(due), tick=False):
        closing.case_extend(by=lixia_head, case=accepted_on_d, days=15, reasons="案情复杂")
    assert award_clock(accepted_on_d).extension_days == 15


def test_it_refuses_more_than_15_days_of_extension_in_all(accepted_on_d, lixia_head):
    closing.case_extend(by=lixia_head, case=accepted_on_d, days=10, reasons="案情复杂")
    with pytest.raises(ValidationError):
        closing.case_extend(by=lixia_head, case=accepted_on_d, days=6, reasons="仍需时间")
    closing.case_extend(by=lixia_head, case=accepted_on_d, days=5, reasons="仍需时间")
    assert award_clock(accepted_on_d).extension_days == 15
    assert Extension.objects.filter(case=accepted_on_d).count() == 2


def test_it_refuses_an_extension_while_suspended(accepted_on_d, lixia_head):
    closing.case_suspend(by=lixia_head, case=accepted_on_d, reason=SuspensionReason.FORCE_MAJEURE)
    with pytest.raises(TransitionError):
        closing.case_extend(by=lixia_head, case=accepted_on_d, days=5, reasons="案情复杂")


def test_an_extension_needs_reasons(accepted_on_d, lixia_head):
    with pytest.raises(ValidationError) as caught:
        closing.case_extend(by=lixia_head, case=accepted_on_d, days=5, reasons=" ")
    assert "reasons" in caught.value.message_dict


# --- Withdrawal and revocation ----------------------------------------------------------------


def test_withdrawal_closes_every_clock_with_its_decision(
    institutions, accepted_on_d, lixia_head, lixia_clerk
):
    case = factories.tribunal_formed(accepted_on_d, lixia_head)
    case = factories.in_defence_period(case, lixia_clerk)
    assert running(case)
    closing.case_withdraw(by=lixia_clerk, case=case, reasons="双方已和解")
    case.refresh_from_db()
    assert case.status == Status.CLOSED_WITHDRAWN
    assert case.closed_at is not None
    assert running(case) == []
    assert case.deadlines.get(code="award").state == CaseDeadline.State.CANCELLED
    decision = case.documents.get(kind=DocumentKind.DECISION)
    assert decision.decision_kind == DecisionKind.WITHDRAWAL
    assert decision.data["reapplication_allowed"] is True
    assert case.next_deadline is None
    assert consistent(case)


def test_withdrawal_ends_a_suspension_and_its_paused_clock(accepted_on_d, lixia_head):
    closing.case_suspend(by=lixia_head, case=accepted_on_d, reason=SuspensionReason.FORCE_MAJEURE)
    closing.case_withdraw(by=lixia_head, case=accepted_on_d)
    accepted_on_d.refresh_from_db()
    assert not accepted_on_d.suspended
    assert running(accepted_on_d) == []
    assert accepted_on_d.suspensions.get().ended_on is not None


def test_the_applicant_withdraws_online(lixia_head, worker_demo):
    case = services.case_submit(by=worker_demo, case=factories.draft(worker_demo))
    case = services.case_accept(by=lixia_head, case=case, warnings_acknowledged=True)
    closing.case_withdraw(by=worker_demo, case=case, reasons="不再申请")
    case.refresh_from_db()
    assert case.status == Status.CLOSED_WITHDRAWN
    assert case.documents.get(kind=DocumentKind.DECISION).issued_by is None


def test_a_closed_case_is_not_withdrawn(accepted_on_d, lixia_head):
    closing.case_withdraw(by=lixia_head, case=accepted_on_d)
    with pytest.raises(TransitionError):
        closing.case_withdraw(by=lixia_head, case=accepted_on_d)


def test_revocation_closes_every_clock_and_opens_the_notice_clock(
    accepted_on_d, lixia_head, lixia_clerk
):
    with time_machine.travel(at(D + timedelta(days=3)), tick=False):
        closing.case_revoke(
            by=lixia_head,
            case=accepted_on_d,
            ground=RefusalGround.OUT_OF_SCOPE,
            reasons="属于劳务关系",
        )
    case = accepted_on_d
    case.refresh_from_db()
    assert case.status == Status.CLOSED_REVOKED
    assert [d.code for d in running(case)] == ["revocation_notice"]
    assert case.next_deadline_code == "revocation_notice"
    assert case.deadlines.get(code="award").state == CaseDeadline.State.CANCELLED
    decision = case.documents.get(kind=DocumentKind.DECISION)
    assert decision.decision_kind == DecisionKind.REVOCATION

    parties = list(case.parties.all())
    with time_machine.travel(at(D + timedelta(days=4)), tick=False):
        serve(
            by=lixia_clerk,
            case=case,
            document=decision,
            parties=parties[:1],
            method=ServiceMethod.IN_PERSON,
            signed_by_name="王秀英",
        )
        assert [d.code for d in running(case)] == ["revocation_notice"]  # one party still
        serve(
            by=lixia_clerk,
            case=case,
            document=decision,
            parties=parties[1:],
            method=ServiceMethod.IN_PERSON,
            signed_by_name="赵建国",
        )
    notice = case.deadlines.get(code="revocation_notice")
    assert notice.state == CaseDeadline.State.MET
    assert not notice.met_late
    assert running(case) == []
    case.refresh_from_db()
    assert case.next_deadline is None
    assert consistent(case)


def test_revocation_is_on_a_ground_of_article_30_and_by_the_head(accepted_on_d, lixia_head):
    with pytest.raises(ValidationError) as caught:
        closing.case_revoke(
            by=lixia_head, case=accepted_on_d, ground=RefusalGround.REPEATED, reasons="x"
        )
    assert "ground" in caught.value.message_dict
    clerk = User.objects.get(username="lixia_clerk")
    with pytest.raises(PermissionDenied):
        closing.case_revoke(
            by=clerk, case=accepted_on_d, ground=RefusalGround.OUT_OF_SCOPE, reasons="x"
        )
    assert documents_of_the_stage(accepted_on_d).count() == 0


# --- Transfer --------------------------------------------------------------------------------


def licheng() -> Organisation:
    return factories.commission("370112")


def licheng_head(licheng_intake: User) -> User:
    return User.objects.create(
        username="licheng_head",
        real_name="历城院长",
        role=Role.INSTITUTE_HEAD,
        organisation=licheng_intake.organisation,
    )


def test_transfer_opens_a_received_case_at_the_other_commission_with_history_linked(
    accepted_on_d, lixia_head, licheng_intake
):
    old = accepted_on_d
    with time_machine.travel(at(D + timedelta(days=2)), tick=False):
        new = closing.case_transfer(
            by=lixia_head, case=old, to=licheng(), reasons="劳动合同履行地在历城区"
        )
    old.refresh_from_db()
    assert old.status == Status.CLOSED_TRANSFERRED
    assert running(old) == []
    assert old.documents.filter(kind=DocumentKind.TRANSFER_LETTER).count() == 1
    assert old.documents.get(kind=DocumentKind.DECISION).decision_kind == DecisionKind.TRANSFER

    assert new.commission == licheng()
    assert new.status == Status.RECEIVED
    assert new.channel == old.channel
    assert new.transferred_from == old
    assert new.received_at is not None
    assert new.case_number == ""
    assert [d.code for d in running(new)] == ["acceptance_decision"]
    assert sorted(new.parties.values_list("name", flat=True)) == sorted(
        old.parties.values_list("name", flat=True)
    )
    assert list(new.claims.values_list("number", "type", "amount")) == list(
        old.claims.values_list("number", "type", "amount")
    )
    assert new.receipts.count() == 1
    assert kinds(new) == ["case.received"]
    assert events_of(new).get().payload["from_case_number"] == old.case_number
    assert consistent(old)
    assert consistent(new)
    assert list(verify_chains()) == []

    # The receiving commission accepts it normally; its 45 days run from its own acceptance.
    head = licheng_head(licheng_intake)
    with time_machine.travel(at(D + timedelta(days=4)), tick=False):
        services.case_accept(by=head, case=new, warnings_acknowledged=True)
    new.refresh_from_db()
    assert new.status == Status.ACCEPTED
    assert award_clock(new).started_on == D + timedelta(days=4)
    assert consistent(new)


def test_transfer_goes_to_another_active_commission_with_reasons(accepted_on_d, lixia_head):
    own = accepted_on_d.commission
    institute = accepted_on_d.institute
    for to in (own, institute, None):
        with pytest.raises(ValidationError) as caught:
            closing.case_transfer(by=lixia_head, case=accepted_on_d, to=to, reasons="x")
        assert "to" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        closing.case_transfer(by=lixia_head, case=accepted_on_d, to=licheng(), reasons="")
    assert "reasons" in caught.value.message_dict
    assert Case.objects.filter(transferred_from=accepted_on_d).count() == 0
    assert not documents_of_the_stage(accepted_on_d).exists()
