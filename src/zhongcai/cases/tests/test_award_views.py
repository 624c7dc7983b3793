"""The mediation and award panel on the case page, its steps, and the printable award."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import prefetch_related_objects
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhongcai.cases import award, postaward, selectors, serving
from zhongcai.cases.models import Award, AwardDraft, MediationAttempt, Party, PostAward, Status
from zhongcai.cases.tests import factories
from zhongcai.cases.views import award as views

FACTS = {
    "facts": "申请人在被申请人处工作，被申请人拖欠工资。",
    "reasoning": "被申请人应当支付。",
    "legal_basis": "《中华人民共和国劳动合同法》第三十条",
}


@pytest.fixture
def case(institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator):
    factories.award_wage()
    return factories.heard(lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator)


def url(action, case):
    return reverse(f"cases:case-{action.replace('_', '-')}", args=[case.pk])


def award_post(case, amounts):
    worker = case.parties.get(role=Party.Role.APPLICANT)
    employer = case.parties.get(role=Party.Role.RESPONDENT)
    data = {**FACTS, "kind": "full", "version": 0}
    for claim in case.claims.all():
        if claim.number not in amounts:
            continue
        prefix = f"claim{claim.pk}"
        data |= {
            f"{prefix}_outcome": "granted",
            f"{prefix}_ruling": f"被申请人支付申请人{amounts[claim.number]}元",
            f"{prefix}_amount": amounts[claim.number],
            f"{prefix}_obligor": employer.pk,
            f"{prefix}_obligee": worker.pk,
            f"{prefix}_perform_within_days": "10",
        }
    return data


def draft_page(client, case):
    return client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()


def test_the_award_waits_for_a_mediation_attempt(case, login, lixia_arbitrator):
    page = login(lixia_arbitrator).get(reverse("cases:case-detail", args=[case.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "stage-award" in content
    assert "award-blocked" in content
    assert url("record_mediation", case) in content
    # The tribunal may write its draft; nothing is issued yet.
    assert f'action="{url("save_award_draft", case)}"' in content
    assert f'action="{url("issue_award_draft", case)}"' not in content


def test_the_award_is_drafted_reviewed_and_issued_through_the_page(
    case, login, lixia_arbitrator, lixia_head
):
    client = login(lixia_arbitrator)
    recorded = client.post(url("record_mediation", case), {"outcome": "failed", "note": "无果"})
    assert recorded.status_code == 302
    assert MediationAttempt.objects.filter(case=case).count() == 1

    page = draft_page(client, case)
    claim = case.claims.get(number=2)
    assert f'action="{url("save_award_draft", case)}"' in page
    assert f'name="claim{claim.pk}_outcome"' in page

    posted = award_post(case, {1: "9000.00", 2: "30000.00"})
    saved = client.post(url("save_award_draft", case), posted)
    assert saved.status_code == 302
    draft = AwardDraft.objects.get(case=case)
    assert (draft.kind, draft.version, draft.state) == ("full", 1, "draft")
    page = draft_page(client, case)
    assert "document-preview" in page and "样稿（未签发）" in page
    assert "本项为非终局裁决。" in page  # the preview states each item's finality
    assert reverse("cases:case-award-draft-pdf", args=[case.pk, draft.pk]) in page
    assert f'action="{url("submit_award_draft", case)}"' in page

    step = {"kind": "full", "version": 1}
    assert client.post(url("submit_award_draft", case), step).status_code == 302
    assert f'action="{url("review_award_draft", case)}"' not in draft_page(client, case)

    head = login(lixia_head)
    assert f'action="{url("review_award_draft", case)}"' in draft_page(head, case)
    reviewed = head.post(url("review_award_draft", case), {**step, "decision": "approve"})
    assert reviewed.status_code == 302

    client = login(lixia_arbitrator)
    assert f'action="{url("issue_award_draft", case)}"' in draft_page(client, case)
    assert client.post(url("issue_award_draft", case), step).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED_AWARD
    assert case.post_award == PostAward.PENDING_EFFECT
    the_award = Award.objects.get(case=case)
    assert [i.final for i in the_award.items.order_by("number")] == [True, False]
    draft.refresh_from_db()
    assert (draft.state, draft.award) == ("issued", the_award)

    shown = draft_page(client, case)
    assert reverse("cases:case-award-print", args=[case.pk, the_award.pk]) in shown
    assert "9,000.00 ≤ 26,400.00" in shown and "30,000.00 &gt; 26,400.00" in shown


def test_a_claim_left_unruled_keeps_the_draft_from_review(case, login, lixia_arbitrator):
    award.mediation_attempt_record(by=lixia_arbitrator, case=case, outcome="failed")
    client = login(lixia_arbitrator)
    saved = client.post(url("save_award_draft", case), award_post(case, {1: "9000.00"}))
    assert saved.status_code == 302  # a draft may be incomplete
    response = client.post(url("submit_award_draft", case), {"kind": "full", "version": 1})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert AwardDraft.objects.get(case=case).state == "draft"
    assert not Award.objects.filter(case=case).exists()


def test_a_bad_item_shows_the_editor_again_and_writes_nothing(case, login, lixia_arbitrator):
    posted = award_post(case, {1: "9000.00"})
    claim = case.claims.get(number=1)
    posted[f"claim{claim.pk}_amount"] = "-5"
    response = login(lixia_arbitrator).post(url("save_award_draft", case), posted)
    assert response.status_code == 400
    content = response.content.decode()
    assert 'class="error"' in content and "award-draft-full" in content
    assert not AwardDraft.objects.filter(case=case).exists()


def test_a_save_on_an_old_version_is_refused_with_a_message(case, login, lixia_arbitrator):
    client = login(lixia_arbitrator)
    client.post(url("save_award_draft", case), award_post(case, {1: "9000.00"}))
    again = client.post(url("save_award_draft", case), award_post(case, {1: "1.00"}))
    assert again.status_code == 302
    draft = AwardDraft.objects.get(case=case)
    assert (draft.version, draft.items[0]["amount"]) == (1, "9000.00")


def test_returning_a_draft_needs_a_note(case, login, lixia_arbitrator, lixia_head):
    client = login(lixia_arbitrator)
    client.post(url("save_award_draft", case), award_post(case, {1: "9000.00", 2: "9000.00"}))
    client.post(url("submit_award_draft", case), {"kind": "full", "version": 1})
    step = {"kind": "full", "version": 1, "decision": "return"}
    head = login(lixia_head)
    refused = head.post(url("review_award_draft", case), step)
    assert refused.status_code == 400
    assert 'class="error"' in refused.content.decode()
    returned = head.post(url("review_award_draft", case), {**step, "note": "补充理由。"})
    assert returned.status_code == 302
    assert AwardDraft.objects.get(case=case).state == "returned"
    assert "补充理由。" in draft_page(login(lixia_arbitrator), case)


def test_the_sample_pdf_is_for_the_tribunal_and_its_reviewers(
    case, login, lixia_arbitrator, lixia_clerk
):
    client = login(lixia_arbitrator)
    client.post(url("save_award_draft", case), award_post(case, {1: "9000.00", 2: "9000.00"}))
    draft = AwardDraft.objects.get(case=case)
    sample = reverse("cases:case-award-draft-pdf", args=[case.pk, draft.pk])
    response = client.get(sample)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert login(lixia_clerk).get(sample).status_code == 403
    assert "award-draft-full" not in draft_page(login(lixia_clerk), case)


def test_a_clerk_cannot_draft_the_award(case, login, lixia_clerk, lixia_arbitrator):
    award.mediation_attempt_record(by=lixia_arbitrator, case=case, outcome="failed")
    response = login(lixia_clerk).post(
        url("save_award_draft", case), award_post(case, {1: "1", 2: "1"})
    )
    assert response.status_code == 403
    assert not AwardDraft.objects.filter(case=case).exists()


def test_another_arbitrator_cannot_draft_the_award(case, login, lixia_arbitrator):
    from zhongcai.accounts.models import User

    award.mediation_attempt_record(by=lixia_arbitrator, case=case, outcome="failed")
    outsider = User.objects.get(username="lixia_arbitrator2")
    response = login(outsider).post(
        url("save_award_draft", case), award_post(case, {1: "1", 2: "1"})
    )
    assert response.status_code == 403


def test_a_step_in_the_wrong_state_changes_nothing(case, login, lixia_arbitrator):
    factories.award_made(case, lixia_arbitrator)
    response = login(lixia_arbitrator).post(url("record_mediation", case), {"outcome": "failed"})
    assert response.status_code == 302
    assert MediationAttempt.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("action", sorted(views.ACTION_URLS))
def test_another_county_gets_404_on_every_step(case, login, licheng_intake, action):
    response = login(licheng_intake).post(url(action, case), {})
    assert response.status_code == 404


def test_another_county_gets_404_on_the_printable_award(
    case, login, licheng_intake, lixia_arbitrator
):
    made = factories.award_made(case, lixia_arbitrator)
    page = reverse("cases:case-award-print", args=[case.pk, made.pk])
    assert login(licheng_intake).get(page).status_code == 404


def test_the_printable_award_states_the_finality_of_each_item(
    case, login, lixia_clerk, lixia_arbitrator, lixia_head
):
    made = factories.award_made(case, lixia_arbitrator, amounts={1: "9000", 2: "30000"})
    award.award_correct(by=lixia_head, case=case, award=made, corrections="第二项金额应为 3 万元。")
    page = login(lixia_clerk).get(reverse("cases:case-award-print", args=[case.pk, made.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "本项为终局裁决。" in content and "本项为非终局裁决。" in content
    assert "第二项金额应为 3 万元。" in content


def test_the_office_records_a_court_notice_with_its_document(
    case, login, lixia_clerk, lixia_arbitrator
):
    factories.award_made(case, lixia_arbitrator, amounts={1: "30000", 2: "30000"})
    employer = case.parties.get(role=Party.Role.RESPONDENT)
    response = login(lixia_clerk).post(
        url("record_court_notice", case),
        {
            "kind": "suit_filed",
            "party": employer.pk,
            "court_name": "济南市历下区人民法院",
            "court_case_number": "（2026）鲁0102民初1号",
            "court_date": timezone.localdate().isoformat(),
            "file": SimpleUploadedFile("notice.pdf", b"%PDF-1.4", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.post_award == PostAward.IN_LITIGATION


def test_a_court_notice_without_its_document_is_refused(case, login, lixia_clerk, lixia_arbitrator):
    factories.award_made(case, lixia_arbitrator)
    response = login(lixia_clerk).post(
        url("record_court_notice", case),
        {"kind": "enforcement_filed", "court_name": "法院", "court_date": "2026-01-05"},
    )
    assert response.status_code == 400
    assert not case.court_notices.exists()


def _panel_queries(case, user):
    request = RequestFactory().get("/")
    request.user = user
    fetched = selectors.get_case_for(user, case.pk)
    prefetch_related_objects([fetched], "parties__agents", "claims", "deadlines")
    with CaptureQueriesContext(connection) as queries:
        context = views.panel(request, fetched, {})
    assert context["visible"]
    return len(queries)


NOTICES = ("suit_filed", "suit_ended", "enforcement_filed")


def _awarded_with_rows(users, rows):
    """A closed case with ``rows`` of each list the panel shows."""
    intake, head, clerk, arbitrator = users
    case = factories.heard(intake, head, clerk, arbitrator)
    for _n in range(rows):
        award.mediation_attempt_record(by=arbitrator, case=case, outcome="agreed")
        award.mediation_document_issue(by=arbitrator, case=case, agreement="支付 1 元")
    amounts = {1: "30000", 2: "30000"}
    if rows > 1:
        award.award_partial(
            by=arbitrator, case=case, items=factories.award_items(case, {1: "9000"}), **FACTS
        )
        amounts = {2: "30000"}
    made = award.award_make(
        by=arbitrator, case=case, items=factories.award_items(case, amounts), **FACTS
    )
    for party in case.parties.all():
        serving.serve(
            by=clerk,
            case=case,
            document=made.document,
            parties=[party],
            method="in_person",
            signed_by_name=party.name,
        )
    for kind in NOTICES[:rows]:
        postaward.court_notice_record(
            by=clerk,
            case=case,
            kind=kind,
            party=case.parties.first(),
            court_name="法院",
            court_case_number="",
            court_date=timezone.localdate(),
            file=SimpleUploadedFile("n.pdf", b"%PDF"),
        )
    return case


def test_the_panel_runs_a_bounded_number_of_queries(
    institutions,
    lixia_intake,
    lixia_head,
    lixia_clerk,
    lixia_arbitrator,
    django_assert_max_num_queries,
):
    factories.award_wage()
    users = (lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator)
    baseline = _panel_queries(_awarded_with_rows(users, 1), lixia_clerk)
    many = _awarded_with_rows(users, 3)
    assert many.court_notices.count() == 3 and many.awards.count() == 2
    request = RequestFactory().get("/")
    request.user = lixia_clerk
    fetched = selectors.get_case_for(lixia_clerk, many.pk)
    prefetch_related_objects([fetched], "parties__agents", "claims", "deadlines")
    with django_assert_max_num_queries(baseline):
        views.panel(request, fetched, {})
