"""The claim calculator, checked against sums worked out by hand in each test."""

import datetime as dt
from decimal import Decimal

import pytest

from zhongcai.portal import calculator
from zhongcai.portal.average_wages import NoAverageWage, average_wage_for

D = Decimal
JINAN = "3701"
# The rows in data/average_wages.csv these tests rely on ([M] figures, unverified).
JINAN_2023 = D("9300.00")
JINAN_2024 = D("9600.00")


def n(start, end, wage, division=JINAN):
    return calculator.economic_compensation(
        start=start, end=end, monthly_wage=D(wage), division_code=division
    )


# --- economic compensation (N) ----------------------------------------------------------------


def test_it_pays_a_month_per_year_and_rounds_seven_months_up_to_a_year():
    # 2021-01-01 .. 2024-07-31 is 3 years 7 months; 7 months >= 6 counts as 1 year -> 4 months.
    result = n(dt.date(2021, 1, 1), dt.date(2024, 7, 31), "8000")
    assert result.amount == D("32000.00")  # 8000 × 4
    assert "《劳动合同法》第四十七条" in result.articles
    assert any(str(JINAN_2023 * 3) in f.value.replace(",", "") for f in result.figures)


def test_under_six_months_is_half_a_month():
    # 4 months -> 0.5 month.
    assert n(dt.date(2025, 1, 1), dt.date(2025, 4, 30), "8000").amount == D("4000.00")


def test_a_few_days_over_full_years_is_half_a_month():
    # 2 years and 5 days: the remainder is under 6 months -> 2.5 months.
    assert n(dt.date(2022, 1, 1), dt.date(2024, 1, 5), "6000").amount == D("15000.00")


def test_six_months_counts_as_a_full_year():
    assert n(dt.date(2025, 1, 1), dt.date(2025, 6, 30), "8000").amount == D("8000.00")
    # 1 year exactly, leap year included.
    assert n(dt.date(2024, 1, 1), dt.date(2024, 12, 31), "8000").amount == D("8000.00")


def test_a_high_earner_is_capped_at_three_times_the_average():
    # 10 years; 40000 > 3 × 9600 (Jinan 2024, the year before 2025) = 28800 -> 28800 × 10.
    result = n(dt.date(2015, 3, 1), dt.date(2025, 2, 28), "40000")
    assert result.amount == D("288000.00")
    assert result.amount == JINAN_2024 * 3 * 10


def test_a_capped_high_earner_gets_at_most_twelve_years():
    # 20 years 6 months -> 21, but capped earners count at most 12: 28800 × 12.
    result = n(dt.date(2005, 1, 1), dt.date(2025, 6, 30), "40000")
    assert result.amount == D("345600.00")


def test_the_twelve_year_cap_does_not_apply_below_the_wage_cap():
    # Same 21 years at 8000 (below 28800): 8000 × 21, no year cap.
    assert n(dt.date(2005, 1, 1), dt.date(2025, 6, 30), "8000").amount == D("168000.00")


def test_it_falls_back_to_the_province_and_says_so():
    # Zibo (3703) has no row: the Shandong (37) 2024 row is used and named in the result.
    row = average_wage_for("3703", 2024)
    assert row.division_code == "37"
    result = n(dt.date(2021, 1, 1), dt.date(2025, 7, 31), "8000", division="3703")
    assert result.amount == D("40000.00")  # 4 years 7 months -> 5 × 8000
    assert any("山东省" in f.value for f in result.figures)
    assert len(result.warnings) >= 2  # fallback + unverified figure


def test_it_refuses_without_an_average_wage():
    with pytest.raises(NoAverageWage) as excinfo:
        n(dt.date(2005, 1, 1), dt.date(2011, 6, 30), "8000")  # no 2010 figure
    assert excinfo.value.field == "division"
    with pytest.raises(NoAverageWage):
        average_wage_for("4401", 2024)  # Guangzhou: neither city nor province
    assert isinstance(excinfo.value, ValueError)


def test_unlawful_termination_is_twice_the_compensation():
    result = calculator.unlawful_termination_damages(
        start=dt.date(2021, 1, 1),
        end=dt.date(2024, 7, 31),
        monthly_wage=D("8000"),
        division_code=JINAN,
    )
    assert result.amount == D("64000.00")  # 2 × 32000
    assert result.articles[0] == "《劳动合同法》第八十七条"
    assert "《劳动合同法》第四十七条" in result.articles


# --- double wages -----------------------------------------------------------------------------


def test_double_wages_stop_after_eleven_months():
    # From 2024-04-01 (day after the first month) to 2025-02-28 (day before the anniversary).
    result = calculator.double_wages(
        start=dt.date(2024, 3, 1), last_day=dt.date(2025, 12, 31), monthly_wage=D("5000")
    )
    assert result.amount == D("55000.00")  # 5000 × 11
    assert "《劳动合同法》第八十二条" in result.articles
    assert "《劳动合同法实施条例》第七条" in result.articles


