"""LDMAL art. 27: the one-year period, and wages owed during the employment."""

from datetime import date, timedelta

import pytest

from zhongcai.core.calendar import is_rest_day, is_working_day
from zhongcai.portal.limitation import limitation_notes, one_year_after

# The last day is carried over rest days through the holiday calendar (a table).
pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)


def test_one_year_ends_on_the_corresponding_day():
    assert one_year_after(date(2025, 6, 1)) == date(2026, 6, 1)
    assert one_year_after(date(2024, 2, 29)) == date(2025, 2, 28)


def test_other_claims_run_from_the_day_the_worker_knew():
    [note] = limitation_notes(
        knew_on=date(2025, 6, 1),
        ended_on=date(2025, 5, 31),
        claim_types=["economic_compensation"],
        today=TODAY,
    )
    assert (note.wages, note.ends_on, note.expired) == (False, date(2026, 6, 1), True)


def test_the_last_day_itself_is_still_in_time():
    [note] = limitation_notes(
        knew_on=date(2025, 11, 30), ended_on=None, claim_types=["damages"], today=TODAY
    )
    assert note.ends_on == TODAY and not note.expired


def test_a_last_day_on_a_holiday_or_weekend_moves_to_the_next_working_day():
    # Civil Code art. 203. 2026-01-10 is a Saturday.
    assert one_year_after(date(2025, 1, 10)) == date(2026, 1, 12)
    # National Day: the period ends on the first working day after the holiday.
    end = one_year_after(date(2025, 10, 1))
    assert end > date(2026, 10, 1) and is_working_day(end)
    assert all(is_rest_day(date(2026, 10, 1) + timedelta(days=d)) for d in range(end.day - 1))


def test_wages_owed_are_not_limited_while_employed():
    [note] = limitation_notes(
        knew_on=date(2020, 1, 1),
        ended_on=None,
        claim_types=["remuneration"],
        today=TODAY,
        still_employed=True,
    )
    assert note.wages and note.ends_on is None and not note.expired


def test_a_worker_who_left_without_a_last_day_is_asked_for_it_not_reassured():
    [note] = limitation_notes(
        knew_on=None, ended_on=None, claim_types=["remuneration"], today=TODAY
    )
    assert note.wages and note.ends_on is None
    assert "最后工作日" in note.message and "尚未开始" not in note.message


def test_wages_owed_run_one_year_from_the_end_of_the_employment():
    [note] = limitation_notes(
        knew_on=date(2020, 1, 1),
        ended_on=date(2026, 8, 31),
        claim_types=["remuneration"],
        today=TODAY,
    )
    assert (note.ends_on, note.expired) == (date(2027, 8, 31), False)


def test_wages_and_other_claims_get_one_note_each():
    notes = limitation_notes(
        knew_on=date(2025, 1, 10),
        ended_on=date(2025, 9, 1),
        claim_types=["remuneration", "economic_compensation"],
        today=date(2025, 12, 1),
    )
    assert [(n.wages, n.ends_on, n.expired) for n in notes] == [
        (True, date(2026, 9, 1), False),
        (False, date(2026, 1, 12), False),  # the 10th is a Saturday
    ]


def test_no_date_no_warning():
    assert limitation_notes(knew_on=None, ended_on=None, claim_types=[], today=TODAY) == []
