"""Search: article references land first, words find the right articles, filters hold."""

from __future__ import annotations

from datetime import date

import jieba
import pytest

from zhongcai.knowledge import search as search_module
from zhongcai.knowledge.importer import import_laws
from zhongcai.knowledge.models import Law
from zhongcai.knowledge.search import Document, SearchQueryError, search, snippet
from zhongcai.knowledge.terms import library_terms

from .test_importer import _new_lcl_version


@pytest.mark.parametrize(
    "query",
    [
        "劳动合同法 第47条",
        "劳动合同法第47条",
        "劳动合同法第四十七条",
        "《劳动合同法》第四十七条",
        "中华人民共和国劳动合同法第四十七条",
        "LCL 47",
        "lcl47",
        "劳动合同法 47",
        "劳动合同法第四十七条第二款",
    ],
)
def test_every_written_form_of_an_article_lands_first(library, query):
    results = search(query)
    first = results.hits[0]
    assert results.exact and first.exact
    assert (first.law_short_title, first.number, first.label) == ("劳动合同法", 47, "第四十七条")


def test_the_interpretation_named_by_its_ordinal(library):
    first = search("解释（一）第十九条").hits[0]
    assert (first.law_short_title, first.number, first.exact) == ("劳动争议解释（一）", 19, True)
    older = search("解释（一）第十九条", on=date(2015, 1, 1)).hits[0]
    assert (older.law_short_title, older.number, older.exact) == ("劳动争议解释", 19, True)


@pytest.mark.parametrize(
    ("query", "law", "number"),
    [
        ("经济补偿 工作年限", "劳动合同法", 47),
        ("未签订书面劳动合同 二倍工资", "劳动合同法", 82),
        ("竞业限制条款", "劳动合同法", 23),
        ("仲裁时效 一年", "劳动争议调解仲裁法", 27),
        ("月计薪天数", "关于职工全年月平均工作时间和工资折算问题的通知", None),
        ("上下班途中 交通事故 工伤", "工伤保险条例", 14),
    ],
)
def test_words_find_the_right_article_in_the_top_three(library, query, law, number):
    top = [(hit.law_short_title, hit.number) for hit in search(query).hits[:3]]
    assert (law, number) in top


def test_snippets_are_escaped_and_marked(library):
    hit = search("经济补偿 工作年限").hits[0]
    assert "<mark>" in hit.snippet
    assert (
        str(snippet("a<b>经济补偿</b>", ["经济补偿"]))
        == "a&lt;b&gt;<mark>经济补偿</mark>&lt;/b&gt;"
    )


def test_the_level_filter(library):
    hits = search("经济补偿", level="judicial_interpretation").hits
    assert hits and {hit.level for hit in hits} == {"judicial_interpretation"}


def test_the_status_filter(library):
    hits = search("竞业限制", status="repealed").hits
    assert hits and {hit.status for hit in hits} == {"repealed"}


def test_a_repealed_interpretation_never_appears_for_a_date_after_its_repeal(library):
    repealed = {"劳动争议解释", "劳动争议解释（二）", "劳动争议解释（三）", "劳动争议解释（四）"}
    before = {hit.law_short_title for hit in search("竞业限制", on=date(2020, 6, 1), limit=50).hits}
    after = {hit.law_short_title for hit in search("竞业限制", on=date(2021, 6, 1), limit=50).hits}
    assert before & repealed
    assert not after & repealed
    assert not search("劳动争议解释（四）第九条", on=date(2021, 6, 1)).exact


def test_without_a_date_the_text_in_force_ranks_before_the_repealed_twin(library):
    titles = [hit.law_short_title for hit in search("解除竞业限制协议 额外支付三个月").hits[:2]]
    assert titles[0] == "劳动争议解释（一）"


@pytest.mark.parametrize("query", ["", "   ", None, "字" * 201])
def test_a_bad_query_is_refused_with_a_reason(library, query):
    with pytest.raises(SearchQueryError) as caught:
        search(query)
    assert str(caught.value)


def test_an_unknown_filter_is_refused(library):
    with pytest.raises(SearchQueryError):
        search("工资", level="decree")


def test_the_index_follows_the_library(law, laws_dir):
    _new_lcl_version(
        laws_dir,
        version_date="2030-01-01",
        effective="2030-02-01",
        change="每满一年支付十个月工资的标准",
    )
    assert not search("十个月工资").hits or search("十个月工资").hits[0].number != 47
    import_laws(laws_dir)
    now = search("每满一年支付十个月工资", on=date(2030, 3, 1)).hits[0]
    assert (now.law_short_title, now.number, now.effective_from) == (
        "劳动合同法",
        47,
        date(2030, 2, 1),
    )
    then = search("劳动合同法第四十七条", on=date(2020, 3, 1)).hits[0]
    assert then.effective_to == date(2030, 1, 31)


def test_documents_that_are_not_public_stay_out_of_public_search(library, monkeypatch):
    class StaffOnly:
        kind = "staff_note"

        def revision(self):
            return 1

        def documents(self):
            return [Document("staff_note", 1, "内部", "竞业限制 内部备忘录", public=False)]

        def vocabulary(self, documents):
            return set()

    monkeypatch.setattr(search_module, "SOURCES", [*search_module.SOURCES, StaffOnly()])
    index = search_module.get_index()
    position = index.positions[("staff_note", 1)]
    assert not index.public[position]
    assert all(hit.kind == "article" for hit in search("内部备忘录", limit=50).hits)


def test_the_dictionary_comes_from_the_library(library):
    terms = library_terms(["中华人民共和国劳动合同法", "劳动合同法"], ["劳务派遣"], [])
    assert {"劳动合同法", "劳务派遣", "二倍工资"} <= terms
    # Mined from the articles: none of these is a word of jieba's own dictionary.
    tokenizer = search_module.get_index().tokenizer
    for term in ("竞业限制", "经济补偿", "劳务派遣", "工作年限", "停工留薪期", "劳动能力鉴定"):
        assert not jieba.dt.FREQ.get(term), term
        assert tokenizer.is_word(term), term
    assert tokenizer.tokens("竞业限制")[0] == "竞业限制"
    assert set(tokenizer.tokens("经济补偿金")) >= {"经济补偿金", "经济补偿"}


def test_an_empty_library_answers_nothing_rather_than_failing(library):
    Law.objects.all().delete()
    results = search("经济补偿")
    assert (results.total, results.hits, results.exact) == (0, [], False)