def test_double_wages_end_the_day_before_the_contract_is_signed():
    # 2024-04-01 .. 2024-06-15: 2 months + 15 of June's 30 days = 2.5 months.
    result = calculator.double_wages(
        start=dt.date(2024, 3, 1),
        last_day=dt.date(2025, 12, 31),
        monthly_wage=D("5000"),
        contract_signed_on=dt.date(2024, 6, 16),
    )
    assert result.amount == D("12500.00")


def test_no_double_wages_when_signed_within_the_first_month():
    result = calculator.double_wages(
        start=dt.date(2024, 3, 1),
        last_day=dt.date(2025, 12, 31),
        monthly_wage=D("5000"),
        contract_signed_on=dt.date(2024, 3, 20),
    )
    assert result.amount == D("0.00")


def test_double_wages_end_on_the_last_day_of_work():
    # Left on 2024-07-31: 2024-04-01 .. 2024-07-31 = 4 months.
    result = calculator.double_wages(
        start=dt.date(2024, 3, 1), last_day=dt.date(2024, 7, 31), monthly_wage=D("5000")
    )
    assert result.amount == D("20000.00")


# --- annual leave -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "days"),
    [("0.5", 0), ("1", 5), ("9.9", 5), ("10", 10), ("19.9", 10), ("20", 15), ("35", 15)],
)
def test_leave_days_grow_with_total_years_worked(years, days):
    assert calculator.leave_entitlement(D(years)) == days


def test_unused_leave_claims_the_200_percent_part():
    # 6525 ÷ 21.75 = 300 a day; 12 years -> 10 days; whole 2025 (365 days), 3 taken -> 7 unused.
    result = calculator.annual_leave(
        monthly_wage=D("6525"),
        cumulative_years=D("12"),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        days_taken=3,
    )
    assert result.amount == D("4200.00")  # 300 × 200% × 7
    assert "6,300.00" in result.warnings[0]  # the 300% total, normal pay included
    assert "《职工带薪年休假条例》第五条" in result.articles
    assert "《企业职工带薪年休假实施办法》第十条" in result.articles


def test_leave_is_pro_rata_for_part_of_the_year_and_part_days_drop():
    # Left on 2025-06-30: 181 days ÷ 365 × 5 = 2.48 -> 2 days; 300 × 2 × 2.
    result = calculator.annual_leave(
        monthly_wage=D("6525"),
        cumulative_years=D("3"),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
    )
    assert result.amount == D("1200.00")
    taken_one = calculator.annual_leave(
        monthly_wage=D("6525"),
        cumulative_years=D("3"),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        days_taken=1,
    )
    assert taken_one.amount == D("600.00")  # floor(2.48 - 1) = 1 day


def test_no_leave_before_a_year_of_work():
    result = calculator.annual_leave(
        monthly_wage=D("6525"),
        cumulative_years=D("0.5"),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
    )
    assert result.amount == D("0.00")


def test_leave_refuses_a_period_across_two_years():
    with pytest.raises(calculator.InvalidDates) as excinfo:
        calculator.annual_leave(
            monthly_wage=D("6525"),
            cumulative_years=D("3"),
            period_start=dt.date(2024, 7, 1),
            period_end=dt.date(2025, 6, 30),
        )
    assert excinfo.value.field == "period_end"


# --- overtime ---------------------------------------------------------------------------------


def test_overtime_at_150_200_and_300_percent():
    # 6960 ÷ (21.75 × 8) = 40 an hour.
    result = calculator.overtime_pay(
        monthly_wage=D("6960"),
        workday_hours=D("10"),
        rest_day_hours=D("8"),
        holiday_hours=D("8"),
    )
    # 40 × 1.5 × 10 = 600; 40 × 2 × 8 = 640; 40 × 3 × 8 = 960.
    assert result.amount == D("2200.00")
    assert result.articles[0] == "《劳动法》第四十四条"
    only_workdays = calculator.overtime_pay(monthly_wage=D("6960"), workday_hours=D("10"))
    assert only_workdays.amount == D("600.00")


def test_overtime_needs_some_hours():
    with pytest.raises(calculator.InvalidAmount) as excinfo:
        calculator.overtime_pay(monthly_wage=D("6960"))
    assert excinfo.value.field == "workday_hours"
    with pytest.raises(calculator.InvalidAmount):
        calculator.overtime_pay(monthly_wage=D("6960"), holiday_hours=D("-1"))


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("wage", ["-1", "0", "5000000"])
def test_it_refuses_an_impossible_wage(wage):
    with pytest.raises(calculator.InvalidAmount) as excinfo:
        n(dt.date(2021, 1, 1), dt.date(2024, 7, 31), wage)
    assert excinfo.value.field == "monthly_wage"
    assert isinstance(excinfo.value, ValueError)


