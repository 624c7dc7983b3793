"""The deadline engine over the real State Council arrangements seeded by migration 0002.

The arrangements used below, as seeded from chinesecalendar 1.11.0:

- 2019 New Year: 2018-12-30 (Sun) to 2019-01-01 off; Sat 2018-12-29 worked.
- 2020 Spring Festival, with the anti-epidemic extension: 2020-01-24 (Fri) to 02-02 (Sun) off.
- 2025 Spring Festival: 01-28 (Tue) to 02-04 (Tue) off; Sun 01-26 and Sat 02-08 worked.
- 2025 National Day + Mid-Autumn: 10-01 (Wed) to 10-08 (Wed) off, 10-06 being Mid-Autumn;
  Sun 09-28 and Sat 10-11 worked.
- 2026 Spring Festival: 02-15 (Sun) to 02-23 (Mon) off; Sat 02-14 and Sat 02-28 worked.
- 2026 National Day: 10-01 (Thu) to 10-07 (Wed) off; Sun 09-20 and Sat 10-10 worked.
- 2027: not published in the package, so not seeded.
"""

from datetime import date, datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from zhongcai.core.calendar import (
    MakeupWorkday,
    RestStretch,
    Unit,
    add_calendar_days,
    add_working_days,
    compute_deadline,
    is_rest_day,
    is_working_day,
)
from zhongcai.core.models import Holiday, HolidayYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def holiday_admin(province_admin, client):
    """The province's HRSS administrator, allowed to keep the holiday table in the admin."""
    province_admin.is_staff = True
    province_admin.save(update_fields=["is_staff"])
    province_admin.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="core", codename__regex=r"_(holidayyear|holiday)$"
        )
    )
    client.force_login(province_admin)
    return client


class TestSeededCalendar:
    def test_it_has_every_year_the_package_knows(self):
        assert list(HolidayYear.objects.values_list("year", flat=True)) == list(range(2004, 2027))
        assert HolidayYear.objects.get(year=2026).source.startswith("chinesecalendar ")

    def test_it_stores_the_2026_national_day_in_chinese(self):
        days = Holiday.objects.filter(date__range=(date(2026, 9, 20), date(2026, 10, 10)))
        assert [(d.date.day, d.kind, d.name) for d in days] == [
            (20, "workday", "国庆节"),
            (25, "holiday", "中秋节"),
            (26, "holiday", "中秋节"),
            (27, "holiday", "中秋节"),
            (1, "holiday", "国庆节"),
            (2, "holiday", "国庆节"),
            (3, "holiday", "国庆节"),
            (4, "holiday", "国庆节"),
            (5, "holiday", "国庆节"),
            (6, "holiday", "国庆节"),
            (7, "holiday", "国庆节"),
            (10, "workday", "国庆节"),
        ]

    def test_it_files_late_december_days_under_their_own_year(self):
        assert Holiday.objects.get(date=date(2018, 12, 29)).year_id == 2018

    def test_the_command_adds_nothing_twice(self, capsys, english):
        call_command("seed_holidays")
        assert "No year to add" in capsys.readouterr().out
        assert HolidayYear.objects.count() == 23

    def test_the_command_restores_a_missing_year(self, capsys):
        HolidayYear.objects.filter(year=2025).delete()
        call_command("seed_holidays")
        assert "2025" in capsys.readouterr().out
        assert Holiday.objects.filter(year=2025).count() == 33

    def test_the_command_reports_but_keeps_an_edited_year(self, capsys):
        Holiday.objects.filter(date=date(2026, 10, 7)).update(name="国庆")
        call_command("seed_holidays")
        err = capsys.readouterr().err
        assert "2026" in err
        assert "国庆" in err
        assert Holiday.objects.get(date=date(2026, 10, 7)).name == "国庆"


