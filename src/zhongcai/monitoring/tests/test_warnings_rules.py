"""Each warning rule fires exactly when it should, once, with its numbers and its cases."""

import copy
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings

from zhongcai.accounts.models import Role, User
from zhongcai.cases.models import CaseDeadline, Party
from zhongcai.cases.tests import factories
from zhongcai.core.events import events_of
from zhongcai.monitoring import tasks, warning_services, warnings
from zhongcai.monitoring.models import EarlyWarning
from zhongcai.notifications.models import Notification

D = date(2026, 3, 2)  # a Monday; the 5-working-day clocks opened on D fall due on D+7
EMPLOYER_CODE = factories.credit_code("91370102MA3E00001")

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10) -> str:
    return f"{day.isoformat()} {hour:02d}:00 +0800"


def run(day: date) -> list[warnings.RuleReport]:
    with time_machine.travel(at(day), tick=False):
        return warnings.run_rules()


def report_of(reports: list[warnings.RuleReport], rule: str) -> warnings.RuleReport:
    return next(r for r in reports if r.rule == rule)


def override(settings: Any, rule: str, **values: Any) -> None:
    thresholds = copy.deepcopy(django_settings.MONITORING_WARNING_THRESHOLDS)
    thresholds[rule].update(values)
    settings.MONITORING_WARNING_THRESHOLDS = thresholds


def parties(i: int, *, employer: str = "济南示例商贸有限公司", code: str = EMPLOYER_CODE):
    worker = {
        **factories.WORKER,
        "name": f"工人{i:02d}",
        "id_number": factories.id_number(f"370102199002{i % 28 + 1:02d}{i % 1000:03d}"),
    }
    return {"parties": [worker, {**factories.EMPLOYER, "name": employer, "credit_code": code}]}


def accept(day: date, intake: User, head: User, **changes: Any):
    with time_machine.travel(at(day), tick=False):
        return factories.accepted(intake, head, **changes)


def licheng_head(licheng_intake: User) -> User:
    return User.objects.create(
        username="licheng_head", role=Role.INSTITUTE_HEAD, organisation=licheng_intake.organisation
    )


# --- Rule 1: deadlines ------------------------------------------------------------------------


def test_it_warns_five_working_days_ahead_and_tells_the_head_once(lixia_intake, lixia_head):
    case = accept(D, lixia_intake, lixia_head, **parties(1))
    reports = run(D)
    run(D)
    due = EarlyWarning.objects.filter(kind=EarlyWarning.Kind.DEADLINE_DUE).order_by("subject_key")
    # serve_application_copy and tribunal_notice: due D+7, 5 working days away; award: not.
    assert sorted(w.reason["code"] for w in due) == ["serve_application_copy", "tribunal_notice"]
    assert len(report_of(reports, "deadline").raised) == 2
    for warning in due:
        assert warning.reason["due_on"] == "2026-03-09"
        assert warning.reason["left"] == 5
        assert warning.organisation == case.institute
        assert list(warning.cases.all()) == [case]
        assert warning.assigned_to == lixia_head  # no tribunal yet: the head
        assert [e.kind for e in events_of(warning)] == ["warning.raised"]
    # No tribunal yet: the head of the institute is told, once per warning.
    assert Notification.objects.filter(kind=warnings.NOTIFICATION_KIND).count() == 2
    assert set(Notification.objects.values_list("recipient", flat=True)) == {lixia_head.pk}


def test_it_does_not_warn_below_the_threshold(settings, lixia_intake, lixia_head):
    accept(D, lixia_intake, lixia_head, **parties(1))
    override(settings, "deadline", due_within_working_days=4)
    run(D)
    assert not EarlyWarning.objects.exists()
    # The day after, the clocks are 4 working days away.
    run(D + timedelta(days=1))
    assert EarlyWarning.objects.filter(kind=EarlyWarning.Kind.DEADLINE_DUE).count() == 2


def test_it_tells_the_tribunal_and_the_head_once_each(
    institutions, lixia_intake, lixia_head, lixia_arbitrator, lixia_clerk
):
    case = accept(D, lixia_intake, lixia_head, **parties(1))
    with time_machine.travel(at(D), tick=False):
        factories.tribunal_formed(case, lixia_head)
    run(D)
    run(D)
    open_clocks = CaseDeadline.objects.filter(
        case=case, state=CaseDeadline.State.OPEN, code="serve_application_copy"
    )
    assert open_clocks.count() == 1
    warning = EarlyWarning.objects.get(subject_key=f"deadline:{open_clocks.get().pk}")
    told = Notification.objects.filter(key__startswith=f"monitoring-warning:{warning.pk}:")
    assert sorted(told.values_list("recipient__username", flat=True)) == [
        "lixia_arbitrator",
        "lixia_clerk",
        "lixia_head",
    ]
    assert warning.assigned_to == lixia_arbitrator


