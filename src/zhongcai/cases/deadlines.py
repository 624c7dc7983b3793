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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from zhongcai.core.calendar import DeadlineResult, Unit, compute_deadline

from .models import Case, CaseDeadline, Party


@dataclass(frozen=True)
class StatutoryPeriod:
    code: str
    label: str | Promise
    days: int
    unit: Unit
    article: str
    # True for a period that binds a party or the court calendar (a defence period, a suit
    # window), not the commission: it never makes a case overdue and is not its next deadline.
    party_period: bool = False

    def due(self, start: date) -> DeadlineResult:
        return compute_deadline(start, self.days, self.unit)


_DECLARED = (
    StatutoryPeriod(
        "acceptance_decision",
        gettext_lazy("Decide on acceptance"),
        5,
        Unit.WORKING,
        "劳动争议调解仲裁法第二十九条；办案规则第三十条、第三十一条",
    ),
    StatutoryPeriod(
        "correction_notice",
        gettext_lazy("One-time correction notice"),
        5,
        Unit.WORKING,
        "办案规则第二十九条",
    ),
    StatutoryPeriod(
        "collective_notice",
        gettext_lazy("Collective case: notify tribunal, periods and hearing at once"),
        5,
        Unit.WORKING,
        "办案规则第六十四条",
    ),
    StatutoryPeriod(
        "serve_application_copy",
        gettext_lazy("Serve the application copy on the respondent"),
        5,
        Unit.WORKING,
        "劳动争议调解仲裁法第三十条",
    ),
    StatutoryPeriod(
        "tribunal_notice",
        gettext_lazy("Notify the composition of the tribunal"),
        5,
        Unit.WORKING,
        "劳动争议调解仲裁法第三十二条；办案规则第三十七条",
    ),
    StatutoryPeriod(
        "award",
        gettext_lazy("Award"),
        45,
        Unit.CALENDAR,
        "劳动争议调解仲裁法第四十三条；办案规则第四十五条、第四十六条",
    ),
    StatutoryPeriod(
        "recusal_decision",
        gettext_lazy("Decide on the recusal application"),
        3,
        Unit.WORKING,
        "办案规则第十二条",
    ),
    StatutoryPeriod(
        "defence",
        gettext_lazy("Respondent's defence"),
        10,
        Unit.WORKING,
        "劳动争议调解仲裁法第三十条；办案规则第三十三条",
        party_period=True,
    ),
    StatutoryPeriod(
        "serve_defence_copy",
        gettext_lazy("Serve the defence copy on the applicant"),
        5,
        Unit.WORKING,
        "劳动争议调解仲裁法第三十条",
    ),
    StatutoryPeriod(
        "counter_application_decision",
        gettext_lazy("Decide on the counter-application"),
        5,
        Unit.WORKING,
        "办案规则第三十六条",
    ),
    # Set by the tribunal case by case (指定期间, 办案规则 arts. 15, 19); this is the default.
    StatutoryPeriod(
        "evidence_period",
        gettext_lazy("Evidence period"),
        15,
        Unit.CALENDAR,
        "办案规则第十五条",
        party_period=True,
    ),
    StatutoryPeriod(
        "hearing_notice",
        gettext_lazy("Hearing notice ahead of the hearing"),
        5,
        Unit.WORKING,
        "劳动争议调解仲裁法第三十五条；办案规则第三十八条",
        party_period=True,
    ),
    StatutoryPeriod(
        "postponement_request",
        gettext_lazy("Postponement request ahead of the hearing"),
        3,
        Unit.WORKING,
        "劳动争议调解仲裁法第三十五条；办案规则第三十八条",
        party_period=True,
    ),
    StatutoryPeriod(
        "entrusted_mediation",
        gettext_lazy("Entrusted mediation before the hearing"),
        10,
        Unit.WORKING,
        "办案规则第六十九条",
        party_period=True,
    ),
    StatutoryPeriod(
        "revocation_notice",
        gettext_lazy("Notify the revocation decision"),
        5,
        Unit.WORKING,
        "办案规则第三十二条",
    ),
    StatutoryPeriod(
        "posting_service",
        gettext_lazy("Service by posting takes effect"),
        3,
        Unit.WORKING,
        "办案规则第二十条",
        party_period=True,
    ),
    StatutoryPeriod(
        "public_notice_service",
        gettext_lazy("Service by public notice takes effect"),
        30,
        Unit.CALENDAR,
        "民事诉讼法第九十五条（办案规则第二十条参照）",
        party_period=True,
    ),
    StatutoryPeriod(
        "suit_final_award",
        gettext_lazy("Worker may sue against the final award"),
        15,
        Unit.CALENDAR,
        "劳动争议调解仲裁法第四十八条",
        party_period=True,
    ),
    StatutoryPeriod(
        "set_aside_final_award",
        gettext_lazy("Employer may apply to set the final award aside"),
        30,
        Unit.CALENDAR,
        "劳动争议调解仲裁法第四十九条",
        party_period=True,
    ),
    StatutoryPeriod(
        "suit_non_final_award",
        gettext_lazy("A party may sue against the award"),
        15,
        Unit.CALENDAR,
        "劳动争议调解仲裁法第五十条",
        party_period=True,
    ),
)