class TestWorkingDay:
    def test_a_make_up_saturday_is_a_working_day(self):
        assert is_working_day(date(2025, 2, 8))
        assert not is_rest_day(date(2025, 2, 8))

    def test_a_weekday_holiday_is_a_rest_day(self):
        assert is_rest_day(date(2025, 10, 8))

    def test_an_ordinary_weekend_is_a_rest_day_and_a_weekday_is_not(self):
        assert is_rest_day(date(2025, 3, 16))
        assert is_working_day(date(2025, 3, 17))


class TestWorkingDays:
    def test_five_days_across_national_day_2025(self):
        result = add_working_days(date(2025, 9, 30), 5)
        # 10-09, 10-10, 10-11 (make-up Saturday), 10-13, 10-14.
        assert result.due == date(2025, 10, 14)
        assert result.rest_days_skipped == (
            RestStretch(date(2025, 10, 1), date(2025, 10, 8), ("国庆节", "中秋节")),
        )
        assert result.makeup_workdays == (MakeupWorkday(date(2025, 10, 11), "国庆节"),)
        assert result.is_certain

    def test_five_days_across_national_day_2026(self):
        result = add_working_days(date(2026, 9, 30), 5)
        # 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13.
        assert result.due == date(2026, 10, 13)
        assert result.explain("zh-hans") == (
            "2026-09-30 起 5 个工作日：10-01至10-07 国庆节休假，10-10 调休上班 → 2026-10-13"
        )
        assert result.explain("en") == (
            "5 working days from 2026-09-30: 10-01 to 10-07 国庆节 holiday, "
            "10-10 make-up working day → 2026-10-13"
        )

    def test_a_make_up_day_before_the_holiday_counts(self):
        result = add_working_days(date(2025, 9, 26), 5)
        # 09-28 (make-up Sunday), 09-29, 09-30, then 10-09, 10-10.
        assert result.due == date(2025, 10, 10)
        assert result.makeup_workdays == (MakeupWorkday(date(2025, 9, 28), "国庆节"),)

    def test_a_make_up_saturday_is_counted(self):
        assert add_working_days(date(2025, 2, 7), 1).due == date(2025, 2, 8)

    def test_three_days_across_spring_festival_2025(self):
        result = add_working_days(date(2025, 1, 24), 3)
        # 01-26 (make-up Sunday), 01-27, then 02-05.
        assert result.due == date(2025, 2, 5)
        assert result.rest_days_skipped == (
            RestStretch(date(2025, 1, 28), date(2025, 2, 4), ("春节",)),
        )

    def test_ten_days_across_spring_festival_2026(self):
        result = add_working_days(date(2026, 2, 10), 10)
        # 02-11, 02-12, 02-13, 02-14 (make-up), 02-24 .. 02-27, 02-28 (make-up), 03-02.
        assert result.due == date(2026, 3, 2)
        assert [m.date.day for m in result.makeup_workdays] == [14, 28]

    def test_the_2020_extension_is_a_holiday(self):
        assert add_working_days(date(2020, 1, 23), 1).due == date(2020, 2, 3)

    def test_the_trigger_day_is_not_counted(self):
        assert add_working_days(date(2025, 3, 3), 1).due == date(2025, 3, 4)
        assert add_working_days(date(2025, 3, 7), 1).due == date(2025, 3, 10)

    def test_ordinary_weekends_are_skipped_without_comment(self):
        result = add_working_days(date(2025, 3, 7), 1)
        assert result.rest_days_skipped == ()
        assert result.explain("zh-hans") == "2025-03-07 起 1 个工作日 → 2025-03-10"

    def test_a_new_year_make_up_day_in_december_counts(self):
        assert add_working_days(date(2018, 12, 28), 1).due == date(2018, 12, 29)
        assert add_working_days(date(2018, 12, 29), 1).due == date(2019, 1, 2)

    def test_zero_days_ends_on_the_trigger_day_or_the_next_working_day(self):
        assert add_working_days(date(2025, 3, 3), 0).due == date(2025, 3, 3)
        assert add_working_days(date(2025, 10, 5), 0).due == date(2025, 10, 9)


