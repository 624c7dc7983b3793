"""The mediator pool: the filtered draw, the parties' choice, conflicts, requests for another
mediator and party feedback."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from zhongcai.accounts.models import Role, User
from zhongcai.core.events import events_of, verify_chains
from zhongcai.mediation import pool, services
from zhongcai.mediation.models import (
    ConflictDeclaration,
    Feedback,
    MediationCase,
    MediatorChangeRequest,
    MediatorProfile,
    Status,
)
from zhongcai.mediation.tests.conftest import apply_online
from zhongcai.mediation.workflow import TransitionError

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(centre):
    return User.objects.create_user(
        username="centre_head", password="x", role=Role.INSTITUTE_HEAD, organisation=centre
    )


@pytest.fixture
def accepted(worker_demo, lixia_mediator, centre, mediators):
    case = apply_online(worker_demo, centre)
    return services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)


def profile(person, **values):
    return MediatorProfile.objects.update_or_create(person=person, defaults=values)[0]


def kinds(case):
    return [event.kind for event in events_of(case)]


def test_the_draw_leaves_out_the_unavailable_the_away_and_the_full(
    accepted, lixia_mediator, mediators, worker_demo, centre
):
    liu, chen, sun = mediators
    profile(liu, available=False)
    profile(chen, unavailable_until=date(2026, 3, 10))
    with time_machine.travel("2026-03-05 10:00 +0800", tick=False):
        case = services.mediator_draw(by=lixia_mediator, case=accepted)
    assert case.mediator == sun
    assert case.draw["candidates"] == [sun.pk]
    assert {e["person"]: e["reason"] for e in case.draw["excluded"]} == {
        liu.pk: pool.UNAVAILABLE,
        chen.pk: pool.UNAVAILABLE,
    }
    assert services.draw_replays(case)

    # 孙丽 now runs one case; at most one: full. 陈静 is back on the 11th.
    profile(sun, max_load=1)
    other = services.mediation_accept(
        by=lixia_mediator, case=apply_online(worker_demo, centre), respondent_consent=True
    )
    with time_machine.travel("2026-03-11 10:00 +0800", tick=False):
        other = services.mediator_draw(by=lixia_mediator, case=other)
    assert other.mediator == chen
    assert {e["person"]: e["reason"] for e in other.draw["excluded"]}[sun.pk] == pool.FULL


def test_the_draw_prefers_specialists_and_a_requested_language_but_never_narrows_to_none(
    accepted, lixia_mediator, mediators
):
    liu, chen, _sun = mediators
    profile(liu, specialties=["remuneration"], languages=["English"])
    profile(chen, specialties=["work_injury"], languages=["粤语"])
    assert accepted.causes  # the factories' application names its causes
    accepted.causes = ["remuneration"]
    accepted.save()
    case = services.mediator_draw(by=lixia_mediator, case=accepted, language="粤语")
    # The language the staff asked for comes first; nobody of them specialises: kept.
    assert case.draw["candidates"] == [chen.pk]
    assert case.draw["filters"] == {
        "language": "粤语",
        "language_applied": True,
        "causes": ["remuneration"],
        "specialty_applied": False,
    }
    assert sorted(case.draw["eligible"]) == sorted(p.pk for p in mediators)
    assert services.draw_replays(case)
    assert events_of(case).last().payload["draw"] == case.draw


def test_specialty_narrowing_and_a_language_nobody_speaks(
    worker_demo, lixia_mediator, centre, mediators
):
    _liu, _chen, sun = mediators
    profile(sun, specialties=["remuneration", "damages"])
    case = services.mediation_accept(
        by=lixia_mediator,
        case=apply_online(worker_demo, centre, causes=["remuneration"]),
        respondent_consent=True,
    )
    case = services.mediator_draw(by=lixia_mediator, case=case, language="藏语")
    assert case.mediator == sun
    assert case.draw["filters"]["language_applied"] is False
    assert case.draw["filters"]["specialty_applied"] is True


def test_a_mediator_who_is_a_party_is_not_drawn(worker_demo, lixia_mediator, centre, mediators):
    liu = mediators[0]
    liu.id_number = worker_demo.id_number
    liu.save()
    case = apply_online(worker_demo, centre)
    assert case.parties.filter(id_number=liu.id_number).exists()
    case = services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)
    case = services.mediator_draw(by=lixia_mediator, case=case)
    assert liu.pk not in case.draw["candidates"]
    assert pool.PARTY in [e["reason"] for e in case.draw["excluded"]]


def test_nobody_available_is_a_clear_error_and_changes_nothing(accepted, lixia_mediator, mediators):
    for person in mediators:
        profile(person, available=False)
    with pytest.raises(ValidationError) as caught:
        services.mediator_draw(by=lixia_mediator, case=accepted)
    assert "mediator" in caught.value.message_dict
    accepted.refresh_from_db()
    assert (accepted.status, accepted.draw, accepted.mediator) == (Status.ACCEPTED, {}, None)


def test_the_parties_choice_needs_both_consents(accepted, lixia_mediator, mediators):
    chen = mediators[1]
    with pytest.raises(ValidationError) as caught:
        pool.mediator_choose(
            by=lixia_mediator,
            case=accepted,
            person=chen,
            applicant_consents=True,
            respondent_consents=False,
        )
    assert "consent" in caught.value.message_dict
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED
    case = pool.mediator_choose(
        by=lixia_mediator,
        case=accepted,
        person=chen,
        applicant_consents=True,
        respondent_consents=True,
    )
    assert (case.status, case.mediator) == (Status.MEDIATING, chen)
    assert kinds(case)[-1] == "mediation.mediator_chosen"
    assert services.draw_replays(case)


def test_the_parties_cannot_choose_an_unavailable_or_unappointed_mediator_or_a_stranger(
    accepted, lixia_mediator, mediators, licheng_mediator
):
    from zhongcai.orgs.models import Person

    profile(mediators[0], available=False)
    ended = Person.objects.get(name="吴敏")
    for person in (mediators[0], ended):
        with pytest.raises(ValidationError) as caught:
            pool.mediator_choose(
                by=lixia_mediator,
                case=accepted,
                person=person,
                applicant_consents=True,
                respondent_consents=True,
            )
        assert "person" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        pool.mediator_choose(
            by=licheng_mediator,
            case=accepted,
            person=mediators[1],
            applicant_consents=True,
            respondent_consents=True,
        )
    assert [p.pk for p in pool.choosable(accepted)] == [mediators[1].pk, mediators[2].pk]


def test_a_conflict_replaces_the_mediator_for_good(mediating, lixia_mediator, mediators, head):
    first = mediating.mediator
    first.user = lixia_mediator
    first.save()
    case = pool.conflict_declare(by=lixia_mediator, case=mediating, reason="申请人是我的亲属")
    assert case.status == Status.MEDIATING
    assert case.mediator not in (None, first)
    assert first.pk not in case.draw["candidates"]
    assert ConflictDeclaration.objects.get(case=case).person == first
    assert kinds(case)[-2:] == ["mediation.conflict_declared", "mediation.mediator_replaced"]
    assert "reason" not in events_of(case).last().payload
    assert services.draw_replays(case)

    # The second declares a conflict too (the head records it): only the third is left.
    second = case.mediator
    case = pool.conflict_declare(by=head, case=case, reason="曾为被申请人提供咨询")
    assert case.mediator not in (first, second)
    assert case.draw["candidates"] == [case.mediator_id]
    reasons = {e["person"]: e["reason"] for e in case.draw["excluded"]}
    assert reasons[first.pk] == reasons[second.pk] == pool.CONFLICT
    # The last one cannot step aside: nobody is left, and nothing is written.
    with pytest.raises(ValidationError):
        pool.conflict_declare(by=head, case=case, reason="另有冲突")
    assert ConflictDeclaration.objects.filter(case=case).count() == 2
    assert list(verify_chains()) == []


def test_only_the_cases_mediator_or_the_head_declares_a_conflict(mediating, lixia_mediator):
    with pytest.raises(PermissionDenied):
        pool.conflict_declare(by=lixia_mediator, case=mediating, reason="冲突")
    assert not ConflictDeclaration.objects.exists()
    with pytest.raises(ValidationError):
        pool.conflict_declare(by=lixia_mediator, case=mediating, reason=" ")


def test_a_party_asks_for_another_mediator_once_and_staff_grant_it(
    mediating, worker_demo, lixia_mediator, mediators
):
    first = mediating.mediator
    request = pool.mediator_change_request(by=worker_demo, case=mediating, reason="调解员态度偏颇")
    assert (request.person, request.granted) == (first, None)
    with pytest.raises(ValidationError):
        pool.mediator_change_request(by=worker_demo, case=mediating, reason="再次申请")
    assert MediatorChangeRequest.objects.count() == 1

    pool.mediator_change_decide(by=lixia_mediator, request=request, grant=True)
    case = MediationCase.objects.get(pk=mediating.pk)
    request.refresh_from_db()
    assert request.granted is True
    assert case.mediator not in (None, first)
    assert first.pk not in case.draw["candidates"]
    assert kinds(case)[-3:] == [
        "mediation.mediator_change_requested",
        "mediation.mediator_change_decided",
        "mediation.mediator_replaced",
    ]
    with pytest.raises(ValidationError):
        pool.mediator_change_decide(by=lixia_mediator, request=request, grant=False, note="x")
    # Granted: a new request is possible again, about the new mediator.
    again = pool.mediator_change_request(by=worker_demo, case=case, reason="仍不满意")
    assert again.person == case.mediator


def test_a_refusal_needs_a_note_and_keeps_the_mediator(
    mediating, employer_user, lixia_mediator, licheng_mediator
):
    first = mediating.mediator
    request = pool.mediator_change_request(by=employer_user, case=mediating, reason="不信任")
    assert request.party.role == "respondent"
    with pytest.raises(ValidationError) as caught:
        pool.mediator_change_decide(by=lixia_mediator, request=request, grant=False, note="")
    assert "note" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        pool.mediator_change_decide(by=licheng_mediator, request=request, grant=False, note="否")
    pool.mediator_change_decide(by=lixia_mediator, request=request, grant=False, note="理由不足")
    request.refresh_from_db()
    assert (request.granted, request.decision_note) == (False, "理由不足")
    assert MediationCase.objects.get(pk=mediating.pk).mediator == first


def test_the_mediator_concerned_does_not_decide(mediating, worker_demo, lixia_mediator):
    person = mediating.mediator
    person.user = lixia_mediator
    person.save()
    request = pool.mediator_change_request(by=worker_demo, case=mediating, reason="偏颇")
    with pytest.raises(PermissionDenied):
        pool.mediator_change_decide(by=lixia_mediator, request=request, grant=False, note="否")


def test_a_party_of_another_case_or_staff_cannot_ask(
    mediating, employer_demo, lixia_mediator, accepted, worker_demo
):
    with pytest.raises(PermissionDenied):
        pool.mediator_change_request(by=employer_demo, case=mediating, reason="换人")
    with pytest.raises(PermissionDenied):
        pool.mediator_change_request(by=lixia_mediator, case=mediating, reason="换人")
    with pytest.raises(TransitionError):  # no mediator yet
        pool.mediator_change_request(by=worker_demo, case=accepted, reason="换人")
    assert not MediatorChangeRequest.objects.exists()


def test_feedback_once_and_only_after_the_end(
    mediating, worker_demo, employer_user, lixia_mediator
):
    with pytest.raises(TransitionError):
        pool.feedback_give(by=worker_demo, case=mediating, score=5)
    case = services.mediation_fail(by=lixia_mediator, case=mediating, reason="差距过大")
    with pytest.raises(ValidationError) as caught:
        pool.feedback_give(by=worker_demo, case=case, score=6)
    assert "score" in caught.value.message_dict
    given = pool.feedback_give(by=worker_demo, case=case, score=4, comment="耐心")
    assert (given.score, given.party.role) == (4, "applicant")
    with pytest.raises(ValidationError):
        pool.feedback_give(by=worker_demo, case=case, score=5)
    pool.feedback_give(by=employer_user, case=case, score=2)
    assert Feedback.objects.filter(case=case).count() == 2
    assert "comment" not in events_of(case).last().payload


def test_a_declined_case_is_not_rated(worker_demo, lixia_mediator, centre):
    case = services.mediation_decline(
        by=lixia_mediator, case=apply_online(worker_demo, centre), reason="不属于受理范围"
    )
    with pytest.raises(TransitionError):
        pool.feedback_give(by=worker_demo, case=case, score=3)