def test_it_refuses_an_end_before_the_start():
    with pytest.raises(calculator.InvalidDates) as excinfo:
        n(dt.date(2024, 7, 31), dt.date(2021, 1, 1), "8000")
    assert excinfo.value.field == "end"
    with pytest.raises(calculator.InvalidDates) as excinfo:
        calculator.double_wages(
            start=dt.date(2024, 3, 1), last_day=dt.date(2024, 2, 1), monthly_wage=D("5000")
        )
    assert excinfo.value.field == "last_day"


def test_it_refuses_dates_far_in_the_past_or_future():
    with pytest.raises(calculator.InvalidDates):
        n(dt.date(1900, 1, 1), dt.date(2024, 7, 31), "8000")
    with pytest.raises(calculator.InvalidDates):
        n(dt.date(2021, 1, 1), dt.date(2999, 7, 31), "8000")


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_is_public_and_shows_every_item(client):
    items = ("compensation", "damages", "double_wages", "annual_leave", "overtime")
    response = client.get("/calculator/")
    assert response.status_code == 200
    for item in items:
        assert f"?item={item}".encode() in response.content
    for item in items:
        page = client.get("/calculator/", {"item": item})
        assert page.status_code == 200
        assert b'<label for="id_monthly_wage"' in page.content


@pytest.mark.django_db
def test_the_page_shows_a_result_with_its_article(client):
    response = client.get(
        "/calculator/",
        {
            "item": "compensation",
            "calculate": "1",
            "division": JINAN,
            "start": "2021-01-01",
            "end": "2024-07-31",
            "monthly_wage": "8000",
        },
    )
    assert response.status_code == 200
    assert response.context["result"].amount == D("32000.00")
    assert "32,000.00" in response.content.decode()
    assert "《劳动合同法》第四十七条" in response.content.decode()


@pytest.mark.django_db
def test_the_page_ties_the_error_to_the_field(client):
    response = client.get(
        "/calculator/",
        {"item": "overtime", "calculate": "1", "monthly_wage": "-6960", "workday_hours": "10"},
    )
    assert response.status_code == 200
    assert response.context["result"] is None
    assert list(response.context["form"].errors) == ["monthly_wage"]
    html = response.content.decode()
    assert 'id="id_monthly_wage-error"' in html
    assert 'aria-describedby="id_monthly_wage-error"' in html
    assert 'aria-invalid="true"' in html


@pytest.mark.django_db
def test_the_page_puts_end_before_start_on_the_end_field(client):
    response = client.get(
        "/calculator/",
        {
            "item": "damages",
            "calculate": "1",
            "division": JINAN,
            "start": "2024-07-31",
            "end": "2021-01-01",
            "monthly_wage": "8000",
        },
    )
    assert list(response.context["form"].errors) == ["end"]


@pytest.mark.django_db
def test_the_page_puts_a_missing_average_wage_on_the_city(client):
    response = client.get(
        "/calculator/",
        {
            "item": "compensation",
            "calculate": "1",
            "division": JINAN,
            "start": "2005-01-01",
            "end": "2011-06-30",
            "monthly_wage": "8000",
        },
    )
    assert list(response.context["form"].errors) == ["division"]


@pytest.mark.django_db
def test_an_unknown_item_falls_back_to_the_first(client):
    response = client.get("/calculator/", {"item": "../../etc"})
    assert response.status_code == 200
    assert response.context["item"] == "compensation"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "amount"),
    [
        (
            {
                "item": "double_wages",
                "start": "2024-03-01",
                "last_day": "2024-07-31",
                "monthly_wage": "5000",
            },
            "20000.00",
        ),
        (
            {
                "item": "annual_leave",
                "monthly_wage": "6525",
                "cumulative_years": "12",
                "period_start": "2025-01-01",
                "period_end": "2025-12-31",
                "days_taken": "3",
            },
            "4200.00",
        ),
        (
            {
                "item": "overtime",
                "monthly_wage": "6960",
                "workday_hours": "10",
                "rest_day_hours": "8",
                "holiday_hours": "8",
            },
            "2200.00",
        ),
    ],
)
def test_each_form_calculates_through_the_page(client, params, amount):
    response = client.get("/calculator/", {**params, "calculate": "1"})
    assert response.context["form"].errors == {}
    assert response.context["result"].amount == D(amount)


@pytest.mark.parametrize(
    ("code", "used"),
    [
        ("3701", "3701"),
        ("370100", "3701"),
        ("370102", "3701"),
        ("370300", "37"),
        ("37", "37"),
        ("370000", "37"),
    ],
)
def test_six_digit_and_county_codes_use_their_city_then_the_province(code, used):
    assert average_wage_for(code, 2024).division_code == used


@pytest.mark.django_db
def test_a_city_without_its_own_figure_is_offered_and_uses_the_province(client):
    response = client.get(
        "/calculator/",
        {
            "item": "compensation",
            "calculate": "1",
            "division": "3703",
            "start": "2021-01-01",
            "end": "2025-07-31",
            "monthly_wage": "8000",
        },
    )
    assert response.context["form"].errors == {}
    assert response.context["result"].amount == D("40000.00")
    assert "山东省" in response.content.decode()
