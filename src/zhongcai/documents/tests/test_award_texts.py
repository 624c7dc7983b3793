"""The 裁决书 in its forms and the 调解书, as their templates lay them out (spec §5.2).

Each award is made through the award services, which freeze its content with the catalogue
template of its kind; the tests read the frozen blocks, the document as issued. No PDF here.
"""

from decimal import Decimal

import pytest

from zhongcai.cases import award, closing, evidence, finality
from zhongcai.cases.models import Attendance, Award, DocumentKind, Party
from zhongcai.cases.tests import factories
from zhongcai.documents.markup import Block, plain_text

FACTS = {
    "facts": "申请人于2024年3月入职被申请人处，被申请人拖欠2026年6月至8月工资。",
    "reasoning": "被申请人未足额支付劳动报酬，应予补足。",
    "legal_basis": "《中华人民共和国劳动合同法》第三十条\n《中华人民共和国劳动合同法》第四十六条",
}
# spec §5.2, in order.
SECTIONS = (
    "济南市历下区劳动人事争议仲裁委员会",
    "申请人：王秀英",
    "被申请人：济南示例商贸有限公司",
    "法定代表人：赵建国，执行董事。",
    "劳动报酬争议一案",
    "本委指定仲裁员",
    "仲裁请求：",
    "1. 支付拖欠工资（人民币12,000.00元）",
    "被申请人答辩意见：",
    "经审理查明：",
    "本委认为：",
    "法律依据：",
    "裁决如下：",
)


@pytest.fixture
def case(institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator):
    factories.award_wage()
    case = factories.heard(lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator)
    award.mediation_attempt_record(by=lixia_arbitrator, case=case, outcome="failed")
    return case


def blocks_of(document) -> list[Block]:
    return [Block.from_json(b) for b in document.rendition.content]


def text_of(document) -> str:
    return plain_text(blocks_of(document))


def assert_in_order(text: str, parts) -> None:
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, (part, text[at:])
        at = found + len(part)


def make(case, arbitrator, amounts):
    made = award.award_make(
        by=arbitrator, case=case, items=factories.award_items(case, amounts), **FACTS
    )
    assert made.document.rendition.code == "award"
    return made


def test_a_final_award_states_every_section_in_order(case, lixia_arbitrator):
    made = make(case, lixia_arbitrator, {1: "9000.00", 2: "26400.00"})
    text = text_of(made.document)
    assert_in_order(
        text,
        (
            *SECTIONS,
            "一、",
            "本项为终局裁决。",
            "二、",
            "本项为终局裁决。",
            "本裁决为终局裁决，自作出之日起发生法律效力",
            "第四十八条",
            "第四十九条",
            "第五十一条",
            "仲裁员　",
            "书记员　杨静",
            "本件与原本核对无异",
        ),
    )
    assert "非终局" not in text
    assert "金额：人民币9,000.00元（人民币玖仟元整）" in text
    assert "金额：人民币26,400.00元（人民币贰万陆仟肆佰元整）" in text
    assert "于本裁决生效之日起十日内履行" in text
    assert "十二个月金额为26,400.00元" in text
    assert "被申请人未提交书面答辩意见。" in text
    kinds = [b.kind for b in blocks_of(made.document)]
    assert kinds[:3] == ["caption", "title", "number"]
    assert kinds[-1] == "note" and "seal" in kinds and "date" in kinds
    assert blocks_of(made.document)[1].text == "裁决书"
    assert blocks_of(made.document)[2].text == case.case_number


def test_a_non_final_award_gives_both_sides_fifteen_days(case, lixia_arbitrator):
    made = make(case, lixia_arbitrator, {1: "30000.00", 2: "30000.00"})
    text = text_of(made.document)
    assert text.count("本项为非终局裁决。") == 2
    assert "本项为终局裁决" not in text
    assert "当事人对本裁决不服的，可以自收到裁决书之日起十五日内向人民法院提起诉讼" in text
    assert "第四十九条" not in text
    assert "人民币叁万元整" in text


