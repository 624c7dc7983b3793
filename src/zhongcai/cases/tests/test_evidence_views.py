"""Defence, evidence, claim changes, counter-applications and added parties through the pages."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import prefetch_related_objects
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhongcai.cases import evidence, integrity, selectors, serving
from zhongcai.cases.models import (
    ClaimChange,
    CounterApplication,
    EvidenceItem,
    Party,
    ServiceMethod,
)
from zhongcai.cases.views import evidence as evidence_views
from zhongcai.core.events import events_of

from .factories import accepted, id_number, tribunal_formed


def _url(name, case, *args):
    return reverse(f"cases:{name}", args=[case.pk, *args])


def _upload(content=b"%PDF-1.4 wage slips", name="工资条.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def case(institutions, lixia_intake, lixia_head, lixia_clerk):
    case = tribunal_formed(accepted(lixia_intake, lixia_head), lixia_head)
    serving.serve_application_copy(
        by=lixia_clerk, case=case, method=ServiceMethod.IN_PERSON, signed_on_the_spot=True
    )
    case.refresh_from_db()
    return case


def _respondent(case):
    return case.parties.get(role=Party.Role.RESPONDENT)


def _applicant(case):
    return case.parties.get(role=Party.Role.APPLICANT)


def test_the_case_page_offers_the_stage_steps_by_role(case, login, lixia_clerk, lixia_arbitrator):
    clerk_page = login(lixia_clerk).get(_url("case-detail", case)).content.decode()
    assert _url("case-file-defence", case) in clerk_page
    assert _url("case-submit-evidence", case) in clerk_page
    assert _url("case-set-evidence-period", case) not in clerk_page  # the bench sets it
    bench_page = login(lixia_arbitrator).get(_url("case-detail", case)).content.decode()
    assert _url("case-set-evidence-period", case) in bench_page
    assert _url("case-add-party", case) in bench_page


def test_a_defence_is_filed_from_the_page(case, login, lixia_clerk):
    response = login(lixia_clerk).post(
        _url("case-file-defence", case),
        {
            "party": _respondent(case).pk,
            "text": "已足额支付工资",
            "file": _upload(b"%PDF-1.4 scan"),
        },
    )
    assert response.status_code == 302
    defence = case.defences.get()
    assert defence.document.file
    page = login(lixia_clerk).get(_url("case-detail", case)).content.decode()
    assert "已足额支付工资" in page


def test_evidence_is_uploaded_listed_with_its_hash_and_downloaded(
    case, login, lixia_clerk, jinan_admin
):
    content = b"%PDF-1.4 bank statement"
    response = login(lixia_clerk).post(
        _url("case-submit-evidence", case),
        {
            "party": _applicant(case).pk,
            "title": "银行流水",
            "purpose": "证明工资发放",
            "file": _upload(content, "流水.pdf"),
        },
    )
    assert response.status_code == 302
    item = EvidenceItem.objects.get(case=case)
    assert item.sha256 == hashlib.sha256(content).hexdigest()
    page = login(lixia_clerk).get(_url("case-detail", case)).content.decode()
    assert item.sha256[:16] in page and "银行流水" in page
    for user in (lixia_clerk, jinan_admin):
        download = login(user).get(_url("case-evidence-file", case, item.pk))
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == content


def test_evidence_without_a_file_is_refused_and_nothing_is_written(case, login, lixia_clerk):
    response = login(lixia_clerk).post(
        _url("case-submit-evidence", case), {"party": "", "title": "照片"}
    )
    assert response.status_code == 400
    assert "请上传证据文件" in response.content.decode()
    assert not EvidenceItem.objects.exists()
    assert not events_of(case).filter(kind="case.evidence_submitted").exists()


def test_the_clerk_may_not_set_the_evidence_period(case, login, lixia_clerk):
    response = login(lixia_clerk).post(_url("case-set-evidence-period", case), {"days": 10})
    assert response.status_code == 403


def test_the_bench_sets_the_evidence_period(case, login, lixia_arbitrator):
    response = login(lixia_arbitrator).post(_url("case-set-evidence-period", case), {"days": 7})
    assert response.status_code == 302
    assert evidence.evidence_clock(case).days == 7


def test_claims_are_added_and_accepted_from_the_pages(case, login, lixia_clerk, lixia_arbitrator):
    response = login(lixia_clerk).post(
        _url("case-apply-claim-change", case),
        {
            "kind": ClaimChange.Kind.ADD,
            "claim_1_type": "damages",
            "claim_1_description": "二倍工资差额",
            "claim_1_amount": "24000",
            "reasons": "补充请求",
        },
    )
    assert response.status_code == 302
    change = case.claim_changes.get()
    assert [item["description"] for item in change.items] == ["二倍工资差额"]
    decided = login(lixia_arbitrator).post(
        _url("case-decide-claim-change", case),
        {"change": change.pk, "decision": "accepted", "reasons": ""},
    )
    assert decided.status_code == 302
    assert case.claims.count() == 3
    assert integrity.problems_of(case, list(events_of(case))) == []


def test_a_claim_change_with_a_bad_amount_shows_the_form_again(case, login, lixia_clerk):
    response = login(lixia_clerk).post(
        _url("case-apply-claim-change", case),
        {
            "kind": "add",
            "claim_1_type": "damages",
            "claim_1_description": "x",
            "claim_1_amount": "?",
        },
    )
    assert response.status_code == 400
    assert not case.claim_changes.exists()


def test_a_counter_application_is_filed_and_decided_from_the_pages(
    case, login, lixia_clerk, lixia_head
):
    response = login(lixia_clerk).post(
        _url("case-file-counter-application", case),
        {
            "party": _respondent(case).pk,
            "claim_1_type": "other",
            "claim_1_description": "返还培训费",
            "claim_1_amount": "5000",
            "facts_and_reasons": "提前离职",
        },
    )
    assert response.status_code == 302
    counter = case.counter_applications.get()
    decided = login(lixia_head).post(
        _url("case-decide-counter-application", case),
        {"counter": counter.pk, "outcome": "separate", "reasons": "应另行申请"},
    )
    assert decided.status_code == 302
    counter.refresh_from_db()
    assert counter.outcome == CounterApplication.Outcome.SEPARATE


def test_a_party_is_added_from_the_page(case, login, lixia_arbitrator):
    response = login(lixia_arbitrator).post(
        _url("case-add-party", case),
        {
            "added-role": "third_party",
            "added-kind": "worker",
            "added-name": "李明",
            "added-id_number": id_number("37010219880101001"),
            "added-reasons": "利害关系",
        },
    )
    assert response.status_code == 302
    assert case.parties.filter(role=Party.Role.THIRD_PARTY, name="李明").exists()


def test_a_party_without_a_name_is_not_added(case, login, lixia_arbitrator):
    response = login(lixia_arbitrator).post(
        _url("case-add-party", case),
        {"added-role": "third_party", "added-kind": "worker", "added-reasons": "x"},
    )
    assert response.status_code == 400
    assert case.parties.count() == 2


def test_a_waiver_outside_simplified_handling_is_refused_on_the_page(case, login, lixia_arbitrator):
    response = login(lixia_arbitrator).post(
        _url("case-waive-defence-period", case),
        {"party": _respondent(case).pk, "respondent_consent": "on"},
    )
    assert response.status_code == 400
    assert not case.defences.exists()


def test_another_county_gets_404_on_every_url_of_the_stage(
    case, login, lixia_clerk, licheng_intake, licheng_arbitrator
):
    item = evidence.evidence_submit(
        by=lixia_clerk, case=case, party=None, title="调查笔录", file=_upload()
    )
    for user in (licheng_intake, licheng_arbitrator):
        client = login(user)
        for name in evidence_views.ACTION_URLS.values():
            assert client.post(reverse(name, args=[case.pk]), {}).status_code == 404, name
        assert client.get(_url("case-evidence-file", case, item.pk)).status_code == 404
        assert client.get(_url("case-detail", case)).status_code == 404


def test_evidence_of_another_case_is_not_found(case, login, lixia_clerk, lixia_intake, lixia_head):
    other = accepted(lixia_intake, lixia_head)
    item = evidence.evidence_submit(
        by=lixia_clerk, case=other, party=None, title="笔录", file=_upload()
    )
    assert login(lixia_clerk).get(_url("case-evidence-file", case, item.pk)).status_code == 404


def _render_panel(case, user):
    # A fresh case, as each request has: the panel keeps the rows it read on the case object.
    case = selectors.get_case_for(user, case.pk)
    prefetch_related_objects([case], "parties__agents", "deadlines")
    request = RequestFactory().get("/")
    request.user = user
    context = evidence_views.panel(request, case, {})
    for action in context["actions"]:
        str(action["form"])
    for item in context["evidence"]:
        str(item.party.name if item.party else "")
        for exam in item.examinations.all():
            str(exam.party.name)
    for row in context["defences"] + context["counter_applications"]:
        str(row.party.name)


def test_the_panel_answers_in_a_bounded_number_of_queries(
    case, lixia_clerk, lixia_head, django_assert_max_num_queries
):
    applicant, respondent = _applicant(case), _respondent(case)

    def one_of_each():
        item = evidence.evidence_submit(
            by=lixia_clerk, case=case, party=applicant, title="证据", file=_upload()
        )
        evidence.cross_examination_record(
            by=lixia_clerk,
            case=case,
            evidence=item,
            party=respondent,
            authenticity="admitted",
            legality="admitted",
            relevance="admitted",
        )
        evidence.defence_file(by=lixia_clerk, case=case, party=respondent, text="答辩")
        evidence.claim_change_apply(
            by=lixia_clerk,
            case=case,
            kind="add",
            items=[{"type": "other", "description": "x", "amount": ""}],
        )
        evidence.counter_application_file(
            by=lixia_clerk,
            case=case,
            party=respondent,
            items=[{"type": "other", "description": "y", "amount": ""}],
            facts_and_reasons="z",
        )

    one_of_each()
    with CaptureQueriesContext(connection) as one:
        _render_panel(case, lixia_head)
    for _round in range(4):
        one_of_each()
    with django_assert_max_num_queries(len(one)):
        _render_panel(case, lixia_head)
