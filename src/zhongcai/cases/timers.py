"""The periodic task: flag the commission's overdue clocks, warn before they fall due, and let
the post-award windows settle.

Run hourly by Celery beat in production (``tasks.run_case_timers``) and by the management
command ``run_case_timers`` in the embedded default. Several workers may run it at once: each
deadline is claimed by a conditional ``UPDATE … WHERE overdue_at IS NULL`` (or ``warned_at``),
so exactly one of them records the event. Only the commission's own obligations are watched; a
party's window (the defence period, a suit window) never makes a case overdue.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhongcai.core.calendar import add_working_days
from zhongcai.core.events import record_event

from .deadlines import WARNING_WORKING_DAYS, commission_codes
from .models import Case, CaseDeadline

logger = logging.getLogger(__name__)


@dataclass
class TimerReport:
    overdue: list[tuple[int, str]] = field(default_factory=list)  # (case id, code)
    warned: list[tuple[int, str]] = field(default_factory=list)
    settled: Any = None  # what ``postaward.settle_pending_effects`` answered, if it ran


def _claim(pk: int, column: str, now: datetime, event: str, **still: Any) -> int | None:
    """Claim one deadline for ``event``; returns its case id if this worker won the claim.

    The case row is locked before the deadline row is claimed, in the order every service takes
    them (case, then its clocks): claiming first and locking after could deadlock with an officer
    who closes or extends that clock at the same moment.
    """
    with transaction.atomic():
        case_id = CaseDeadline.objects.filter(pk=pk).values_list("case_id", flat=True).first()
        if case_id is None:
            return None
        case = Case.objects.select_for_update().select_related("institute").get(pk=case_id)
        claimed = CaseDeadline.objects.filter(
            pk=pk, state=CaseDeadline.State.OPEN, **{f"{column}__isnull": True}, **still
        ).update(**{column: now})
        if claimed != 1:
            return None  # another worker was quicker, or the clock moved or closed meanwhile
        deadline = CaseDeadline.objects.get(pk=pk)
        record_event(
            case,
            event,
            actor=None,
            organisation=case.institute,
            payload={
                "deadline": deadline.pk,
                "code": deadline.code,
                "due_on": deadline.due_on.isoformat(),
            },
        )
        return case_id


def _candidates(**conditions: Any) -> list[tuple[int, str]]:
    return list(
        CaseDeadline.objects.filter(
            state=CaseDeadline.State.OPEN, code__in=commission_codes(), **conditions
        )
        .order_by("due_on", "pk")
        .values_list("pk", "code")
    )


def run_case_timers(*, now: datetime | None = None) -> TimerReport:
    """One round: overdue flags, warnings, then post-award settlement. Safe to run often."""
    now = now or timezone.now()
    today: date = timezone.localdate(now)
    report = TimerReport()

    # LDMAL art. 43: past its (extended, net) due date the case is overdue (超审限).
    for pk, code in _candidates(due_on__lt=today, overdue_at__isnull=True):
        case_id = _claim(pk, "overdue_at", now, "case.deadline_overdue", due_on__lt=today)
        if case_id is not None:
            report.overdue.append((case_id, code))

    # [D] Warn 5 working days ahead, once per due date (a moved due date warns again).
    warn_until = add_working_days(today, WARNING_WORKING_DAYS).due
    window = {"due_on__gte": today, "due_on__lte": warn_until}
    for pk, code in _candidates(warned_at__isnull=True, **window):
        case_id = _claim(pk, "warned_at", now, "case.deadline_warning", **window)
        if case_id is not None:
            report.warned.append((case_id, code))

    try:
        from . import postaward
    except ModuleNotFoundError as exc:
        # The post-award stage is another module of this issue; until it lands there is
        # nothing to settle. Any other import error is a real fault and is raised.
        if exc.name != f"{__package__}.postaward":
            raise
        logger.info("cases.postaward is not installed: no post-award settlement this round")
    else:
        report.settled = postaward.settle_pending_effects(today=today)
    return report
