"""The employer breakdowns (issue 10 point 1) counted by hand on a small October 2026 set of
Lixia cases, one Licheng case and one case accepted after the period:

  1 respondent: C 制造业, private          → C, private
  2 respondent: C 制造业, foreign          → C, foreign
  3 respondent: nothing recorded           → unclassified, unclassified
  4 the employer applies: F, state-owned   → F, state_owned
  5 labor dispatch: using unit (C, private) named first, dispatching unit (L, private)
                                           → L, private (the dispatching unit is the employer)
  N accepted 11-01 (after the period): E   → not counted
  Licheng, accepted 10-15: E, collective   → not counted for Lixia
"""

from datetime import date

import pytest
import time_machine
from django.utils import translation

from zhongcai.accounts.models import Role, User
from zhongcai.cases.tests import factories as f
from zhongcai.monitoring import breakdowns
from zhongcai.monitoring.tests.scenario import NOW, OCT, at

pytestmark = pytest.mark.django_db


def employer(i, **values):
    return {**f.EMPLOYER, "credit_code": f.credit_code(f"91370102MA3E{i:05d}"), **values}


def worker(i):
    return {**f.WORKER, "id_number": f.id_number(f"370102199002{i % 28 + 1:02d}{i:03d}")}


def accept(day, intake, head, parties, month=10, **changes):
    with time_machine.travel(at(month, day), tick=False):
        return f.accepted(intake, head, parties=parties, **changes)


@pytest.fixture
def employer_cases(institutions, lixia_intake, lixia_head, licheng_intake):
    accept(
        2,
        lixia_intake,
        lixia_head,
        [worker(1), employer(1, industry="C", registration_type="private")],
    )
    accept(
        3,
        lixia_intake,
        lixia_head,
        [worker(2), employer(2, industry="C", registration_type="foreign")],
    )
    accept(4, lixia_intake, lixia_head, [worker(3), employer(3)])
    applying = employer(4, role="applicant", industry="F", registration_type="state_owned")
    accept(5, lixia_intake, lixia_head, [applying, {**worker(4), "role": "respondent"}])
    using = employer(5, industry="C", registration_type="private", dispatch_role="using")
    dispatching = employer(
        6, name="济南示例劳务派遣有限公司", industry="L", registration_type="private",
        dispatch_role="dispatching",
    )  # fmt: skip
    accept(6, lixia_intake, lixia_head, [worker(5), using, dispatching])
    accept(1, lixia_intake, lixia_head, [worker(7), employer(7, industry="E")], month=11)
    licheng_head = User.objects.create(
        username="licheng_head", real_name="历城院长", role=Role.INSTITUTE_HEAD,
        organisation=licheng_intake.organisation,
    )  # fmt: skip
    accept(
        15, licheng_intake, licheng_head,
        [worker(8), employer(8, industry="E", registration_type="collective")], code="370112",
    )  # fmt: skip


def counts(code, user, **period):
    return breakdowns.breakdown(code, user=user, **(period or OCT)).counts()


@time_machine.travel(NOW, tick=False)
def test_it_counts_cases_by_the_employers_industry(employer_cases, lixia_admin):
    assert counts("employer_industry", lixia_admin) == {"C": 2, "F": 1, "L": 1, "unclassified": 1}


@time_machine.travel(NOW, tick=False)
def test_it_counts_cases_by_the_employers_registration_type(employer_cases, lixia_admin):
    assert counts("employer_type", lixia_admin) == {
        "private": 2, "foreign": 1, "state_owned": 1, "unclassified": 1,
    }  # fmt: skip


@time_machine.travel(NOW, tick=False)
def test_the_rows_are_every_case_accepted_and_are_labelled(employer_cases, lixia_admin):
    result = breakdowns.breakdown("employer_industry", user=lixia_admin, **OCT)
    assert result.missing is None
    assert result.total == 5  # every case accepted in October, unclassified too
    with translation.override("en"):
        labels = {key: str(label) for key, label, _n in result.rows}
        types = breakdowns.breakdown("employer_type", user=lixia_admin, **OCT)
        type_labels = {key: str(label) for key, label, _n in types.rows}
    assert labels == {
        "C": "C 制造业", "F": "F 批发和零售业", "L": "L 租赁和商务服务业",
        "unclassified": "Not recorded",
    }  # fmt: skip
    assert type_labels["foreign"] == "Foreign, Hong Kong, Macao or Taiwan funded"
    # The standard's order, unclassified last.
    assert [key for key, _l, _n in result.rows] == ["C", "F", "L", "unclassified"]


@time_machine.travel(NOW, tick=False)
def test_another_countys_cases_are_not_counted(employer_cases, lixia_admin, jinan_admin):
    assert "E" not in counts("employer_industry", lixia_admin)
    assert "collective" not in counts("employer_type", lixia_admin)
    # The city sees both counties.
    assert counts("employer_industry", jinan_admin) == {
        "C": 2, "E": 1, "F": 1, "L": 1, "unclassified": 1,
    }  # fmt: skip


@time_machine.travel(NOW, tick=False)
def test_only_the_cases_accepted_in_the_period_count(employer_cases, lixia_admin):
    first_of_november = {"start": date(2026, 11, 1), "end": date(2026, 11, 1)}
    assert counts("employer_industry", lixia_admin, **first_of_november) == {"E": 1}
    assert counts("employer_type", lixia_admin, **first_of_november) == {"unclassified": 1}
    september = {"start": date(2026, 9, 1), "end": date(2026, 9, 30)}
    assert breakdowns.breakdown("employer_type", user=lixia_admin, **september).rows == []
