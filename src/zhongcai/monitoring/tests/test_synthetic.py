"""The synthetic province of the dashboard bench: coherent cases, figures that match them.

The generator writes no events, parties or claim items (see its docstring), so the dashboards'
figures are compared with ``indicators.compute`` only where the indicator reads the case row
itself (accepted, closed, collective); what only the figures carry (workers, amount, clocks) is
compared with the sums of the stored case figures.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone

from zhongcai.cases.models import CLOSED_STATES, OPEN_STATES, Case, CaseNumberCounter, Status
from zhongcai.monitoring import dashboard, indicators
from zhongcai.monitoring.figure_models import CaseFigure, DailyFigure
from zhongcai.monitoring.synthetic import build_province
from zhongcai.orgs.models import Organisation

N = 300


@pytest.fixture
def synthetic(province):
    return build_province(N, seed=7, years=3)


def test_it_makes_coherent_cases(synthetic):
    cases = list(Case.objects.select_related("institute", "commission"))
    assert len(cases) == synthetic.cases == N
    root = Organisation.objects.get(division_id="370000", type=Organisation.Type.HRSS_DEPARTMENT)
    today = timezone.localdate()
    for case in cases:
        assert case.institute.path.startswith(root.path)
        assert case.institute.type == Organisation.Type.ARBITRATION_INSTITUTE
        assert case.institute.parent_id == case.commission_id
        assert today - timedelta(days=3 * 366) <= case.accepted_on <= today
        assert case.primary_cause and case.causes == [case.primary_cause]
        if case.closed_at is None:
            assert case.status in OPEN_STATES
        else:
            assert timezone.localdate(case.closed_at) >= case.accepted_on
            assert case.status in CLOSED_STATES or case.status == Status.ARCHIVED
    numbers = [(c.commission_id, c.case_number) for c in cases]
    assert len(set(numbers)) == N


def test_its_figures_are_the_cases(synthetic):
    figures = {f.case_id: f for f in CaseFigure.objects.all()}
    cases = Case.objects.all()
    assert set(figures) == set(cases.values_list("pk", flat=True))
    for case in cases:
        figure = figures[case.pk]
        assert figure.organisation_id == case.institute_id
        assert figure.accepted_on == case.accepted_on
        assert figure.collective == case.collective
        assert figure.online == (case.origin == "system")
        closed_on = timezone.localdate(case.closed_at) if case.closed_at else None
        assert figure.closed_on == closed_on
        assert bool(figure.method) == (closed_on is not None)
        if case.collective:
            assert figure.workers >= 10
    assert DailyFigure.objects.aggregate(n=Sum("accepted"))["n"] == N
    assert (
        DailyFigure.objects.aggregate(n=Sum("closed"))["n"]
        == cases.filter(closed_at__isnull=False).count()
    )


def test_case_numbers_continue_after_the_synthetic_ones(synthetic):
    for counter in CaseNumberCounter.objects.all():
        top = Case.objects.filter(commission=counter.commission, case_year=counter.year).count()
        assert counter.last == top


def test_the_province_dashboard_agrees_with_the_indicators(synthetic):
    user = synthetic.province_admin
    end = timezone.localdate()
    start = date(end.year - 1, 1, 1)
    totals = dashboard.overview(user=user, start=start, end=end).totals
    for code, value in (
        ("accepted", totals.accepted),
        ("closed", totals.closed),
        ("collective_cases", totals.accepted_collective),
        ("carried_over", totals.carried_over),
        ("open_at_end", totals.open_at_end),
    ):
        assert indicators.compute(code, user=user, start=start, end=end).value == value, code
    # Only the figures carry workers, amounts and clocks: compare with their own sums.
    accepted = CaseFigure.objects.filter(accepted_on__range=(start, end))
    sums = accepted.aggregate(workers=Sum("workers"), amount=Sum("amount"))
    assert (totals.workers, totals.amount) == (sums["workers"], sums["amount"])
    closed = CaseFigure.objects.filter(closed_on__range=(start, end))
    assert totals.in_time == closed.filter(in_time=True).count()
    assert totals.closed_award == closed.filter(method="award").count()
    assert totals.accepted > 0 and totals.closed > 0


def test_the_county_admin_sees_their_county_only(synthetic):
    end = timezone.localdate()
    start = end - timedelta(days=3 * 366)
    county = synthetic.county_admin
    lixia = dashboard.overview(user=county, start=start, end=end).totals
    expected = Case.objects.filter(institute__path__startswith=county.organisation.path).count()
    assert lixia.accepted == expected
    assert expected < N
    licheng = Organisation.objects.get(division_id="370112", type=Organisation.Type.HRSS_DEPARTMENT)
    with pytest.raises(Http404):
        dashboard.overview(user=county, organisation=licheng, start=start, end=end)


def test_the_cases_spread_like_a_province(province):
    build_province(3000, seed=3, years=2)
    by_cause = dict(
        Case.objects.values("primary_cause")
        .annotate(n=Count("pk"))
        .values_list("primary_cause", "n")
    )
    assert max(by_cause, key=by_cause.__getitem__) == "remuneration"
    collective = Case.objects.filter(collective=True).count()
    assert 10 <= collective <= 100  # about 1.5 %
    jinan_qingdao = Case.objects.filter(
        Q(institute__division__code__startswith="3701")
        | Q(institute__division__code__startswith="3702")
    ).count()
    assert jinan_qingdao > 3000 * 0.15  # the two big cities file more than their share of 16
    closed = Case.objects.filter(closed_at__isnull=False).count()
    old = Case.objects.filter(accepted_on__lt=timezone.localdate() - timedelta(days=90))
    assert old.filter(closed_at__isnull=False).count() / old.count() > 0.95
    assert closed < 3000
