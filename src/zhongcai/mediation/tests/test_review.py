"""Arbitral review of an agreement (办案规则 arts. 74–79): the joint application within 15 days,
acceptance, the 调解书 or a refusal, and who may see and decide."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from zhongcai.core.events import events_of, verify_chains
from zhongcai.mediation import review as svc
from zhongcai.mediation.models import Review, ReviewStatus, Status
from zhongcai.mediation.tests.test_agreement import fake_pdfs, reach_agreement
from zhongcai.mediation.workflow import TransitionError
from zhongcai.orgs.models import Organisation

pytestmark = pytest.mark.django_db

EFFECT = "2026-03-02 10:00 +0800"  # a Monday


def commission(code):
    return Organisation.objects.get(division_id=code, type=Organisation.Type.COMMISSION)


@pytest.fixture
def agreed(mediating, lixia_mediator, worker_demo, employer_user):
    with time_machine.travel(EFFECT, tick=False):
        return reach_agreement(
            mediating, mediator=lixia_mediator, applicant=worker_demo, respondent=employer_user
        )


@pytest.fixture
def requested(agreed, worker_demo, employer_user):
    with time_machine.travel("2026-03-05 10:00 +0800", tick=False):
        svc.review_apply(by=worker_demo, case=agreed, commission=commission("370102"))
        return svc.review_apply(by=employer_user, case=agreed, commission=commission("370102"))


def test_the_full_path_ends_in_a_served_mediation_document(
    agreed, requested, worker_demo, lixia_intake, lixia_arbitrator
):
    review = requested
    assert review.status == ReviewStatus.REQUESTED
    assert review.applicant_joined_at and review.respondent_joined_at and review.requested_at
    agreed.refresh_from_db()
    assert agreed.status == Status.REVIEW_REQUESTED

    assert list(svc.reviews_for(lixia_intake)) == [review]
    with time_machine.travel("2026-03-06 09:00 +0800", tick=False):  # Friday
        review = svc.review_accept(by=lixia_intake, review=review)
    assert review.decision_due == date(2026, 3, 13)  # 5 working days
    with pytest.raises(TransitionError):
        svc.review_accept(by=lixia_intake, review=review)
    with time_machine.travel("2026-03-09 09:00 +0800", tick=False), fake_pdfs():
        review = svc.review_issue(by=lixia_arbitrator, review=review)
    assert review.status == ReviewStatus.ISSUED
    assert review.number == "济历下劳人仲审调字〔2026〕第1号"
    text = " ".join(b.get("t", "") for b in review.content)
    assert "调解书" in text and agreed.agreement.number in text
    assert agreed.agreement.items[0]["description"] in text
    assert review.pdf_sha256 and review.decided_by == lixia_arbitrator
    agreed.refresh_from_db()
    assert agreed.status == Status.CONFIRMED
    with pytest.raises((TransitionError, PermissionDenied)):
        svc.review_refuse(by=lixia_arbitrator, review=review, ground="unclear", reasons="不清")
    kinds = [e.kind for e in events_of(agreed)]
    assert kinds[-4:] == [
        "mediation.review_applied",
        "mediation.review_requested",
        "mediation.review_accepted",
        "mediation.mediation_document_issued",
    ]
    assert list(verify_chains()) == []


def test_the_second_party_joins_the_first_ones_review(agreed, worker_demo, employer_user):
    with time_machine.travel("2026-03-03 10:00 +0800", tick=False):
        first = svc.review_apply(by=worker_demo, case=agreed, commission=commission("370102"))
        assert first.status == ReviewStatus.AWAITING_PARTY
        with pytest.raises(ValidationError):  # the same side twice
            svc.review_apply(by=worker_demo, case=agreed, commission=commission("370102"))
        with pytest.raises(ValidationError) as caught:  # jointly: the same commission
            svc.review_apply(by=employer_user, case=agreed, commission=commission("370100"))
        assert "commission" in caught.value.message_dict
        joined = svc.review_apply(by=employer_user, case=agreed, commission=commission("370102"))
    assert joined.pk == first.pk and Review.objects.filter(case=agreed).count() == 1


def test_a_commission_that_is_not_competent_is_refused(agreed, worker_demo):
    qingdao = Organisation.objects.filter(
        type=Organisation.Type.COMMISSION, division__code__startswith="3702"
    ).first()
    assert commission("370102") in svc.competent_commissions(agreed)
    with (
        time_machine.travel("2026-03-03 10:00 +0800", tick=False),
        pytest.raises(ValidationError) as caught,
    ):
        svc.review_apply(by=worker_demo, case=agreed, commission=qingdao)
    assert "commission" in caught.value.message_dict


def test_applying_on_day_16_is_refused(agreed, worker_demo):
    with (
        time_machine.travel("2026-03-18 10:00 +0800", tick=False),  # 2 March + 16 days
        pytest.raises(ValidationError) as caught,
    ):
        svc.review_apply(by=worker_demo, case=agreed, commission=commission("370102"))
    assert "commission" in caught.value.message_dict
    assert not Review.objects.filter(case=agreed).exists()
    with time_machine.travel("2026-03-17 10:00 +0800", tick=False):  # day 15
        svc.review_apply(by=worker_demo, case=agreed, commission=commission("370102"))


def test_the_mediator_and_strangers_cannot_apply(agreed, lixia_mediator):
    with pytest.raises(PermissionDenied):
        svc.review_apply(by=lixia_mediator, case=agreed, commission=commission("370102"))


def test_another_commission_neither_sees_nor_decides(requested, licheng_intake):
    assert list(svc.reviews_for(licheng_intake)) == []
    with pytest.raises(Http404):
        svc.get_review_for(licheng_intake, requested.pk)
    with pytest.raises(PermissionDenied):
        svc.review_accept(by=licheng_intake, review=requested)
    assert Review.objects.get(pk=requested.pk).status == ReviewStatus.REQUESTED


def test_not_accepted_on_an_article_75_ground(requested, lixia_intake, worker_demo):
    with pytest.raises(ValidationError) as caught:
        svc.review_not_accept(by=lixia_intake, review=requested, ground="unlawful")
    assert "ground" in caught.value.message_dict
    review = svc.review_not_accept(
        by=lixia_intake, review=requested, ground="court_confirmed", reasons="已经法院确认"
    )
    assert (review.status, review.ground) == (ReviewStatus.NOT_ACCEPTED, "court_confirmed")
    case = review.case
    case.refresh_from_db()
    assert case.status == Status.REVIEW_REFUSED
    event = events_of(case).last()
    assert (event.kind, event.payload["ground"]) == (
        "mediation.review_not_accepted",
        "court_confirmed",
    )


def test_refused_on_an_article_78_ground_with_reasons(requested, lixia_intake):
    review = svc.review_accept(by=lixia_intake, review=requested)
    with pytest.raises(ValidationError) as caught:
        svc.review_refuse(by=lixia_intake, review=review, ground="unclear", reasons="")
    assert "reasons" in caught.value.message_dict
    review = svc.review_refuse(
        by=lixia_intake, review=review, ground="unclear", reasons="履行期限约定不明确"
    )
    assert (review.status, review.reasons) == (ReviewStatus.REFUSED, "履行期限约定不明确")
    review.case.refresh_from_db()
    assert review.case.status == Status.REVIEW_REFUSED