# LDMAL art. 43: the award clock may be extended once or more, by no more than 15 days in all.
MAX_EXTENSION_DAYS = 15
# The periodic task warns this many working days before a clock falls due [D].
WARNING_WORKING_DAYS = 5


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


def open_deadline(
    case: Case,
    code: str,
    start: date,
    *,
    days: int | None = None,
    party: Party | None = None,
) -> CaseDeadline:
    """Start a clock for ``case`` from ``start`` (the trigger day, not counted).

    ``days`` only for a period the tribunal designates (指定期间); ``party`` for a period that
    runs from that party's own service date (spec §11.1(8)).
    """
    statutory = period(code)
    length = statutory.days if days is None else days
    result = compute_deadline(start, length, statutory.unit)
    return CaseDeadline.objects.create(
        case=case,
        code=code,
        party=party,
        started_on=start,
        days=length,
        unit=statutory.unit,
        due_on=result.due,
        certain=result.is_certain,
    )


def close_deadlines(case: Case, codes: list[str], *, state: CaseDeadline.State) -> list[str]:
    """Close the open clocks named ``codes``; returns the codes that were met late."""
    now = timezone.now()
    today = timezone.localdate(now)
    late = []
    running = [CaseDeadline.State.OPEN, CaseDeadline.State.PAUSED]
    for deadline in case.deadlines.filter(code__in=codes, state__in=running):
        deadline.state = state
        deadline.closed_at = now
        deadline.met_late = state == CaseDeadline.State.MET and today > deadline.due_on
        if deadline.met_late:
            late.append(deadline.code)
        deadline.save(update_fields=["state", "closed_at", "met_late"])
    return late


def commission_codes() -> list[str]:
    """Codes of the periods that bind the commission (not a party's window)."""
    return [p.code for p in all_periods() if not p.party_period]


def refresh_next_deadline(case: Case) -> None:
    """Denormalize the commission's earliest running clock onto the case, for the queues."""
    first = (
        case.deadlines.filter(state=CaseDeadline.State.OPEN, code__in=commission_codes())
        .order_by("due_on", "pk")
        .first()
    )
    case.next_deadline = first.due_on if first else None
    case.next_deadline_code = first.code if first else ""
    case.save(update_fields=["next_deadline", "next_deadline_code"])


def explain(deadline: CaseDeadline) -> DeadlineResult:
    """The engine's answer for a stored deadline, recomputed over today's holiday table."""
    return compute_deadline(deadline.started_on, deadline.counted_days, deadline.unit)


def derivation(deadline: CaseDeadline) -> str:
    """How the due date was reached, including extensions and excluded days."""
    result = explain(deadline)
    if not deadline.adjustments:
        return result.explain()
    parts = [
        ngettext("%(days)d-day period", "%(days)d-day period", deadline.days)
        % {"days": deadline.days}
    ]
    for adjustment in deadline.adjustments:
        parts.append(_adjustment_text(adjustment))
    if deadline.state == CaseDeadline.State.PAUSED and deadline.paused_on:
        parts.append(
            _("paused since %(date)s; the due date moves when it resumes")
            % {"date": deadline.paused_on.isoformat()}
        )
    return _("%(parts)s. %(engine)s") % {
        "parts": pgettext("between clauses", ", ").join(parts),
        "engine": result.explain(),
    }


def _adjustment_text(adjustment: dict[str, Any]) -> str:
    kind, days = adjustment["kind"], adjustment["days"]
    if kind == "extension":
        return ngettext(
            "+%(days)d day extension approved on %(on)s",
            "+%(days)d days extension approved on %(on)s",
            days,
        ) % {"days": days, "on": adjustment["on"]}
    if kind == "suspension":
        return ngettext(
            "+%(days)d day suspended (%(first)s to %(last)s) not counted",
            "+%(days)d days suspended (%(first)s to %(last)s) not counted",
            days,
        ) % {"days": days, "first": adjustment["from"], "last": adjustment["to"]}
    return ngettext(
        "+%(days)d day of public-notice service (%(first)s to %(last)s) not counted",
        "+%(days)d days of public-notice service (%(first)s to %(last)s) not counted",
        days,
    ) % {"days": days, "first": adjustment["from"], "last": adjustment["to"]}


