import pytest

DEADLINE = "/api/v1/calendar/deadline"


@pytest.mark.django_db
def test_it_counts_working_days_over_national_day(api, lixia_intake):
    response = api(lixia_intake).get(
        DEADLINE, {"start": "2026-09-30", "days": 5, "unit": "working"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["due"] == "2026-10-13"
    assert body == {
        "start": "2026-09-30",
        "days": 5,
        "unit": "working",
        "due": "2026-10-13",
        "certain": True,
        "assumed_years": [],
        "explanation": body["explanation"],
    }
    assert "国庆节" in body["explanation"]
    assert "10-10" in body["explanation"]  # the make-up Saturday counted


@pytest.mark.django_db
def test_a_year_beyond_the_table_says_so(api, worker_demo):
    body = (
        api(worker_demo)
        .get(DEADLINE, {"start": "2040-03-02", "days": 45, "unit": "calendar"})
        .json()
    )
    assert body["certain"] is False
    assert body["assumed_years"] == [2040]
    assert "2040" in body["explanation"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"days": 5, "unit": "working"}, "start", "该字段是必填项。"),
        ({"start": "2026-02-30", "days": 5, "unit": "working"}, "start", "日期格式错误"),
        ({"start": "30/09/2026", "days": 5, "unit": "working"}, "start", "日期格式错误"),
        ({"start": "2026-09-30", "unit": "working"}, "days", "该字段是必填项。"),
        ({"start": "2026-09-30", "days": "five", "unit": "working"}, "days", "请填写合法的整数值"),
        ({"start": "2026-09-30", "days": -3, "unit": "working"}, "non_field_errors", "不能为负数"),
        ({"start": "2026-09-30", "days": 99999, "unit": "calendar"}, "non_field_errors", "超过"),
        ({"start": "2026-09-30", "days": 5, "unit": "lunar"}, "unit", "不是合法选项"),
        ({"start": "2026-09-30", "days": 5}, "unit", "该字段是必填项。"),
    ],
)
def test_bad_or_missing_parameters_are_400_in_chinese(api, lixia_intake, params, field, message):
    response = api(lixia_intake).get(DEADLINE, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert message in response.json()[field][0]


@pytest.mark.django_db
def test_the_calculator_needs_a_login(anonymous, province):
    response = anonymous.get(DEADLINE, {"start": "2026-09-30", "days": 5, "unit": "working"})
    assert response.status_code == 401
