"""The room's services: who may post what, caucus isolation, meetings, files, proposals."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhongcai.core.events import events_of
from zhongcai.mediation import room, services
from zhongcai.mediation.models import Audience, Proposal, Status
from zhongcai.mediation.workflow import TransitionError
from zhongcai.notifications.models import Notification

pytestmark = pytest.mark.django_db

SECRET = "底线是八千元，别告诉对方"


def pdf(name="证据.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


@pytest.fixture
def applicant(mediating):
    return mediating.parties.get(role="applicant")


@pytest.fixture
def respondent(mediating):
    return mediating.parties.get(role="respondent")


@pytest.fixture
def caucus(mediating, worker_demo, lixia_mediator, applicant):
    """The applicant's caucus: a message, a file and a meeting only it and the mediator see."""
    message = room.message_post(
        by=worker_demo, case=mediating, body=SECRET, audience=Audience.CAUCUS
    )
    shared = room.file_share(
        by=worker_demo,
        case=mediating,
        title="底线说明",
        kind="document",
        audience=Audience.CAUCUS,
        file=pdf(),
    )
    meeting = room.meeting_schedule(
        by=lixia_mediator,
        case=mediating,
        mode="phone",
        starts_at=timezone.now() + timedelta(days=1),
        minutes=30,
        audience=Audience.CAUCUS,
        party=applicant,
    )
    return {"message": message, "file": shared, "meeting": meeting}


def test_a_party_never_sees_the_other_partys_caucus(
    mediating, caucus, employer_user, worker_demo, lixia_mediator
):
    joint = room.message_post(
        by=lixia_mediator, case=mediating, body="大家好", audience=Audience.JOINT
    )
    assert list(room.visible_messages(employer_user, mediating)) == [joint]
    assert not room.visible_files(employer_user, mediating).exists()
    assert not room.visible_meetings(employer_user, mediating).exists()
    # The applicant and the mediator see it.
    assert caucus["message"] in room.visible_messages(worker_demo, mediating)
    assert caucus["file"] in room.visible_files(worker_demo, mediating)
    assert caucus["meeting"] in room.visible_meetings(worker_demo, mediating)
    assert set(room.visible_messages(lixia_mediator, mediating)) == {caucus["message"], joint}


def test_the_event_log_never_holds_what_was_said(mediating, caucus):
    payloads = [str(event.payload) for event in events_of(mediating)]
    assert not any(SECRET in payload for payload in payloads)
    posted = [e for e in events_of(mediating) if e.kind == "mediation.message_posted"]
    assert posted[-1].payload["audience"] == "caucus"


def test_a_caucus_message_notifies_nobody_on_the_other_side(
    mediating, employer_user, worker_demo, lixia_mediator, respondent
):
    room.message_post(
        by=lixia_mediator, case=mediating, body=SECRET, audience=Audience.CAUCUS, party=respondent
    )
    assert Notification.objects.filter(recipient=employer_user).count() == 1
    assert not Notification.objects.filter(recipient=worker_demo).exists()
    assert not Notification.objects.filter(body__contains=SECRET).exists()
    assert not Notification.objects.filter(title__contains=SECRET).exists()


def test_every_party_message_is_settlement_talk(mediating, employer_user):
    message = room.message_post(
        by=employer_user, case=mediating, body="可以谈", audience=Audience.JOINT
    )
    assert message.settlement_talk
    assert message.side == "respondent"


def test_others_see_nothing_and_may_not_post(mediating, licheng_mediator, lixia_intake, caucus):
    for user in (licheng_mediator, lixia_intake):
        assert not room.visible_messages(user, mediating).exists()
        assert not room.visible_proposals(user, mediating).exists()
    with pytest.raises(PermissionDenied):
        room.message_post(by=licheng_mediator, case=mediating, body="x", audience="joint")


def test_it_refuses_empty_and_overlong_messages(mediating, worker_demo):
    for body, code in (("  ", "empty"), ("字" * 5001, "too_long")):
        with pytest.raises(ValidationError) as exc:
            room.message_post(by=worker_demo, case=mediating, body=body, audience="joint")
        assert exc.value.error_dict["body"][0].code == code
    assert not mediating.messages.exists()


def test_staff_name_the_party_of_a_caucus(mediating, lixia_mediator):
    with pytest.raises(ValidationError) as exc:
        room.message_post(by=lixia_mediator, case=mediating, body="x", audience="caucus")
    assert "party" in exc.value.message_dict


def test_posting_in_a_failed_case_is_refused(mediating, lixia_mediator, worker_demo):
    services.mediation_fail(by=lixia_mediator, case=mediating, reason="双方分歧太大")
    with pytest.raises(TransitionError):
        room.message_post(by=worker_demo, case=mediating, body="还在吗", audience="joint")


def test_meetings_start_in_the_future_and_last_15_to_480_minutes(mediating, lixia_mediator):
    with pytest.raises(ValidationError) as exc:
        room.meeting_schedule(
            by=lixia_mediator,
            case=mediating,
            mode="video",
            starts_at=timezone.now() - timedelta(hours=1),
            minutes=5,
        )
    assert set(exc.value.message_dict) == {"starts_at", "minutes"}


