"""One matter, one proceeding (办案规则 arts. 34, 35, 39) once cases close after acceptance."""

from zhongcai.cases import checks, closing
from zhongcai.cases.tests import factories
from zhongcai.cases.workflow import transition


def _codes_and_messages(case):
    return [(f.code, f.message) for f in checks.duplicate_findings(case)]


def test_a_matter_deemed_withdrawn_cannot_be_brought_again(
    institutions, lixia_intake, lixia_head, lixia_clerk
):
    first = factories.tribunal_formed(factories.accepted(lixia_intake, lixia_head), lixia_head)
    first = factories.in_defence_period(first, lixia_clerk)
    first = factories.hearing_scheduled(first, lixia_clerk)
    transition(first, "deem_withdrawn", by=lixia_head)
    again = factories.received(lixia_intake)
    findings = _codes_and_messages(again)
    assert [code for code, _ in findings] == ["duplicate"]
    assert "第三十九条" in findings[0][1]


def test_a_withdrawn_matter_may_be_brought_again(institutions, lixia_intake, lixia_head):
    first = factories.accepted(lixia_intake, lixia_head)
    closing.case_withdraw(by=lixia_head, case=first, reasons="申请人与用人单位和解")
    again = factories.received(lixia_intake)
    assert _codes_and_messages(again) == []


def test_a_pending_case_blocks_the_same_matter(institutions, lixia_intake, lixia_head):
    first = factories.tribunal_formed(factories.accepted(lixia_intake, lixia_head), lixia_head)
    assert first.status == "panel_formed"
    again = factories.received(lixia_intake)
    assert [code for code, _ in _codes_and_messages(again)] == ["duplicate"]
