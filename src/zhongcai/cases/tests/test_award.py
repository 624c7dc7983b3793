"""Mediation inside arbitration and the award with its per-item finality (LDMAL arts. 42–47)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from zhongcai.accounts.models import User
from zhongcai.cases import award, integrity, serving
from zhongcai.cases.models import (
    Award,
    CaseDeadline,
    CaseDocument,
    ClaimClass,
    DecisionKind,
    DocumentKind,
    Finality,
    MinimumWage,
    Party,
    PostAward,
    Status,
    Volume,
)
from zhongcai.cases.tests import factories
from zhongcai.cases.workflow import TransitionError
from zhongcai.core.events import events_of
from zhongcai.orgs.models import Person

FACTS = {
    "facts": "申请人在被申请人处工作，被申请人拖欠工资。",
    "reasoning": "被申请人应当支付。",
    "legal_basis": "《中华人民共和国劳动合同法》第三十条",
}


@pytest.fixture
def case(institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator):
    factories.award_wage()
    return factories.heard(lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator)


@pytest.fixture
def mediated(case, lixia_arbitrator):
    award.mediation_attempt_record(by=lixia_arbitrator, case=case, outcome="failed", note="分歧大")
    return case


def _consistent(case):
    case.refresh_from_db()
    return integrity.problems_of(case, list(events_of(case))) == []


def worker_of(case):
    return case.parties.get(role=Party.Role.APPLICANT)


def employer_of(case):
    return case.parties.get(role=Party.Role.RESPONDENT)


# --- The minimum wage -------------------------------------------------------------------------


def test_the_lookup_walks_county_city_province_and_takes_the_row_in_force(province):
    MinimumWage.objects.filter(division_id__in=["370102", "370100", "370000"]).delete()
    factories.award_wage("370000", "1500.00", "2020-01-01")
    factories.award_wage("370100", "2100.00", "2022-01-01")
    factories.award_wage("370102", "2300.00", "2024-01-01")
    assert award.minimum_wage_for("370102", date(2019, 12, 31)) is None
    assert award.minimum_wage_for("370102", date(2021, 6, 1)).monthly == Decimal("1500.00")
    assert award.minimum_wage_for("370102", date(2022, 1, 1)).monthly == Decimal("2100.00")
    assert award.minimum_wage_for("370102", date(2024, 6, 1)).monthly == Decimal("2300.00")
    # Another city of the province takes the province's row.
    assert award.minimum_wage_for("370302", date(2024, 6, 1)).monthly == Decimal("1500.00")


def test_a_later_standard_replaces_the_earlier_one_from_its_date(province):
    factories.award_wage("370103", "2000.00", "2020-01-01")
    factories.award_wage("370103", "2250.00", "2025-07-01")
    assert award.minimum_wage_for("370103", date(2025, 6, 30)).monthly == Decimal("2000.00")
    assert award.minimum_wage_for("370103", date(2025, 7, 1)).monthly == Decimal("2250.00")


# --- Mediation --------------------------------------------------------------------------------


def test_it_refuses_the_award_without_a_recorded_mediation_attempt(case, lixia_arbitrator):
    items = factories.award_items(case, {1: "9000", 2: "9000"})
    with pytest.raises(TransitionError, match="先行调解（调解仲裁法第四十二条）"):
        award.award_make(by=lixia_arbitrator, case=case, items=items, **FACTS)
    assert not Award.objects.filter(case=case).exists()
    assert not CaseDocument.objects.filter(case=case, kind=DocumentKind.AWARD).exists()


def test_a_mediation_attempt_is_recorded_with_its_event(case, lixia_arbitrator):
    attempt = award.mediation_attempt_record(
        by=lixia_arbitrator, case=case, outcome="declined", note="被申请人拒绝调解"
    )
    assert attempt.outcome == "declined"
    event = events_of(case).last()
    assert event.kind == "case.mediation_recorded"
    assert event.payload["outcome"] == "declined"
    assert _consistent(case)


def test_a_clerk_may_not_record_mediation(case, lixia_clerk):
    with pytest.raises(PermissionDenied):
        award.mediation_attempt_record(by=lixia_clerk, case=case, outcome="failed")


def _agreed(case, arbitrator):
    award.mediation_attempt_record(by=arbitrator, case=case, outcome="agreed")
    return award.mediation_document_issue(
        by=arbitrator, case=case, agreement="被申请人支付申请人 15000 元\n双方再无其他争议"
    )


def test_the_mediation_document_needs_an_agreement_recorded(case, lixia_arbitrator):
    award.mediation_attempt_record(by=lixia_arbitrator, case=case, outcome="failed")
    with pytest.raises(TransitionError):
        award.mediation_document_issue(by=lixia_arbitrator, case=case, agreement="支付 1 元")


def test_the_mediation_document_says_it_takes_effect_on_both_signatures(case, lixia_arbitrator):
    document = _agreed(case, lixia_arbitrator)
    assert document.kind == DocumentKind.MEDIATION_DOCUMENT
    assert "一、被申请人支付申请人 15000 元" in document.body
    assert "经双方当事人签收后，即发生法律效力" in document.body
    assert document.data["agreement"] == ["被申请人支付申请人 15000 元", "双方再无其他争议"]


def test_one_signature_leaves_the_case_open_and_the_second_closes_it(
    case, lixia_arbitrator, lixia_clerk
):
    document = _agreed(case, lixia_arbitrator)
    serving.serve(
        by=lixia_clerk,
        case=case,
        document=document,
        parties=[worker_of(case)],
        method="in_person",
        signed_by_name="王秀英",
    )
    case.refresh_from_db()
    assert case.status == Status.DELIBERATION
    serving.serve(
        by=lixia_clerk,
        case=case,
        document=document,
        parties=[employer_of(case)],
        method="in_person",
        signed_by_name="赵建国",
    )
    case.refresh_from_db()
    assert case.status == Status.CLOSED_MEDIATION
    assert case.closed_at is not None
    assert case.deadlines.get(code="award").state == CaseDeadline.State.MET
    assert not case.deadlines.filter(state=CaseDeadline.State.OPEN).exists()
    assert events_of(case).last().kind == "case.closed_by_mediation"
    assert _consistent(case)


def test_signatures_recorded_later_close_the_case_on_the_last_one(
    case, lixia_arbitrator, lixia_clerk
):
    document = _agreed(case, lixia_arbitrator)
    records = serving.serve(
        by=lixia_clerk,
        case=case,
        document=document,
        parties=[worker_of(case), employer_of(case)],
        method="post",
    )
    serving.service_record_delivery(
        by=lixia_clerk, case=case, record=records[0], signed_by_name="王秀英"
    )
    case.refresh_from_db()
    assert case.status == Status.DELIBERATION
    serving.service_record_delivery(
        by=lixia_clerk, case=case, record=records[1], signed_by_name="赵建国"
    )
    case.refresh_from_db()
    assert case.status == Status.CLOSED_MEDIATION
    assert _consistent(case)


def test_both_signing_in_one_step_closes_the_case_once(case, lixia_arbitrator, lixia_clerk):
    document = _agreed(case, lixia_arbitrator)
    serving.serve(
        by=lixia_clerk,
        case=case,
        document=document,
        parties=[worker_of(case), employer_of(case)],
        method="in_person",
        signed_by_name="签收人",
    )
    case.refresh_from_db()
    assert case.status == Status.CLOSED_MEDIATION
    assert events_of(case).filter(kind="case.closed_by_mediation").count() == 1


def test_a_refusal_to_sign_means_mediation_failed_and_the_case_goes_on_to_an_award(
    case, lixia_arbitrator, lixia_clerk
):
    document = _agreed(case, lixia_arbitrator)
    serving.serve(
        by=lixia_clerk,
        case=case,
        document=document,
        parties=[worker_of(case)],
        method="in_person",
        signed_by_name="王秀英",
    )
    serving.serve(
        by=lixia_clerk,
        case=case,
        document=document,
        parties=[employer_of(case)],
        method="in_person",
        refused=True,
    )
    case.refresh_from_db()
    assert case.status == Status.DELIBERATION
    served = events_of(case).last()
    assert served.payload["services"][0]["mediation_failed"] is True
    with pytest.raises(TransitionError):
        award.mediation_close(by=lixia_clerk, case=case)
    made = award.award_make(
        by=lixia_arbitrator,
        case=case,
        items=factories.award_items(case, {1: "9000", 2: "9000"}),
        **FACTS,
    )
    assert made.finality == Finality.FINAL


def test_closing_by_mediation_is_refused_unless_both_signed(case, lixia_arbitrator, lixia_clerk):
    _agreed(case, lixia_arbitrator)
    with pytest.raises(TransitionError, match="经双方当事人签收后才发生法律效力"):
        award.mediation_close(by=lixia_clerk, case=case)


# --- The award --------------------------------------------------------------------------------


def test_twelve_times_the_minimum_wage_is_final_and_one_yuan_more_is_not(
    mediated, lixia_arbitrator
):
    items = factories.award_items(mediated, {1: "26400.00", 2: "26401.00"})
    made = award.award_make(by=lixia_arbitrator, case=mediated, items=items, **FACTS)
    first, second = made.items.order_by("number")
    assert (first.final, second.final) == (True, False)
    assert first.finality_reason.startswith("26,400.00 ≤ 26,400.00（12 × 2,200.00，")
    assert second.finality_reason.startswith("26,401.00 > 26,400.00（12 × 2,200.00，")
    assert made.finality == Finality.MIXED
    assert made.threshold == Decimal("26400.00")
    assert made.minimum_wage.monthly == Decimal("2200.00")
    mediated.refresh_from_db()
    assert mediated.post_award == PostAward.PENDING_EFFECT


def test_an_award_final_in_every_item_is_effective_on_the_day_it_is_made(
    mediated, lixia_arbitrator
):
    made = award.award_make(
        by=lixia_arbitrator,
        case=mediated,
        items=factories.award_items(mediated, {1: "9000", 2: "26400"}),
        **FACTS,
    )
    mediated.refresh_from_db()
    assert made.finality == Finality.FINAL
    assert mediated.status == Status.CLOSED_AWARD
    assert mediated.post_award == PostAward.EFFECTIVE
    assert mediated.closed_at is not None
    clock = mediated.deadlines.get(code="award")
    assert (clock.state, clock.met_late) == (CaseDeadline.State.MET, False)
    assert not mediated.deadlines.filter(state=CaseDeadline.State.OPEN).exists()
    event = events_of(mediated).last()
    assert event.kind == "case.awarded"
    assert event.payload["finality"] == "final"
    assert event.payload["threshold"] == "26400.00"
    assert len(event.payload["items"]) == 2
    assert _consistent(mediated)


def test_the_award_document_states_the_finality_of_each_item(mediated, lixia_arbitrator):
    made = award.award_make(
        by=lixia_arbitrator,
        case=mediated,
        items=factories.award_items(mediated, {1: "9000", 2: "30000"}),
        **FACTS,
    )
    body = made.document.body
    first, second = body.split("裁决如下：")[1].split("\n")[1:3]
    assert first.startswith("一、") and first.endswith("本项为终局裁决。")
    assert second.startswith("二、") and second.endswith("本项为非终局裁决。")
    assert "本裁决第1项为终局裁决" in body and "第2项为非终局裁决" in body
    assert "第四十八条" in body and "第四十九条" in body and "第五十条" in body
    assert "十二个月金额为26,400.00元" in body
    assert made.document.data["items"][1]["final"] is False
    assert made.document.sha256


def test_a_standards_item_is_final_at_any_amount(mediated, lixia_arbitrator):
    items = factories.award_items(mediated, {1: "9000", 2: "500000"})
    items[1]["claim_class"] = ClaimClass.STANDARDS
    made = award.award_make(by=lixia_arbitrator, case=mediated, items=items, **FACTS)
    assert made.finality == Finality.FINAL


def test_an_employers_claim_is_never_final(mediated, lixia_arbitrator):
    items = factories.award_items(mediated, {1: "9000", 2: "9000"})
    items.append(
        {
            "claim": None,
            "outcome": "granted",
            "ruling": "申请人返还培训费 100 元",
            "obligor": worker_of(mediated),
            "obligee": employer_of(mediated),
            "amount": Decimal("100"),
            "claim_class": ClaimClass.MONEY,
        }
    )
    made = award.award_make(by=lixia_arbitrator, case=mediated, items=items, **FACTS)
    third = made.items.get(number=3)
    assert (third.final, third.claim_class) == (False, ClaimClass.OTHER)
    assert made.finality == Finality.MIXED


def test_every_claim_must_be_ruled_on(mediated, lixia_arbitrator):
    items = factories.award_items(mediated, {1: "9000"})
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        award.award_make(by=lixia_arbitrator, case=mediated, items=items, **FACTS)
    assert refused.value.message_dict["items"] == [
        "Claim 2 is not ruled on: rule on it or reject it."
    ]
    mediated.refresh_from_db()
    assert mediated.status == Status.DELIBERATION
    assert not Award.objects.filter(case=mediated).exists()


def test_a_rejected_claim_counts_as_ruled_and_is_not_final_by_default(
    mediated, lixia_arbitrator, settings
):
    items = factories.award_items(mediated, {1: "9000", 2: "0"})
    items[1].update(outcome="rejected", amount=None, ruling="驳回申请人的第二项仲裁请求")
    made = award.award_make(by=lixia_arbitrator, case=mediated, items=items, **FACTS)
    assert made.items.get(number=2).final is False
    assert made.finality == Finality.MIXED


def test_the_province_may_treat_a_rejected_money_claim_as_final(
    mediated, lixia_arbitrator, settings
):
    settings.CASES_REJECTED_MONEY_ITEM_IS_FINAL = True
    items = factories.award_items(mediated, {1: "9000", 2: "0"})
    items[1].update(outcome="rejected", amount=None, ruling="驳回申请人的第二项仲裁请求")
    made = award.award_make(by=lixia_arbitrator, case=mediated, items=items, **FACTS)
    assert made.finality == Finality.FINAL


def test_bad_items_are_all_reported_and_nothing_is_written(mediated, lixia_arbitrator):
    other = factories.heard(
        User.objects.get(username="lixia_intake"),
        User.objects.get(username="lixia_head"),
        User.objects.get(username="lixia_clerk"),
        User.objects.get(username="lixia_arbitrator"),
    )
    items = factories.award_items(mediated, {1: "9000", 2: "9000"})
    items[0]["amount"] = None
    items[1]["claim"] = other.claims.first()
    items[1]["ruling"] = ""
    with pytest.raises(ValidationError) as refused:
        award.award_make(by=lixia_arbitrator, case=mediated, items=items, **FACTS)
    assert len(refused.value.message_dict["items"]) == 3
    assert not Award.objects.filter(case=mediated).exists()


def test_the_award_needs_facts_reasons_and_legal_basis(mediated, lixia_arbitrator):
    items = factories.award_items(mediated, {1: "9000", 2: "9000"})
    with pytest.raises(ValidationError) as refused:
        award.award_make(
            by=lixia_arbitrator, case=mediated, items=items, facts="", reasoning="", legal_basis=""
        )
    assert set(refused.value.message_dict) == {"facts", "reasoning", "legal_basis"}


def test_no_award_without_a_minimum_wage_standard(mediated, lixia_arbitrator):
    MinimumWage.objects.filter(division_id__in=award.division_chain("370102")).delete()
    items = factories.award_items(mediated, {1: "9000", 2: "9000"})
    with pytest.raises(TransitionError, match="最低工资标准，无法确定裁决是否为终局裁决"):
        award.award_make(by=lixia_arbitrator, case=mediated, items=items, **FACTS)
    mediated.refresh_from_db()
    assert mediated.status == Status.DELIBERATION


def test_a_clerk_cannot_make_the_award(mediated, lixia_clerk):
    items = factories.award_items(mediated, {1: "9000", 2: "9000"})
    with pytest.raises(PermissionDenied):
        award.award_make(by=lixia_clerk, case=mediated, items=items, **FACTS)


def test_an_arbitrator_not_on_the_tribunal_cannot_make_the_award(mediated):
    outsider = User.objects.get(username="lixia_arbitrator2")
    items = factories.award_items(mediated, {1: "9000", 2: "9000"})
    with pytest.raises(PermissionDenied):
        award.award_make(by=outsider, case=mediated, items=items, **FACTS)


def test_no_award_before_deliberation(
    institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator
):
    factories.award_wage()
    case = factories.accepted(lixia_intake, lixia_head)
    case = factories.tribunal_formed(case, lixia_head)
    award.mediation_attempt_record(by=lixia_arbitrator, case=case, outcome="failed")
    with pytest.raises(TransitionError):
        award.award_make(
            by=lixia_arbitrator,
            case=case,
            items=factories.award_items(case, {1: "1", 2: "1"}),
            **FACTS,
        )


def test_a_late_award_is_flagged(mediated, lixia_arbitrator):
    clock = mediated.deadlines.get(code="award")
    late = clock.due_on + timedelta(days=3)
    with time_machine.travel(f"{late.isoformat()} 09:00 +0800", tick=False):
        award.award_make(
            by=lixia_arbitrator,
            case=mediated,
            items=factories.award_items(mediated, {1: "9000", 2: "9000"}),
            **FACTS,
        )
    clock.refresh_from_db()
    assert clock.met_late is True
    assert events_of(mediated).last().payload["late"] is True


# --- Partial and advance-execution awards, corrections, dissent --------------------------------


def test_a_partial_award_leaves_the_case_open_and_its_claims_ruled(mediated, lixia_arbitrator):
    partial = award.award_partial(
        by=lixia_arbitrator,
        case=mediated,
        items=factories.award_items(mediated, {1: "9000"}),
        **FACTS,
    )
    mediated.refresh_from_db()
    assert (partial.kind, mediated.status) == (Award.Kind.PARTIAL, Status.DELIBERATION)
    assert partial.document.title == "裁决书（先行裁决）"
    assert events_of(mediated).last().kind == "case.partial_award_made"
    with pytest.raises(ValidationError):
        award.award_partial(
            by=lixia_arbitrator,
            case=mediated,
            items=factories.award_items(mediated, {1: "9000"}),
            **FACTS,
        )
    final = award.award_make(
        by=lixia_arbitrator,
        case=mediated,
        items=factories.award_items(mediated, {2: "9000"}),
        **FACTS,
    )
    assert final.items.count() == 1
    assert _consistent(mediated)


def test_advance_execution_is_for_a_workers_money_claim_and_leaves_the_case_open(
    case, lixia_arbitrator
):
    items = factories.award_items(case, {1: "6000"})
    made = award.award_advance_execution(
        by=lixia_arbitrator,
        case=case,
        applicant=worker_of(case),
        items=items,
        grounds="拖欠三个月工资，申请人无其他收入来源，生活困难。",
    )
    case.refresh_from_db()
    assert (made.kind, case.status) == (Award.Kind.ADVANCE_EXECUTION, Status.DELIBERATION)
    assert "移送人民法院执行" in made.document.body
    assert events_of(case).last().kind == "case.advance_execution_awarded"
    with pytest.raises(ValidationError):
        award.award_advance_execution(
            by=lixia_arbitrator, case=case, applicant=employer_of(case), items=items, grounds="x"
        )


def test_advance_execution_refuses_a_claim_of_another_kind(
    institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator
):
    claims = [{"type": "reinstatement", "description": "继续履行劳动合同"}]
    case = factories.heard(lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator, claims=claims)
    item = {
        "claim": case.claims.get(),
        "outcome": "granted",
        "ruling": "继续履行",
        "obligor": employer_of(case),
        "obligee": worker_of(case),
    }
    with pytest.raises(ValidationError):
        award.award_advance_execution(
            by=lixia_arbitrator, case=case, applicant=worker_of(case), items=[item], grounds="x"
        )


def test_a_correction_is_a_decision_naming_the_award_which_stays_as_made(
    mediated, lixia_arbitrator, lixia_head
):
    made = award.award_make(
        by=lixia_arbitrator,
        case=mediated,
        items=factories.award_items(mediated, {1: "9000", 2: "9000"}),
        **FACTS,
    )
    body = made.document.body
    decision = award.award_correct(
        by=lixia_head, case=mediated, award=made, corrections="第一项中“9000元”应为“9,000.00元”。"
    )
    assert (decision.kind, decision.decision_kind) == (
        DocumentKind.DECISION,
        DecisionKind.AWARD_CORRECTION,
    )
    assert decision.data["award"] == made.pk
    assert "第五十四条" in decision.body
    made.document.refresh_from_db()
    assert made.document.body == body
    assert events_of(mediated).last().kind == "case.award_corrected"


def test_a_dissent_is_recorded_in_the_deliberation_record(
    institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator
):
    factories.award_wage()
    names = ["lixia_arbitrator", "lixia_arbitrator2", "lixia_arbitrator3"]
    case = factories.accepted(lixia_intake, lixia_head)
    case = factories.tribunal_formed(case, lixia_head, arbitrator_users=names)
    case = factories.in_defence_period(case, lixia_clerk)
    case = factories.hearing_scheduled(case, lixia_clerk)
    case = factories.in_hearing(case, lixia_arbitrator)
    case = factories.in_deliberation(case, lixia_arbitrator)
    award.mediation_attempt_record(by=lixia_arbitrator, case=case, outcome="failed")
    dissenter = Person.objects.get(user__username="lixia_arbitrator3")
    made = award.award_make(
        by=lixia_arbitrator,
        case=case,
        items=factories.award_items(case, {1: "9000", 2: "9000"}),
        dissent="应当驳回第二项请求。",
        dissenting=dissenter,
        **FACTS,
    )
    assert made.dissenting == dissenter
    record = case.documents.get(kind=DocumentKind.DELIBERATION_RECORD)
    assert record.volume == Volume.SECONDARY
    assert "应当驳回第二项请求" in record.body
    assert "应当驳回" not in made.document.body  # the award says only that a dissent exists
    assert "第四十五条" in made.document.body


def test_a_sole_arbitrator_has_no_dissent(mediated, lixia_arbitrator):
    with pytest.raises(ValidationError):
        award.award_make(
            by=lixia_arbitrator,
            case=mediated,
            items=factories.award_items(mediated, {1: "9000", 2: "9000"}),
            dissent="不同意",
            dissenting=Person.objects.get(user__username="lixia_arbitrator"),
            **FACTS,
        )


def test_the_seeded_standards_put_jinan_and_qingdao_at_tier_one_and_guess_no_other(province):
    jinan = award.minimum_wage_for("370102", date(2024, 1, 1))
    assert (jinan.division_id, jinan.tier, jinan.monthly) == ("370100", 1, Decimal("2200.00"))
    assert jinan.effective_from == date(2023, 10, 1)
    assert "待核实" in jinan.source
    assert award.minimum_wage_for("370202", date(2024, 1, 1)).division_id == "370200"
    assert award.minimum_wage_for("370302", date(2024, 1, 1)) is None  # 淄博: not entered
    assert award.minimum_wage_for("370102", date(2023, 9, 30)) is None