def test_a_mixed_award_states_each_items_finality_and_the_rights_of_each(case, lixia_arbitrator):
    made = make(case, lixia_arbitrator, {1: "9000.00", 2: "30000.00"})
    text = text_of(made.document)
    assert_in_order(
        text,
        (
            "裁决如下：",
            "一、",
            "本项为终局裁决。",
            "二、",
            "本项为非终局裁决。",
            "本裁决第1项为终局裁决",
            "第2项为非终局裁决",
            "劳动者对本裁决第1项不服的",
            "第四十九条",
            "当事人对本裁决第2项不服的",
            "本裁决全部按非终局裁决处理",
            "第五十一条",
        ),
    )
    # The statements are the finality module's, in the template and in the body alike.
    notice = finality.rights_notice([(1, True), (2, False)])
    assert made.document.data["sections"]["rights"] == notice
    assert all(paragraph in made.document.body for paragraph in notice)
    assert [r["statement"] for r in made.document.data["sections"]["rulings"]] == [
        finality.item_statement(True),
        finality.item_statement(False),
    ]


def test_the_defence_attendance_and_a_dissent_are_in_the_award(
    institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator
):
    factories.award_wage()
    case = factories.accepted(lixia_intake, lixia_head)
    case = factories.tribunal_formed(
        case,
        lixia_head,
        arbitrator_users=["lixia_arbitrator", "lixia_arbitrator2", "lixia_arbitrator3"],
    )
    case = factories.in_defence_period(case, lixia_clerk)
    employer = case.parties.get(role=Party.Role.RESPONDENT)
    evidence.defence_file(
        by=lixia_clerk, case=case, party=employer, text="申请人系自动离职，公司不欠工资。"
    )
    case = factories.hearing_scheduled(case, lixia_clerk)
    case = factories.in_hearing(case, lixia_arbitrator)
    hearing = case.hearings.get()
    for party, presence in ((case.parties.get(role="applicant"), "present"), (employer, "absent")):
        Attendance.objects.create(
            hearing=hearing,
            party=party,
            presence=presence,
            recorded_at=hearing.starts_at,
            recorded_by=lixia_clerk,
        )
    case = factories.in_deliberation(case, lixia_arbitrator)
    award.mediation_attempt_record(by=lixia_arbitrator, case=case, outcome="declined")
    dissenting = case.tribunal.get(seat="member", person__user__username="lixia_arbitrator3")
    made = award.award_make(
        by=lixia_arbitrator,
        case=case,
        items=factories.award_items(case, {1: "9000.00", 2: "9000.00"}),
        dissent="应当驳回第二项请求。",
        dissenting=dissenting.person,
        **FACTS,
    )
    text = text_of(made.document)
    assert_in_order(
        text,
        (
            "本委依法组成由首席仲裁员",
            "公开开庭进行了审理",
            "申请人王秀英到庭参加了庭审",
            "被申请人济南示例商贸有限公司经本委书面通知，无正当理由拒不到庭，仲裁庭依法缺席审理",
            "本案现已审理终结。",
            "被申请人答辩意见：",
            "被申请人济南示例商贸有限公司辩称：申请人系自动离职，公司不欠工资。",
            "经审理查明：",
            "不同意见已记入笔录（《劳动争议调解仲裁法》第四十五条）",
            "首席仲裁员　",
            f"仲裁员　{dissenting.person.name}（持不同意见）",
        ),
    )
    assert "应当驳回" not in text


def test_a_partial_award_is_laid_out_by_its_own_template(case, lixia_arbitrator):
    items = factories.award_items(case, {1: "9000.00"})
    made = award.award_partial(by=lixia_arbitrator, case=case, items=items, **FACTS)
    assert made.document.rendition.code == "award_partial"
    text = text_of(made.document)
    assert_in_order(
        text,
        (
            "先行裁决书",
            "仲裁庭依法就该部分先行裁决（《劳动争议调解仲裁法》第四十三条第二款）",
            "仲裁请求：",
            "经审理查明：",
            "先行裁决如下：",
            "一、",
            "人民币玖仟元整",
            "本项为终局裁决。",
            "本裁决为终局裁决",
            "本件与原本核对无异",
        ),
    )


