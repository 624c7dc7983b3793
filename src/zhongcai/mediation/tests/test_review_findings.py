"""What the review of the first mediation change found, each pinned by a test: signing only the
text one read, paper signatures for parties without accounts, the 15 days from receipt (LDMAL
art. 14), no extension once the period ran out, one party's draft not blocking the other's,
no second review after a refusal on the merits, an entrusted mediation's agreement staying with
the tribunal."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zhongcai.cases.models import Status as CaseStatus
from zhongcai.cases.tests.factories import application
from zhongcai.mediation import agreement as agreements
from zhongcai.mediation import review, services
from zhongcai.mediation.models import Channel, MediationCase, ReviewStatus, Status
from zhongcai.mediation.tests.conftest import apply_online
from zhongcai.mediation.tests.test_agreement import ITEMS, be_mediator, fake_pdfs
from zhongcai.mediation.tests.test_review import commission
from zhongcai.mediation.workflow import TransitionError, transition

pytestmark = pytest.mark.django_db

MONDAY = "2026-03-02 10:00 +0800"


def scan():
    return SimpleUploadedFile("签名页.pdf", b"%PDF-1.4\n% signed page\n", "application/pdf")


def test_a_party_signs_only_the_text_it_read(mediating, lixia_mediator, worker_demo):
    case = be_mediator(mediating, lixia_mediator)
    agreements.agreement_draft(by=lixia_mediator, case=case, items=ITEMS)
    read = MediationCase.objects.get(pk=case.pk).agreement.content_sha256
    agreements.agreement_draft(
        by=lixia_mediator, case=case, items=[{"description": "支付工资 1100 元", "amount": "1100"}]
    )
    with pytest.raises(ValidationError) as caught:
        agreements.agreement_sign(by=worker_demo, case=case, content_sha256=read)
    assert "confirm_read" in caught.value.message_dict
    assert not case.agreement.signatures.exists()


def test_a_walk_in_reaches_agreement_with_signatures_on_paper(
    lixia_mediator, centre, mediators, worker_demo
):
    case = services.mediation_apply(
        by=lixia_mediator, organisation=centre, data=application(), channel=Channel.WALK_IN
    )
    case = services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)
    case = be_mediator(services.mediator_draw(by=lixia_mediator, case=case), lixia_mediator)
    agreements.agreement_draft(by=lixia_mediator, case=case, items=ITEMS)
    applicant, respondent = case.parties.get(role="applicant"), case.parties.get(role="respondent")
    with pytest.raises(ValidationError) as caught:
        agreements.agreement_record_paper_signature(
            by=lixia_mediator, case=case, party=applicant, scan=None
        )
    assert "scan" in caught.value.message_dict
    with pytest.raises(PermissionDenied):  # a stranger to the case, not its staff
        agreements.agreement_record_paper_signature(
            by=worker_demo, case=case, party=applicant, scan=scan()
        )
    for party in (applicant, respondent):
        signature = agreements.agreement_record_paper_signature(
            by=lixia_mediator, case=case, party=party, scan=scan()
        )
        assert signature.on_paper and signature.scan_sha256 and signature.scan
    with pytest.raises(ValidationError):  # once per party
        agreements.agreement_record_paper_signature(
            by=lixia_mediator, case=case, party=applicant, scan=scan()
        )
    agreements.agreement_sign(by=lixia_mediator, case=case)
    with fake_pdfs():
        case = agreements.agreement_seal(by=lixia_mediator, case=case)
    assert case.status == Status.AGREED


def test_an_application_never_accepted_fails_on_day_16(worker_demo, centre):
    with time_machine.travel(MONDAY, tick=False):
        case = apply_online(worker_demo, centre)
    assert case.conclusion_due == date(2026, 3, 17)  # 15 days from receipt
    assert services.mediation_expire_due(date(2026, 3, 17)) == []
    assert services.mediation_expire_due(date(2026, 3, 18)) == [case.pk]
    case.refresh_from_db()
    assert case.status == Status.FAILED


def test_no_extension_once_the_period_ran_out(mediating, lixia_mediator):
    due = mediating.conclusion_due
    both = {"days": 10, "consent_applicant": True, "consent_respondent": True}
    with (
        time_machine.travel(date.fromordinal(due.toordinal() + 1), tick=False),
        pytest.raises(TransitionError),
    ):
        services.mediation_extend(by=lixia_mediator, case=mediating, **both)
    mediating.refresh_from_db()
    assert mediating.conclusion_due == due and mediating.extended_at is None
    with time_machine.travel(due, tick=False):  # on the due day itself it still can
        case = services.mediation_extend(by=lixia_mediator, case=mediating, **both)
    assert case.conclusion_due == date.fromordinal(due.toordinal() + 10)


def test_the_respondents_draft_does_not_block_the_workers(
    mediating, lixia_mediator, worker_demo, employer_user
):
    case = services.mediation_fail(by=lixia_mediator, case=mediating, reason="差距过大")
    lixia = commission("370102")
    employers = services.mediation_to_arbitration(by=employer_user, case=case, commission=lixia)
    assert [p.role for p in employers.parties.order_by("role")] == ["applicant", "respondent"]
    assert employers.parties.get(role="applicant").kind == "employer"
    workers = services.mediation_to_arbitration(by=worker_demo, case=case, commission=lixia)
    assert workers.pk != employers.pk and workers.dispute == employers.dispute == case.dispute
    with pytest.raises(TransitionError):  # the same party twice
        services.mediation_to_arbitration(by=worker_demo, case=case, commission=lixia)
    # Once an application was submitted, the hand-over is over.
    MediationCase.objects.filter(pk=case.pk).update(arbitration_case=workers)
    type(workers).objects.filter(pk=workers.pk).update(status=CaseStatus.RECEIVED)
    case.refresh_from_db()
    with pytest.raises(TransitionError):
        services.mediation_to_arbitration(by=employer_user, case=case, commission=lixia)


@pytest.fixture
def agreed(mediating, lixia_mediator, worker_demo, employer_user):
    from zhongcai.mediation.tests.test_agreement import reach_agreement

    with time_machine.travel(MONDAY, tick=False):
        return reach_agreement(
            mediating, mediator=lixia_mediator, applicant=worker_demo, respondent=employer_user
        )


def _requested(case, worker, employer, code="370102"):
    review.review_apply(by=worker, case=case, commission=commission(code))
    return review.review_apply(by=employer, case=case, commission=commission(code))


def test_no_second_review_after_a_refusal_on_the_merits(
    agreed, worker_demo, employer_user, lixia_intake
):
    with time_machine.travel("2026-03-04 10:00 +0800", tick=False):
        found = _requested(agreed, worker_demo, employer_user)
        review.review_accept(by=lixia_intake, review=found)
        review.review_refuse(
            by=lixia_intake, review=found, ground="unclear", reasons="履行期限不明"
        )
        with pytest.raises(TransitionError):
            review.review_apply(by=worker_demo, case=agreed, commission=commission("370100"))


def test_after_not_accepted_for_jurisdiction_the_competent_commission_may_review(
    agreed, worker_demo, employer_user, lixia_intake
):
    with time_machine.travel("2026-03-04 10:00 +0800", tick=False):
        found = _requested(agreed, worker_demo, employer_user)
        review.review_not_accept(by=lixia_intake, review=found, ground="not_competent")
        again = review.review_apply(by=worker_demo, case=agreed, commission=commission("370100"))
    assert again.status == ReviewStatus.AWAITING_PARTY


def test_an_entrusted_mediations_agreement_stays_with_the_tribunal(
    agreed, lixia_mediator, worker_demo, lixia_intake, lixia_head
):
    from zhongcai.cases.tests.factories import accepted

    arbitration = accepted(lixia_intake, lixia_head)
    MediationCase.objects.filter(pk=agreed.pk).update(entrusted_by=arbitration)
    agreed.refresh_from_db()
    # 办案规则 arts. 69–72: the tribunal issues the 调解书 in the arbitration case.
    with pytest.raises(TransitionError):
        transition(agreed, "request_court_confirmation", by=lixia_mediator)
    with pytest.raises(TransitionError):
        review.review_apply(by=worker_demo, case=agreed, commission=commission("370102"))


def test_a_party_withdraws_its_application_for_review(
    agreed, worker_demo, employer_user, lixia_intake, client
):
    from django.urls import reverse

    with time_machine.travel("2026-03-04 10:00 +0800", tick=False):
        with pytest.raises(TransitionError):  # nothing to withdraw yet
            review.review_withdraw(by=worker_demo, case=agreed)
        review.review_apply(by=worker_demo, case=agreed, commission=commission("370102"))
        with pytest.raises(ValidationError):  # the employer's side has not applied
            review.review_withdraw(by=employer_user, case=agreed)
        found = review.review_apply(by=employer_user, case=agreed, commission=commission("370102"))
        client.force_login(worker_demo)
        response = client.post(reverse("mediation-portal:agreement-withdraw", args=[agreed.pk]))
        assert response.status_code == 302
    found.refresh_from_db()
    agreed.refresh_from_db()
    assert found.status == ReviewStatus.WITHDRAWN
    assert agreed.status == Status.AGREED
    with pytest.raises(PermissionDenied):  # the commission can no longer act on it
        review.review_accept(by=lixia_intake, review=found)


def test_an_unaccepted_application_past_its_15_days_shows_overdue(worker_demo, centre):
    from zhongcai.mediation.selectors import overdue

    with time_machine.travel(MONDAY, tick=False):
        case = apply_online(worker_demo, centre)
    assert overdue(case, date(2026, 3, 17)) == {"acceptance": True, "conclusion": False}
    assert overdue(case, date(2026, 3, 18)) == {"acceptance": True, "conclusion": True}
