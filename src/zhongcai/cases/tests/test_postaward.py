"""After the award (spec §12): per-party windows, taking effect, and court notices."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhongcai.cases import integrity, postaward, serving
from zhongcai.cases.deadlines import period
from zhongcai.cases.models import (
    CaseDeadline,
    CourtNotice,
    DocumentKind,
    Finality,
    Party,
    PostAward,
)
from zhongcai.cases.postaward import court_notice_move
from zhongcai.cases.tests import factories
from zhongcai.cases.workflow import TransitionError
from zhongcai.core.events import events_of

K = CourtNotice.Kind
FINAL = {1: "9000.00", 2: "26400.00"}
NON_FINAL = {1: "30000.00", 2: "30000.00"}
MIXED = {1: "9000.00", 2: "30000.00"}


def _case(amounts):
    from zhongcai.accounts.models import User

    users = [
        User.objects.get(username=name)
        for name in ("lixia_intake", "lixia_head", "lixia_clerk", "lixia_arbitrator")
    ]
    case = factories.heard(*users)
    made = factories.award_made(case, users[3], amounts=amounts)
    case.refresh_from_db()
    return case, made


def worker_of(case):
    return case.parties.get(role=Party.Role.APPLICANT)


def employer_of(case):
    return case.parties.get(role=Party.Role.RESPONDENT)


def _serve_in_person(clerk, case, made, party):
    serving.serve(
        by=clerk,
        case=case,
        document=made.document,
        parties=[party],
        method="in_person",
        signed_by_name=party.name,
    )


def _at(day):
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)


def windows(case):
    return CaseDeadline.objects.filter(case=case, code__in=postaward.WINDOW_CODES)


def _window(case, party, code):
    return CaseDeadline.objects.get(case=case, party=party, code=code)


def _pdf():
    return SimpleUploadedFile("court.pdf", b"%PDF-1.4 court ruling", content_type="application/pdf")


def _notice(by, case, kind, party=None, **changes):
    arguments = {
        "by": by,
        "case": case,
        "kind": kind,
        "party": party,
        "court_name": "济南市中级人民法院",
        "court_case_number": "（2026）鲁01民特1号",
        "court_date": timezone.localdate(),
        "file": _pdf(),
    }
    return postaward.court_notice_record(**(arguments | changes))


# --- Windows ----------------------------------------------------------------------------------


def test_award_served_opens_each_partys_windows_from_its_own_service_date(
    institutions, lixia_clerk
):
    case, made = _case(MIXED)
    assert made.finality == Finality.MIXED
    worker, employer = worker_of(case), employer_of(case)
    first, later = (
        timezone.localdate() + timedelta(days=1),
        timezone.localdate() + timedelta(days=4),
    )
    with _at(first):
        _serve_in_person(lixia_clerk, case, made, worker)
        (posted,) = serving.serve(
            by=lixia_clerk, case=case, document=made.document, parties=[employer], method="post"
        )
    assert not windows(case).filter(party=employer).exists()
    with _at(later):
        serving.service_record_delivery(
            by=lixia_clerk, case=case, record=posted, signed_by_name="赵建国"
        )
    expected = {
        (worker, "suit_final_award"): first,
        (worker, "suit_non_final_award"): first,
        (employer, "set_aside_final_award"): later,
        (employer, "suit_non_final_award"): later,
    }
    for (party, code), start in expected.items():
        window = _window(case, party, code)
        assert window.started_on == start
        assert window.due_on == period(code).due(start).due
    assert not CaseDeadline.objects.filter(case=case, party=worker, code="set_aside_final_award")
    assert _window(case, employer, "set_aside_final_award").due_on > later + timedelta(days=29)
    assert integrity.problems_of(case, list(events_of(case))) == []


def test_a_final_award_opens_the_workers_suit_and_the_employers_set_aside_window(
    institutions, lixia_clerk
):
    case, made = _case(FINAL)
    assert case.post_award == PostAward.EFFECTIVE
    for party in (worker_of(case), employer_of(case)):
        _serve_in_person(lixia_clerk, case, made, party)
    codes = set(windows(case).values_list("code", "party__kind"))
    assert codes == {("suit_final_award", "worker"), ("set_aside_final_award", "employer")}


def test_serving_the_award_again_does_not_move_a_window(institutions, lixia_clerk):
    case, made = _case(NON_FINAL)
    worker = worker_of(case)
    _serve_in_person(lixia_clerk, case, made, worker)
    with _at(timezone.localdate() + timedelta(days=3)):
        _serve_in_person(lixia_clerk, case, made, worker)
    assert windows(case).filter(party=worker).count() == 1


# --- Taking effect ------------------------------------------------------------------------------


def test_settle_pending_effects_flips_once_and_not_before_the_windows_elapse(
    institutions, lixia_clerk
):
    case, made = _case(NON_FINAL)
    assert case.post_award == PostAward.PENDING_EFFECT
    for party in (worker_of(case), employer_of(case)):
        _serve_in_person(lixia_clerk, case, made, party)
    last = max(windows(case).values_list("due_on", flat=True))
    assert postaward.settle_pending_effects(today=last) == 0
    case.refresh_from_db()
    assert case.post_award == PostAward.PENDING_EFFECT

    assert postaward.settle_pending_effects(today=last + timedelta(days=1)) == 1
    assert postaward.settle_pending_effects(today=last + timedelta(days=1)) == 0
    case.refresh_from_db()
    assert case.post_award == PostAward.EFFECTIVE
    took = events_of(case).filter(kind="case.award_took_effect")
    assert took.count() == 1
    assert took.get().actor is None
    assert not CaseDeadline.objects.filter(
        case=case, code__in=postaward.WINDOW_CODES, state=CaseDeadline.State.OPEN
    ).exists()
    assert integrity.problems_of(case, list(events_of(case))) == []


def test_an_award_not_served_on_every_party_does_not_take_effect(institutions, lixia_clerk):
    case, made = _case(NON_FINAL)
    _serve_in_person(lixia_clerk, case, made, worker_of(case))
    assert postaward.settle_pending_effects(today=timezone.localdate() + timedelta(days=400)) == 0


def test_two_workers_claiming_the_same_case_fire_once(institutions, lixia_clerk):
    case, _made = _case(NON_FINAL)
    due = timezone.localdate()
    assert postaward._settle_one(case.pk, due) is True
    assert postaward._settle_one(case.pk, due) is False
    assert events_of(case).filter(kind="case.award_took_effect").count() == 1


def test_a_suit_stops_the_award_taking_effect(institutions, lixia_clerk):
    case, made = _case(NON_FINAL)
    for party in (worker_of(case), employer_of(case)):
        _serve_in_person(lixia_clerk, case, made, party)
    _notice(lixia_clerk, case, K.SUIT_FILED, employer_of(case), court_name="历下区人民法院")
    assert postaward.settle_pending_effects(today=timezone.localdate() + timedelta(days=60)) == 0
    case.refresh_from_db()
    assert case.post_award == PostAward.IN_LITIGATION


# --- Court notices ------------------------------------------------------------------------------


def test_a_suit_against_a_non_final_award_puts_it_in_litigation(institutions, lixia_clerk):
    case, made = _case(NON_FINAL)
    employer = employer_of(case)
    _serve_in_person(lixia_clerk, case, made, employer)
    notice = _notice(lixia_clerk, case, K.SUIT_FILED, employer, court_name="历下区人民法院")
    case.refresh_from_db()
    assert case.post_award == PostAward.IN_LITIGATION
    assert (notice.post_award_before, notice.post_award_after) == (
        PostAward.PENDING_EFFECT,
        PostAward.IN_LITIGATION,
    )
    assert notice.document.kind == DocumentKind.COURT_DOCUMENT
    assert notice.document.file and notice.document.sha256
    window = _window(case, employer, "suit_non_final_award")
    assert (window.state, window.met_late) == (CaseDeadline.State.MET, False)
    event = events_of(case).last()
    assert event.kind == "case.court_notice_recorded"
    assert event.payload["post_award_after"] == PostAward.IN_LITIGATION
    assert integrity.problems_of(case, list(events_of(case))) == []

    with pytest.raises(TransitionError):
        _notice(lixia_clerk, case, K.ENFORCEMENT_FILED)
    _notice(lixia_clerk, case, K.SUIT_ENDED)
    _notice(lixia_clerk, case, K.ENFORCEMENT_FILED, worker_of(case))
    case.refresh_from_db()
    assert case.post_award == PostAward.IN_ENFORCEMENT


def test_a_mixed_award_sued_is_treated_as_non_final_as_a_whole(institutions, lixia_clerk):
    case, _made = _case(MIXED)
    _notice(lixia_clerk, case, K.SUIT_FILED, worker_of(case))
    assert events_of(case).last().payload["treated_as_non_final"] is True


def test_the_employer_applies_to_set_aside_a_final_award_and_cannot_sue(institutions, lixia_clerk):
    case, _made = _case(FINAL)
    employer = employer_of(case)
    with pytest.raises(ValidationError) as refused:
        _notice(lixia_clerk, case, K.SUIT_FILED, employer)
    assert "party" in refused.value.message_dict
    with pytest.raises(ValidationError):
        _notice(lixia_clerk, case, K.SET_ASIDE_APPLIED, worker_of(case))

    _notice(lixia_clerk, case, K.SET_ASIDE_APPLIED, employer)
    case.refresh_from_db()
    assert case.post_award == PostAward.SET_ASIDE_PENDING
    _notice(lixia_clerk, case, K.SET_ASIDE_REFUSED)
    case.refresh_from_db()
    assert case.post_award == PostAward.EFFECTIVE

    _notice(lixia_clerk, case, K.SET_ASIDE_APPLIED, employer)
    _notice(lixia_clerk, case, K.SET_ASIDE_GRANTED)
    case.refresh_from_db()
    assert case.post_award == PostAward.SET_ASIDE
    assert CourtNotice.objects.filter(case=case).count() == 4


def test_a_non_final_award_cannot_be_set_aside(institutions, lixia_clerk):
    case, _made = _case(NON_FINAL)
    with pytest.raises(TransitionError):
        _notice(lixia_clerk, case, K.SET_ASIDE_APPLIED, employer_of(case))
    assert not CourtNotice.objects.filter(case=case).exists()


def test_a_court_notice_needs_the_courts_document(institutions, lixia_clerk):
    case, _made = _case(FINAL)
    with pytest.raises(ValidationError) as refused:
        _notice(lixia_clerk, case, K.ENFORCEMENT_FILED, file=None, court_name="")
    assert set(refused.value.message_dict) == {"file", "court_name"}
    assert not CourtNotice.objects.filter(case=case).exists()


def test_an_arbitrator_does_not_record_court_notices(institutions, lixia_arbitrator):
    case, _made = _case(FINAL)
    with pytest.raises(PermissionDenied):
        _notice(lixia_arbitrator, case, K.ENFORCEMENT_FILED)


def test_court_notices_are_recorded_after_archiving(institutions, lixia_head, lixia_clerk):
    archive = pytest.importorskip("zhongcai.cases.archive")
    case, _made = _case(FINAL)
    archive.closing_approve(by=lixia_head, case=case)
    archive.case_archive(by=lixia_clerk, case=case)
    case.refresh_from_db()
    _notice(lixia_clerk, case, K.ENFORCEMENT_FILED, worker_of(case))
    case.refresh_from_db()
    assert (case.status, case.post_award) == ("archived", PostAward.IN_ENFORCEMENT)
    assert integrity.problems_of(case, list(events_of(case))) == []


@pytest.mark.parametrize(
    ("state", "kind", "finality", "party_kind"),
    [
        (PostAward.PENDING_EFFECT, K.SUIT_ENDED, Finality.NON_FINAL, None),
        (PostAward.EFFECTIVE, K.SET_ASIDE_GRANTED, Finality.FINAL, None),
        (PostAward.IN_LITIGATION, K.SET_ASIDE_APPLIED, Finality.FINAL, "employer"),
        (PostAward.SET_ASIDE, K.ENFORCEMENT_FILED, Finality.FINAL, None),
        (PostAward.EFFECTIVE, K.ENFORCEMENT_REFUSED, Finality.FINAL, None),
        (PostAward.SET_ASIDE_PENDING, K.SUIT_FILED, Finality.FINAL, "employer"),
    ],
)
def test_a_notice_that_makes_no_sense_now_is_refused(state, kind, finality, party_kind):
    with pytest.raises(postaward.NoticeRefused):
        court_notice_move(state, kind, finality=finality, party_kind=party_kind)


def test_a_refused_set_aside_returns_to_enforcement_if_it_interrupted_it():
    move = court_notice_move(
        PostAward.SET_ASIDE_PENDING,
        K.SET_ASIDE_REFUSED,
        finality=Finality.FINAL,
        party_kind=None,
        before_set_aside=PostAward.IN_ENFORCEMENT,
    )
    assert move.after == PostAward.IN_ENFORCEMENT


def test_after_enforcement_is_refused_the_employer_may_sue_a_final_award():
    move = court_notice_move(
        PostAward.EFFECTIVE,
        K.SUIT_FILED,
        finality=Finality.FINAL,
        party_kind="employer",
        enforcement_refused=True,
    )
    assert move.after == PostAward.IN_LITIGATION
