"""Law push: every example of the rules file, and the version in force at the time of the facts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from zhongcai.cases.tests.factories import received
from zhongcai.knowledge.elements import termination_reason
from zhongcai.knowledge.lawpush import (
    claims_from_spec,
    facts_date,
    law_push_for_case,
    law_push_for_text,
    legal_basis_for,
    load_rules,
    push_articles,
)
from zhongcai.knowledge.models import Law

RULES, EXAMPLES = load_rules()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["why"] for e in EXAMPLES])
def test_the_rules_file_example(library, example):
    push = push_articles(
        facts=example["facts"],
        claims=claims_from_spec(example["claims"]),
        termination=termination_reason(example["facts"]),
        on=date.fromisoformat(example["on"]),
    )
    pushed = [a.citation for a in push.articles]
    assert [e for e in example["expect"] if e not in pushed] == []
    assert [n for n in example["never"] if n in pushed] == []
    assert all(a.reasons for a in push.articles)


def test_every_article_of_the_rules_file_exists_in_some_version(library):
    from zhongcai.knowledge.catalog import get_catalog
    from zhongcai.knowledge.citations import find_citations

    catalog = get_catalog()
    missing = []
    for rule in RULES:
        for written in rule.articles:
            found = find_citations(written, catalog=catalog)
            if len(found) != 1 or found[0].article_id is None:
                missing.append((rule.id, written))
    assert missing == []


OVERTIME = claims_from_spec([{"type": "remuneration", "description": "支付加班费"}])


def _cited(on: date) -> list[str]:
    push = push_articles(facts="公司不认可考勤记录。", claims=OVERTIME, on=on)
    return [a.citation for a in push.articles]


def test_the_version_in_force_at_the_facts_is_pushed(library, law):
    assert "劳动争议解释（三）第九条" in _cited(date(2020, 12, 31))
    assert "劳动争议解释（一）第四十二条" not in _cited(date(2020, 12, 31))
    assert "劳动争议解释（一）第四十二条" in _cited(date(2021, 1, 1))
    push = push_articles(facts="", claims=OVERTIME, on=date(2016, 5, 1))
    lcl = next(a for a in push.articles if a.citation == "劳动合同法第三十一条")
    # Facts of 2016: the 2012 amendment, in force since 2013-07-01.
    assert lcl.effective_from == date(2013, 7, 1) and not lcl.approximate
    early = push_articles(facts="", claims=OVERTIME, on=date(2010, 5, 1))
    lcl = next(a for a in early.articles if a.citation == "劳动合同法第三十一条")
    # The library holds no 2007 text: the earliest text, said to be so.
    assert lcl.approximate


def test_a_repealed_interpretation_is_never_pushed_after_its_repeal(library):
    repealed = {law.short_title for law in Law.objects.filter(status=Law.Status.REPEALED)}
    assert repealed
    claims = claims_from_spec(
        [
            {"type": "remuneration", "description": "支付加班费"},
            {"type": "other", "description": "支付竞业限制补偿"},
            {"type": "damages", "description": "违法解除劳动合同赔偿金"},
        ]
    )
    facts = "公司不认可考勤，要求签字确认结清，规章制度，调岗，退休。"
    day = date(2021, 1, 1)
    while day < date(2026, 1, 1):
        push = push_articles(facts=facts, claims=claims, on=day, search=True)
        assert not [a.citation for a in push.articles if a.law_short_title in repealed], day
        day += timedelta(days=97)


def test_every_article_says_why(library):
    push = law_push_for_text(
        "我2021年入职某快递公司，公司一直没签劳动合同，要求支付二倍工资3万元。"
    )
    assert push.articles[0].citation == "劳动合同法第八十二条"
    assert all(a.reasons for a in push.articles)
    assert any("二倍工资" in why for why in push.articles[0].reasons)


@time_machine.travel("2026-09-10 10:00 +0800")
def test_a_case_s_facts_date_comes_from_its_facts(lixia_intake, library):
    case = received(lixia_intake)
    # The factories' facts: wages unpaid from 2026-06 to 2026-08.
    assert facts_date(case) == (date(2026, 8, 1), "facts")
    case.facts_and_reasons = "被申请人拖欠工资。"
    assert facts_date(case) == (date(2026, 9, 10), "received")


@time_machine.travel("2026-09-10 10:00 +0800")
def test_the_push_for_a_case_built_through_services(lixia_intake, library):
    case = received(lixia_intake)
    push = law_push_for_case(case)
    cited = [a.citation for a in push.articles]
    assert cited[0] == "劳动合同法第三十条"
    assert {"劳动法第五十条", "劳动合同法第四十六条", "劳动合同法第四十七条"} <= set(cited)
    wages = push.articles[0]
    assert any("支付拖欠工资" in why for why in wages.reasons)
    assert [a.citation for a in legal_basis_for(case)] == cited