class TestCalendarDays:
    def test_a_last_day_in_national_day_2025_rolls_to_the_first_working_day(self):
        result = add_calendar_days(date(2025, 9, 20), 15)
        # 09-20 + 15 = 10-05 (Sunday, in the holiday) → 10-09.
        assert result.due == date(2025, 10, 9)
        assert result.rest_days_skipped == (
            RestStretch(date(2025, 10, 5), date(2025, 10, 8), ("国庆节", "中秋节")),
        )
        assert result.explain("zh-hans") == (
            "2025-09-20 起 15 日：期满日 10-05 逢国庆节、中秋节假期（10-05至10-08），"
            "顺延至其后第一个工作日 → 2025-10-09"
        )

    def test_a_last_day_in_spring_festival_2026_rolls_to_the_first_working_day(self):
        # 02-01 + 15 = 02-16 (Monday, in the holiday) → 02-24.
        assert add_calendar_days(date(2026, 2, 1), 15).due == date(2026, 2, 24)

    def test_a_last_day_on_an_ordinary_sunday_rolls_to_monday(self):
        result = add_calendar_days(date(2025, 3, 1), 15)
        assert result.due == date(2025, 3, 17)
        assert result.rest_days_skipped == (RestStretch(date(2025, 3, 16), date(2025, 3, 16), ()),)
        assert "期满日 03-16 为周末" in result.explain("zh-hans")

    def test_a_last_day_on_a_make_up_saturday_does_not_roll(self):
        result = add_calendar_days(date(2025, 9, 26), 15)
        assert result.due == date(2025, 10, 11)
        assert result.rest_days_skipped == ()
        assert result.makeup_workdays == (MakeupWorkday(date(2025, 10, 11), "国庆节"),)
        assert "不顺延" in result.explain("zh-hans")
        assert add_calendar_days(date(2026, 1, 30), 15).due == date(2026, 2, 14)

    def test_rest_days_inside_the_period_count(self):
        # 09-25 + 15 = 10-10, a working day after the whole National Day break.
        result = add_calendar_days(date(2025, 9, 25), 15)
        assert result.due == date(2025, 10, 10)
        assert result.rest_days_skipped == ()

    def test_the_trigger_day_is_not_counted(self):
        assert add_calendar_days(date(2025, 3, 3), 1).due == date(2025, 3, 4)


