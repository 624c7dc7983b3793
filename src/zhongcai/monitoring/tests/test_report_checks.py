"""The 校核 checks of the monthly report: a planted inconsistency fails its check and names the
case; a clean month passes."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import translation

from zhongcai.cases.models import Award, AwardItem, Case, CaseDeadline, ClaimItem
from zhongcai.cases.tests import factories as f
from zhongcai.monitoring import checks, indicators, report
from zhongcai.orgs.models import Division

from .report_scenarios import AFTER, OCTOBER, accept, clean_october, hrss

pytestmark = pytest.mark.django_db


@pytest.fixture
def clean(institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator):
    return clean_october(lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator)


def run(user, organisation=None):
    s = indicators.scope_for(user, organisation, OCTOBER, report.month_end(OCTOBER))
    with time_machine.travel(AFTER, tick=False):
        return {c.code: c for c in checks.run_checks(s)}


def failing(found):
    return {f.code: f for c in found.values() for f in c.failures}


def named(failure):
    return {ref.pk for ref in failure.cases}


def test_it_passes_a_clean_month(clean, lixia_admin):
    found = run(lixia_admin)
    assert failing(found) == {}
    assert all(c.passed for c in found.values())
    assert list(found) == [code for code, _label in checks.CHECKS]


def test_a_collective_case_with_two_workers_fails_and_is_named(clean, lixia_admin):
    Case.objects.filter(pk=clean["C"].pk).update(collective=True)
    failure = failing(run(lixia_admin))["collective.too_few"]
    assert named(failure) == {clean["C"].pk}
    assert failure.cases[0].number == clean["C"].case_number
    with translation.override("en"):
        assert "marked collective" in failing(run(lixia_admin))["collective.too_few"].message


def test_ten_workers_without_the_flag_fail(institutions, lixia_intake, lixia_head, lixia_admin):
    case = accept(10, 5, lixia_intake, lixia_head, 120, **f.tribunal_collective_changes())
    assert failing(run(lixia_admin)) == {}
    Case.objects.filter(pk=case.pk).update(collective=False)
    assert named(failing(run(lixia_admin))["collective.unmarked"]) == {case.pk}


def test_a_case_closed_before_it_was_accepted_fails_date_order(clean, lixia_admin):
    b = clean["B"]
    Case.objects.filter(pk=b.pk).update(closed_at=b.closed_at.replace(day=9))
    found = failing(run(lixia_admin))
    assert named(found["date_order.accepted.closed"]) == {b.pk}
    assert named(found["date_order.received.closed"]) == {b.pk}


def test_a_month_closed_before_acceptance_breaks_the_open_balance(clean, lixia_admin):
    c = clean["C"]  # accepted in October, "closed" in September: counted open but not open
    Case.objects.filter(pk=c.pk).update(closed_at=clean["B"].closed_at - timedelta(days=30))
    found = failing(run(lixia_admin))
    assert named(found["open_balance"]) == {c.pk}
    assert c.pk in named(found["date_order.accepted.closed"])


def test_a_final_flag_over_the_threshold_fails(clean, lixia_admin):
    award = Award.objects.get(case=clean["A"], kind=Award.Kind.FULL)
    assert award.finality == "final"
    AwardItem.objects.filter(award=award, number=2).update(amount="26400.01")
    found = failing(run(lixia_admin))
    assert named(found["final_award.item"]) == {clean["A"].pk}
    assert "final_award.overall" not in found


def test_an_award_whose_finality_disagrees_with_its_items_fails(clean, lixia_admin):
    Award.objects.filter(case=clean["A"]).update(finality="non_final")
    assert named(failing(run(lixia_admin))["final_award.overall"]) == {clean["A"].pk}


def test_negative_amounts_are_refused_by_the_database_and_the_check_passes(clean, lixia_admin):
    # The check guards data written around the constraints (a restored dump, raw SQL).
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimItem.objects.filter(case=clean["C"], number=1).update(amount="-1.00")
    assert run(lixia_admin)["amounts"].passed


def test_a_workplace_that_is_not_a_county_fails(clean, lixia_admin):
    Case.objects.filter(pk=clean["B"].pk).update(
        workplace_division=Division.objects.get(code="370100")
    )
    assert named(failing(run(lixia_admin))["divisions.workplace"]) == {clean["B"].pk}


def test_a_case_without_its_closing_event_breaks_the_sum_by_method(clean, lixia_admin):
    from zhongcai.core.models import Event

    Event.objects.filter(subject_id=str(clean["B"].pk), kind="case.withdrawn").update(
        kind="case.note"
    )
    assert named(failing(run(lixia_admin))["method_missing"]) == {clean["B"].pk}


def test_an_award_method_without_an_award_breaks_the_sum_by_result(clean, lixia_admin):
    Award.objects.filter(case=clean["A"]).update(kind=Award.Kind.PARTIAL)
    assert clean["A"].pk in named(failing(run(lixia_admin))["closed_by_result"])


def test_the_checks_cover_only_the_reporting_subtree(clean, lixia_admin, province_admin):
    Case.objects.filter(pk=clean["C"].pk).update(collective=True)
    licheng = hrss("370112")
    assert failing(run(province_admin, licheng)) == {}
    assert "collective.too_few" in failing(run(province_admin, hrss("370100")))


def test_a_clock_running_after_closing_or_met_while_open_fails(clean, lixia_admin):
    awarded, still_open = clean["A"], clean["C"]
    CaseDeadline.objects.filter(case=awarded, code="award").update(state=CaseDeadline.State.OPEN)
    CaseDeadline.objects.filter(case=still_open, code="award").update(state=CaseDeadline.State.MET)
    found = failing(run(lixia_admin))
    assert named(found["deadlines.running_after_closing"]) == {awarded.pk}
    assert named(found["deadlines.met_while_open"]) == {still_open.pk}


def test_a_case_accepted_here_without_its_award_clock_fails(clean, lixia_admin):
    CaseDeadline.objects.filter(case=clean["C"], code="award").delete()
    assert named(failing(run(lixia_admin))["deadlines.missing"]) == {clean["C"].pk}
