"""The agreement panel and the review pages, through the browser's requests: who sees what,
POST only, errors on the page, downloads only for those who may see the case."""

import pytest
import time_machine
from django.urls import reverse

from zhongcai.mediation.models import Review, ReviewStatus, Status
from zhongcai.mediation.tests.test_agreement import ITEMS, be_mediator, fake_pdfs
from zhongcai.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def staff_url(name, *args):
    return reverse(f"mediation:{name}", args=args)


def party_url(name, *args):
    return reverse(f"mediation-portal:{name}", args=args)


def signing(case):
    """What the sign form posts: the tick and the digest of the text on the page."""
    case.refresh_from_db()
    return {"confirm_read": "on", "content_sha256": case.agreement.content_sha256}


def post(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data or {})


def test_the_agreement_is_drafted_signed_and_sealed_through_the_pages(
    client, mediating, lixia_mediator, worker_demo, employer_user
):
    case = be_mediator(mediating, lixia_mediator)
    client.force_login(lixia_mediator)
    page = client.get(staff_url("room-case", case.pk)).content.decode()
    assert staff_url("agreement-draft", case.pk) in page
    data = {"item_1": ITEMS[0]["description"], "amount_1": "11000"}
    response = post(client, lixia_mediator, staff_url("agreement-draft", case.pk), data)
    assert response.status_code == 302

    client.force_login(worker_demo)
    page = client.get(party_url("room-case", case.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert ITEMS[0]["description"] in body and 'name="confirm_read"' in body

    response = post(client, worker_demo, party_url("agreement-sign", case.pk))  # unticked
    assert response.status_code == 400
    assert case.agreement.signatures.count() == 0
    assert (
        post(client, worker_demo, party_url("agreement-sign", case.pk), signing(case)).status_code
        == 302
    )
    assert (
        post(client, employer_user, party_url("agreement-sign", case.pk), signing(case)).status_code
        == 302
    )
    assert (
        post(
            client, lixia_mediator, staff_url("agreement-sign", case.pk), signing(case)
        ).status_code
        == 302
    )
    with fake_pdfs():
        assert post(client, lixia_mediator, staff_url("agreement-seal", case.pk)).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.AGREED

    client.force_login(worker_demo)
    download = client.get(party_url("agreement-pdf", case.pk))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    page = client.get(party_url("room-case", case.pk)).content.decode()
    assert party_url("agreement-review", case.pk) in page  # the review application form


def test_gets_do_not_change_anything_and_strangers_get_404(
    client, mediating, lixia_mediator, licheng_mediator
):
    be_mediator(mediating, lixia_mediator)
    client.force_login(lixia_mediator)
    assert client.get(staff_url("agreement-draft", mediating.pk)).status_code == 405
    response = post(
        client, licheng_mediator, staff_url("agreement-draft", mediating.pk), {"item_1": "x"}
    )
    assert response.status_code == 404
    client.force_login(licheng_mediator)
    assert client.get(staff_url("agreement-pdf", mediating.pk)).status_code == 404
    client.logout()
    response = client.get(party_url("agreement-pdf", mediating.pk))
    assert response.status_code == 302  # to the login page


@pytest.fixture
def requested(mediating, lixia_mediator, worker_demo, employer_user):
    from zhongcai.mediation import review
    from zhongcai.mediation.tests.test_agreement import reach_agreement

    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        case = reach_agreement(
            mediating, mediator=lixia_mediator, applicant=worker_demo, respondent=employer_user
        )
    lixia = Organisation.objects.get(division_id="370102", type=Organisation.Type.COMMISSION)
    with time_machine.travel("2026-03-03 10:00 +0800", tick=False):
        review.review_apply(by=worker_demo, case=case, commission=lixia)
        return review.review_apply(by=employer_user, case=case, commission=lixia)


def test_the_commission_accepts_and_issues_and_the_parties_download(
    client, requested, lixia_intake, licheng_intake, worker_demo
):
    client.force_login(lixia_intake)
    queue = client.get(staff_url("agreement-reviews"))
    assert queue.status_code == 200
    assert requested.case.agreement.number in queue.content.decode()
    assert client.get(staff_url("agreement-review", requested.pk)).status_code == 200

    client.force_login(licheng_intake)
    assert client.get(staff_url("agreement-review", requested.pk)).status_code == 404
    assert (
        post(client, licheng_intake, staff_url("agreement-review-accept", requested.pk)).status_code
        == 404
    )

    response = post(client, lixia_intake, staff_url("agreement-review-refuse", requested.pk), {})
    assert Review.objects.get(pk=requested.pk).status == ReviewStatus.REQUESTED
    assert (
        post(client, lixia_intake, staff_url("agreement-review-accept", requested.pk)).status_code
        == 302
    )
    response = post(
        client,
        lixia_intake,
        staff_url("agreement-review-refuse", requested.pk),
        {"ground": "unclear"},
    )
    assert response.status_code == 400  # written reasons are required
    with fake_pdfs():
        response = post(client, lixia_intake, staff_url("agreement-review-issue", requested.pk))
    assert response.status_code == 302
    issued = Review.objects.get(pk=requested.pk)
    assert issued.status == ReviewStatus.ISSUED

    client.force_login(worker_demo)
    page = client.get(party_url("room-case", issued.case_id)).content.decode()
    assert issued.number in page
    download = client.get(party_url("agreement-issued", issued.case_id, issued.pk))
    assert download.status_code == 200


def test_a_party_applies_for_review_on_its_page(
    client, mediating, lixia_mediator, worker_demo, employer_user
):
    from zhongcai.mediation.tests.test_agreement import reach_agreement

    case = reach_agreement(
        mediating, mediator=lixia_mediator, applicant=worker_demo, respondent=employer_user
    )
    client.force_login(worker_demo)
    page = client.get(party_url("room-case", case.pk)).content.decode()
    assert 'name="commission"' in page
    lixia = Organisation.objects.get(division_id="370102", type=Organisation.Type.COMMISSION)
    response = post(
        client, worker_demo, party_url("agreement-review", case.pk), {"commission": lixia.pk}
    )
    assert response.status_code == 302
    assert Review.objects.get(case=case).status == ReviewStatus.AWAITING_PARTY
    response = post(
        client, employer_user, party_url("agreement-review", case.pk), {"commission": "x"}
    )
    assert response.status_code == 400
