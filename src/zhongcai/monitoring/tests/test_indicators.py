"""Each indicator computed by hand on the small October 2026 scenario described in ``scenario``
(Lixia cases A–I, one Licheng case, the Lixia mediation centre's cases)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.http import Http404

from zhongcai.monitoring import breakdowns, indicators
from zhongcai.monitoring.tests.scenario import NOW, OCT

pytestmark = pytest.mark.django_db


def value(code, user, organisation=None, **period):
    return indicators.compute(code, user=user, organisation=organisation, **(period or OCT))


def behind(code, user, part="numerator", **period):
    result = indicators.cases_behind(code, user=user, part=part, **(period or OCT))
    return set(result.cases)


def keys(scenario, *names):
    return {scenario[n].pk for n in names}


def test_the_scenario_is_as_described(scenario):
    s = scenario
    assert s["I"].deadlines.filter(code="award").get().met_late
    assert s["A"].deadlines.get(code="award").due_on == date(2026, 10, 30)
    assert s["H"].deadlines.filter(code="award").get().excluded_days == 5
    assert s["D"].status == "closed_mediation"
    assert s["H"].awards.get().finality == "non_final"
    assert {s[n].awards.get().finality for n in "CI"} == {"final"}


@time_machine.travel(NOW, tick=False)
def test_the_counts_of_the_period(scenario, lixia_admin):
    assert value("carried_over", lixia_admin).value == 4  # A B H I
    assert behind("carried_over", lixia_admin) == keys(scenario, *"ABHI")
    assert value("accepted", lixia_admin).value == 3  # C D E
    assert behind("accepted", lixia_admin) == keys(scenario, *"CDE")
    closed = value("closed", lixia_admin)
    assert closed.value == 5
    assert closed.parts == {
        "mediation": 1, "award": 3, "withdrawn": 1, "deemed_withdrawn": 0, "revoked": 0,
        "transferred": 0,
    }  # fmt: skip
    assert behind("closed", lixia_admin) == keys(scenario, *"BCDHI")
    assert value("open_at_end", lixia_admin).value == 2  # 4 + 3 − 5
    assert behind("open_at_end", lixia_admin) == keys(scenario, "A", "E")


@time_machine.travel(NOW, tick=False)
def test_the_rates_and_their_cases(scenario, lixia_admin):
    rate = value("closure_rate", lixia_admin)
    assert (rate.numerator, rate.denominator) == (5, 7)
    assert rate.value == Decimal(500) / Decimal(7)
    assert behind("closure_rate", lixia_admin, "denominator") == keys(scenario, *"ABHICDE")

    final = value("final_award_rate", lixia_admin)
    assert (final.numerator, final.denominator) == (2, 3)  # C, I final; H not
    assert behind("final_award_rate", lixia_admin) == keys(scenario, "C", "I")

    in_time = value("closed_in_time_rate", lixia_admin)
    assert (in_time.numerator, in_time.denominator) == (4, 5)  # I late
    assert behind("closed_in_time_rate", lixia_admin) == keys(scenario, *"BCDH")

    online = value("online_rate", lixia_admin)
    assert (online.numerator, online.denominator, online.value) == (3, 3, Decimal(100))


@time_machine.travel(NOW, tick=False)
def test_the_mediation_success_rate_counts_arbitration_and_mediation_organisations(
    scenario, lixia_admin
):
    rate = value("mediation_success_rate", lixia_admin)
    # D by 调解书 + the centre's agreement ÷ 5 arbitration closings + agreement + failure.
    assert (rate.numerator, rate.denominator) == (2, 7)
    cases = indicators.cases_behind("mediation_success_rate", user=lixia_admin, **OCT)
    assert set(cases.cases) == keys(scenario, "D")
    assert set(cases.mediation_cases) == {scenario["agreed"].pk}
    whole = indicators.cases_behind(
        "mediation_success_rate", user=lixia_admin, part="denominator", **OCT
    )
    assert set(whole.mediation_cases) == {scenario["agreed"].pk, scenario["failed"].pk}


@time_machine.travel(NOW, tick=False)
def test_average_days_are_net_of_the_suspension(scenario, lixia_admin):
    days = value("average_days", lixia_admin)
    # B 11, C 30, D 10, H 45 − 5 = 40, I 61.
    assert (days.numerator, days.denominator) == (152, 5)
    assert days.value == Decimal("30.4")


@time_machine.travel(NOW, tick=False)
def test_cases_past_the_time_limit_on_the_last_day(scenario, lixia_admin):
    assert value("overdue", lixia_admin).value == 1
    assert behind("overdue", lixia_admin) == keys(scenario, "A")
    # On 30 October A's last day had not passed.
    end = {"start": date(2026, 10, 1), "end": date(2026, 10, 30)}
    assert value("overdue", lixia_admin, **end).value == 0


@time_machine.travel(NOW, tick=False)
def test_workers_collective_cases_and_amounts(scenario, lixia_admin):
    assert value("collective_cases", lixia_admin).value == 1
    assert value("collective_workers", lixia_admin).value == 10
    assert value("workers", lixia_admin).value == 12  # C 1, D 1, E 10
    assert value("amount", lixia_admin).value == Decimal("63000.00")  # 3 × (12,000 + 9,000)


@time_machine.travel(NOW, tick=False)
def test_breakdowns(scenario, lixia_admin):
    def counts(code):
        return breakdowns.breakdown(code, user=lixia_admin, **OCT).counts()

    assert counts("cause") == {"remuneration": 3}
    assert counts("collective") == {"collective": 1, "individual": 2}
    assert counts("method") == {"award": 3, "mediation": 1, "withdrawn": 1}
    assert counts("finality") == {"final": 2, "non_final": 1}
    assert counts("result") == {"worker_won": 3}
    # No employer of the scenario has its industry or type recorded (test_breakdowns_employer).
    assert counts("employer_industry") == {"unclassified": 3}
    assert counts("employer_type") == {"unclassified": 3}


@time_machine.travel(NOW, tick=False)
def test_the_boundaries_of_the_period(scenario, lixia_admin):
    september = {"start": date(2026, 9, 1), "end": date(2026, 9, 30)}
    assert value("closed", lixia_admin, **september).value == 1  # G, 23:00 on the last day
    assert behind("accepted", lixia_admin, **september) == keys(scenario, *"ABGH")
    first_day = {"start": date(2026, 10, 1), "end": date(2026, 10, 1)}
    assert behind("closed", lixia_admin, **first_day) == keys(scenario, "B")
    assert behind("accepted", lixia_admin, **first_day) == keys(scenario, "C")
    last_day = {"start": date(2026, 10, 31), "end": date(2026, 10, 31)}
    assert behind("closed", lixia_admin, **last_day) == keys(scenario, "C")
    assert behind("accepted", lixia_admin, **last_day) == keys(scenario, "E")


@time_machine.travel(NOW, tick=False)
def test_scope_licheng_sees_only_licheng_and_jinan_sees_both(
    scenario, licheng_intake, jinan_admin, lixia_head
):
    assert behind("accepted", licheng_intake) == keys(scenario, "L")
    assert value("closed", licheng_intake).value == 0
    lixia = scenario["C"].commission
    with pytest.raises(Http404):
        value("accepted", licheng_intake, organisation=lixia)
    with pytest.raises(Http404):
        indicators.cases_behind("accepted", user=licheng_intake, organisation=lixia, **OCT)
    assert value("accepted", jinan_admin).value == 4
    assert value("accepted", jinan_admin, organisation=lixia).value == 3
    # The institute's own staff see the arbitration cases, not the mediation centre's.
    rate = value("mediation_success_rate", lixia_head)
    assert (rate.numerator, rate.denominator) == (1, 5)


@time_machine.travel(NOW, tick=False)
def test_an_empty_period_has_no_rate_but_true_zero_counts(scenario, lixia_admin):
    empty = {"start": date(2025, 1, 1), "end": date(2025, 1, 31)}
    for code in (
        "closure_rate", "mediation_success_rate", "final_award_rate", "closed_in_time_rate",
        "average_days", "online_rate",
    ):  # fmt: skip
        result = value(code, lixia_admin, **empty)
        assert result.value is None and not result.available and result.missing, code
    assert value("accepted", lixia_admin, **empty).value == 0
    assert value("amount", lixia_admin, **empty).value == Decimal("0.00")


def test_a_period_that_ends_before_it_starts_is_refused(province, lixia_admin):
    with pytest.raises(ValueError):
        value("accepted", lixia_admin, start=date(2026, 10, 31), end=date(2026, 10, 1))


def test_every_indicator_is_defined_once_with_its_basis():
    codes = [i.code for i in indicators.INDICATORS]
    assert len(codes) == len(set(codes))
    for indicator in indicators.INDICATORS:
        assert indicator.name and indicator.formula and indicator.unit and indicator.basis
        assert len(str(indicator.definition)) > 12  # a sentence, in Chinese or English