class TestYearWithoutArrangement:
    def test_2027_is_counted_with_weekends_only_and_says_so(self):
        result = add_working_days(date(2027, 9, 30), 5)
        # Plain weekends: 10-01 (Fri), 10-04 .. 10-07.
        assert result.due == date(2027, 10, 7)
        assert result.assumed_years == (2027,)
        assert not result.is_certain
        assert "2027 年节假日安排尚未录入，按双休日推算，结果待核实" in result.explain("zh-hans")
        assert "has not been entered" in result.explain("en")

    def test_a_deleted_year_falls_back_to_weekends(self):
        HolidayYear.objects.filter(year=2025).delete()
        result = add_working_days(date(2025, 9, 30), 5)
        assert result.due == date(2025, 10, 7)
        assert result.assumed_years == (2025,)
        assert is_working_day(date(2025, 10, 1))

    def test_a_calendar_period_ending_in_2027_is_uncertain(self):
        result = add_calendar_days(date(2026, 12, 1), 45)
        assert result.due == date(2027, 1, 15)
        assert result.assumed_years == (2027,)

    def test_a_calendar_period_ending_before_2027_is_certain(self):
        assert add_calendar_days(date(2026, 11, 1), 15).is_certain

    def test_the_last_days_of_december_wait_for_next_years_notice(self):
        # The 2019 notice moved 2018-12-29..31; until the 2027 notice is in, 2026-12-29..31 may
        # move too.
        assert add_working_days(date(2026, 12, 21), 1).is_certain
        assert add_working_days(date(2026, 12, 28), 1).assumed_years == (2027,)

    def test_an_administrator_adding_2027_changes_the_result(self, holiday_admin):
        response = holiday_admin.post(
            reverse("admin:core_holidayyear_add"),
            {
                "year": "2027",
                "source": "国务院办公厅关于2027年部分节假日安排的通知",
                "days-TOTAL_FORMS": "2",
                "days-INITIAL_FORMS": "0",
                "days-0-date": "2027-10-04",
                "days-0-kind": "holiday",
                "days-0-name": "国庆节",
                "days-1-date": "2027-10-09",
                "days-1-kind": "workday",
                "days-1-name": "国庆节",
            },
        )
        assert response.status_code == 302
        result = add_working_days(date(2027, 9, 30), 5)
        # 10-01 (Fri), 10-05, 10-06, 10-07, 10-08; the Saturday 10-09 is not needed.
        assert result.due == date(2027, 10, 8)
        assert result.is_certain

    def test_the_admin_refuses_a_day_outside_its_year(self, holiday_admin):
        response = holiday_admin.post(
            reverse("admin:core_holidayyear_add"),
            {
                "year": "2027",
                "source": "国务院办公厅关于2027年部分节假日安排的通知",
                "days-TOTAL_FORMS": "1",
                "days-INITIAL_FORMS": "0",
                "days-0-date": "2026-12-31",
                "days-0-kind": "holiday",
                "days-0-name": "元旦",
            },
        )
        assert response.status_code == 200
        assert "2026-12-31 不在 2027 年内" in response.content.decode()
        assert not HolidayYear.objects.filter(year=2027).exists()

    def test_the_admin_lists_the_years_with_their_counts(self, holiday_admin):
        response = holiday_admin.get(reverse("admin:core_holidayyear_changelist"))
        assert response.status_code == 200
        assert "2026" in response.content.decode()


@pytest.mark.usefixtures("english")
class TestBadInput:
    @pytest.mark.parametrize("days", [-1, 3661, 100_000])
    def test_it_refuses_absurd_lengths(self, days):
        with pytest.raises(ValueError, match="period"):
            add_working_days(date(2025, 1, 1), days)
        with pytest.raises(ValueError, match="period"):
            add_calendar_days(date(2025, 1, 1), days)

    def test_it_refuses_a_datetime(self):
        with pytest.raises(TypeError, match="date"):
            add_calendar_days(datetime(2025, 1, 1, 12, 0), 5)  # noqa: DTZ001

    def test_it_refuses_a_non_integer_length(self):
        with pytest.raises(TypeError):
            add_working_days(date(2025, 1, 1), 5.0)  # type: ignore[arg-type]

    def test_it_refuses_an_unknown_unit(self):
        with pytest.raises(ValueError, match="weeks"):
            compute_deadline(date(2025, 1, 1), 5, "weeks")

    def test_it_refuses_the_far_future(self):
        with pytest.raises(ValueError):
            add_calendar_days(date(9999, 12, 1), 30)


class TestComputeDeadline:
    def test_it_dispatches_on_the_unit(self):
        assert compute_deadline(date(2025, 9, 30), 5, Unit.WORKING).due == date(2025, 10, 14)
        assert compute_deadline(date(2025, 9, 30), 5, "calendar").due == date(2025, 10, 9)


class TestQueries:
    def test_a_period_costs_two_queries(self, django_assert_max_num_queries):
        with django_assert_max_num_queries(2):
            add_working_days(date(2025, 9, 30), 10)
        with django_assert_max_num_queries(2):
            add_calendar_days(date(2025, 12, 20), 45)

    def test_the_longest_period_costs_two_queries(self, django_assert_max_num_queries):
        with django_assert_max_num_queries(2):
            result = add_working_days(date(2004, 1, 1), 3660)
        assert result.due.year == 2018
