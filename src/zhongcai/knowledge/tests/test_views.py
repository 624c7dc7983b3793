"""The public pages and the search API: no login, 404 for what does not exist, few queries."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from zhongcai.knowledge.catalog import get_catalog
from zhongcai.knowledge.models import Article
from zhongcai.knowledge.search import get_index


@pytest.fixture
def warm(library):
    """The in-memory catalog and index, as a running server has them."""
    get_catalog()
    get_index()


def test_the_library_lists_laws_by_level_with_their_status(client, library):
    response = client.get(reverse("knowledge:law-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "中华人民共和国劳动合同法" in html
    assert html.index("中华人民共和国劳动合同法") < html.index("工伤保险条例")  # laws first
    assert 'class="law-badge status-repealed"' in html


def test_the_law_page_shows_the_law_by_chapter_in_few_queries(
    client, law, warm, django_assert_max_num_queries
):
    lcl = law("劳动合同法")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("knowledge:law-detail", args=[lcl.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "第四章 劳动合同的解除和终止" in html
    assert 'id="a47"' in html
    # 本法第四十七条 in 第八十七条 links to the article of the same text.
    assert f'href="/knowledge/laws/{lcl.pk}/articles/47/?version=' in html


def test_the_civil_code_is_shown_one_part_at_a_time(
    client, law, warm, django_assert_max_num_queries
):
    code = law("民法典")
    with django_assert_max_num_queries(6):
        first = client.get(reverse("knowledge:law-detail", args=[code.pk]))
    assert 'id="a1"' in first.content.decode() and 'id="a1259"' not in first.content.decode()
    last_part = code.versions.get().headings.get(depth=1, title="附则")
    last = client.get(reverse("knowledge:law-detail", args=[code.pk]), {"part": last_part.pk})
    assert 'id="a1259"' in last.content.decode()


def test_the_version_in_force_on_a_date(client, law):
    lcl = law("劳动合同法")
    url = reverse("knowledge:law-detail", args=[lcl.pk])
    assert "2013-07-01" in client.get(url, {"on": "2020-01-01"}).content.decode()
    approximate = client.get(url, {"on": "2010-01-01"})
    assert 'class="message warning"' in approximate.content.decode()
    before = client.get(url, {"on": "2001-01-01"})
    assert 'class="message error"' in before.content.decode()
    bad = client.get(url, {"on": "2020-13-45"})
    assert bad.status_code == 200 and 'class="error"' in bad.content.decode()


def test_an_article_with_its_items_neighbours_and_dates(
    client, law, warm, django_assert_max_num_queries
):
    lcl = law("劳动合同法")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("knowledge:article-detail", args=[lcl.pk, "39"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="p1-i5"' in html and "（五）" in html
    assert 'rel="prev"' in html and "第三十八条" in html
    assert 'rel="next"' in html and "第四十条" in html
    assert "2013-07-01" in html


def test_unknown_laws_versions_and_articles_are_404(client, law):
    lcl = law("劳动合同法")
    assert client.get(reverse("knowledge:law-detail", args=[999999])).status_code == 404
    assert client.get(reverse("knowledge:article-detail", args=[lcl.pk, "999"])).status_code == 404
    assert client.get(reverse("knowledge:article-detail", args=[999999, "1"])).status_code == 404
    other = law("劳动法").versions.get()
    url = reverse("knowledge:law-detail", args=[lcl.pk])
    assert client.get(url, {"version": other.pk}).status_code == 404
    wage_talks = law("山东省企业工资集体协商条例")
    assert (
        client.get(reverse("knowledge:article-detail", args=[wage_talks.pk, "16"])).status_code
        == 404
    )


def test_a_section_of_the_notice_has_its_page(client, law):
    notice = law("关于职工全年月平均工作时间和工资折算问题的通知")
    response = client.get(reverse("knowledge:article-detail", args=[notice.pk, "3"]))
    assert response.status_code == 200
    assert "21.75" in response.content.decode()


def test_the_search_page_answers_without_a_login(client, warm):
    response = client.get(reverse("knowledge:search"), {"q": "劳动合同法第47条"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("劳动合同法 第四十七条") < html.index("</ol>")
    assert "exact-badge" in html


@pytest.mark.parametrize("query", ["", "字" * 201])
def test_the_search_page_explains_a_bad_query(client, warm, query):
    response = client.get(reverse("knowledge:search"), {"q": query})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_the_search_page_filters_by_date(client, warm):
    response = client.get(
        reverse("knowledge:search"), {"q": "竞业限制", "on": "2022-01-01", "status": ""}
    )
    assert response.status_code == 200
    assert "劳动争议解释（四）" not in response.content.decode()


@override_settings(ROOT_URLCONF="zhongcai.knowledge.tests.urls")
def test_the_search_api_answers_anyone_in_json(warm):
    client = APIClient()
    response = client.get("/api/v1/knowledge/search", {"q": "劳动合同法 第47条"})
    assert response.status_code == 200
    body = response.json()
    first = body["results"][0]
    assert body["exact"] is True and first["exact"] is True
    assert first["law"]["title"] == "中华人民共和国劳动合同法"
    assert (
        first["article"]["number"],
        first["article"]["number_cn"],
        first["article"]["label"],
    ) == (
        47,
        "四十七",
        "第四十七条",
    )
    assert first["url"].startswith("http://testserver/knowledge/laws/")
    assert isinstance(first["score"], float)
    assert "snippet" in first and body["count"] >= 1


@override_settings(ROOT_URLCONF="zhongcai.knowledge.tests.urls")
@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "字" * 201}, {"q": "工资", "level": "x"}])
def test_the_search_api_refuses_a_bad_query(warm, params):
    response = APIClient().get("/api/v1/knowledge/search", params)
    assert response.status_code == 400
    assert response.json()


@override_settings(ROOT_URLCONF="zhongcai.knowledge.tests.urls")
def test_the_search_api_filters(warm):
    response = APIClient().get(
        "/api/v1/knowledge/search",
        {"q": "经济补偿", "level": "judicial_interpretation", "on": "2022-01-01"},
    )
    results = response.json()["results"]
    assert results and {r["law"]["level"] for r in results} == {"judicial_interpretation"}
    assert {r["law"]["status"] for r in results} == {"in_force"}


def test_article_text_has_no_inline_script_or_style(client, law):
    lcl = law("劳动合同法")
    html = client.get(reverse("knowledge:law-detail", args=[lcl.pk])).content.decode()
    assert "<script>" not in html and "style=" not in html
    assert Article.objects.filter(version__law=lcl).count() == 98


def test_the_similar_page_asks_for_a_description(client, library):
    url = reverse("knowledge:similar")
    empty = client.get(url)
    assert empty.status_code == 200 and 'class="hit similar-hit' not in empty.content.decode()
    blank = client.get(url, {"q": "  "}).content.decode()
    assert 'class="error"' in blank
    long = client.get(url, {"q": "加" * 1001}).content.decode()
    assert 'class="error"' in long and 'class="hit similar-hit' not in long


def test_the_similar_page_says_what_it_read_and_why(client, library):
    html = client.get(
        reverse("knowledge:similar"), {"q": "公司不支付加班费，我每周工作6天，要求加班费1万元"}
    ).content.decode()
    assert 'class="card read-back"' in html
    assert html.count('class="hit similar-hit') >= 3
    assert 'class="reason-list matches"' in html
    assert "劳动法第四十四条" in html  # the articles likely to apply
