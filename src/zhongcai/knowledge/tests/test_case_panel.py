"""The push on the staff case page: law and similar cases, in a bounded number of queries."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhongcai.cases.tests.factories import received
from zhongcai.knowledge.models import LibraryCase, LibraryCitation, LibraryClaim
from zhongcai.knowledge.reasons import similar_for_case

FACTS = "申请人2025年3月入职，每周工作6天，每天打卡，被申请人不支付加班费，申请人于2026年7月辞职。"


@pytest.fixture
def case(lixia_intake, library):
    with time_machine.travel("2026-09-10 10:00 +0800"):
        return received(
            lixia_intake,
            facts_and_reasons=FACTS,
            claims=[
                {"type": "remuneration", "description": "支付加班费", "amount": "20000"},
                {"type": "economic_compensation", "description": "支付经济补偿", "amount": "9000"},
            ],
        )


def _page(client, case) -> str:
    response = client.get(reverse("cases:case-detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_page_shows_the_law_push_and_similar_cases(case, lixia_arbitrator, login):
    html = _page(login(lixia_arbitrator), case)
    panel = html[html.index('id="case-push"') :]
    assert "劳动法第四十四条" in panel and "劳动合同法第四十六条" in panel
    assert "支付加班费" in panel  # the claim that triggered an article
    assert 'class="hit similar-hit' in panel
    assert "mohrss-spc-2021-2-" not in panel  # keys are not shown; titles are
    assert "处理加班费争议，如何分配举证责任" in panel
    assert 'name="action" value="mark"' in panel


def test_the_push_cites_the_text_in_force_at_the_facts(case):
    push = similar_for_case(case).law_push
    assert push.on.year == 2026 and push.on_source == "facts"
    cited = [a.citation for a in push.articles]
    assert "劳动争议解释（一）第四十二条" in cited
    assert "劳动争议解释（三）第九条" not in cited


def _more_library_cases(n: int) -> None:
    template = LibraryCase.objects.get(key="mohrss-spc-2021-2-06")
    for i in range(n):
        copy = LibraryCase.objects.get(pk=template.pk)
        copy.pk = None
        copy.key = f"copy-{i}"
        copy.save()
        for claim in template.claims.all():
            claim.pk, claim.case = None, copy
            claim.save()
        for citation in template.citations.all():
            citation.pk, citation.case = None, copy
            citation.save()


def test_the_panel_costs_a_bounded_number_of_queries(case, lixia_arbitrator, login):
    client = login(lixia_arbitrator)
    _page(client, case)  # the indexes and catalog are built once per process
    with CaptureQueriesContext(connection) as first:
        _page(client, case)
    _more_library_cases(6)
    _page(client, case)  # rebuild the case index after the change
    with CaptureQueriesContext(connection) as later:
        html = _page(client, case)
    assert html.count('class="hit similar-hit') == 5
    assert len(later) == len(first)
    panel = [q["sql"] for q in later if "knowledge_" in q["sql"]]
    # Revision checks (laws, cases), the results, their claims and citations, article
    # excerpts, the marks: nothing per result.
    assert len(panel) <= 8, panel
    assert LibraryClaim.objects.count() > 10 and LibraryCitation.objects.count() > 10


def test_the_panel_of_an_empty_draft_says_there_is_nothing_yet(lixia_intake, library, login):
    from zhongcai.cases.tests.factories import draft

    case = draft(lixia_intake, facts_and_reasons="", claims=[], causes=[])
    html = _page(login(lixia_intake), case)
    panel = html[html.index('id="case-push"') :]
    assert 'class="hit similar-hit' not in panel
    assert 'class="push-item' not in panel