def test_an_overdue_clock_replaces_its_due_warning(lixia_intake, lixia_head):
    accept(D, lixia_intake, lixia_head, **parties(1))
    run(D)
    reports = run(D + timedelta(days=8))
    overdue = EarlyWarning.objects.filter(kind=EarlyWarning.Kind.DEADLINE_OVERDUE)
    assert overdue.count() == 2
    assert {w.reason["overdue"] for w in overdue} == {1}
    assert {w.severity for w in overdue} == {EarlyWarning.Severity.HIGH}
    due = EarlyWarning.objects.filter(kind=EarlyWarning.Kind.DEADLINE_DUE)
    assert {w.status for w in due} == {EarlyWarning.Status.RESOLVED}
    assert sorted(report_of(reports, "deadline").resolved) == sorted(w.pk for w in due)
    assert events_of(due.first()).last().payload == {"why": "now_overdue"}
    assert run(D + timedelta(days=8))[0].raised == []


def test_a_clock_that_stops_resolves_its_warning(lixia_intake, lixia_head):
    case = accept(D, lixia_intake, lixia_head, **parties(1))
    run(D)
    case.deadlines.filter(code="tribunal_notice").update(state=CaseDeadline.State.MET)
    reports = run(D + timedelta(days=1))
    resolved = EarlyWarning.objects.get(pk=report_of(reports, "deadline").resolved[0])
    assert resolved.reason["code"] == "tribunal_notice"
    assert events_of(resolved).last().payload == {"why": "clock_stopped"}


# --- Rule 2: collective cases -------------------------------------------------------------------


def test_a_collective_case_warns_once_with_its_workers_and_amount(lixia_intake, lixia_head):
    collective = accept(
        D, lixia_intake, lixia_head, **factories.tribunal_collective_changes(workers=12)
    )
    accept(
        D, lixia_intake, lixia_head, **parties(2, code=factories.credit_code("91370102MA3E00002"))
    )
    run(D)
    run(D)
    warning = EarlyWarning.objects.get(kind=EarlyWarning.Kind.COLLECTIVE)
    assert list(warning.cases.all()) == [collective]
    assert warning.reason["workers"] == 12
    assert warning.reason["amount"] == "21000.00"  # 12,000 wages + 9,000 compensation
    assert warning.window_key == D.isoformat()


# --- Rule 3: many cases against one employer --------------------------------------------------


def test_the_third_case_against_one_employer_in_30_days_warns(
    lixia_intake, lixia_head, jinan_admin, licheng_intake
):
    first = accept(D, lixia_intake, lixia_head, **parties(1))
    second = accept(D + timedelta(days=10), lixia_intake, lixia_head, **parties(2))
    run(D + timedelta(days=10))
    assert not EarlyWarning.objects.filter(kind=EarlyWarning.Kind.EMPLOYER_CASES).exists()
    third = accept(D + timedelta(days=29), lixia_intake, lixia_head, **parties(3))
    run(D + timedelta(days=29))
    run(D + timedelta(days=29))
    warning = EarlyWarning.objects.get(kind=EarlyWarning.Kind.EMPLOYER_CASES)
    assert set(warning.cases.all()) == {first, second, third}
    assert warning.reason["count"] == 3
    assert warning.reason["start"] == D.isoformat()
    assert warning.organisation == first.institute
    assert warning.window_key == D.isoformat()
    # A fourth case in Licheng: the same warning grows, and now belongs to Jinan.
    head = licheng_head(licheng_intake)
    fourth = accept(D + timedelta(days=30), licheng_intake, head, code="370112", **parties(4))
    reports = run(D + timedelta(days=30))
    assert report_of(reports, "employer_cases").updated == [warning.pk]
    warning.refresh_from_db()
    assert fourth in warning.cases.all()
    # ``first`` left the 30 days: three in the window, four in the episode.
    assert warning.reason["count"] == 3
    assert warning.cases.count() == 4
    assert [e.kind for e in events_of(warning)] == ["warning.raised", "warning.updated"]


def test_two_cases_in_30_days_and_one_later_do_not_warn(lixia_intake, lixia_head):
    accept(D, lixia_intake, lixia_head, **parties(1))
    accept(D + timedelta(days=1), lixia_intake, lixia_head, **parties(2))
    accept(D + timedelta(days=30), lixia_intake, lixia_head, **parties(3))
    run(D + timedelta(days=30))
    assert not EarlyWarning.objects.filter(kind=EarlyWarning.Kind.EMPLOYER_CASES).exists()


def test_an_employer_sued_in_two_counties_is_the_citys_warning(
    settings, lixia_intake, lixia_head, licheng_intake, jinan_admin
):
    override(settings, "employer_cases", min_cases=2)
    accept(D, lixia_intake, lixia_head, **parties(1))
    head = licheng_head(licheng_intake)
    accept(D, licheng_intake, head, code="370112", **parties(2))
    run(D)
    warning = EarlyWarning.objects.get(kind=EarlyWarning.Kind.EMPLOYER_CASES)
    assert warning.organisation == jinan_admin.organisation
    assert not warning_services.warnings_visible_to(lixia_head).filter(pk=warning.pk).exists()
    assert warning_services.warnings_visible_to(jinan_admin).filter(pk=warning.pk).exists()


# --- Rule 4: wage-arrears spikes ----------------------------------------------------------------


