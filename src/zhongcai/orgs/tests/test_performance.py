"""Performance figures from the case data, with their definitions; no figure is made up."""

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from zhongcai.cases import closing
from zhongcai.cases.selectors import online_handling_rate
from zhongcai.cases.tests.factories import accepted, received
from zhongcai.monitoring import figures as figures_module
from zhongcai.orgs import people, performance
from zhongcai.orgs.performance import INSTITUTION_FIGURES, Period

from .factories import arbitrator, commission

pytestmark = [pytest.mark.django_db, pytest.mark.urls("zhongcai.orgs.tests.urls")]
OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))


@pytest.fixture
def cases(lixia_intake, lixia_head, licheng_intake, licheng_admin):
    """Lixia: one accepted in time, one accepted late, one waiting past its deadline.
    Licheng: one accepted in time."""
    with time_machine.travel("2026-10-09 10:00 +0800", tick=False):
        accepted(lixia_intake, lixia_head)
        late = received(lixia_intake)
        waiting = received(lixia_intake)
    with time_machine.travel("2026-10-22 10:00 +0800", tick=False):
        from zhongcai.cases import services

        services.case_accept(by=lixia_head, case=late, warnings_acknowledged=True)
    return waiting


def _by_code(values):
    return {v.definition.code: v for v in values}


@time_machine.travel("2026-11-02 10:00 +0800", tick=False)
def test_institution_figures_are_computed_from_the_cases(cases):
    figures = _by_code(performance.figures_by_commission([commission()], OCTOBER)[commission().pk])
    assert figures["accepted"].value == 2
    assert figures["acceptance_decisions"].value == 2
    assert figures["acceptance_late"].value == 1
    assert figures["acceptance_on_time"].value == 0.5
    assert figures["acceptance_on_time"].display() == "50.0%"
    assert figures["online_rate"].value == 1.0
    # The waiting application, and both accepted cases: their service and tribunal-notice
    # clocks (5 working days) are still running, since those steps are not recorded yet.
    assert figures["overdue_open"].value == 3


@time_machine.travel("2026-11-02 10:00 +0800", tick=False)
def test_the_online_rate_is_the_case_selectors_own(cases):
    figure = _by_code(performance.figures_by_commission([commission()], OCTOBER)[commission().pk])
    rate = online_handling_rate(commission(), OCTOBER.start, OCTOBER.end)
    assert figure["online_rate"].value == rate.value
    assert figure["online_rate"].detail == f"{rate.handled_online} of {rate.total}"


@time_machine.travel("2026-11-02 10:00 +0800", tick=False)
def test_figures_for_an_area_add_up_its_commissions(cases, jinan_admin):
    area = _by_code(performance.figures_for_area(jinan_admin.organisation, OCTOBER))
    assert area["accepted"].value == 2
    assert area["overdue_open"].value == 3


def test_court_figures_say_there_is_no_data_yet():
    figures = _by_code(performance.figures_by_commission([commission()], OCTOBER)[commission().pk])
    assert not figures["set_aside"].available
    assert figures["set_aside"].value is None
    assert figures["set_aside"].display() == "No data yet"
    assert figures["set_aside"].definition.missing


def test_closing_figures_are_the_monitoring_figures(
    institutions, lixia_intake, lixia_head, lixia_clerk, jinan_admin
):
    """A case accepted on 10-09 and withdrawn on 10-19: closed 1, in time, 10 days."""
    with time_machine.travel("2026-10-09 10:00 +0800", tick=False):
        case = accepted(lixia_intake, lixia_head)
    with time_machine.travel("2026-10-19 10:00 +0800", tick=False):
        closing.case_withdraw(by=lixia_clerk, case=case, reasons="已和解")
    figures_module.rebuild()
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        lixia = _by_code(
            performance.figures_by_commission([commission()], OCTOBER)[commission().pk]
        )
        area = _by_code(performance.figures_for_area(jinan_admin.organisation, OCTOBER))
    for figures in (lixia, area):
        assert figures["closed"].value == 1
        assert figures["closed_in_time"].value == 1.0
        assert figures["average_days"].value == Decimal("10.0")
        assert figures["mediation_rate"].value == 0.0
    assert lixia["closed_in_time"].detail == area["closed_in_time"].detail


