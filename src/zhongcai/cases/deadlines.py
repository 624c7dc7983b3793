"""Statutory periods of the case procedure, each declared once with its article (spec §11.2).

The unit of the 3/5/10-day periods rests on 办案规则 art. 80 as remembered [M]; a deployment can
correct a period's length or unit without code changes through ``settings.STATUTORY_PERIODS``
(e.g. ``{"acceptance_decision": {"unit": "calendar"}}``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhongcai.core.calendar import DeadlineResult, Unit, compute_deadline

from .models import Case, CaseDeadline


@dataclass(frozen=True)
class StatutoryPeriod:
    code: str
    label: str | Promise
    days: int
    unit: Unit
    article: str

    def due(self, start: date) -> DeadlineResult:
        return compute_deadline(start, self.days, self.unit)


_DECLARED = (
    StatutoryPeriod(
        "acceptance_decision",
        _("Decide on acceptance"),
        5,
        Unit.WORKING,
        "劳动争议调解仲裁法第二十九条；办案规则第三十条、第三十一条",
    ),
    StatutoryPeriod(
        "correction_notice",
        _("One-time correction notice"),
        5,
        Unit.WORKING,
        "办案规则第二十九条",
    ),
    StatutoryPeriod(
        "collective_notice",
        _("Collective case: notify tribunal, periods and hearing at once"),
        5,
        Unit.WORKING,
        "办案规则第六十四条",
    ),
    StatutoryPeriod(
        "serve_application_copy",
        _("Serve the application copy on the respondent"),
        5,
        Unit.WORKING,
        "劳动争议调解仲裁法第三十条",
    ),
    StatutoryPeriod(
        "tribunal_notice",
        _("Notify the composition of the tribunal"),
        5,
        Unit.WORKING,
        "劳动争议调解仲裁法第三十二条；办案规则第三十七条",
    ),
    StatutoryPeriod(
        "award",
        _("Award"),
        45,
        Unit.CALENDAR,
        "劳动争议调解仲裁法第四十三条；办案规则第四十五条、第四十六条",
    ),
)


def _configured() -> dict[str, StatutoryPeriod]:
    overrides = getattr(settings, "STATUTORY_PERIODS", {})
    periods = {}
    for period in _DECLARED:
        change = overrides.get(period.code, {})
        periods[period.code] = replace(
            period,
            days=int(change.get("days", period.days)),
            unit=Unit(change.get("unit", period.unit)),
        )
    return periods


def period(code: str) -> StatutoryPeriod:
    return _configured()[code]


def all_periods() -> list[StatutoryPeriod]:
    return list(_configured().values())


def open_deadline(case: Case, code: str, start: date) -> CaseDeadline:
    """Start a clock for ``case`` from ``start`` (the trigger day, not counted)."""
    statutory = period(code)
    result = statutory.due(start)
    return CaseDeadline.objects.create(
        case=case,
        code=code,
        started_on=start,
        days=statutory.days,
        unit=statutory.unit,
        due_on=result.due,
        certain=result.is_certain,
    )


def close_deadlines(case: Case, codes: list[str], *, state: CaseDeadline.State) -> list[str]:
    """Close the open clocks named ``codes``; returns the codes that were met late."""
    now = timezone.now()
    today = timezone.localdate(now)
    late = []
    for deadline in case.deadlines.filter(code__in=codes, state=CaseDeadline.State.OPEN):
        deadline.state = state
        deadline.closed_at = now
        deadline.met_late = state == CaseDeadline.State.MET and today > deadline.due_on
        if deadline.met_late:
            late.append(deadline.code)
        deadline.save(update_fields=["state", "closed_at", "met_late"])
    return late


def refresh_next_deadline(case: Case) -> None:
    """Denormalize the earliest running clock onto the case, for queues and the overdue task."""
    first = case.deadlines.filter(state=CaseDeadline.State.OPEN).order_by("due_on", "pk").first()
    case.next_deadline = first.due_on if first else None
    case.next_deadline_code = first.code if first else ""
    case.save(update_fields=["next_deadline", "next_deadline_code"])


def explain(deadline: CaseDeadline) -> DeadlineResult:
    """The derivation of a stored deadline, recomputed over today's holiday table."""
    return compute_deadline(deadline.started_on, deadline.days, deadline.unit)


def recompute_open_deadlines(by: Any = None) -> list[tuple[CaseDeadline, date]]:
    """After the holiday table changed: recompute every running clock, record each change.

    ``by`` is the administrator who changed the table (None from the command line).

    Returns (deadline, previous due date) for each clock that moved.
    """
    from django.db import transaction

    from zhongcai.core.events import record_event

    moved = []
    for deadline in CaseDeadline.objects.filter(state=CaseDeadline.State.OPEN).select_related(
        "case"
    ):
        result = explain(deadline)
        if (result.due, result.is_certain) == (deadline.due_on, deadline.certain):
            continue
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=deadline.case_id)
            previous = deadline.due_on
            deadline.due_on, deadline.certain = result.due, result.is_certain
            deadline.save(update_fields=["due_on", "certain"])
            record_event(
                case,
                "case.deadline_recomputed",
                actor=by,
                organisation=case.institute,
                payload={
                    "code": deadline.code,
                    "before": previous.isoformat(),
                    "after": result.due.isoformat(),
                    "certain": result.is_certain,
                },
            )
            refresh_next_deadline(case)
        moved.append((deadline, previous))
    return moved
