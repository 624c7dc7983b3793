import pytest

from zhongcai.knowledge.numerals import article_label, parse_number, to_chinese


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("一", 1),
        ("十", 10),
        ("十七", 17),
        ("四十七", 47),
        ("一百", 100),
        ("一百一十", 110),
        ("一百二十三", 123),
        ("二百零五", 205),
        ("一千零一十", 1010),
        ("一千二百六十", 1260),
        ("47", 47),
        ("４７", 47),
    ],
)
def test_it_reads_statute_numbers(written, number):
    assert parse_number(written) == number


def test_it_refuses_what_is_not_a_number():
    assert parse_number("一二") is None
    assert parse_number("三人") is None


def test_it_writes_every_number_back_the_way_statutes_do():
    for number in range(1, 1300):
        assert parse_number(to_chinese(number)) == number
    assert to_chinese(10) == "十"
    assert to_chinese(1205) == "一千二百零五"


def test_article_labels_include_zhi_yi():
    assert article_label(123) == "第一百二十三条"
    assert article_label(10, 1) == "第十条之一"