def test_parties_may_not_schedule_and_a_cancelled_meeting_stays_cancelled(
    mediating, lixia_mediator, worker_demo
):
    start = timezone.now() + timedelta(days=2)
    with pytest.raises(PermissionDenied):
        room.meeting_schedule(
            by=worker_demo, case=mediating, mode="video", starts_at=start, minutes=60
        )
    meeting = room.meeting_schedule(
        by=lixia_mediator, case=mediating, mode="video", starts_at=start, minutes=60
    )
    room.meeting_cancel(by=lixia_mediator, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.cancelled_at is not None
    with pytest.raises(ValidationError):
        room.meeting_cancel(by=lixia_mediator, meeting=meeting)


def test_a_shared_file_keeps_its_digest(mediating, worker_demo):
    shared = room.file_share(
        by=worker_demo,
        case=mediating,
        title="工资条",
        kind="evidence",
        audience="joint",
        file=pdf(),
    )
    assert len(shared.sha256) == 64
    assert shared.side == "applicant"
    assert shared.content_type == "application/pdf"


def test_a_program_renamed_pdf_is_refused(mediating, worker_demo):
    with pytest.raises(ValidationError) as exc:
        room.file_share(
            by=worker_demo,
            case=mediating,
            title="x",
            kind="evidence",
            audience="joint",
            file=SimpleUploadedFile("x.pdf", b"MZ\x90\x00program"),
        )
    assert "file" in exc.value.message_dict
    assert not mediating.files.exists()


ITEMS = [{"description": "被申请人支付工资", "amount": "10000"}]


def test_proposal_accept_counter_accept(mediating, lixia_mediator, worker_demo, employer_user):
    first = room.proposal_make(by=lixia_mediator, case=mediating, items=ITEMS, note="")
    room.proposal_answer(by=worker_demo, proposal=first, answer="accept")
    first.refresh_from_db()
    assert first.status == Proposal.Status.OPEN  # the respondent has not answered
    counter = room.proposal_answer(
        by=employer_user,
        proposal=first,
        answer="counter",
        counter_items=[{"description": "被申请人支付工资", "amount": "8000"}],
    )
    first.refresh_from_db()
    assert first.status == Proposal.Status.COUNTERED
    assert counter.replaces == first
    assert counter.side == "respondent"
    assert counter.items[0]["amount"] == "8000.00"
    accepted = room.proposal_answer(by=worker_demo, proposal=counter, answer="accept")
    assert accepted.status == Proposal.Status.ACCEPTED
    assert mediating.proposals.filter(status="accepted").get() == counter


def test_a_mediators_proposal_needs_both_parties(
    mediating, lixia_mediator, worker_demo, employer_user
):
    proposal = room.proposal_make(by=lixia_mediator, case=mediating, items=ITEMS)
    room.proposal_answer(by=worker_demo, proposal=proposal, answer="accept")
    done = room.proposal_answer(by=employer_user, proposal=proposal, answer="accept")
    assert done.status == Proposal.Status.ACCEPTED


def test_a_party_cannot_answer_its_own_offer(mediating, worker_demo):
    offer = room.proposal_make(by=worker_demo, case=mediating, items=ITEMS)
    with pytest.raises(ValidationError) as exc:
        room.proposal_answer(by=worker_demo, proposal=offer, answer="accept")
    assert exc.value.error_dict["answer"][0].code == "own_proposal"


def test_answering_twice_is_refused(mediating, lixia_mediator, worker_demo):
    proposal = room.proposal_make(by=lixia_mediator, case=mediating, items=ITEMS)
    room.proposal_answer(by=worker_demo, proposal=proposal, answer="reject")
    with pytest.raises(ValidationError) as exc:
        room.proposal_answer(by=worker_demo, proposal=proposal, answer="accept")
    assert exc.value.error_dict["answer"][0].code == "answered"
    assert proposal.responses.count() == 1


def test_one_open_proposal_at_a_time(mediating, lixia_mediator, employer_user):
    first = room.proposal_make(by=lixia_mediator, case=mediating, items=ITEMS)
    with pytest.raises(ValidationError) as exc:
        room.proposal_make(by=employer_user, case=mediating, items=ITEMS)
    assert exc.value.error_dict["items"][0].code == "open_proposal"
    room.proposal_withdraw(by=lixia_mediator, proposal=first)
    second = room.proposal_make(by=employer_user, case=mediating, items=ITEMS)
    assert second.number == 2


def test_a_party_may_not_withdraw_the_mediators_proposal(mediating, lixia_mediator, worker_demo):
    proposal = room.proposal_make(by=lixia_mediator, case=mediating, items=ITEMS)
    with pytest.raises(PermissionDenied):
        room.proposal_withdraw(by=worker_demo, proposal=proposal)


def test_staff_may_not_answer_and_a_counter_needs_terms(mediating, lixia_mediator, worker_demo):
    proposal = room.proposal_make(by=lixia_mediator, case=mediating, items=ITEMS)
    with pytest.raises(PermissionDenied):
        room.proposal_answer(by=lixia_mediator, proposal=proposal, answer="accept")
    with pytest.raises(ValidationError) as exc:
        room.proposal_answer(by=worker_demo, proposal=proposal, answer="counter", counter_items=[])
    assert "counter_items" in exc.value.message_dict
    assert not proposal.responses.exists()


def test_proposals_only_while_mediating(mediating, lixia_mediator):
    services.mediation_fail(by=lixia_mediator, case=mediating, reason="不成")
    with pytest.raises(TransitionError):
        room.proposal_make(by=lixia_mediator, case=mediating, items=ITEMS)
    assert mediating.status == Status.MEDIATING  # the in-memory copy; the row moved