SPIKE = {"window_days": 14, "baseline_years": 1, "ratio": 2.0, "min_cases": 2}


def test_a_county_doubling_its_wage_cases_of_last_year_warns(settings, lixia_intake, lixia_head):
    override(settings, "wage_arrears_spike", **SPIKE)
    accept(date(2025, 3, 2), lixia_intake, lixia_head, **parties(1))
    a = accept(D - timedelta(days=13), lixia_intake, lixia_head, **parties(2))
    b = accept(D, lixia_intake, lixia_head, **parties(3))
    # Not wage arrears: not counted.
    accept(D, lixia_intake, lixia_head, causes=["social_insurance"], **parties(4))
    run(D)
    warning = EarlyWarning.objects.get(kind=EarlyWarning.Kind.WAGE_ARREARS_SPIKE)
    assert set(warning.cases.all()) == {a, b}
    assert warning.reason["count"] == 2
    assert warning.reason["baseline"] == "1.0"
    assert warning.reason["baseline_counts"] == {"2025": 1}
    assert warning.reason["start"] == (D - timedelta(days=13)).isoformat()
    assert warning.organisation == a.institute
    run(D)
    assert EarlyWarning.objects.filter(kind=EarlyWarning.Kind.WAGE_ARREARS_SPIKE).count() == 1


def test_no_spike_below_the_ratio_or_without_history(settings, lixia_intake, lixia_head):
    override(settings, "wage_arrears_spike", **{**SPIKE, "ratio": 3.0})
    accept(D, lixia_intake, lixia_head, **parties(2))
    accept(D, lixia_intake, lixia_head, **parties(3))
    # No case a year before: no baseline, no warning, and the county is named as "no data".
    reports = run(D)
    assert report_of(reports, "wage_arrears_spike").no_data == ["370102"]
    accept(date(2025, 3, 2), lixia_intake, lixia_head, **parties(1))
    run(D)  # 2 < 3 × 1
    assert not EarlyWarning.objects.filter(kind=EarlyWarning.Kind.WAGE_ARREARS_SPIKE).exists()


# --- Rules 5 and 6: policy sectors, dissolution ---------------------------------------------


def test_cases_against_construction_employers_warn(settings, lixia_intake, lixia_head):
    override(settings, "policy_sector", min_cases=2)
    code = factories.credit_code("91370102MA3E00009")
    builds = [
        accept(
            D,
            lixia_intake,
            lixia_head,
            **parties(i, employer="济南宏达建筑工程有限公司", code=code),
        )
        for i in (1, 2)
    ]
    accept(D, lixia_intake, lixia_head, **parties(3))  # 商贸: not a policy sector
    reports = run(D)
    warning = EarlyWarning.objects.get(kind=EarlyWarning.Kind.POLICY_SECTOR)
    assert warning.reason["sector"] == "construction"
    assert warning.reason["count"] == 2
    assert set(warning.cases.all()) == set(builds)
    # Platform work has no signal in the data: said, not guessed.
    assert report_of(reports, "policy_sector").no_data


def test_the_recorded_industry_counts_where_the_name_says_nothing(
    settings, lixia_intake, lixia_head
):
    override(settings, "policy_sector", min_cases=2)
    cases = [accept(D, lixia_intake, lixia_head, **parties(i)) for i in (1, 2)]  # 商贸 names
    Party.objects.filter(case__in=cases, kind=Party.Kind.EMPLOYER).update(industry="E")
    run(D)
    warning = EarlyWarning.objects.get(kind=EarlyWarning.Kind.POLICY_SECTOR)
    assert warning.reason["sector"] == "construction"
    assert warning.reason["signal"] == ["recorded"]
    assert set(warning.cases.all()) == set(cases)


def test_one_construction_case_is_below_the_threshold(settings, lixia_intake, lixia_head):
    override(settings, "policy_sector", min_cases=2)
    accept(D, lixia_intake, lixia_head, **parties(1, employer="济南宏达建筑工程有限公司"))
    run(D)
    assert not EarlyWarning.objects.filter(kind=EarlyWarning.Kind.POLICY_SECTOR).exists()


def test_dissolution_has_no_data_and_raises_nothing(lixia_intake, lixia_head):
    accept(D, lixia_intake, lixia_head, **parties(1))
    reports = run(D)
    assert report_of(reports, "employer_dissolved").no_data
    assert not EarlyWarning.objects.filter(kind=EarlyWarning.Kind.EMPLOYER_DISSOLVED).exists()


def test_the_command_runs_the_rules_once(lixia_intake, lixia_head):
    from io import StringIO

    from django.core.management import call_command

    accept(D, lixia_intake, lixia_head, **parties(1))
    with time_machine.travel(at(D), tick=False):
        first = tasks.run_warnings()
        call_command("run_warnings", stdout=StringIO())
    assert first == {"raised": 2, "updated": 0, "resolved": 0}
    beat = django_settings.CELERY_BEAT_SCHEDULE["monitoring-run-warnings"]
    assert beat["task"] == tasks.run_warnings.name
    assert EarlyWarning.objects.count() == 2
