"""Similar-case push: ranking, reasons for every result, staff-only cases, "not similar"."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from zhongcai.cases.tests.factories import received
from zhongcai.knowledge.models import LibraryCase, LibraryClaim, SimilarityFeedback
from zhongcai.knowledge.reasons import similar_for_case, similar_for_text
from zhongcai.knowledge.similar import (
    WEIGHTS,
    CaseIndex,
    CaseProfile,
    Query,
    amount_similarity,
    get_case_index,
)

QUERIES = [
    "我2020年1月入职某教育咨询公司，每周工作6天，每天打卡，公司不认可考勤记录，不支付加班费，"
    "2020年7月我辞职了，要求支付加班费10000元",
    "公司要求每天早九点到晚九点上班，我拒绝超时加班，公司说我试用期不符合录用条件把我辞退了，"
    "要求违法解除赔偿金8000元",
    "入职时签了放弃加班费的协议，离职时又签字确认工资加班费已结清",
    "被派遣到传媒公司，长期超时工作，突发疾病死亡，家属要求工亡待遇",
    "竞业限制",
]
SECRET = "内部案例：夜班打卡被删改后的加班费"


@pytest.fixture
def staff_only_case(library):
    """A staff-only case that is the best answer to a query about 夜班打卡被删改."""
    case = LibraryCase.objects.create(
        key="internal-2024-01",
        title=SECRET,
        authority="local",
        issuing_body="济南市历下区劳动人事争议仲裁委员会",
        decided_by="arbitration",
        region="370102",
        causes=["remuneration", "working_time"],
        facts="申请人上夜班，公司删改夜班打卡记录，拒绝支付加班费。",
        claims_text="请求支付加班费12000元。",
        outcome_text="裁决支付加班费12000元。",
        public=False,
    )
    LibraryClaim.objects.create(
        case=case,
        number=1,
        kind="overtime_pay",
        type="remuneration",
        amount_claimed=Decimal(12000),
        amount_awarded=Decimal(12000),
        outcome="granted",
    )
    return case


@pytest.mark.parametrize("query", QUERIES)
def test_every_result_carries_its_reasons(library, query):
    found = similar_for_text(query, limit=10)
    assert found.results
    for result in found.results:
        assert result.matches, result.case.key
        assert all(reason.text for reason in [*result.matches, *result.differences])
        assert result.passage and result.passage_section
        assert result.claims and result.authority_label and result.case.issued_label
        # The reasons account for the score: each element's points are its contribution.
        points = sum(r.weight for r in result.matches)
        assert points == pytest.approx(result.score, abs=1e-4)


def test_the_closest_case_comes_first_for_what_it_is_about(library):
    def first(query):
        return similar_for_text(query, limit=3).results[0].case.key

    assert first(QUERIES[0]) == "mohrss-spc-2021-2-06"  # burden of proof, clock-in app
    assert first(QUERIES[1]) == "mohrss-spc-2021-2-04"  # refused unlawful overtime, dismissed
    assert first(QUERIES[2]) == "mohrss-spc-2021-2-03"  # signed that overtime pay was settled
    assert first(QUERIES[3]) == "mohrss-spc-2021-2-05"  # dispatch, overwork, death


def test_the_reasons_name_what_matches_and_what_differs(library):
    result = similar_for_text(QUERIES[0], limit=3).results[0]
    elements = {r.element for r in result.matches}
    assert {"text", "claims", "cause", "amount", "termination"} <= elements
    assert "<mark>打卡</mark>" in result.passage
    second = similar_for_text(QUERIES[0], limit=5).results[1]
    assert any(r.element in {"amount", "industry", "termination"} for r in second.differences)


def test_staff_only_cases_never_answer_a_public_query(staff_only_case):
    query = "夜班打卡记录被公司删改，要求支付加班费12000元"
    public = similar_for_text(query, limit=50, public_only=True)
    assert staff_only_case.pk not in [r.case.pk for r in public.results]
    staff = similar_for_text(query, limit=5, public_only=False)
    assert staff.results[0].case.pk == staff_only_case.pk


def test_the_public_page_shows_public_cases_only(
    client, staff_only_case, worker_demo, lixia_arbitrator
):
    url = reverse("knowledge:similar")
    query = {"q": "夜班打卡记录被公司删改，要求支付加班费12000元"}
    anonymous = client.get(url, query).content.decode()
    assert "相似之处" in anonymous  # the reasons are shown
    assert SECRET not in anonymous
    client.force_login(worker_demo)
    assert SECRET not in client.get(url, query).content.decode()
    client.force_login(lixia_arbitrator)
    assert SECRET in client.get(url, query).content.decode()


def test_the_library_pages_hide_staff_only_cases(client, staff_only_case, lixia_arbitrator):
    assert SECRET not in client.get(reverse("knowledge:library-cases")).content.decode()
    detail = reverse("knowledge:library-case", args=[staff_only_case.pk])
    assert client.get(detail).status_code == 404
    client.force_login(lixia_arbitrator)
    assert client.get(detail).status_code == 200
    public = LibraryCase.objects.get(key="mohrss-spc-2021-2-06")
    client.logout()
    page = client.get(reverse("knowledge:library-case", args=[public.pk])).content.decode()
    assert "劳动争议调解仲裁法第六条" in page


def test_the_api_answers_anyone_with_public_cases_only(staff_only_case, lixia_arbitrator):
    api = APIClient()
    url = "/api/v1/knowledge/similar"
    query = {"q": "夜班打卡记录被公司删改，要求支付加班费12000元", "limit": 20}
    body = api.get(url, query).json()
    assert body["public_only"] is True
    assert body["results"] and all(r["public"] for r in body["results"])
    assert SECRET not in str(body)
    first = body["results"][0]
    assert first["matches"] and first["passage"] and first["outcome"] and first["authority"]
    assert {"element", "text", "points"} <= set(first["matches"][0])
    assert body["articles"][0]["citation"] == "劳动法第四十四条"
    api.force_authenticate(lixia_arbitrator)
    staff = api.get(url, query).json()
    assert staff["public_only"] is False
    assert staff["results"][0]["title"] == SECRET


def test_the_api_refuses_an_empty_or_long_description(library):
    api = APIClient()
    assert api.get("/api/v1/knowledge/similar").status_code == 400
    assert api.get("/api/v1/knowledge/similar", {"q": "加" * 1001}).status_code == 400


def test_a_new_library_case_is_found_on_the_next_query(staff_only_case):
    index = get_case_index()
    staff_only_case.public = True
    staff_only_case.save()
    assert get_case_index() is not index
    found = similar_for_text("夜班打卡记录被公司删改", limit=3)
    assert found.results[0].case.pk == staff_only_case.pk


# -- feedback ----------------------------------------------------------------------------------


@pytest.fixture
def case(lixia_intake, library):
    with time_machine.travel("2026-09-10 10:00 +0800"):
        return received(
            lixia_intake,
            facts_and_reasons="申请人2025年3月入职，每周工作6天，被申请人不支付加班费，申请人于2026年7月辞职。",
            claims=[{"type": "remuneration", "description": "支付加班费", "amount": "20000"}],
        )


def _mark(client, case, library_case, action="mark", note=""):
    return client.post(
        reverse("knowledge:similar-feedback"),
        {"case": case.pk, "library_case": library_case.pk, "action": action, "note": note},
    )


def test_not_similar_is_stored_with_who_when_and_what(case, lixia_arbitrator, login):
    client = login(lixia_arbitrator)
    result = similar_for_case(case).results[0].case
    response = _mark(client, case, result, note="事实不同")
    assert response.status_code == 302
    assert response.url.endswith(f"/staff/cases/{case.pk}/#case-push")
    mark = SimilarityFeedback.objects.get()
    assert (mark.user, mark.case, mark.library_case, mark.note) == (
        lixia_arbitrator,
        case,
        result,
        "事实不同",
    )
    assert mark.created_at is not None and mark.withdrawn_at is None
    _mark(client, case, result)  # again: still one mark
    assert SimilarityFeedback.objects.count() == 1


def test_a_marked_result_is_shown_last_with_the_mark(case, lixia_arbitrator, login):
    client = login(lixia_arbitrator)
    first = similar_for_case(case).results[0].case
    _mark(client, case, first)
    results = similar_for_case(case).results
    assert results[-1].case == first and results[-1].marked.user == lixia_arbitrator
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert 'class="hit similar-hit is-marked"' in page
    evaluation = client.get(reverse("knowledge:similar-evaluation")).content.decode()
    assert first.title in evaluation and str(lixia_arbitrator) in evaluation


def test_a_mark_can_be_withdrawn_and_the_row_stays(case, lixia_arbitrator, login):
    client = login(lixia_arbitrator)
    first = similar_for_case(case).results[0].case
    _mark(client, case, first)
    _mark(client, case, first, action="withdraw")
    mark = SimilarityFeedback.objects.get()
    assert mark.withdrawn_at is not None
    assert similar_for_case(case).results[0].marked is None


def test_feedback_needs_a_staff_member_who_sees_the_case(
    case, client, worker_demo, licheng_arbitrator, login
):
    target = LibraryCase.objects.first()
    assert _mark(client, case, target).status_code == 302  # to the login page
    assert _mark(login(worker_demo), case, target).status_code == 403
    assert _mark(login(licheng_arbitrator), case, target).status_code == 404  # other county
    assert not SimilarityFeedback.objects.exists()


def test_the_evaluation_page_is_for_staff(client, worker_demo, login):
    url = reverse("knowledge:similar-evaluation")
    assert client.get(url).status_code == 302
    assert login(worker_demo).get(url).status_code == 403


# -- the index, element by element -----------------------------------------------------------


def test_amounts_within_a_factor_of_two_are_in_range():
    assert amount_similarity(np.array([1.0, 2.0, 20.0, 100.0, np.inf])).tolist() == pytest.approx(
        [1.0, 1.0, 0.0, 0.0, 0.0]
    )
    assert 0 < amount_similarity(4.0) < 1


def test_each_element_counts_with_its_declared_weight(library):
    from zhongcai.knowledge.search import get_index

    overtime = CaseProfile(
        id=1,
        public=True,
        text="加班费 打卡",
        causes=("remuneration",),
        kinds=("overtime_pay",),
        amounts={"overtime_pay": 10000.0},
        termination="worker_resigned",
        region="370102",
        industry="P",
        articles=((1, 44, 0),),
    )
    injury = CaseProfile(
        id=2,
        public=True,
        text="工伤 死亡",
        causes=("work_injury",),
        kinds=("work_injury",),
        termination="death",
        region="370202",
        industry="R",
    )
    profiles = [overtime, injury]
    index = CaseIndex(profiles, get_index().tokenizer)
    query = Query(
        text="加班费 打卡",
        causes=("remuneration",),
        kinds=("overtime_pay",),
        amounts={"overtime_pay": 15000.0},
        termination="worker_resigned",
        region="370103",
        industry="P",
        articles={(1, 44, 0): "劳动法第四十四条"},
    )
    ranked, _words = index.rank(query, limit=5)
    assert [r.id for r in ranked] == [1]
    parts = ranked[0].contributions
    assert parts["text"] == pytest.approx(WEIGHTS.text)
    assert parts["claims"] == pytest.approx(WEIGHTS.claims)
    assert parts["amount"] == pytest.approx(WEIGHTS.amount)
    assert parts["articles"] == pytest.approx(WEIGHTS.articles)
    assert parts["region"] == pytest.approx(WEIGHTS.region * 0.6)  # same city, other county
    assert ranked[0].score == pytest.approx(sum(parts.values()))
