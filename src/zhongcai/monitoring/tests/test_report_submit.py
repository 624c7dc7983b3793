"""Submitting the monthly report: freezing the month, refusing a second submission, corrections
with their reason, and the table's figures."""

from unittest import mock

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils import translation

from zhongcai.cases import closing
from zhongcai.cases.models import Case
from zhongcai.core.models import Event
from zhongcai.monitoring import report
from zhongcai.monitoring.report_models import MonthlyReport

from .report_scenarios import AFTER, OCTOBER, accept, clean_october, hrss

pytestmark = pytest.mark.django_db


@pytest.fixture
def clean(institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator):
    return clean_october(lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator)


def submit(user, organisation=None, **kwargs):
    with time_machine.travel(AFTER, tick=False):
        return report.report_submit(
            by=user, organisation=organisation or user.organisation, month=OCTOBER, **kwargs
        )


def values(figures):
    return {row["code"]: row["value"] for row in figures["rows"]}


def test_the_table_has_the_national_rows(clean, lixia_admin):
    with time_machine.travel(AFTER, tick=False):
        rows = report.build_rows(user=lixia_admin, organisation=lixia_admin.organisation,
                                 month=OCTOBER)  # fmt: skip
    assert [r.line for r in rows] == list(range(1, len(rows) + 1))
    v = {r.code: r.value for r in rows}
    assert v["carried_over"] == 0
    assert v["accepted"] == 3
    assert v["accepted_by_worker"] == 3 and v["accepted_by_employer"] == 0
    assert v["workers"] == 3
    assert v["cause_remuneration"] == 3
    assert v["closed"] == 2
    assert v["closed_award"] == 1 and v["closed_award_final"] == 1
    assert v["closed_withdrawn"] == 1
    assert v["result_worker_won"] == 1
    assert v["open_at_end"] == 1
    assert v["closure_rate"] == "66.7"
    assert v["final_award_rate"] == "100.0"
    assert v["amount"] == "63000.00"
    names = {r.code: (r.name, r.unit) for r in rows}
    assert names["closure_rate"] == ("仲裁结案率", "%")
    assert names["workers"][1] == "人"


def test_a_clean_month_is_submitted_and_frozen(clean, lixia_admin):
    submitted = submit(lixia_admin)
    assert submitted.version == 1
    assert submitted.status == MonthlyReport.Status.SUBMITTED
    assert values(submitted.figures)["accepted"] == 3
    assert submitted.digest == report.digest_of(submitted.figures)
    assert all(check["passed"] for check in submitted.checks)
    event = Event.objects.get(subject_id=str(submitted.pk), kind="monitoring.report_submitted")
    assert event.actor == lixia_admin and event.payload["month"] == "2026-10"


def test_a_second_submission_is_refused(clean, lixia_admin):
    submit(lixia_admin)
    with translation.override("en"), pytest.raises(ValidationError, match="already been"):
        submit(lixia_admin)
    assert MonthlyReport.objects.count() == 1


def test_a_racing_submission_gets_already_submitted_not_an_error(clean, lixia_admin):
    submit(lixia_admin)
    # The second one did not see the first (no row lock on this database): the unique
    # constraint answers for it.
    with mock.patch.object(report, "MonthlyReport") as model:
        model.objects.filter.return_value.order_by.return_value.first.return_value = None
        model.objects.create.side_effect = IntegrityError
        with translation.override("en"), pytest.raises(ValidationError, match="already been"):
            submit(lixia_admin)


def test_a_month_with_a_failing_check_is_refused(clean, lixia_admin):
    Case.objects.filter(pk=clean["C"].pk).update(collective=True)
    with pytest.raises(ValidationError) as refused:
        submit(lixia_admin)
    assert "collective.too_few" in str(refused.value)
    assert not MonthlyReport.objects.exists()


def test_a_month_that_has_not_ended_is_refused(clean, lixia_admin):
    last_evening = time_machine.travel("2026-10-31 20:00 +0800", tick=False)
    with last_evening, pytest.raises(ValidationError):
        report.report_submit(by=lixia_admin, organisation=lixia_admin.organisation, month=OCTOBER)


def test_only_hrss_administrators_submit(clean, lixia_head):
    with pytest.raises(PermissionDenied):
        submit(lixia_head)


def test_a_county_cannot_submit_another_countys_report(clean, lixia_admin):
    with pytest.raises(Http404):
        submit(lixia_admin, hrss("370112"))


def test_each_department_submits_its_own_report(clean, jinan_admin, lixia_admin):
    # The city reads its county's report but does not freeze the county's month for it.
    with pytest.raises(PermissionDenied):
        submit(jinan_admin, hrss("370102"))
    assert submit(lixia_admin).version == 1
    assert submit(jinan_admin).version == 1


def test_a_correction_needs_its_reason(clean, lixia_admin, lixia_clerk, lixia_intake, lixia_head):
    first = submit(lixia_admin)
    late = accept(10, 20, lixia_intake, lixia_head, 130)  # found after the submission
    with time_machine.travel("2026-11-01 09:00 +0800", tick=False):
        closing.case_withdraw(by=lixia_clerk, case=late, reasons="已和解")
    with pytest.raises(ValidationError):
        submit(lixia_admin, correction=True, reason="  ")
    second = submit(lixia_admin, correction=True, reason="漏报一件 10 月受理的案件")
    assert second.version == 2 and second.reason == "漏报一件 10 月受理的案件"
    assert values(second.figures)["accepted"] == values(first.figures)["accepted"] + 1
    assert MonthlyReport.objects.filter(month=OCTOBER).count() == 2
    assert Event.objects.filter(subject_id=str(second.pk), kind="monitoring.report_corrected")


def test_a_correction_of_nothing_is_refused(clean, lixia_admin):
    with pytest.raises(ValidationError):
        submit(lixia_admin, correction=True, reason="更正")


def test_changes_list_the_rows_that_differ(clean, lixia_admin, lixia_intake, lixia_head):
    first = submit(lixia_admin)
    accept(10, 25, lixia_intake, lixia_head, 140)
    with time_machine.travel(AFTER, tick=False):
        live = report.figures_of(user=lixia_admin, organisation=lixia_admin.organisation,
                                 month=OCTOBER)  # fmt: skip
    changed = {c.code: (c.submitted, c.live) for c in report.changes(first.figures, live)}
    assert changed["accepted"] == (3, 4)
    assert "closed" not in changed


def test_a_month_parameter_is_parsed_or_refused():
    assert report.parse_month("2026-10") == OCTOBER
    for bad in ("2026-13", "october", "", "2026-10-01"):
        with pytest.raises(ValidationError):
            report.parse_month(bad)
