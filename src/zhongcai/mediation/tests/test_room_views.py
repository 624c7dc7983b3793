"""The case pages and the room on the web: who sees which page and which item."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhongcai.mediation import room
from zhongcai.mediation.models import Audience, Proposal, Status
from zhongcai.mediation.tests.conftest import apply_online

pytestmark = pytest.mark.django_db

SECRET = "申请人的底线是八千元"


def staff_url(case, name="room-case", *args):
    return reverse(f"mediation:{name}", args=[case.pk, *args])


def party_url(case, name="room-case", *args):
    return reverse(f"mediation-portal:{name}", args=[case.pk, *args])


@pytest.fixture
def caucus(mediating, worker_demo, lixia_mediator):
    applicant = mediating.parties.get(role="applicant")
    shared = room.file_share(
        by=worker_demo,
        case=mediating,
        title="底线说明书",
        kind="document",
        audience=Audience.CAUCUS,
        file=SimpleUploadedFile("底线.pdf", b"%PDF-1.4 secret"),
    )
    room.message_post(by=worker_demo, case=mediating, body=SECRET, audience=Audience.CAUCUS)
    meeting = room.meeting_schedule(
        by=lixia_mediator,
        case=mediating,
        mode="phone",
        starts_at=timezone.now() + timedelta(days=1),
        minutes=30,
        place="单独通话专线",
        audience=Audience.CAUCUS,
        party=applicant,
    )
    return {"file": shared, "meeting": meeting}


def test_the_respondent_never_sees_the_applicants_caucus(mediating, caucus, employer_user, login):
    client = login(employer_user)
    page = client.get(party_url(mediating))
    assert page.status_code == 200
    html = page.content.decode()
    for hidden in (SECRET, "底线说明书", "单独通话专线"):
        assert hidden not in html
    # Guessing the file's address finds nothing.
    assert client.get(party_url(mediating, "room-file", caucus["file"].pk)).status_code == 404


def test_the_applicant_and_the_mediator_see_it(
    mediating, caucus, worker_demo, lixia_mediator, login, client
):
    html = login(worker_demo).get(party_url(mediating)).content.decode()
    assert SECRET in html and "底线说明书" in html and "单独通话专线" in html
    download = client.get(party_url(mediating, "room-file", caucus["file"].pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 secret"
    client.logout()
    html = login(lixia_mediator).get(staff_url(mediating)).content.decode()
    assert SECRET in html
    assert client.get(staff_url(mediating, "room-file", caucus["file"].pk)).status_code == 200


def test_the_page_says_once_that_settlement_talk_is_not_held_against_the_party(
    mediating, worker_demo, login
):
    html = login(worker_demo).get(party_url(mediating)).content.decode()
    assert html.count('id="settlement-talk"') == 1


def test_a_mediator_of_another_organisation_gets_404_and_cannot_post(
    mediating, licheng_mediator, login
):
    client = login(licheng_mediator)
    assert client.get(staff_url(mediating)).status_code == 404
    answer = client.post(staff_url(mediating, "room-messages"), {"body": "x", "audience": "joint"})
    assert answer.status_code == 404
    assert not mediating.messages.exists()


def test_a_stranger_gets_404_on_the_party_page(mediating, employer_demo, login):
    client = login(employer_demo)
    assert client.get(party_url(mediating)).status_code == 404
    assert client.post(party_url(mediating, "room-messages"), {"body": "x"}).status_code == 404


def test_staff_get_404_on_the_party_page_and_the_public_403_on_staff_pages(
    mediating, lixia_mediator, worker_demo, login, client
):
    assert login(lixia_mediator).get(party_url(mediating)).status_code == 404
    client.logout()
    assert login(worker_demo).get(staff_url(mediating)).status_code == 403


def test_anonymous_users_are_sent_to_log_in(mediating, client):
    for url in (staff_url(mediating), party_url(mediating), reverse("mediation-portal:room-list")):
        assert client.get(url).status_code == 302


def test_a_party_posts_a_message_and_is_sent_back(mediating, worker_demo, login):
    client = login(worker_demo)
    answer = client.post(
        party_url(mediating, "room-messages"), {"body": "我同意调解", "audience": "joint"}
    )
    assert answer.status_code == 302
    assert answer["Location"].startswith(party_url(mediating))
    assert mediating.messages.get().side == "applicant"


def test_accepting_without_consent_shows_an_error(worker_demo, lixia_mediator, centre, login):
    case = apply_online(worker_demo, centre)
    answer = login(lixia_mediator).post(staff_url(case, "room-accept"), {})
    assert answer.status_code == 400
    assert 'aria-invalid="true"' in answer.content.decode()
    case.refresh_from_db()
    assert case.status == Status.APPLIED


def test_accepting_with_consent_moves_the_case(worker_demo, lixia_mediator, centre, login):
    case = apply_online(worker_demo, centre)
    answer = login(lixia_mediator).post(
        staff_url(case, "room-accept"), {"respondent_consent": "on"}
    )
    assert answer.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


def test_a_malformed_upload_is_refused_on_the_page(mediating, worker_demo, login):
    answer = login(worker_demo).post(
        party_url(mediating, "room-files"),
        {
            "title": "合同",
            "kind": "evidence",
            "audience": "joint",
            "file": SimpleUploadedFile("合同.pdf", b"MZ\x90\x00not a pdf"),
        },
    )
    assert answer.status_code == 400
    assert "“合同.pdf”是程序，不是文档，不能上传。" in answer.content.decode()
    assert not mediating.files.exists()


def test_posting_in_a_failed_case_is_refused_with_a_message(
    mediating, lixia_mediator, worker_demo, login
):
    from zhongcai.mediation import services

    services.mediation_fail(by=lixia_mediator, case=mediating, reason="分歧太大")
    client = login(worker_demo)
    answer = client.post(party_url(mediating, "room-messages"), {"body": "x", "audience": "joint"})
    assert answer.status_code == 302
    assert not mediating.messages.exists()


def test_proposals_on_the_web_accept_counter_accept(
    mediating, lixia_mediator, worker_demo, employer_user, login, client
):
    login(lixia_mediator).post(
        staff_url(mediating, "room-proposals"), {"item_1": "支付工资", "amount_1": "10000"}
    )
    first = mediating.proposals.get()
    client.logout()
    login(worker_demo).post(
        party_url(mediating, "room-proposals-answer", first.pk), {"answer": "accept"}
    )
    client.logout()
    login(employer_user).post(
        party_url(mediating, "room-proposals-answer", first.pk),
        {"answer": "counter", "item_1": "支付工资", "amount_1": "8000"},
    )
    counter = mediating.proposals.get(status=Proposal.Status.OPEN)
    # Its own offer: no answer form for the respondent.
    html = client.get(party_url(mediating)).content.decode()
    assert (
        reverse("mediation-portal:room-proposals-answer", args=[mediating.pk, counter.pk])
        not in html
    )
    client.logout()
    login(worker_demo).post(
        party_url(mediating, "room-proposals-answer", counter.pk), {"answer": "accept"}
    )
    counter.refresh_from_db()
    assert counter.status == Proposal.Status.ACCEPTED


def test_the_queue_lists_the_organisations_cases_and_marks_overdue_acceptance(
    worker_demo, lixia_mediator, licheng_mediator, centre, login, client
):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        case = apply_online(worker_demo, centre)
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        page = login(lixia_mediator).get(reverse("mediation:room-queue"), {"status": "applied"})
        assert page.status_code == 200
        assert staff_url(case) in page.content.decode()
        assert 'class="is-overdue"' in page.content.decode()
        client.logout()
        other = login(licheng_mediator).get(reverse("mediation:room-queue"))
        assert staff_url(case) not in other.content.decode()


def test_my_list_shows_the_partys_cases(mediating, worker_demo, employer_user, login, client):
    assert (
        party_url(mediating)
        in login(worker_demo).get(reverse("mediation-portal:room-list")).content.decode()
    )
    client.logout()
    assert (
        party_url(mediating)
        in login(employer_user).get(reverse("mediation-portal:room-list")).content.decode()
    )


def test_staff_schedule_and_cancel_a_meeting_on_the_page(mediating, lixia_mediator, login):
    client = login(lixia_mediator)
    start = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    answer = client.post(
        staff_url(mediating, "room-meetings"),
        {"mode": "video", "starts_at": start, "minutes": "60", "audience": "joint"},
    )
    assert answer.status_code == 302
    meeting = mediating.meetings.get()
    answer = client.post(staff_url(mediating, "room-meetings-cancel", meeting.pk))
    assert answer.status_code == 302
    meeting.refresh_from_db()
    assert meeting.cancelled_at is not None


def test_a_meeting_in_the_past_is_refused_on_the_page(mediating, lixia_mediator, login):
    start = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    answer = login(lixia_mediator).post(
        staff_url(mediating, "room-meetings"),
        {"mode": "video", "starts_at": start, "minutes": "60", "audience": "joint"},
    )
    assert answer.status_code == 400
    assert 'id="meeting-starts_at-error"' in answer.content.decode()
    assert not mediating.meetings.exists()


def test_a_proposal_tells_the_parties_and_a_party_withdraws_its_own(
    mediating, worker_demo, employer_user, lixia_mediator, login
):
    from zhongcai.notifications.models import Notification

    client = login(worker_demo)
    client.post(party_url(mediating, "room-proposals"), {"item_1": "支付工资", "amount_1": "12000"})
    offer = mediating.proposals.get()
    assert Notification.objects.filter(recipient=employer_user).exists()
    assert not Notification.objects.filter(recipient=worker_demo).exists()
    assert client.post(party_url(mediating, "room-proposals-withdraw", offer.pk)).status_code == 302
    offer.refresh_from_db()
    assert offer.status == Proposal.Status.WITHDRAWN


def test_the_queue_needs_a_fixed_number_of_queries(
    worker_demo, lixia_mediator, centre, login, django_assert_max_num_queries
):
    for _ in range(3):
        apply_online(worker_demo, centre)
    client = login(lixia_mediator)
    client.get(reverse("mediation:room-queue"))  # warm the session and the navigation
    with django_assert_max_num_queries(12):
        assert client.get(reverse("mediation:room-queue")).status_code == 200


def test_extend_needs_both_consents_and_fail_records_the_reason(mediating, lixia_mediator, login):
    client = login(lixia_mediator)
    answer = client.post(
        staff_url(mediating, "room-extend"), {"days": "10", "consent_applicant": "on"}
    )
    assert answer.status_code == 400
    mediating.refresh_from_db()
    assert mediating.extended_at is None
    answer = client.post(staff_url(mediating, "room-fail"), {"reason": "双方差距过大"})
    assert answer.status_code == 302
    mediating.refresh_from_db()
    assert (mediating.status, mediating.failure_reason) == (Status.FAILED, "双方差距过大")
    # Once failed the room takes nothing more, and the page offers no form for it.
    html = client.get(staff_url(mediating)).content.decode()
    assert staff_url(mediating, "room-messages") not in html


def test_decline_needs_a_reason(worker_demo, lixia_mediator, centre, login):
    case = apply_online(worker_demo, centre)
    answer = login(lixia_mediator).post(staff_url(case, "room-decline"), {"reason": ""})
    assert answer.status_code == 400
    case.refresh_from_db()
    assert case.status == Status.APPLIED