def _recompute(deadline: CaseDeadline) -> None:
    result = explain(deadline)
    deadline.due_on, deadline.certain = result.due, result.is_certain
    # A new due date is a new occasion to warn and to flag.
    deadline.warned_at = deadline.overdue_at = None


def award_clock(case: Case) -> CaseDeadline | None:
    """The running (or paused) 45-day clock of the case, if any."""
    return (
        case.deadlines.filter(
            code="award", state__in=[CaseDeadline.State.OPEN, CaseDeadline.State.PAUSED]
        )
        .order_by("-pk")
        .first()
    )


def restart_award_clock(case: Case, *, on: date) -> CaseDeadline:
    """办案规则 art. 46(1)–(5): the 45 days count again from ``on`` (added party, accepted
    changed claims, joined counter-application, corrections, transferred case)."""
    close_deadlines(case, ["award"], state=CaseDeadline.State.CANCELLED)
    case.deadlines.filter(code="award", state=CaseDeadline.State.PAUSED).update(
        state=CaseDeadline.State.CANCELLED, closed_at=timezone.now()
    )
    deadline = open_deadline(case, "award", on)
    if case.suspended:
        deadline.state, deadline.paused_on = CaseDeadline.State.PAUSED, on
        deadline.save(update_fields=["state", "paused_on"])
    return deadline


def pause_award_clock(case: Case, *, on: date) -> CaseDeadline | None:
    """Suspension (办案规则 art. 47): the days from ``on`` are not counted until it resumes."""
    deadline = award_clock(case)
    if deadline is None or deadline.state == CaseDeadline.State.PAUSED:
        return deadline
    deadline.state, deadline.paused_on = CaseDeadline.State.PAUSED, on
    deadline.save(update_fields=["state", "paused_on"])
    return deadline


def resume_award_clock(case: Case, *, on: date) -> tuple[CaseDeadline | None, int]:
    """The suspension ended on ``on``: its days are added to the period (办案规则 art. 46)."""
    deadline = award_clock(case)
    if deadline is None or deadline.state != CaseDeadline.State.PAUSED or not deadline.paused_on:
        return deadline, 0
    days = max((on - deadline.paused_on).days, 0)
    deadline.adjustments = [
        *deadline.adjustments,
        {
            "kind": "suspension",
            "days": days,
            "from": deadline.paused_on.isoformat(),
            "to": on.isoformat(),
        },
    ]
    deadline.excluded_days += days
    deadline.state, deadline.paused_on = CaseDeadline.State.OPEN, None
    _recompute(deadline)
    deadline.save()
    return deadline, days


def exclude_from_award_clock(case: Case, *, first: date, last: date) -> CaseDeadline | None:
    """A public-notice service period is not counted (办案规则 art. 46)."""
    deadline = award_clock(case)
    if deadline is None:
        return None
    days = (last - first).days
    deadline.adjustments = [
        *deadline.adjustments,
        {"kind": "public_notice", "days": days, "from": first.isoformat(), "to": last.isoformat()},
    ]
    deadline.excluded_days += days
    _recompute(deadline)
    deadline.save()
    return deadline


def extend_award_clock(case: Case, *, days: int, on: date) -> CaseDeadline:
    """LDMAL art. 43: at most 15 days in all, approved before the period runs out.

    Raises ``ValueError`` with the reason for the user when the extension is not possible.
    """
    deadline = award_clock(case)
    if deadline is None:
        raise ValueError(_("The case has no running award clock."))
    if deadline.state == CaseDeadline.State.PAUSED:
        raise ValueError(_("The case is suspended: resume it first."))
    if on > deadline.due_on:
        raise ValueError(
            _(
                "The time limit ran out on %(due)s: an extension must be approved before it "
                "expires (LDMAL art. 43)."
            )
            % {"due": deadline.due_on.isoformat()}
        )
    left = MAX_EXTENSION_DAYS - deadline.extension_days
    if days < 1 or days > left:
        raise ValueError(
            _("At most %(max)d days in all may be added; %(left)d remain.")
            % {"max": MAX_EXTENSION_DAYS, "left": left}
        )
    deadline.extension_days += days
    deadline.adjustments = [
        *deadline.adjustments,
        {"kind": "extension", "days": days, "on": on.isoformat()},
    ]
    _recompute(deadline)
    deadline.save()
    return deadline


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
