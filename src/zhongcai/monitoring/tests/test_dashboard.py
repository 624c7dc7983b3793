"""The dashboards read stored figures; they must say what the indicators say, for any area, and
follow a case's events as they are committed."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine
from django.http import Http404

from zhongcai.cases import closing
from zhongcai.monitoring import dashboard, figures, indicators
from zhongcai.monitoring.figure_models import CaseFigure, DailyFigure
from zhongcai.monitoring.tests.scenario import NOW, OCT, at
from zhongcai.orgs.models import Organisation

pytestmark = pytest.mark.django_db

# dashboard.Figures attribute → the indicator it must equal.
SAME = {
    "carried_over": "carried_over",
    "accepted": "accepted",
    "closed": "closed",
    "open_at_end": "open_at_end",
    "closure_rate": "closure_rate",
    "mediation_success_rate": "mediation_success_rate",
    "final_award_rate": "final_award_rate",
    "closed_in_time_rate": "closed_in_time_rate",
    "average_days": "average_days",
    "overdue": "overdue",
    "online_rate": "online_rate",
    "accepted_collective": "collective_cases",
    "collective_workers": "collective_workers",
    "workers": "workers",
    "amount": "amount",
}


def _same(dashboard_value, result):
    if result.value is None:
        return dashboard_value is None
    if result.indicator.unit == indicators.RATE:
        return dashboard_value == result.value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return dashboard_value == result.value


def _assert_agrees(user, organisation=None, **period):
    period = period or OCT
    view = dashboard.overview(user=user, organisation=organisation, **period)
    for name, code in SAME.items():
        result = indicators.compute(code, user=user, organisation=organisation, **period)
        assert _same(getattr(view.totals, name), result), (name, getattr(view.totals, name), result)
    closed = indicators.compute("closed", user=user, organisation=organisation, **period)
    for method, count in closed.parts.items():
        assert view.totals.by_method.get(method, 0) == count, method
    return view


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_says_what_the_indicators_say(scenario, lixia_admin, province_admin):
    figures.rebuild()
    view = _assert_agrees(lixia_admin)
    assert (view.totals.carried_over, view.totals.accepted, view.totals.closed) == (4, 3, 5)
    assert view.totals.overdue == 1  # A
    _assert_agrees(province_admin)
    jinan = Organisation.objects.get(division_id="370100", type="hrss_department")
    licheng = Organisation.objects.get(division_id="370112", type="hrss_department")
    _assert_agrees(province_admin, jinan)
    _assert_agrees(province_admin, licheng)
    _assert_agrees(province_admin, start=date(2026, 9, 1), end=date(2026, 11, 2))
    _assert_agrees(province_admin, start=date(2025, 1, 1), end=date(2025, 1, 31))


@time_machine.travel(NOW, tick=False)
def test_drill_down_counties_and_months(scenario, province_admin):
    figures.rebuild()
    view = dashboard.overview(user=province_admin, **OCT)
    jinan = next(p for p in view.children if p.organisation.division_id == "370100")
    assert jinan.figures.accepted == 4  # C D E (Lixia) and L (Licheng)
    others = [p for p in view.children if p.organisation.division_id != "370100"]
    assert others and all(p.figures.accepted == 0 for p in others)
    counties = {p.division.code: p.figures for p in view.counties}
    assert counties["370102"].accepted == 3 and counties["370112"].accepted == 1
    assert len(counties) > 100  # every county of Shandong, coloured or not
    months = dict(view.months)
    assert len(months) == 12
    assert months[date(2026, 10, 1)].accepted == 4
    assert months[date(2026, 9, 1)].accepted == 4  # A B G H
    assert months[date(2026, 8, 1)].accepted == 1  # I


@time_machine.travel(NOW, tick=False)
def test_a_county_cannot_reach_another_county(scenario, lixia_admin, jinan_admin):
    figures.rebuild()
    licheng = Organisation.objects.get(division_id="370112", type="hrss_department")
    with pytest.raises(Http404):
        dashboard.overview(user=lixia_admin, organisation=licheng, **OCT)
    view = dashboard.overview(user=jinan_admin, **OCT)
    # Jinan's own commission and its counties' departments; nothing of another city.
    assert all("370100" in (p.division.code, p.division.parent_id) for p in view.children)
    assert all(p.division.parent_id == "370100" for p in view.counties)


def test_figures_follow_committed_events(
    scenario, lixia_admin, lixia_clerk, django_capture_on_commit_callbacks
):
    figures.rebuild()
    a = scenario["A"]
    assert CaseFigure.objects.get(case=a).closed_on is None
    with (
        time_machine.travel(at(11, 2, 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        closing.case_withdraw(by=lixia_clerk, case=a, reasons="已和解")
    figure = CaseFigure.objects.get(case=a)
    assert (figure.closed_on, figure.method) == (date(2026, 11, 2), "withdrawn")
    day = DailyFigure.objects.get(organisation=a.institute, day=date(2026, 11, 2))
    assert (day.closed, day.closed_withdrawn) == (1, 1)
    # What the events left is exactly what a rebuild from the source gives.
    stored = sorted(DailyFigure.objects.values_list(*_cell_fields()))
    figures.rebuild()
    assert sorted(DailyFigure.objects.values_list(*_cell_fields())) == stored
    with time_machine.travel(NOW, tick=False):
        _assert_agrees(lixia_admin, start=date(2026, 11, 1), end=date(2026, 11, 2))


def _cell_fields():
    return ["organisation_id", "day", *figures.ACCEPTED_FIELDS, *figures.CLOSED_FIELDS,
            *figures.MEDIATION_FIELDS]  # fmt: skip
