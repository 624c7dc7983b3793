"""The tribunal (组庭) and recusal (回避) through the services: who may sit, the replayable draw,
three arbitrators where the law wants them, and the recusal with its 3-working-day clock."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from zhongcai.accounts.models import User
from zhongcai.cases import integrity, serving
from zhongcai.cases import tribunal as tribunal_services
from zhongcai.cases.models import (
    Case,
    CaseDeadline,
    DecisionKind,
    DocumentKind,
    Party,
    RecusalApplication,
    ServiceMethod,
    Status,
    TribunalKind,
    TribunalMember,
)
from zhongcai.cases.tests import factories
from zhongcai.cases.tribunal import (
    Exclusion,
    arbitrator_pool,
    draw_replays,
    draws_of,
    recusal_apply,
    recusal_decide,
    relation_declare,
    relation_withdraw,
    replay_draw,
    tribunal_form,
    tribunal_member_replace,
)
from zhongcai.cases.workflow import TransitionError
from zhongcai.core.events import events_of
from zhongcai.orgs import people
from zhongcai.orgs.models import Person

Seat = TribunalMember.Seat


def _recorder() -> Person:
    return factories.tribunal_person("杨静")


def _arbitrators() -> list[Person]:
    return factories.people_of("370102", "arbitrator")


def _form_by_draw(case: Case, head: User, kind: str = TribunalKind.THREE) -> list[TribunalMember]:
    return tribunal_form(
        by=head, case=case, kind=kind, mode="draw", recorder=_recorder().pk, reason=""
    )


def _sitting(case: Case) -> list[TribunalMember]:
    return list(case.tribunal.filter(ended_at__isnull=True).exclude(seat=Seat.RECORDER))


def _consistent(case: Case) -> bool:
    case.refresh_from_db()
    return integrity.problems_of(case, list(events_of(case))) == []


# --- Forming ------------------------------------------------------------------------------------


def test_a_draw_replayed_from_its_stored_seed_gives_the_same_arbitrators(
    institutions, lixia_intake, lixia_head
):
    case = factories.accepted(lixia_intake, lixia_head)
    seats = _form_by_draw(case, lixia_head)

    event = events_of(case).get(kind="case.tribunal_formed")
    draw = event.payload["draw"]
    assert draw["candidates"] == sorted(draw["candidates"])
    assert len(draw["seed"]) == 32
    assert replay_draw(draw["seed"], draw["candidates"], 3) == draw["drawn"]
    assert [m.person_id for m in seats[:3]] == draw["drawn"]
    assert [m.seat for m in seats] == [Seat.PRESIDING, Seat.MEMBER, Seat.MEMBER, Seat.RECORDER]
    assert {m.method for m in seats[:3]} == {TribunalMember.Method.DRAWN}
    assert draws_of(case)[0].replays and draw_replays(case)
    case.refresh_from_db()
    assert case.status == Status.PANEL_FORMED
    assert case.tribunal_kind == TribunalKind.THREE
    assert _consistent(case)


def test_a_draw_with_a_tampered_result_does_not_replay(institutions, lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    _form_by_draw(case, lixia_head)
    draw = draws_of(case)[0]
    assert replay_draw(draw.seed, draw.candidates, draw.k) == draw.drawn
    swapped = [*reversed(draw.candidates)]
    assert replay_draw(draw.seed, swapped, draw.k) != draw.drawn or len(set(draw.drawn)) == 1


def test_the_notice_names_every_seat(institutions, lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    seats = _form_by_draw(case, lixia_head, TribunalKind.SOLE)
    notice = case.documents.get(kind=DocumentKind.TRIBUNAL_NOTICE)
    assert [s["seat"] for s in notice.data["seats"]] == [Seat.SOLE, Seat.RECORDER]
    assert seats[0].person.name in notice.body
    assert "杨静" in notice.body


def test_an_arbitrator_with_a_declared_relation_is_never_drawn(
    institutions, lixia_intake, lixia_head
):
    related = factories.tribunal_person("孙海燕")
    relation_declare(
        by=lixia_head, person=related, name="济南示例商贸有限公司", relation="曾任该公司法律顾问"
    )
    drawn: set[int] = set()
    for i in range(30):
        case = factories.accepted(lixia_intake, lixia_head, **factories.tribunal_fresh_parties(i))
        seats = _form_by_draw(case, lixia_head)
        drawn |= {m.person_id for m in seats if m.seat != Seat.RECORDER}
    assert related.pk not in drawn
    assert len(drawn) >= 3

    fresh = factories.accepted(lixia_intake, lixia_head, **factories.tribunal_fresh_parties(99))
    pool = arbitrator_pool(fresh)
    assert pool.excluded == {related.pk: Exclusion.DECLARED_RELATION}
    for seed in range(200):
        assert related.pk not in replay_draw(str(seed), pool.candidate_ids, 3)


def test_a_related_arbitrator_can_never_be_designated(institutions, lixia_intake, lixia_head):
    related = factories.tribunal_person("孙海燕")
    relation_declare(
        by=lixia_head,
        person=related,
        name="王秀英",
        id_number=factories.WORKER["id_number"],
        relation="表姐",
    )
    case = factories.accepted(lixia_intake, lixia_head)
    with pytest.raises(ValidationError) as refused:
        tribunal_form(
            by=lixia_head,
            case=case,
            kind=TribunalKind.SOLE,
            mode="designate",
            designated=[related.pk],
            recorder=_recorder().pk,
            reason="熟悉劳务派遣纠纷",
        )
    assert "designated" in refused.value.message_dict
    assert not case.tribunal.exists()
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_a_withdrawn_relation_no_longer_excludes(institutions, lixia_intake, lixia_head):
    related = factories.tribunal_person("孙海燕")
    relation = relation_declare(
        by=lixia_head, person=related, name="济南示例商贸有限公司", relation="曾任法律顾问"
    )
    case = factories.accepted(lixia_intake, lixia_head)
    assert related.pk in arbitrator_pool(case).excluded
    relation_withdraw(by=lixia_head, relation=relation)
    assert related.pk not in arbitrator_pool(case).excluded
    assert [e.kind for e in events_of(related)][-2:] == [
        "person.relation_declared",
        "person.relation_withdrawn",
    ]


def test_a_relation_with_an_agent_excludes_too(institutions, lixia_intake, lixia_head):
    related = factories.tribunal_person("周文博")
    relation_declare(by=lixia_head, person=related, name="张律师", relation="同事")
    worker = {
        **factories.WORKER,
        "agents": [{"name": "张律师", "kind": "lawyer", "authority": "general"}],
    }
    case = factories.accepted(lixia_intake, lixia_head, parties=[worker, factories.EMPLOYER])
    assert arbitrator_pool(case).excluded.get(related.pk) == Exclusion.DECLARED_RELATION


def test_an_arbitrator_who_sat_with_the_same_party_recently_is_excluded(
    institutions, lixia_intake, lixia_head
):
    earlier = factories.accepted(lixia_intake, lixia_head)
    factories.tribunal_formed(earlier, lixia_head)  # lixia_arbitrator sits
    sat = Person.objects.get(user__username="lixia_arbitrator")
    case = factories.accepted(lixia_intake, lixia_head)
    assert arbitrator_pool(case).excluded[sat.pk] == Exclusion.PAST_CASE

    other_employer = {
        **factories.EMPLOYER,
        "name": "济南另一家公司",
        "credit_code": factories.credit_code("91370102MA3C00009"),
    }
    other_worker = {
        **factories.WORKER,
        "name": "李四",
        "id_number": factories.id_number("37010219920101003"),
    }
    unrelated = factories.accepted(lixia_intake, lixia_head, parties=[other_worker, other_employer])
    assert sat.pk not in arbitrator_pool(unrelated).excluded


@override_settings(CASES_RECUSAL_LOOKBACK_YEARS=1)
def test_the_lookback_is_a_setting(institutions, lixia_intake, lixia_head):
    assert tribunal_services.lookback_years() == 1


def test_only_arbitrators_appointed_today_are_candidates(institutions, lixia_intake, lixia_head):
    newcomer = factories.tribunal_person("吴建平")  # appointed from the day the demo was loaded
    case = factories.accepted(lixia_intake, lixia_head)
    pool = arbitrator_pool(case)
    assert newcomer in pool.people
    assert all(p.kind == Person.Kind.ARBITRATOR for p in pool.people)
    assert all(p.organisation_id == case.commission_id for p in pool.people)
    assert _recorder() not in pool.people
    before = timezone.now() - timedelta(days=30)
    assert newcomer not in arbitrator_pool(case, now=before).people


def test_the_recorder_is_never_one_of_the_tribunal(institutions, lixia_intake, lixia_head):
    arbitrator = Person.objects.get(user__username="lixia_arbitrator")
    # The same human on the roster twice, once as recorder (组织规则 art. 14).
    twin = people.person_create(
        by=None,
        organisation=arbitrator.organisation,
        values={
            "kind": Person.Kind.RECORDER,
            "name": arbitrator.name,
            "sex": arbitrator.sex,
            "id_number": arbitrator.id_number,
            "mobile": "",
            "employment": Person.Employment.FULL_TIME,
        },
        starts_on=date(2024, 1, 1),
    )
    case = factories.accepted(lixia_intake, lixia_head)
    with pytest.raises(ValidationError) as refused:
        tribunal_form(
            by=lixia_head,
            case=case,
            kind=TribunalKind.SOLE,
            mode="designate",
            designated=[arbitrator.pk],
            recorder=twin.pk,
            reason="承办同类案件",
        )
    assert "recorder" in refused.value.message_dict
    with pytest.raises(ValidationError):
        tribunal_form(
            by=lixia_head,
            case=case,
            kind=TribunalKind.SOLE,
            mode="designate",
            designated=[arbitrator.pk],
            recorder=arbitrator.pk,  # an arbitrator is no recorder
            reason="承办同类案件",
        )
    for i in range(10):
        fresh = factories.accepted(lixia_intake, lixia_head, **factories.tribunal_fresh_parties(i))
        seats = _form_by_draw(fresh, lixia_head)
        recorder = [m.person for m in seats if m.seat == Seat.RECORDER]
        assert recorder == [_recorder()]
        assert _recorder().pk not in {m.person_id for m in seats if m.seat != Seat.RECORDER}


def test_three_are_required_for_a_collective_case(institutions, lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head, **factories.tribunal_collective_changes())
    assert case.collective
    with pytest.raises(ValidationError) as refused:
        _form_by_draw(case, lixia_head, TribunalKind.SOLE)
    assert "kind" in refused.value.message_dict
    assert not case.tribunal.exists()
    seats = _form_by_draw(case, lixia_head, TribunalKind.THREE)
    assert len(seats) == 4


def test_three_are_required_for_a_major_case(institutions, lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    Case.objects.filter(pk=case.pk).update(major=True)
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        _form_by_draw(case, lixia_head, TribunalKind.SOLE)


def test_a_designation_without_a_reason_is_refused(institutions, lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    arbitrator = _arbitrators()[0]
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as refused:
            tribunal_form(
                by=lixia_head,
                case=case,
                kind=TribunalKind.SOLE,
                mode="designate",
                designated=[arbitrator.pk],
                recorder=_recorder().pk,
                reason=reason,
            )
        assert "reason" in refused.value.message_dict
    assert not case.tribunal.exists()


def test_a_designation_keeps_its_reason_and_presiding(institutions, lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    chosen = [p.pk for p in _arbitrators()[:3]]
    seats = tribunal_form(
        by=lixia_head,
        case=case,
        kind=TribunalKind.THREE,
        mode="designate",
        designated=chosen,
        presiding=chosen[2],
        recorder=_recorder().pk,
        reason="案情复杂，需熟悉集体争议的仲裁员",
    )
    assert seats[0].person_id == chosen[2] and seats[0].seat == Seat.PRESIDING
    assert {m.method for m in seats} == {TribunalMember.Method.DESIGNATED}
    assert seats[0].reason == "案情复杂，需熟悉集体争议的仲裁员"
    assert "draw" not in events_of(case).get(kind="case.tribunal_formed").payload
    assert draw_replays(case)  # nothing drawn, nothing to doubt


def test_a_designated_presiding_arbitrator_and_two_drawn(institutions, lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    presiding = _arbitrators()[1]
    seats = tribunal_form(
        by=lixia_head,
        case=case,
        kind=TribunalKind.THREE,
        mode="draw",
        presiding=presiding.pk,
        recorder=_recorder().pk,
        reason="首席仲裁员由仲裁院指定",
    )
    assert (seats[0].person_id, seats[0].method) == (presiding.pk, "designated")
    draw = draws_of(case)[0]
    assert draw.k == 2 and presiding.pk not in draw.candidates
    assert draw.excluded[str(presiding.pk)] == Exclusion.DESIGNATED
    assert [m.person_id for m in seats[1:3]] == draw.drawn


def test_too_few_candidates_is_a_clear_error(institutions, lixia_intake, lixia_head):
    for person in _arbitrators()[:-2]:
        relation_declare(
            by=lixia_head, person=person, name="济南示例商贸有限公司", relation="曾任顾问"
        )
    case = factories.accepted(lixia_intake, lixia_head)
    with pytest.raises(ValidationError) as refused:
        _form_by_draw(case, lixia_head)
    assert "2" in refused.value.message_dict["mode"][0]
    assert not case.tribunal.exists()


def test_a_tribunal_is_formed_once(institutions, lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    _form_by_draw(case, lixia_head)
    with pytest.raises(TransitionError):
        _form_by_draw(case, lixia_head)


def test_a_case_not_yet_accepted_has_no_tribunal(institutions, lixia_intake, lixia_head):
    case = factories.received(lixia_intake)
    with pytest.raises(TransitionError):
        _form_by_draw(case, lixia_head)


def test_a_clerk_may_not_form_the_tribunal(institutions, lixia_intake, lixia_head, lixia_clerk):
    case = factories.accepted(lixia_intake, lixia_head)
    with pytest.raises(PermissionDenied):
        _form_by_draw(case, lixia_clerk)


def test_serving_the_notice_on_every_party_closes_its_clock(
    institutions, lixia_intake, lixia_head, lixia_clerk
):
    case = factories.accepted(lixia_intake, lixia_head)
    _form_by_draw(case, lixia_head, TribunalKind.SOLE)
    notice = case.documents.get(kind=DocumentKind.TRIBUNAL_NOTICE)
    applicant, respondent = (
        case.parties.get(role=Party.Role.APPLICANT),
        case.parties.get(role=Party.Role.RESPONDENT),
    )
    clock = case.deadlines.get(code="tribunal_notice")
    serving.serve(
        by=lixia_clerk,
        case=case,
        document=notice,
        parties=[applicant],
        method=ServiceMethod.IN_PERSON,
        signed_by_name=applicant.name,
    )
    clock.refresh_from_db()
    assert clock.state == CaseDeadline.State.OPEN
    serving.serve(
        by=lixia_clerk,
        case=case,
        document=notice,
        parties=[respondent],
        method=ServiceMethod.IN_PERSON,
        signed_by_name="赵建国",
    )
    clock.refresh_from_db()
    assert clock.state == CaseDeadline.State.MET and not clock.met_late
    last = events_of(case).filter(kind="case.document_served").last()
    assert last.payload["services"][0]["tribunal_notice"] == {"clock": "met", "late": False}
    assert _consistent(case)


def test_a_notice_served_after_five_working_days_is_late(
    institutions, lixia_intake, lixia_head, lixia_clerk
):
    with time_machine.travel("2026-11-02 09:00 +0800", tick=False):
        case = factories.accepted(lixia_intake, lixia_head)
        _form_by_draw(case, lixia_head, TribunalKind.SOLE)
    with time_machine.travel("2026-11-12 09:00 +0800", tick=False):
        serving.serve(
            by=lixia_clerk,
            case=case,
            document=case.documents.get(kind=DocumentKind.TRIBUNAL_NOTICE),
            parties=list(case.parties.all()),
            method=ServiceMethod.IN_PERSON,
            signed_by_name="王秀英",
        )
    clock = case.deadlines.get(code="tribunal_notice")
    assert clock.due_on == date(2026, 11, 9)
    assert clock.state == CaseDeadline.State.MET and clock.met_late


# --- Replacement --------------------------------------------------------------------------------


def test_a_member_is_replaced_by_a_new_draw(institutions, lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    sole = _form_by_draw(case, lixia_head, TribunalKind.SOLE)[0]
    new = tribunal_member_replace(
        by=lixia_head, case=case, member=sole, mode="draw", reason="仲裁员因病无法履职"
    )
    sole.refresh_from_db()
    assert sole.ended_at is not None and sole.end_reason == "replaced"
    assert new.seat == Seat.SOLE and new.replaces == sole and new.person_id != sole.person_id
    draws = draws_of(case)
    assert len(draws) == 2 and all(d.replays for d in draws)
    assert draws[1].excluded[str(sole.person_id)] == Exclusion.REMOVED
    assert case.documents.filter(kind=DocumentKind.TRIBUNAL_NOTICE).count() == 2
    with pytest.raises(ValidationError):
        tribunal_member_replace(
            by=lixia_head, case=case, member=sole, mode="draw", reason="再次更换"
        )
    assert _consistent(case)


def test_the_recorder_is_replaced_only_by_designation(institutions, lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    recorder = _form_by_draw(case, lixia_head, TribunalKind.SOLE)[1]
    with pytest.raises(ValidationError):
        tribunal_member_replace(
            by=lixia_head, case=case, member=recorder, mode="draw", reason="休假"
        )
    assistant = factories.tribunal_person("马晓丽")
    new = tribunal_member_replace(
        by=lixia_head,
        case=case,
        member=recorder,
        mode="designate",
        person=assistant.pk,
        reason="记录人员休假",
    )
    assert new.seat == Seat.RECORDER and new.person == assistant


# --- Recusal ------------------------------------------------------------------------------------


def test_recusal_decided_upheld_ends_the_seat_and_issues_a_decision(
    institutions, lixia_intake, lixia_head, lixia_clerk
):
    case = factories.accepted(lixia_intake, lixia_head)
    sole = _form_by_draw(case, lixia_head, TribunalKind.SOLE)[0]
    applicant = case.parties.get(role=Party.Role.APPLICANT)
    application = recusal_apply(
        by=lixia_clerk,
        case=case,
        member=sole,
        applicant=applicant,
        ground="interest",
        reasons="该仲裁员持有被申请人股份",
    )
    assert application.deadline.code == "recusal_decision"
    decided = recusal_decide(
        by=lixia_head, case=case, application=application, upheld=True, reasons="经查属实"
    )
    sole.refresh_from_db()
    assert sole.ended_at is not None and sole.end_reason == "recused"
    assert decided.decision == RecusalApplication.Decision.UPHELD
    assert decided.document.kind == DocumentKind.DECISION
    assert decided.document.decision_kind == DecisionKind.RECUSAL
    decided.deadline.refresh_from_db()
    assert decided.deadline.state == CaseDeadline.State.MET and not decided.deadline.met_late
    summary = tribunal_services.tribunal_summary(case)
    assert summary.to_replace == [sole]

    new = tribunal_member_replace(
        by=lixia_head, case=case, member=sole, mode="draw", reason="原仲裁员回避"
    )
    assert new.replaces == sole
    assert draws_of(case)[-1].excluded[str(sole.person_id)] == Exclusion.RECUSED
    assert tribunal_services.tribunal_summary(case).to_replace == []
    assert _consistent(case)


def test_recusal_rejected_keeps_the_seat(institutions, lixia_intake, lixia_head, lixia_clerk):
    case = factories.accepted(lixia_intake, lixia_head)
    sole = _form_by_draw(case, lixia_head, TribunalKind.SOLE)[0]
    application = recusal_apply(
        by=lixia_clerk, case=case, member=sole, applicant=None, ground="other_relation",
        reasons="本人曾与被申请人法定代表人同学",
    )  # fmt: skip
    assert application.applicant is None
    summary = tribunal_services.tribunal_summary(case)
    assert summary.challenged == {sole.pk}
    with pytest.raises(ValidationError):  # decide first
        tribunal_member_replace(by=lixia_head, case=case, member=sole, mode="draw", reason="x")
    decided = recusal_decide(
        by=lixia_head, case=case, application=application, upheld=False, reasons="关系已疏远"
    )
    sole.refresh_from_db()
    assert sole.ended_at is None
    assert decided.document.decision_kind == DecisionKind.RECUSAL
    with pytest.raises(TransitionError):  # nothing waits any more
        recusal_decide(
            by=lixia_head, case=case, application=application, upheld=True, reasons="再议"
        )


def test_the_recusal_decision_is_due_in_3_working_days(
    institutions, lixia_intake, lixia_head, lixia_clerk
):
    with time_machine.travel("2026-11-06 10:00 +0800", tick=False):  # a Friday
        case = factories.accepted(lixia_intake, lixia_head)
        sole = _form_by_draw(case, lixia_head, TribunalKind.SOLE)[0]
        application = recusal_apply(
            by=lixia_clerk, case=case, member=sole, applicant=None, ground="relative",
            reasons="申请人系其表弟",
        )  # fmt: skip
    assert application.deadline.unit == "working"
    assert application.deadline.days == 3
    assert application.deadline.due_on == date(2026, 11, 11)  # Mon, Tue, Wed
    with time_machine.travel("2026-11-12 10:00 +0800", tick=False):
        recusal_decide(
            by=lixia_head, case=case, application=application, upheld=True, reasons="属实"
        )
    application.deadline.refresh_from_db()
    assert application.deadline.met_late
    assert events_of(case).get(kind="case.recusal_decided").payload["late"] is True


def test_recusal_after_the_debate_is_refused(
    institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator
):
    case = factories.heard(lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator)
    assert case.status == Status.DELIBERATION
    member = _sitting(case)[0]
    with pytest.raises(TransitionError) as refused:
        recusal_apply(
            by=lixia_clerk, case=case, member=member, applicant=None, ground="interest",
            reasons="庭后得知", learned_later=True,
        )  # fmt: skip
    assert "办案规则" in str(refused.value)
    assert not RecusalApplication.objects.filter(case=case).exists()


def test_recusal_during_the_hearing_needs_a_ground_learned_later(
    institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator
):
    case = factories.accepted(lixia_intake, lixia_head)
    case = factories.tribunal_formed(case, lixia_head)
    case = factories.in_defence_period(case, lixia_clerk)
    case = factories.hearing_scheduled(case, lixia_clerk)
    case = factories.in_hearing(case, lixia_arbitrator)
    member = _sitting(case)[0]
    with pytest.raises(ValidationError) as refused:
        recusal_apply(
            by=lixia_clerk, case=case, member=member, applicant=None, ground="interest",
            reasons="开庭后得知",
        )  # fmt: skip
    assert "learned_later" in refused.value.message_dict
    application = recusal_apply(
        by=lixia_clerk, case=case, member=member, applicant=None, ground="interest",
        reasons="开庭后得知", learned_later=True,
    )  # fmt: skip
    assert application.learned_later


def test_the_arbitrator_may_withdraw_of_their_own_accord(
    institutions, lixia_intake, lixia_head, lixia_arbitrator
):
    case = factories.tribunal_formed(factories.accepted(lixia_intake, lixia_head), lixia_head)
    member = _sitting(case)[0]
    application = recusal_apply(
        by=lixia_arbitrator, case=case, member=member, applicant=None,
        ground="relative", reasons="申请人系本人亲属",
    )  # fmt: skip
    assert application.recorded_by == lixia_arbitrator


def test_only_the_head_decides_recusal(
    institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator
):
    case = factories.tribunal_formed(factories.accepted(lixia_intake, lixia_head), lixia_head)
    application = recusal_apply(
        by=lixia_clerk, case=case, member=_sitting(case)[0], applicant=None,
        ground="relative", reasons="亲属",
    )  # fmt: skip
    for outsider in (lixia_clerk, lixia_arbitrator):
        with pytest.raises(PermissionDenied):
            recusal_decide(
                by=outsider, case=case, application=application, upheld=True, reasons="x"
            )


# --- Declared relations ---------------------------------------------------------------------


def test_an_arbitrator_declares_only_their_own_relations(
    institutions, lixia_arbitrator, licheng_arbitrator
):
    own = Person.objects.get(user=lixia_arbitrator)
    relation = relation_declare(
        by=lixia_arbitrator, person=own, name="济南某公司", relation="配偶任职"
    )
    assert relation.declared_by == lixia_arbitrator
    other = factories.tribunal_person("陈雪梅")
    with pytest.raises(PermissionDenied):
        relation_declare(by=lixia_arbitrator, person=other, name="某公司", relation="亲属")
    with pytest.raises(PermissionDenied):
        relation_declare(by=licheng_arbitrator, person=own, name="某公司", relation="亲属")


def test_a_relation_with_a_wrong_id_number_is_refused(institutions, lixia_head):
    person = factories.tribunal_person("陈雪梅")
    with pytest.raises(ValidationError) as refused:
        relation_declare(
            by=lixia_head, person=person, name="某人", relation="亲属", id_number="123"
        )
    assert "id_number" in refused.value.message_dict
