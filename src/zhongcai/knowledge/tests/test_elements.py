"""The element rules against the hand-checked elements of the shipped typical cases.

These tests pin down how well the rules of data/case_element_rules.json read the ten cases —
the figures docs/adr/0006-similar-cases.md quotes. A change to the rules that reads one more case
right must update the sets below; one that reads a case wrong fails.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal

import pytest

from zhongcai.knowledge.caselibrary import MANIFEST, SHIPPED_CASES, _read_text
from zhongcai.knowledge.elements import (
    amounts,
    claim_kind,
    claims_in_description,
    dates,
    read_case_text,
    read_outcomes,
    termination_reason,
)

HAND = json.loads((SHIPPED_CASES / "ELEMENTS.json").read_text(encoding="utf-8"))["cases"]
ALL = {f"{n:02d}" for n in range(1, 11)}


_READ: dict[str, tuple] = {}


@pytest.fixture
def read_by_rules(db):
    """Each shipped case as the rules read it, with its hand-checked elements (read once)."""
    if not _READ:
        with (SHIPPED_CASES / MANIFEST).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                sections, _headings = _read_text(SHIPPED_CASES, 2, row, [])
                _READ[row["key"][-2:]] = (
                    read_case_text(
                        facts=sections["facts"],
                        claims_text=sections["claims_text"],
                        outcome_text=sections["outcome_text"],
                        reasoning=sections.get("reasoning", ""),
                        decided_on=date(2021, 8, 1),
                    ),
                    HAND[row["key"]],
                )
    return _READ


def _agree(read_by_rules, same) -> set[str]:
    return {n for n, (rules, hand) in read_by_rules.items() if same(rules, hand)}


def _money(value: str) -> Decimal | None:
    return Decimal(value) if value else None


def test_claims_amounts_and_outcomes(read_by_rules):
    def same(rules, hand):
        return [(c.kind, c.amount_claimed, c.amount_awarded, c.outcome) for c in rules.claims] == [
            (c["kind"], _money(c["claimed"]), _money(c["awarded"]), c["outcome"])
            for c in hand["claims"]
        ]

    # Case 05 also lists the dispatching unit's own requests as a claim item.
    assert _agree(read_by_rules, same) == ALL - {"05"}


def test_termination_reason(read_by_rules):
    assert (
        _agree(read_by_rules, lambda r, h: r.termination_reason == h["termination_reason"]) == ALL
    )


def test_industry(read_by_rules):
    # Case 03 names a technology company (the dispatching unit) and a courier (the user).
    assert _agree(read_by_rules, lambda r, h: r.industry == h["industry"]) == ALL - {"03"}


def test_causes(read_by_rules):
    # The hand adds 工作时间 where the dispute turned on overtime but the claim was not overtime.
    assert _agree(read_by_rules, lambda r, h: set(r.causes) == set(h["causes"])) == ALL - {
        "04",
        "05",
        "09",
    }


def test_dates(read_by_rules):
    def month(value):
        return f"{value:%Y-%m}" if value else ""

    assert (
        _agree(read_by_rules, lambda r, h: month(r.employment_start) == h["employment_start"][:7])
        == ALL
    )
    # 02, 04: the text says 半年后, 2个月后; 08: it does not say when the employment ended.
    assert _agree(
        read_by_rules, lambda r, h: month(r.employment_end) == h["employment_end"][:7]
    ) == ALL - {"02", "04", "08"}


def test_cited_articles(read_by_rules):
    cited = {n: [c.text for c in rules.citations] for n, (rules, _hand) in read_by_rules.items()}
    assert cited["01"] == [
        "劳动争议调解仲裁法第二十七条",
        "劳动法第四十四条",
        "关于工资总额组成的规定第四条",
    ]
    assert cited["04"] == ["劳动法第四十一条", "劳动法第四十三条", "劳动合同法第二十六条"]
    assert cited["05"][-1] == "《国务院关于职工工作时间的规定》第三条"
    assert cited["10"] == ["劳动法第四十四条", "工资支付暂行规定第十三条"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("支付拖欠工资", "unpaid_wages"),
        ("支付解除劳动合同经济补偿", "economic_compensation"),
        ("支付未签订书面劳动合同二倍工资差额", "double_wages"),
        ("支付违法解除劳动合同赔偿金", "unlawful_termination"),
        ("支付竞业限制经济补偿", "non_compete"),
        ("支付未休年休假工资", "annual_leave_pay"),
        ("支付工伤赔偿金", "work_injury"),
        ("出具离职证明", "documents"),
        ("赔礼道歉", None),
    ],
)
def test_a_claim_s_kind_by_its_longest_words(text, kind):
    assert claim_kind(text) == kind


def test_amounts_in_yuan():
    assert amounts("共计1,193,821元，另付2.5万元和300.50元") == [
        Decimal("1193821.0"),
        Decimal("25000.0"),
        Decimal("300.50"),
    ]


def test_a_rejection_of_the_rest_rejects_what_no_clause_granted():
    claims = read_outcomes(
        "裁决支付未休年休假工资3000元，驳回其他仲裁请求。",
        list(claims_in_description("年休假3000元；加班费5000元")),
    )
    assert [(c.kind, c.outcome) for c in claims] == [
        ("annual_leave_pay", "granted"),
        ("overtime_pay", "rejected"),
    ]


def test_an_appeal_overrides_the_first_instance():
    claims = read_outcomes(
        "一审法院判决：驳回加班费的诉讼请求。二审法院改判：支付加班费2000元。二审法院判决：驳回上诉，维持原判。",
        claims_in_description("加班费5000元"),
    )
    assert [(c.amount_awarded, c.outcome) for c in claims] == [(Decimal("2000.0"), "partly")]


def test_a_description_s_claims_termination_and_dates():
    text = "我 2020 年 3 月入职，公司以我严重违反规章制度为由辞退我，要求经济补偿9000元、加班费。"
    assert [(c.kind, c.amount_claimed) for c in claims_in_description(text)] == [
        ("economic_compensation", Decimal("9000.0")),
        ("overtime_pay", None),
    ]
    assert termination_reason(text) == "misconduct"
    assert dates(text)[0] == date(2020, 3, 1)
