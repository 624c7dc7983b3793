"""Citation recognition: every worked example of the rules file is a test."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template

from zhongcai.knowledge.catalog import get_catalog
from zhongcai.knowledge.citations import (
    CitationContext,
    Problem,
    cited_by,
    find_citations,
    link_citations,
    load_rules,
)
from zhongcai.knowledge.models import Article, Law

EXAMPLES = load_rules()["examples"]


def _context(spec: dict | None) -> CitationContext | None:
    if spec is None:
        return None
    law = Law.objects.get(title=spec["law"])
    return CitationContext(
        law_id=law.pk, article_number=spec.get("article"), paragraph=spec.get("paragraph")
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["why"] for e in EXAMPLES])
def test_the_rules_file_example(library, example):
    on = date.fromisoformat(example["on"])
    found = find_citations(example["text"], on=on, context=_context(example.get("context")))
    got = [
        {
            "match": c.text,
            "law": c.law_title,
            "article": c.article_number,
            "suffix": c.article_suffix,
            "paragraph": c.paragraph,
            "paragraph_to": c.paragraph_to,
            "item": c.item,
            "problem": c.problem,
        }
        for c in found
    ]
    want = [
        {
            "match": e["match"],
            "law": e["law"],
            "article": e.get("article"),
            "suffix": e.get("suffix", 0),
            "paragraph": e.get("paragraph"),
            "paragraph_to": e.get("paragraph_to"),
            "item": e.get("item"),
            "problem": e.get("problem"),
        }
        for e in example["expect"]
    ]
    assert got == want
    for citation, expected in zip(found, example["expect"], strict=True):
        assert example["text"][citation.start : citation.end] == expected["match"]
        if "version_date" in expected:
            assert citation.version_date == date.fromisoformat(expected["version_date"])
        assert citation.approximate == expected.get("approximate", False)
        linked = expected.get("linked", True)
        assert (citation.url is not None) == linked
        if linked and expected.get("article"):
            article = Article.objects.select_related("version").get(pk=citation.article_id)
            assert article.number == expected["article"]
            assert article.version.in_force_on(on) or citation.approximate


def test_a_repealed_interpretation_is_never_linked_after_its_repeal(library):
    text = "《最高人民法院关于审理劳动争议案件适用法律若干问题的解释（三）》第九条"
    before = find_citations(text, on=date(2020, 12, 31))
    after = find_citations(text, on=date(2021, 1, 1))
    assert before[0].article_id is not None and before[0].law_repealed
    assert after[0].article_id is None and after[0].version_id is None
    assert after[0].problem == Problem.NOT_IN_FORCE
    assert after[0].url is None


def test_links_are_escaped_html(library):
    html = link_citations("<b>依据</b>《劳动合同法》第四十七条&", on=date(2023, 1, 1))
    assert html.startswith('&lt;b&gt;依据&lt;/b&gt;<a class="citation" href="/knowledge/laws/')
    assert "#" not in html.split('href="')[1].split('"')[0]  # no paragraph: no anchor
    assert html.endswith("</a>&amp;")


def test_a_paragraph_citation_links_to_its_anchor(library):
    (citation,) = find_citations("《劳动合同法》第三十八条第一款第（二）项", on=date(2023, 1, 1))
    assert citation.url.endswith("#p1-i2")


def test_a_not_in_force_citation_is_marked_not_linked(library):
    html = link_citations("解释（二）第六条", on=date(2022, 1, 1))
    assert "<a " not in html
    assert 'class="citation citation-stale"' in html


def test_the_template_filter_and_tag(library, law):
    lcl = law("劳动合同法")
    article = Article.objects.select_related("version").get(version__law=lcl, number=87)
    rendered = Template(
        "{% load knowledge %}{{ text|cite_links:on }}|{% cite_links_in own article=article %}"
    ).render(
        Context(
            {
                "text": "劳动合同法第47条",
                "on": date(2023, 1, 1),
                "own": "本法第四十七条",
                "article": article,
            }
        )
    )
    first, second = rendered.split("|")
    assert first.count("<a ") == 1 and second.count("<a ") == 1
    assert "/articles/47/" in first and "/articles/47/" in second


def test_articles_know_where_the_library_cites_them(law):
    lcl = law("劳动合同法")
    article_47 = Article.objects.get(version__law=lcl, number=47)
    citing = {
        (entry.law_id, entry.number) for entry in cited_by(article_47.pk, catalog=get_catalog())
    }
    assert (
        lcl.pk,
        87,
    ) in citing  # 劳动合同法第八十七条: 依照本法第四十七条规定的经济补偿标准的二倍
    assert (law("劳动合同法实施条例").pk, 22) in citing
