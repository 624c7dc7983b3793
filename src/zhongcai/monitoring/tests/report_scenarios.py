"""Small October-2026 scenarios in Lixia for the monthly report tests (built as the indicator
tests build theirs: the case factories under time_machine)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from zhongcai.cases import closing
from zhongcai.cases.models import Case
from zhongcai.cases.tests import factories as f
from zhongcai.orgs.models import Organisation

CN = ZoneInfo("Asia/Shanghai")
OCTOBER = date(2026, 10, 1)
AFTER = "2026-11-02 10:00 +0800"  # October has ended


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=CN)


def accept(month: int, day: int, intake: Any, head: Any, i: int, **changes: Any) -> Case:
    with time_machine.travel(at(month, day), tick=False):
        return f.accepted(intake, head, **{**f.tribunal_fresh_parties(i), **changes})


def clean_october(intake: Any, head: Any, clerk: Any, arbitrator: Any) -> dict[str, Case]:
    """A: accepted 10-01, heard, final award 10-20. B: accepted 10-10, withdrawn 10-15.
    C: accepted 10-12, open at the end of the month."""
    f.award_wage()
    a = accept(10, 1, intake, head, 101)
    with time_machine.travel(at(10, 1, 11), tick=False):
        a = f.tribunal_formed(a, head)
        a = f.in_defence_period(a, clerk)
        a = f.hearing_scheduled(a, clerk)
    with time_machine.travel(at(10, 12), tick=False):
        a = f.in_hearing(a, arbitrator)
        a = f.in_deliberation(a, arbitrator)
    with time_machine.travel(at(10, 20, 15), tick=False):
        f.award_made(a, arbitrator)
    b = accept(10, 10, intake, head, 102)
    with time_machine.travel(at(10, 15), tick=False):
        closing.case_withdraw(by=clerk, case=b, reasons="已和解")
    c = accept(10, 12, intake, head, 103)
    return {k: Case.objects.get(pk=v.pk) for k, v in {"A": a, "B": b, "C": c}.items()}


def hrss(code: str) -> Organisation:
    return Organisation.objects.get(division_id=code, type=Organisation.Type.HRSS_DEPARTMENT)
