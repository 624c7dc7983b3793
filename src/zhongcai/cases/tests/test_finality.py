"""The final-award test of spec §3.3a, as pure functions (no database)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from zhongcai.cases import finality
from zhongcai.cases.finality import Ruling, WageStandard, item_finality, overall_finality
from zhongcai.cases.models import ClaimClass, Finality

JINAN = WageStandard(monthly=Decimal("2200.00"), place="济南市", effective_from=date(2023, 10, 1))


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def money(amount, *, outcome="granted", by_worker=True, claim_class=ClaimClass.MONEY):
    return Ruling(claim_class, outcome, Decimal(amount) if amount else None, by_worker)


def test_the_threshold_is_twelve_months_of_the_minimum_wage():
    assert JINAN.threshold == Decimal("26400.00")


def test_twelve_times_the_minimum_wage_exactly_is_final():
    result = item_finality(money("26400.00"), JINAN)
    assert result.final is True
    assert result.claim_class == ClaimClass.MONEY
    assert result.reason == "26,400.00 ≤ 26,400.00 (12 × 2,200.00, 济南市, from 2023-10-01)"


def test_one_yuan_more_is_not_final():
    result = item_finality(money("26401.00"), JINAN)
    assert result.final is False
    assert result.reason.startswith("26,401.00 > 26,400.00")


def test_a_small_money_item_is_final_with_its_reason():
    result = item_finality(money("9000"), JINAN)
    assert (result.final, result.reason) == (
        True,
        "9,000.00 ≤ 26,400.00 (12 × 2,200.00, 济南市, from 2023-10-01)",
    )


def test_a_standards_item_is_final_at_any_amount():
    ruling = money("999999.99", claim_class=ClaimClass.STANDARDS)
    result = item_finality(ruling, None)
    assert result.final is True
    assert "47(2)" in result.reason


def test_an_employers_claim_is_never_final():
    for claim_class in ClaimClass.values:
        result = item_finality(money("100", by_worker=False, claim_class=claim_class), JINAN)
        assert (result.final, result.claim_class) == (False, ClaimClass.OTHER)
        assert "employer" in result.reason


def test_another_claim_is_not_final():
    result = item_finality(money(None, claim_class=ClaimClass.OTHER), None)
    assert result.final is False


def test_a_rejected_money_item_follows_the_setting():
    rejected = money(None, outcome="rejected")
    assert item_finality(rejected, None).final is False
    assert item_finality(rejected, None, rejected_money_is_final=True).final is True


def test_the_setting_is_off_by_default(settings):
    assert finality.rejected_money_item_is_final() is False
    settings.CASES_REJECTED_MONEY_ITEM_IS_FINAL = True
    assert finality.rejected_money_item_is_final() is True


def test_a_granted_money_item_needs_the_standard():
    with pytest.raises(ValueError):
        item_finality(money("100"), None)
    assert finality.needs_standard([money("100")])
    assert not finality.needs_standard([money("100", claim_class=ClaimClass.STANDARDS)])


def test_claim_types_map_to_the_classes_of_article_47():
    assert finality.claim_class_of("remuneration") == ClaimClass.MONEY
    assert finality.claim_class_of("work_injury_medical") == ClaimClass.MONEY
    assert finality.claim_class_of("economic_compensation") == ClaimClass.MONEY
    assert finality.claim_class_of("damages") == ClaimClass.MONEY
    assert finality.claim_class_of("working_time_rest") == ClaimClass.STANDARDS
    assert finality.claim_class_of("social_insurance") == ClaimClass.STANDARDS
    assert finality.claim_class_of("reinstatement") == ClaimClass.OTHER


def test_the_overall_finality():
    assert overall_finality([True, True]) == Finality.FINAL
    assert overall_finality([False, False]) == Finality.NON_FINAL
    assert overall_finality([True, False]) == Finality.MIXED
    assert overall_finality([]) == Finality.NON_FINAL


def test_the_rights_notice_of_a_final_award():
    text = "".join(finality.rights_notice([(1, True), (2, True)]))
    assert "本裁决为终局裁决" in text
    assert "十五日内向人民法院提起诉讼" in text and "第四十八条" in text
    assert "三十日内" in text and "中级人民法院申请撤销裁决" in text
    assert "第五十条" not in text


def test_the_rights_notice_of_a_non_final_award():
    text = "".join(finality.rights_notice([(1, False)]))
    assert "第五十条" in text and "期满不起诉的，裁决书发生法律效力" in text
    assert "第四十八条" not in text and "第四十九条" not in text


def test_the_rights_notice_of_a_mixed_award_names_the_items():
    text = "".join(finality.rights_notice([(1, True), (2, False), (3, True)]))
    assert "本裁决第1项、第3项为终局裁决" in text
    assert "第2项为非终局裁决" in text
    assert "第二十条" in text  # 解释(一) art. 20: a mixed award sued is non-final as a whole
