"""Mediation, the award and court notices through the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhongcai.accounts.models import User
from zhongcai.cases import integrity, serving
from zhongcai.cases.models import Award, AwardDraft, MediationAttempt, Party, PostAward, Status
from zhongcai.cases.tests import factories
from zhongcai.cases.views.award import ACTION_URLS
from zhongcai.core.events import events_of

FACTS = {
    "facts": "申请人在被申请人处工作，被申请人拖欠工资。",
    "reasoning": "被申请人应当支付。",
    "legal_basis": "《中华人民共和国劳动合同法》第三十条",
}


@pytest.fixture
def case(institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator):
    factories.award_wage()
    return factories.heard(lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator)


def _post(client, case, step, body=None, **kwargs):
    kwargs.setdefault("format", "json")
    return client.post(f"/api/v1/cases/{case.pk}/{step}/", body or {}, **kwargs)


def items(case, amounts):
    worker = case.parties.get(role=Party.Role.APPLICANT)
    employer = case.parties.get(role=Party.Role.RESPONDENT)
    return [
        {
            "claim": claim.pk,
            "outcome": "granted",
            "ruling": f"被申请人支付申请人{amounts[claim.number]}元",
            "obligor": employer.pk,
            "obligee": worker.pk,
            "amount": amounts[claim.number],
            "perform_within_days": 10,
        }
        for claim in case.claims.order_by("number")
        if claim.number in amounts
    ]


def test_every_step_of_the_stage_has_its_route():
    for action in ACTION_URLS:
        assert reverse(f"api:case-{action.replace('_', '-')}", args=[1]).endswith("/")
    assert reverse("api:case-awards", args=[1]).endswith("/awards/")
    assert reverse("api:case-award-draft", args=[1]).endswith("/award-draft/")


def _draft(client, case, body, *, kind="full", version=0):
    return client.put(
        f"/api/v1/cases/{case.pk}/award-draft/",
        {"kind": kind, "version": version, **body},
        format="json",
    )


def _issue_through_a_draft(case, author, reviewer, body, *, kind="full"):
    """Write, submit, approve and issue: the way an award is made through the API."""
    saved = _draft(author, case, body, kind=kind)
    assert saved.status_code == 200, saved.json()
    step = {"kind": kind, "version": saved.json()["version"]}
    submitted = _post(author, case, "submit-award-draft", step)
    assert submitted.status_code == 200, submitted.json()
    approved = _post(reviewer, case, "review-award-draft", {**step, "approve": True})
    assert approved.status_code == 200, approved.json()
    return _post(author, case, "issue-award-draft", step)


def test_the_tribunal_mediates_then_the_award_is_drafted_reviewed_and_issued(
    case, api, lixia_arbitrator, lixia_clerk, lixia_head
):
    client = api(lixia_arbitrator)
    empty = client.get(f"/api/v1/cases/{case.pk}/award-draft/")
    assert empty.status_code == 200
    assert (empty.json()["version"], empty.json()["id"]) == (0, None)

    body = {"items": items(case, {1: "26400.00", 2: "26401.00"}), **FACTS}
    saved = _draft(client, case, body)
    assert saved.status_code == 200, saved.json()
    draft = saved.json()
    assert (draft["state"], draft["version"]) == ("draft", 1)
    assert draft["preview"].startswith("样稿（未签发）")
    assert "本项为非终局裁决。" in draft["preview"]
    offered = [
        a["action"] for a in client.get(f"/api/v1/cases/{case.pk}/").json()["available_actions"]
    ]
    assert {"save_award_draft", "submit_award_draft"} <= set(offered)
    assert "award" not in offered  # the award is issued from an approved draft

    step = {"kind": "full", "version": 1}
    assert _post(client, case, "submit-award-draft", step).json()["state"] == "submitted"
    reviewed = _post(api(lixia_head), case, "review-award-draft", {**step, "approve": True})
    assert reviewed.json()["state"] == "approved"
    # No mediation attempt yet: the award step refuses, the draft stays approved.
    assert _post(client, case, "issue-award-draft", step).status_code == 409
    recorded = _post(client, case, "record-mediation", {"outcome": "failed", "note": "无果"})
    assert recorded.status_code == 200
    assert "issue_award_draft" in [a["action"] for a in recorded.json()["available_actions"]]
    made = _post(client, case, "issue-award-draft", step)
    assert made.status_code == 200, made.json()
    assert made.json()["status"] == Status.CLOSED_AWARD

    read = api(lixia_clerk).get(f"/api/v1/cases/{case.pk}/awards/")
    assert read.status_code == 200
    data = read.json()
    assert data["post_award"] == PostAward.PENDING_EFFECT
    (the_award,) = data["awards"]
    assert the_award["finality"] == "mixed"
    assert the_award["threshold"] == "26400.00"
    assert the_award["minimum_wage"] == "2200.00"
    assert [i["final"] for i in the_award["items"]] == [True, False]
    assert "本项为终局裁决。" in the_award["body"]
    case.refresh_from_db()
    assert integrity.problems_of(case, list(events_of(case))) == []


def test_an_unknown_claim_id_is_bad_input_and_nothing_is_written(case, api, lixia_arbitrator):
    body = {"items": items(case, {1: "1", 2: "1"}), **FACTS}
    body["items"][0]["claim"] = 999999
    response = _draft(api(lixia_arbitrator), case, body)
    assert response.status_code == 400
    assert "items.0.claim" in response.json()
    assert not AwardDraft.objects.filter(case=case).exists()


def test_a_claim_not_ruled_is_bad_input_at_submission(case, api, lixia_arbitrator):
    client = api(lixia_arbitrator)
    assert _draft(client, case, {"items": items(case, {1: "1"}), **FACTS}).status_code == 200
    response = _post(client, case, "submit-award-draft", {"kind": "full", "version": 1})
    assert response.status_code == 400
    assert "items" in response.json()
    assert not Award.objects.filter(case=case).exists()


def test_a_stale_version_is_a_conflict(case, api, lixia_arbitrator):
    client = api(lixia_arbitrator)
    body = {"items": items(case, {1: "1", 2: "1"}), **FACTS}
    assert _draft(client, case, body).status_code == 200
    assert _draft(client, case, body, version=0).status_code == 409
    again = _draft(client, case, {**body, "facts": "新的事实。"}, version=1)
    assert (again.status_code, again.json()["version"]) == (200, 2)
    stale = _post(client, case, "submit-award-draft", {"kind": "full", "version": 1})
    assert stale.status_code == 409


def test_a_clerk_cannot_draft_or_read_the_draft(case, api, lixia_clerk, lixia_arbitrator):
    body = {"items": items(case, {1: "1", 2: "1"}), **FACTS}
    assert _draft(api(lixia_clerk), case, body).status_code == 403
    assert api(lixia_clerk).get(f"/api/v1/cases/{case.pk}/award-draft/").status_code == 403


def test_an_arbitrator_off_the_tribunal_cannot_draft_the_award(case, api, lixia_arbitrator):
    outsider = User.objects.get(username="lixia_arbitrator2")
    body = {"items": items(case, {1: "1", 2: "1"}), **FACTS}
    assert _draft(api(outsider), case, body).status_code == 403


def test_the_arbitrator_does_not_review_his_own_draft(case, api, lixia_arbitrator):
    client = api(lixia_arbitrator)
    _draft(client, case, {"items": items(case, {1: "1", 2: "1"}), **FACTS})
    _post(client, case, "submit-award-draft", {"kind": "full", "version": 1})
    review = {"kind": "full", "version": 1, "approve": True}
    assert _post(client, case, "review-award-draft", review).status_code == 403


def test_the_city_may_read_but_not_act(case, api, jinan_admin):
    assert api(jinan_admin).get(f"/api/v1/cases/{case.pk}/awards/").status_code == 200
    assert (
        _post(api(jinan_admin), case, "record-mediation", {"outcome": "failed"}).status_code == 403
    )


@pytest.mark.parametrize("action", sorted(ACTION_URLS))
def test_another_county_gets_404(case, api, licheng_intake, action):
    response = _post(api(licheng_intake), case, action.replace("_", "-"), {})
    assert response.status_code == 404


def test_another_county_gets_404_on_the_awards(case, api, licheng_intake):
    assert api(licheng_intake).get(f"/api/v1/cases/{case.pk}/awards/").status_code == 404


def test_the_mediation_document_and_closing_by_mediation(case, api, lixia_arbitrator, lixia_clerk):
    client = api(lixia_arbitrator)
    _post(client, case, "record-mediation", {"outcome": "agreed"})
    issued = _post(client, case, "issue-mediation-document", {"agreement": ["支付 15000 元"]})
    assert issued.status_code == 200
    assert _post(api(lixia_clerk), case, "close-by-mediation").status_code == 409
    document = case.documents.get(kind="mediation_document")
    serving.serve(
        by=lixia_clerk,
        case=case,
        document=document,
        parties=list(case.parties.all()),
        method="in_person",
        signed_by_name="签收人",
    )
    case.refresh_from_db()
    assert case.status == Status.CLOSED_MEDIATION


def test_partial_advance_and_correction(case, api, lixia_arbitrator, lixia_head):
    client = api(lixia_arbitrator)
    head = api(lixia_head)
    worker = case.parties.get(role=Party.Role.APPLICANT)
    advance = _issue_through_a_draft(
        case,
        client,
        head,
        {"applicant": worker.pk, "items": items(case, {1: "6000"}), "reasoning": "生活困难"},
        kind="advance_execution",
    )
    assert advance.status_code == 200, advance.json()
    _post(client, case, "record-mediation", {"outcome": "failed"})
    partial = _issue_through_a_draft(
        case, client, head, {"items": items(case, {1: "9000"}), **FACTS}, kind="partial"
    )
    assert partial.status_code == 200, partial.json()
    assert partial.json()["status"] == Status.DELIBERATION
    made = _issue_through_a_draft(case, client, head, {"items": items(case, {2: "9000"}), **FACTS})
    assert made.status_code == 200, made.json()
    full = case.awards.get(kind=Award.Kind.FULL)
    assert full.draft.state == "issued"
    corrected = _post(head, case, "correct-award", {"award": full.pk, "corrections": "笔误更正"})
    assert corrected.status_code == 200
    assert case.documents.filter(decision_kind="award_correction").count() == 1


def test_a_court_notice_is_recorded_with_its_document(case, api, lixia_arbitrator, lixia_clerk):
    factories.award_made(case, lixia_arbitrator, amounts={1: "30000", 2: "30000"})
    employer = case.parties.get(role=Party.Role.RESPONDENT)
    body = {
        "kind": "suit_filed",
        "party": employer.pk,
        "court_name": "济南市历下区人民法院",
        "court_case_number": "（2026）鲁0102民初1号",
        "court_date": timezone.localdate().isoformat(),
    }
    client = api(lixia_clerk)
    missing = _post(client, case, "record-court-notice", body, format="multipart")
    assert missing.status_code == 400
    assert "file" in missing.json()
    upload = SimpleUploadedFile("notice.pdf", b"%PDF-1.4", content_type="application/pdf")
    recorded = _post(
        client, case, "record-court-notice", {**body, "file": upload}, format="multipart"
    )
    assert recorded.status_code == 200, recorded.json()
    case.refresh_from_db()
    assert case.post_award == PostAward.IN_LITIGATION
    nonsense = _post(
        client,
        case,
        "record-court-notice",
        {
            **body,
            "kind": "enforcement_filed",
            "file": SimpleUploadedFile("e.pdf", b"%PDF"),
        },
        format="multipart",
    )
    assert nonsense.status_code == 409
    notices = client.get(f"/api/v1/cases/{case.pk}/awards/").json()["court_notices"]
    assert [n["post_award_after"] for n in notices] == [PostAward.IN_LITIGATION]


def test_a_mediation_attempt_with_a_bad_outcome_is_bad_input(case, api, lixia_arbitrator):
    response = _post(api(lixia_arbitrator), case, "record-mediation", {"outcome": "maybe"})
    assert response.status_code == 400
    assert not MediationAttempt.objects.filter(case=case).exists()
