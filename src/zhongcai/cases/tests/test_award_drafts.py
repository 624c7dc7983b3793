"""The award as a draft: written by the tribunal, reviewed, issued (issue 5 point 3)."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from zhongcai.accounts.models import User
from zhongcai.cases import award, award_drafts, integrity
from zhongcai.cases.award_drafts import StaleDraft
from zhongcai.cases.models import Award, AwardDraft, Case, MinimumWage, Party, Status
from zhongcai.cases.tests import factories
from zhongcai.cases.workflow import TransitionError, available_actions
from zhongcai.core.events import events_of
from zhongcai.documents.markup import Block, plain_text

FACTS = {
    "facts": "申请人在被申请人处工作，被申请人拖欠工资。",
    "reasoning": "被申请人应当支付。",
    "legal_basis": "《中华人民共和国劳动合同法》第三十条",
}
State = AwardDraft.State


@pytest.fixture
def lixia_arbitrator2(institutions):
    return User.objects.get(username="lixia_arbitrator2")


@pytest.fixture
def lixia_arbitrator3(institutions):
    return User.objects.get(username="lixia_arbitrator3")


@pytest.fixture
def case(institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator):
    factories.award_wage()
    case = factories.heard(lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator)
    award.mediation_attempt_record(by=lixia_arbitrator, case=case, outcome="failed")
    return case


@pytest.fixture
def three(institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator):
    """A three-member tribunal: lixia_arbitrator presides, 2 and 3 sit with him."""
    factories.award_wage()
    case = factories.accepted(lixia_intake, lixia_head)
    case = factories.tribunal_formed(
        case,
        lixia_head,
        arbitrator_users=["lixia_arbitrator", "lixia_arbitrator2", "lixia_arbitrator3"],
    )
    case = factories.in_defence_period(case, lixia_clerk)
    case = factories.hearing_scheduled(case, lixia_clerk)
    case = factories.in_hearing(case, lixia_arbitrator)
    case = factories.in_deliberation(case, lixia_arbitrator)
    award.mediation_attempt_record(by=lixia_arbitrator, case=case, outcome="failed")
    return case


def save(user, case, *, version=0, kind="full", amounts=None, **more):
    amounts = {1: "9000.00", 2: "30000.00"} if amounts is None else amounts
    content = {**FACTS, **more}
    return award_drafts.award_draft_save(
        by=user,
        case=case,
        kind=kind,
        version=version,
        items=more.pop("items", None) or factories.award_items(case, amounts),
        **{k: v for k, v in content.items() if k != "items"},
    )


def submitted(user, case, **more):
    draft = save(user, case, **more)
    return award_drafts.award_draft_submit(by=user, case=case, draft=draft, version=draft.version)


def approved(author, reviewer, case, **more):
    draft = submitted(author, case, **more)
    return award_drafts.award_draft_review(
        by=reviewer, case=case, draft=draft, version=draft.version, approve=True
    )


def kinds_of_events(case):
    return [e.kind for e in events_of(case)]


def _consistent(case):
    case.refresh_from_db()
    return integrity.problems_of(case, list(events_of(case))) == []


# --- The way through ----------------------------------------------------------------------------


def test_the_tribunal_drafts_the_head_approves_and_the_approved_text_is_issued(
    case, lixia_arbitrator, lixia_head
):
    draft = save(lixia_arbitrator, case)
    assert (draft.state, draft.version) == (State.DRAFT, 1)
    assert draft.items[0]["claim"] == case.claims.get(number=1).pk
    assert draft.items[0]["amount"] == "9000.00"
    draft = award_drafts.award_draft_submit(by=lixia_arbitrator, case=case, draft=draft, version=1)
    assert draft.state == State.SUBMITTED and draft.submitted_by == lixia_arbitrator
    draft = award_drafts.award_draft_review(
        by=lixia_head, case=case, draft=draft, version=1, approve=True, note="同意"
    )
    assert (draft.state, draft.reviewed_by) == (State.APPROVED, lixia_head)
    preview = award_drafts.draft_preview(draft)
    assert preview[0] == Block("note", "样稿（未签发）")

    made = award_drafts.award_draft_issue(by=lixia_arbitrator, case=case, draft=draft, version=1)

    case.refresh_from_db()
    draft.refresh_from_db()
    assert case.status == Status.CLOSED_AWARD
    assert (draft.state, draft.award) == (State.ISSUED, made)
    assert made.kind == Award.Kind.FULL and made.finality == "mixed"
    assert kinds_of_events(case)[-5:] == [
        "case.award_draft_saved",
        "case.award_draft_submitted",
        "case.award_draft_reviewed",
        "case.award_draft_issued",
        "case.awarded",
    ]
    issued = [Block.from_json(b) for b in made.document.rendition.content]
    # What was previewed is what was issued, but for the mark of the sample.
    assert plain_text(issued) == plain_text(preview[1:])
    assert _consistent(case)


def test_an_incomplete_draft_is_kept_but_not_submitted(case, lixia_arbitrator):
    claim = case.claims.get(number=1)
    draft = save(
        lixia_arbitrator,
        case,
        items=[{"claim": claim.pk, "outcome": "", "ruling": "", "amount": None}],
        facts="",
    )
    assert draft.items[0]["outcome"] == ""
    with pytest.raises(ValidationError) as refused:
        award_drafts.award_draft_submit(by=lixia_arbitrator, case=case, draft=draft, version=1)
    assert "items" in refused.value.message_dict
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    assert kinds_of_events(case)[-1] == "case.award_draft_saved"


def test_what_a_draft_says_must_be_right_even_when_incomplete(
    case, lixia_arbitrator, lixia_intake, lixia_head
):
    other = factories.accepted(lixia_intake, lixia_head)
    items = [{"claim": other.claims.first().pk, "outcome": "granted", "amount": "-1"}]
    with pytest.raises(ValidationError) as refused:
        save(lixia_arbitrator, case, items=items)
    assert len(refused.value.message_dict["items"]) == 2
    assert not AwardDraft.objects.filter(case=case).exists()


def test_a_sole_tribunals_draft_has_no_dissent(case, lixia_arbitrator):
    with pytest.raises(ValidationError, match=r"dissent|异议|不同意见|独任"):
        save(lixia_arbitrator, case, dissent="我不同意。")


# --- Two at once ------------------------------------------------------------------------------


def test_a_save_on_a_stale_version_is_refused_and_the_other_save_stands(
    three, lixia_arbitrator, lixia_arbitrator2, lixia_arbitrator3
):
    first = save(lixia_arbitrator2, three)
    # Both open version 1; the one saves, the other's save comes second.
    save(lixia_arbitrator3, three, version=1, facts="第三名仲裁员写的事实。")
    with pytest.raises(StaleDraft, match="2"):
        save(lixia_arbitrator2, three, version=first.version, facts="第二名仲裁员写的事实。")
    first.refresh_from_db()
    assert (first.version, first.facts, first.updated_by) == (
        2,
        "第三名仲裁员写的事实。",
        lixia_arbitrator3,
    )


def test_a_second_new_draft_of_the_same_kind_is_stale(case, lixia_arbitrator):
    save(lixia_arbitrator, case)
    with pytest.raises(StaleDraft):
        save(lixia_arbitrator, case, version=0)
    assert AwardDraft.objects.filter(case=case).count() == 1


def test_a_review_or_issue_of_an_older_version_is_refused(case, lixia_arbitrator, lixia_head):
    draft = submitted(lixia_arbitrator, case)
    with pytest.raises(StaleDraft):
        award_drafts.award_draft_review(
            by=lixia_head, case=case, draft=draft, version=draft.version - 1, approve=True
        )
    draft = award_drafts.award_draft_review(
        by=lixia_head, case=case, draft=draft, version=draft.version, approve=True
    )
    with pytest.raises(StaleDraft):
        award_drafts.award_draft_issue(
            by=lixia_arbitrator, case=case, draft=draft, version=draft.version + 1
        )
    assert not Award.objects.filter(case=case).exists()


# --- Who ----------------------------------------------------------------------------------------


def test_a_clerk_cannot_draft_or_issue(case, lixia_clerk, lixia_arbitrator, lixia_head):
    with pytest.raises(PermissionDenied):
        save(lixia_clerk, case)
    draft = approved(lixia_arbitrator, lixia_head, case)
    with pytest.raises(PermissionDenied):
        award_drafts.award_draft_issue(by=lixia_clerk, case=case, draft=draft, version=1)


def test_an_arbitrator_off_the_tribunal_cannot_draft(case, lixia_arbitrator2):
    with pytest.raises(PermissionDenied):
        save(lixia_arbitrator2, case)


def test_a_sole_arbitrator_does_not_review_his_own_draft(case, lixia_arbitrator):
    draft = submitted(lixia_arbitrator, case)
    assert "review_award_draft" not in available_actions(lixia_arbitrator, case)
    with pytest.raises(PermissionDenied):
        award_drafts.award_draft_review(
            by=lixia_arbitrator, case=case, draft=draft, version=1, approve=True
        )


def test_the_presiding_arbitrator_reviews_what_another_member_submitted(
    three, lixia_arbitrator, lixia_arbitrator2, lixia_arbitrator3
):
    draft = submitted(lixia_arbitrator2, three)
    with pytest.raises(PermissionDenied):  # a member who does not preside
        award_drafts.award_draft_review(
            by=lixia_arbitrator3, case=three, draft=draft, version=1, approve=True
        )
    draft = award_drafts.award_draft_review(
        by=lixia_arbitrator, case=three, draft=draft, version=1, approve=True
    )
    assert draft.state == State.APPROVED


def test_the_presiding_arbitrator_does_not_approve_what_he_submitted(
    three, lixia_arbitrator, lixia_head
):
    draft = submitted(lixia_arbitrator, three)
    with pytest.raises(PermissionDenied):
        award_drafts.award_draft_review(
            by=lixia_arbitrator, case=three, draft=draft, version=1, approve=True
        )
    draft = award_drafts.award_draft_review(
        by=lixia_head, case=three, draft=draft, version=1, approve=True
    )
    assert draft.state == State.APPROVED


# --- States -------------------------------------------------------------------------------------


def test_a_returned_draft_needs_a_note_cannot_be_issued_and_goes_round_again(
    case, lixia_arbitrator, lixia_head
):
    draft = submitted(lixia_arbitrator, case)
    with pytest.raises(ValidationError):
        award_drafts.award_draft_review(
            by=lixia_head, case=case, draft=draft, version=1, approve=False
        )
    draft = award_drafts.award_draft_review(
        by=lixia_head, case=case, draft=draft, version=1, approve=False, note="补充证据分析。"
    )
    assert (draft.state, draft.review_note) == (State.RETURNED, "补充证据分析。")
    with pytest.raises(TransitionError):
        award_drafts.award_draft_issue(by=lixia_arbitrator, case=case, draft=draft, version=1)
    draft = save(lixia_arbitrator, case, version=1, facts="补充后的事实。")
    assert (draft.state, draft.version, draft.review_note) == (State.DRAFT, 2, "补充证据分析。")
    draft = award_drafts.award_draft_submit(by=lixia_arbitrator, case=case, draft=draft, version=2)
    assert draft.state == State.SUBMITTED


def test_an_unapproved_draft_is_not_issued(case, lixia_arbitrator, lixia_head):
    draft = save(lixia_arbitrator, case)
    with pytest.raises(TransitionError):
        award_drafts.award_draft_issue(by=lixia_arbitrator, case=case, draft=draft, version=1)
    draft = award_drafts.award_draft_submit(by=lixia_arbitrator, case=case, draft=draft, version=1)
    with pytest.raises(TransitionError):
        award_drafts.award_draft_issue(by=lixia_arbitrator, case=case, draft=draft, version=1)
    with pytest.raises(TransitionError):  # submitted twice
        award_drafts.award_draft_submit(by=lixia_arbitrator, case=case, draft=draft, version=1)
    assert not Award.objects.filter(case=case).exists()


def test_a_change_after_approval_sends_the_draft_back_to_review(case, lixia_arbitrator, lixia_head):
    draft = approved(lixia_arbitrator, lixia_head, case)
    draft = save(lixia_arbitrator, case, version=draft.version, reasoning="改过的理由。")
    assert (draft.state, draft.reviewed_by, draft.version) == (State.DRAFT, None, 2)
    assert events_of(case).last().payload["review_restarted"] is True
    with pytest.raises(TransitionError):
        award_drafts.award_draft_issue(by=lixia_arbitrator, case=case, draft=draft, version=2)


def test_a_draft_is_written_only_while_its_award_may_be_made(
    institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator
):
    factories.award_wage()
    case = factories.accepted(lixia_intake, lixia_head)
    case = factories.tribunal_formed(case, lixia_head)
    case = factories.in_defence_period(case, lixia_clerk)
    case = factories.hearing_scheduled(case, lixia_clerk)
    case = factories.in_hearing(case, lixia_arbitrator)
    with pytest.raises(TransitionError):  # the award is made in deliberation
        save(lixia_arbitrator, case)
    draft = save(lixia_arbitrator, case, kind="partial", amounts={1: "9000.00"})
    assert draft.kind == Award.Kind.PARTIAL


def test_an_issue_the_award_step_refuses_changes_nothing(case, lixia_arbitrator, lixia_head):
    draft = approved(lixia_arbitrator, lixia_head, case)
    MinimumWage.objects.all().delete()
    events = events_of(case).count()
    with pytest.raises(TransitionError):
        award_drafts.award_draft_issue(by=lixia_arbitrator, case=case, draft=draft, version=1)
    draft.refresh_from_db()
    assert draft.state == State.APPROVED
    assert events_of(case).count() == events
    assert not Award.objects.filter(case=case).exists()


# --- The other kinds ----------------------------------------------------------------------------


def test_a_partial_award_and_then_the_award_through_drafts(case, lixia_arbitrator, lixia_head):
    partial = approved(lixia_arbitrator, lixia_head, case, kind="partial", amounts={1: "9000.00"})
    made = award_drafts.award_draft_issue(by=lixia_arbitrator, case=case, draft=partial, version=1)
    assert made.kind == Award.Kind.PARTIAL
    case.refresh_from_db()
    assert case.status == Status.DELIBERATION
    # The award rules on what is left; a new draft of its kind.
    draft = approved(lixia_arbitrator, lixia_head, case, amounts={2: "9000.00"})
    final = award_drafts.award_draft_issue(by=lixia_arbitrator, case=case, draft=draft, version=1)
    assert final.kind == Award.Kind.FULL
    assert AwardDraft.objects.filter(case=case, state=State.ISSUED).count() == 2
    assert _consistent(case)


def test_advance_execution_through_a_draft(case, lixia_arbitrator, lixia_head):
    worker = case.parties.get(role=Party.Role.APPLICANT)
    draft = save(
        lixia_arbitrator,
        case,
        kind="advance_execution",
        amounts={1: "6000.00"},
        facts="",
        reasoning="事实清楚，申请人生活困难。",
        legal_basis="",
        applicant=worker,
    )
    assert draft.applicant == worker
    sections, body = award_drafts.draft_sections(draft)
    assert "先予执行的理由：" in body and sections["rights"]
    draft = award_drafts.award_draft_submit(by=lixia_arbitrator, case=case, draft=draft, version=1)
    draft = award_drafts.award_draft_review(
        by=lixia_head, case=case, draft=draft, version=1, approve=True
    )
    made = award_drafts.award_draft_issue(by=lixia_arbitrator, case=case, draft=draft, version=1)
    assert made.kind == Award.Kind.ADVANCE_EXECUTION
    assert made.document.data["applicant"] == worker.pk


def test_the_preview_of_an_incomplete_draft_leaves_what_is_unknown_open(case, lixia_arbitrator):
    claim = case.claims.get(number=1)
    draft = save(
        lixia_arbitrator, case, items=[{"claim": claim.pk, "ruling": "待定"}], reasoning=""
    )
    text = plain_text(award_drafts.draft_preview(draft))
    assert text.startswith("样稿（未签发）")
    assert "一、待定。" in text and "本项为" not in text


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="needs a server database with row locks (CI: PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_arbitrators_saving_the_same_version_at_once_give_one_save(
    three, lixia_arbitrator2, lixia_arbitrator3
):
    first = save(lixia_arbitrator2, three)
    barrier = threading.Barrier(2)
    outcomes = []

    def save_as(user, facts):
        try:
            barrier.wait(timeout=10)
            save(user, Case.objects.get(pk=three.pk), version=first.version, facts=facts)
            outcomes.append("ok")
        except TransitionError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save_as, args=(lixia_arbitrator2, "甲写的事实。")),
        threading.Thread(target=save_as, args=(lixia_arbitrator3, "乙写的事实。")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["StaleDraft", "ok"]
    first.refresh_from_db()
    assert first.version == 2
    assert [e.kind for e in events_of(three)].count("case.award_draft_saved") == 2