def test_closing_rates_over_no_closed_case_are_empty_not_zero():
    figures = _by_code(performance.figures_by_commission([commission()], OCTOBER)[commission().pk])
    assert figures["closed"].value == 0
    assert figures["closed_in_time"].display() == "—"
    assert figures["average_days"].display() == "—"


def test_a_period_without_cases_has_no_rate_rather_than_zero():
    figures = _by_code(performance.figures_by_commission([commission()], OCTOBER)[commission().pk])
    assert figures["accepted"].value == 0
    assert figures["acceptance_on_time"].display() == "—"


def test_every_figure_has_a_definition():
    for definition in (*INSTITUTION_FIGURES, *performance.ARBITRATOR_FIGURES):
        assert len(performance.definition_text(definition)) > 20


def test_arbitrator_figures_show_training_and_assessment_and_no_case_figures(lixia_admin):
    person = arbitrator(by=lixia_admin, starts_on=date(2026, 1, 1))
    people.training_add(
        by=lixia_admin, person=person, completed_on=date(2026, 10, 12), hours=16, course="培训"
    )
    people.training_add(
        by=lixia_admin, person=person, completed_on=date(2026, 9, 1), hours=8, course="培训"
    )
    people.assessment_record(by=lixia_admin, person=person, year=2025, result="excellent")
    values = _by_code(performance.figures_by_arbitrator([person], OCTOBER)[person.pk])
    assert values["training_hours"].value == 16
    assert values["assessment"].value is None  # 2025 is outside October 2026
    assert not values["cases_handled"].available
    year = Period(date(2025, 1, 1), date(2026, 12, 31))
    values = _by_code(performance.figures_by_arbitrator([person], year)[person.pk])
    assert values["training_hours"].value == 24
    assert values["assessment"].value == "2025: Excellent"


@time_machine.travel("2026-11-02 10:00 +0800", tick=False)
def test_the_page_shows_each_figure_with_its_definition(cases, login, jinan_admin):
    response = login(jinan_admin).get(
        reverse("institutions:performance") + "?start=2026-10-01&end=2026-10-31"
    )
    assert response.status_code == 200
    summary = response.context["summary"]
    assert [v.definition.code for v, _text in summary] == [d.code for d in INSTITUTION_FIGURES]
    html = response.content.decode()
    for value, text in summary:
        assert escape(str(value.definition.label)) in html
        assert escape(text) in html
    rows = dict(response.context["rows"])
    assert _by_code(rows[commission()])["accepted"].value == 2


def test_a_bad_period_is_refused_and_the_default_shown(login, lixia_admin):
    response = login(lixia_admin).get(
        reverse("institutions:performance") + "?start=2026-10-31&end=2026-10-01"
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["period"].start <= response.context["period"].end


def test_the_arbitrator_view_lists_the_areas_arbitrators(login, lixia_admin, licheng_admin):
    arbitrator(by=lixia_admin, name="林晓东", starts_on=date(2026, 1, 1))
    arbitrator(commission("370112"), by=licheng_admin, name="高丽娟", starts_on=date(2026, 1, 1))
    response = login(lixia_admin).get(
        reverse("institutions:performance") + "?start=2026-10-01&end=2026-10-31&view=arbitrators"
    )
    assert [p.name for p, _values in response.context["rows"]] == ["林晓东"]


@time_machine.travel("2026-11-02 10:00 +0800", tick=False)
def test_the_export_carries_the_figures_and_their_definitions(cases, login, jinan_admin):
    response = login(jinan_admin).get(
        reverse("institutions:performance-export") + "?start=2026-10-01&end=2026-10-31"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 3
    institutions, _arbitrators, definitions = (book[name] for name in book.sheetnames)
    rows = list(institutions.iter_rows(values_only=True))
    lixia = next(row for row in rows if row[0] == commission().name)
    assert lixia[1] == 2  # accepted
    texts = [row[1] for row in definitions.iter_rows(values_only=True)]
    assert len(texts) == 1 + len(INSTITUTION_FIGURES) + len(performance.ARBITRATOR_FIGURES)


def test_the_province_page_is_bounded_in_queries(
    login, province_admin, django_assert_max_num_queries
):
    client = login(province_admin)
    # One online-rate query per commission shown (a page of 20), plus a fixed number (the
    # closing figures add one grouped query for the page and one for the area).
    with django_assert_max_num_queries(20 + 18):
        client.get(reverse("institutions:performance"))
