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
from zhongcai.cases.models import Award, MediationAttempt, Party, PostAward, Status
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
    data = dict(FACTS)
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


def test_the_award_form_waits_for_a_mediation_attempt(case, login, lixia_arbitrator):
    page = login(lixia_arbitrator).get(reverse("cases:case-detail", args=[case.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "stage-award" in content
    assert "award-blocked" in content
    assert url("record_mediation", case) in content
    assert f'action="{url("award", case)}"' not in content


def test_the_tribunal_records_mediation_and_makes_the_award_through_the_page(
    case, login, lixia_arbitrator
):
    client = login(lixia_arbitrator)
    recorded = client.post(url("record_mediation", case), {"outcome": "failed", "note": "无果"})
    assert recorded.status_code == 302
    assert MediationAttempt.objects.filter(case=case).count() == 1

    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    claim = case.claims.get(number=2)
    assert f'action="{url("award", case)}"' in page
    assert f'name="claim{claim.pk}_outcome"' in page

    made = client.post(url("award", case), award_post(case, {1: "9000.00", 2: "30000.00"}))
    assert made.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED_AWARD
    assert case.post_award == PostAward.PENDING_EFFECT
    the_award = Award.objects.get(case=case)
    assert [i.final for i in the_award.items.order_by("number")] == [True, False]

    shown = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert reverse("cases:case-award-print", args=[case.pk, the_award.pk]) in shown
    assert "9,000.00 ≤ 26,400.00" in shown and "30,000.00 &gt; 26,400.00" in shown


def test_a_claim_left_unruled_shows_the_form_again_and_writes_nothing(
    case, login, lixia_arbitrator
):
    award.mediation_attempt_record(by=lixia_arbitrator, case=case, outcome="failed")
    response = login(lixia_arbitrator).post(url("award", case), award_post(case, {1: "9000.00"}))
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not Award.objects.filter(case=case).exists()


def test_a_clerk_cannot_make_the_award(case, login, lixia_clerk, lixia_arbitrator):
    award.mediation_attempt_record(by=lixia_arbitrator, case=case, outcome="failed")
    response = login(lixia_clerk).post(url("award", case), award_post(case, {1: "1", 2: "1"}))
    assert response.status_code == 403
    assert not Award.objects.filter(case=case).exists()


def test_another_arbitrator_cannot_make_the_award(case, login, lixia_arbitrator):
    from zhongcai.accounts.models import User

    award.mediation_attempt_record(by=lixia_arbitrator, case=case, outcome="failed")
    outsider = User.objects.get(username="lixia_arbitrator2")
    response = login(outsider).post(url("award", case), award_post(case, {1: "1", 2: "1"}))
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
