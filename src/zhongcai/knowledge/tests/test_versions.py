"""The version in force on a date."""

from __future__ import annotations

from datetime import date

import pytest

from zhongcai.knowledge.catalog import get_catalog
from zhongcai.knowledge.selectors import choose_version


@pytest.fixture
def interpretation_ii(law):
    return law("劳动争议解释（二）")


def test_the_current_text_without_a_date(law):
    lcl = law("劳动合同法")
    choice = choose_version(lcl)
    assert choice.version.effective_to is None
    assert not choice.approximate and not choice.not_in_force


def test_a_repealed_law_is_in_force_until_the_day_before_its_repeal(interpretation_ii):
    version = interpretation_ii.versions.get()
    assert version.effective_to == date(2020, 12, 31)
    assert choose_version(interpretation_ii, on=date(2020, 12, 31)).not_in_force is False
    assert choose_version(interpretation_ii, on=date(2021, 1, 1)).not_in_force is True
    catalog = get_catalog()
    entry = catalog.laws[interpretation_ii.pk]
    assert catalog.version_on(entry, date(2020, 12, 31)) is not None
    assert catalog.version_on(entry, date(2021, 1, 1)) is None
    # Without a date: its last text, so old awards can still be read.
    assert catalog.version_on(entry, None).version.id == version.pk


def test_facts_older_than_the_text_held_get_the_earliest_text_marked_approximate(law):
    lcl = law("劳动合同法")  # in force since 2008-01-01; the text held is of 2012, from 2013-07-01
    choice = choose_version(lcl, on=date(2010, 6, 1))
    assert choice.approximate and not choice.not_in_force
    catalog = get_catalog()
    assert catalog.version_on(catalog.laws[lcl.pk], date(2010, 6, 1)).approximate


def test_before_the_law_existed_nothing_was_in_force(law):
    lcl = law("劳动合同法")
    assert choose_version(lcl, on=date(2007, 12, 31)).not_in_force
    catalog = get_catalog()
    assert catalog.version_on(catalog.laws[lcl.pk], date(2007, 12, 31)) is None


def test_a_name_means_the_law_in_force_on_the_date(law):
    catalog = get_catalog()
    assert catalog.resolve_name("解释（一）", date(2015, 1, 1)).title == (
        "最高人民法院关于审理劳动争议案件适用法律若干问题的解释"
    )
    assert catalog.resolve_name("解释（一）", date(2022, 1, 1)).title == (
        "最高人民法院关于审理劳动争议案件适用法律问题的解释（一）"
    )
    assert catalog.resolve_name("解释（一）", None).title.endswith("问题的解释（一）")