def test_an_advance_execution_award_states_no_finality(case, lixia_arbitrator):
    worker = case.parties.get(role=Party.Role.APPLICANT)
    items = factories.award_items(case, {1: "6000.00"})
    made = award.award_advance_execution(
        by=lixia_arbitrator,
        case=case,
        applicant=worker,
        items=items,
        grounds="被申请人拖欠工资事实清楚，申请人生活困难。",
    )
    assert made.kind == Award.Kind.ADVANCE_EXECUTION
    assert made.document.rendition.code == "award_advance_execution"
    text = text_of(made.document)
    assert_in_order(
        text,
        (
            "先予执行裁决书",
            "申请人王秀英向本委申请先予执行（《劳动争议调解仲裁法》第四十四条）。",
            "先予执行的理由：",
            "《中华人民共和国劳动争议调解仲裁法》第四十四条",
            "裁决如下：",
            "金额：人民币6,000.00元（人民币陆仟元整）",
            "于收到本裁决书之日起十日内履行",
            "本裁决由本委移送人民法院执行",
            "本件与原本核对无异",
        ),
    )
    assert "终局" not in text


def test_the_mediation_document_has_its_sections_and_takes_effect_on_receipt(
    case, lixia_arbitrator
):
    award.mediation_attempt_record(by=lixia_arbitrator, case=case, outcome="agreed")
    document = award.mediation_document_issue(
        by=lixia_arbitrator,
        case=case,
        agreement=["被申请人于2026年12月31日前支付申请人工资15000元", "双方再无其他争议"],
    )
    assert document.kind == DocumentKind.MEDIATION_DOCUMENT
    assert document.rendition.code == "mediation_document"
    text = text_of(document)
    assert_in_order(
        text,
        (
            "济南市历下区劳动人事争议仲裁委员会",
            "调解书",
            "申请人：王秀英",
            "被申请人：济南示例商贸有限公司",
            "仲裁请求：",
            "1. 支付拖欠工资",
            "本案经仲裁庭主持调解，双方当事人自愿达成如下协议：",
            "一、被申请人于2026年12月31日前支付申请人工资15000元。",
            "二、双方再无其他争议。",
            "本调解书经双方当事人签收后，即发生法律效力（《劳动争议调解仲裁法》第四十二条）。",
            "仲裁员　",
            "书记员　杨静",
            "本件与原本核对无异",
        ),
    )
    kinds = [b.kind for b in blocks_of(document)]
    assert "seal" in kinds


def test_a_line_of_the_tribunals_text_cannot_become_markup(case, lixia_arbitrator):
    facts = dict(FACTS, facts="@seal\n@title 伪造的标题")
    made = award.award_make(
        by=lixia_arbitrator,
        case=case,
        items=factories.award_items(case, {1: "9000.00", 2: "9000.00"}),
        **facts,
    )
    blocks = blocks_of(made.document)
    assert [b.kind for b in blocks].count("title") == 1
    assert [b.kind for b in blocks].count("seal") == 1
    assert "＠title 伪造的标题" in plain_text(blocks)


def test_amounts_in_capitals_go_to_the_fen(case, lixia_arbitrator):
    items = factories.award_items(case, {1: "3005.50", 2: "10.05"})
    made = award.award_make(by=lixia_arbitrator, case=case, items=items, **FACTS)
    text = text_of(made.document)
    assert "人民币叁仟零伍元伍角" in text
    assert "人民币壹拾元零伍分" in text
    assert made.items.get(number=1).amount == Decimal("3005.50")


def test_an_extension_and_a_suspension_are_in_the_procedural_history(
    case, lixia_arbitrator, lixia_head
):
    closing.case_suspend(by=lixia_head, case=case, reason="awaiting_appraisal", note="伤残鉴定")
    closing.case_resume(by=lixia_head, case=case)
    closing.case_extend(by=lixia_head, case=case, days=15, reasons="案情复杂")
    made = make(case, lixia_arbitrator, {1: "9000.00", 2: "9000.00"})
    text = text_of(made.document)
    assert_in_order(
        text,
        (
            "公开开庭进行了审理。",
            "因案情复杂，经本委批准，本案审理期限延长十五日。",
            "本案因案件处理需要等待工伤认定、伤残等级鉴定以及其他鉴定结论，于",
            "中止审理，于",
            "恢复审理（《劳动人事争议仲裁办案规则》第四十七条）。",
            "本案现已审理终结。",
            "仲裁请求：",
        ),
    )
