"""Warnings with reasons (issue 10 point 4; spec §7.2 "risk prevention"; 人社部发〔2022〕71号).

Each rule looks at the case data as of ``today`` and raises an ``EarlyWarning`` per (rule, subject,
window), idempotently: running the rules again finds the row it wrote before. A warning carries
the numbers it saw (``reason``) and a sentence made from them (``message``), the cases behind it,
and its own event chain (raised, updated, assigned, acknowledged, resolved). Thresholds are
settings (``MONITORING_WARNING_THRESHOLDS``), read through ``threshold``. Reading and acting on
warnings (acknowledge, assign, resolve) is ``warning_services``.

Rules:

1. ``deadline_due`` / ``deadline_overdue`` — a commission's clock (``cases.CaseDeadline``; a
   party's window never counts) due within N working days (``core.calendar``) or past due. Sent
   to the people responsible for the case — its tribunal and recorder, as ``cases`` seats them —
   and to their supervisors, the heads of the case's institute, once per warning and person. A
   clock that stops running, or whose due date moves, resolves its warning.
2. ``collective`` — an open collective case (办案规则 arts. 62–64), once per case.
3. ``employer_cases`` — ≥ N cases accepted against one employer (respondent's credit code)
   within the last D days, anywhere in the province; the warning belongs to the lowest
   organisation that holds all those cases (a city sees an employer sued in two of its counties).
4. ``wage_arrears_spike`` — see ``rule_wage_arrears_spike`` for the baseline.
5. ``policy_sector`` — the data has no industry field: the sector is read from the respondent
   employer's name by the knowledge app's keyword rules (``knowledge.elements.industry``, GB/T
   4754 sections). Construction (E), real estate (K) and education and training (P) can be read
   so; platform work is no GB/T section and nothing records it, so it answers "no data".
6. ``employer_dissolved`` — nothing in the platform records an employer's registration status
   (dissolution, deregistration, licence revoked): the rule answers "no data" until the market
   regulator's data or a party field exists.

Rolling windows (rules 3–5) are kept as one warning per episode: while the subject stays over its
threshold in windows that overlap the warning's, the same warning grows (new cases, new numbers,
a ``warning.updated`` event) instead of a new one being raised every day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongcai.accounts.models import Role, User
from zhongcai.cases.deadlines import commission_codes, period
from zhongcai.cases.models import OPEN_STATES, Case, CaseDeadline, ClaimItem, Party
from zhongcai.core.calendar import add_working_days
from zhongcai.core.events import record_event
from zhongcai.notifications.services import notify
from zhongcai.orgs.models import Organisation

from .models import EarlyWarning

K, S = EarlyWarning.Kind, EarlyWarning.Severity
WAGE_ARREARS_CAUSE = "remuneration"  # 劳动报酬 (cases.taxonomy.Cause.REMUNERATION)
# Who may acknowledge, assign and resolve any warning they can see; anyone else only the
# warnings assigned to them.
MANAGERS = frozenset({Role.INSTITUTE_HEAD, Role.HRSS_ADMIN, Role.SYSTEM_ADMIN})
NOTIFICATION_KIND = "monitoring_warning"
PLATFORM_WORK_MISSING = gettext_lazy(
    "Platform work is no GB/T 4754 section and no case field records it: no data."
)
DISSOLUTION_MISSING = gettext_lazy(
    "The platform records no employer registration status (dissolution, deregistration, "
    "licence revoked): no data."
)


def threshold(rule: str, key: str) -> Any:
    """One threshold of one rule, from ``settings.MONITORING_WARNING_THRESHOLDS``."""
    return settings.MONITORING_WARNING_THRESHOLDS[rule][key]


@dataclass
class RuleReport:
    rule: str
    raised: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    no_data: list[str] = field(default_factory=list)


# --- Messages -----------------------------------------------------------------------------------


def render(kind: str, reason: dict[str, Any]) -> str:
    """The sentence for ``reason`` in the active language."""
    if kind == K.DEADLINE_DUE:
        return _(
            "Case %(case_number)s: “%(label)s” falls due on %(due_on)s, in %(left)d working "
            "day(s) (warning from %(threshold)d working days; %(article)s)."
        ) % {**reason, "label": period(reason["code"]).label}
    if kind == K.DEADLINE_OVERDUE:
        return _(
            "Case %(case_number)s: “%(label)s” fell due on %(due_on)s and is %(overdue)d day(s) "
            "overdue (%(article)s)."
        ) % {**reason, "label": period(reason["code"]).label}
    if kind == K.COLLECTIVE:
        return (
            _(
                "Collective case %(case_number)s accepted on %(accepted_on)s: %(workers)d workers, "
                "%(amount)s yuan claimed."
            )
            % reason
        )
    if kind == K.EMPLOYER_CASES:
        return (
            _(
                "%(count)d cases accepted against %(employer)s (%(credit_code)s) from %(start)s to "
                "%(end)s; the threshold is %(min_cases)d cases in %(window_days)d days."
            )
            % reason
        )
    if kind == K.WAGE_ARREARS_SPIKE:
        return _(
            "%(count)d wage-arrears cases accepted from %(start)s to %(end)s against %(baseline)s "
            "a year in the same days of %(years)s; the threshold is %(ratio)s times that and at "
            "least %(min_cases)d cases."
        ) % {**reason, "years": ", ".join(str(y) for y in reason["baseline_years"])}
    if kind == K.POLICY_SECTOR:
        return _(
            "%(count)d cases accepted from %(start)s to %(end)s against employers whose names "
            "read as %(sector)s (GB/T 4754 %(sections)s); the threshold is %(min_cases)d cases "
            "in %(window_days)d days."
        ) % {**reason, "sections": ", ".join(reason["sections"])}
    return kind


def _official(kind: str, reason: dict[str, Any]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render(kind, reason)


# --- Writing warnings -----------------------------------------------------------------------------


def _raise(
    kind: str,
    subject_key: str,
    window_key: str,
    *,
    severity: str,
    organisation: Organisation,
    reason: dict[str, Any],
    cases: list[int],
    window: tuple[date | None, date | None] = (None, None),
    assign: User | None = None,
) -> tuple[EarlyWarning, str]:
    """Write the warning, or grow the one already written; answers it and "raised", "updated"
    or "" (nothing changed). A resolved warning stays resolved."""
    with transaction.atomic():
        warning = (
            EarlyWarning.objects.select_for_update()
            .filter(kind=kind, subject_key=subject_key, window_key=window_key)
            .first()
        )
        if warning is None:
            try:
                with transaction.atomic():
                    warning = EarlyWarning.objects.create(
                        kind=kind,
                        subject_key=subject_key,
                        window_key=window_key,
                        severity=severity,
                        organisation=organisation,
                        window_start=window[0],
                        window_end=window[1],
                        reason=reason,
                        message=_official(kind, reason),
                        assigned_to=assign,
                    )
            except IntegrityError:
                # Another worker raised it between our look-up and our insert.
                return EarlyWarning.objects.get(
                    kind=kind, subject_key=subject_key, window_key=window_key
                ), ""
            warning.cases.set(cases)
            record_event(
                warning,
                "warning.raised",
                actor=None,
                organisation=organisation,
                payload={"kind": kind, "reason": reason, "cases": sorted(cases)},
            )
            return warning, "raised"
        if warning.status == EarlyWarning.Status.RESOLVED:
            return warning, ""
        known = set(warning.cases.values_list("pk", flat=True))
        added = sorted(set(cases) - known)
        if not added and warning.reason == reason and warning.window_end == window[1]:
            return warning, ""
        warning.reason, warning.message = reason, _official(kind, reason)
        warning.window_end = window[1]
        warning.save(update_fields=["reason", "message", "window_end", "updated_at"])
        warning.cases.add(*added)
        record_event(
            warning,
            "warning.updated",
            actor=None,
            organisation=warning.organisation,
            payload={"reason": reason, "added_cases": added},
        )
        return warning, "updated"


def close_warning(warning: EarlyWarning, *, by: User | None, why: str) -> None:
    warning.status, warning.resolved_at, warning.resolved_by = (
        EarlyWarning.Status.RESOLVED,
        timezone.now(),
        by,
    )
    warning.save(update_fields=["status", "resolved_at", "resolved_by", "updated_at"])
    record_event(
        warning,
        "warning.resolved",
        actor=by,
        organisation=warning.organisation,
        payload={"why": why},
    )


def _note(report: RuleReport, warning: EarlyWarning, change: str) -> None:
    if change == "raised":
        report.raised.append(warning.pk)
    elif change == "updated":
        report.updated.append(warning.pk)


def _episode(kind: str, subject_key: str, start: date) -> tuple[str, date] | None:
    """The window key and start of the warning whose window overlaps one starting ``start``."""
    found = (
        EarlyWarning.objects.filter(kind=kind, subject_key=subject_key, window_end__gte=start)
        .order_by("-window_end")
        .values_list("window_key", "window_start")
        .first()
    )
    return (found[0], found[1]) if found else None


def _window(kind: str, subject_key: str, first: date) -> tuple[str, date]:
    return _episode(kind, subject_key, first) or (first.isoformat(), first)


# --- Rule 1: deadlines --------------------------------------------------------------------------


def responsible_for(case: Case) -> list[User]:
    """The case's tribunal and recorder with an account (``cases`` seats them)."""
    return list(
        User.objects.filter(
            is_active=True,
            roster_person__seats__case=case,
            roster_person__seats__ended_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )


def supervisors_of(case: Case) -> list[User]:
    """The heads of the case's institute (组织规则: the institute head supervises its staff)."""
    return list(
        User.objects.filter(
            is_active=True, role=Role.INSTITUTE_HEAD, organisation_id=case.institute_id
        ).order_by("pk")
    )


def _tell(warning: EarlyWarning, case: Case, users: list[User]) -> None:
    for user in dict.fromkeys(users):
        notify(
            user,
            NOTIFICATION_KIND,
            warning.message,
            body=warning.message,
            case=case,
            key=f"monitoring-warning:{warning.pk}:{user.pk}",
        )


def rule_deadlines(today: date) -> RuleReport:
    report = RuleReport("deadline")
    days = int(threshold("deadline", "due_within_working_days"))
    # ends[k]: the last due date that is k working days away or fewer.
    ends = [add_working_days(today, k).due for k in range(days + 1)]
    clocks = CaseDeadline.objects.filter(
        state=CaseDeadline.State.OPEN, code__in=commission_codes(), due_on__lte=ends[-1]
    ).select_related("case__institute")
    live = set()
    for clock in clocks:
        case, overdue = clock.case, clock.due_on < today
        reason = {
            "case": case.pk,
            "case_number": case.case_number or str(case.pk),
            "deadline": clock.pk,
            "code": clock.code,
            "due_on": clock.due_on.isoformat(),
            "article": period(clock.code).article,
            "threshold": days,
        }
        if overdue:
            reason["overdue"] = (today - clock.due_on).days
        else:
            reason["left"] = next(k for k, end in enumerate(ends) if clock.due_on <= end)
        kind = K.DEADLINE_OVERDUE if overdue else K.DEADLINE_DUE
        responsible, heads = responsible_for(case), supervisors_of(case)
        with transaction.atomic():
            warning, change = _raise(
                kind,
                f"deadline:{clock.pk}",
                clock.due_on.isoformat(),
                severity=S.HIGH if overdue else S.MEDIUM,
                organisation=case.institute,
                reason=reason,
                cases=[case.pk],
                window=(clock.started_on, clock.due_on),
                assign=(responsible or heads or [None])[0],
            )
            if warning.is_open:
                _tell(warning, case, responsible + heads)
                live.add(warning.pk)
        _note(report, warning, change)
    # A clock that stopped, moved, or went overdue ends the warnings written for it before.
    stale = EarlyWarning.objects.filter(
        kind__in=[K.DEADLINE_DUE, K.DEADLINE_OVERDUE],
        status__in=[EarlyWarning.Status.OPEN, EarlyWarning.Status.ACKNOWLEDGED],
    ).exclude(pk__in=live)
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            warning = EarlyWarning.objects.select_for_update().get(pk=pk)
            if warning.status != EarlyWarning.Status.RESOLVED:
                close_warning(warning, by=None, why=_why_deadline_ended(warning, today))
                report.resolved.append(pk)
    return report


def _why_deadline_ended(warning: EarlyWarning, today: date) -> str:
    clock = CaseDeadline.objects.filter(pk=warning.reason.get("deadline")).first()
    if clock is None or clock.state != CaseDeadline.State.OPEN:
        return "clock_stopped"
    if clock.due_on.isoformat() != warning.window_key:
        return "due_date_moved"
    return "now_overdue"


# --- Rule 2: collective cases ---------------------------------------------------------------------


def rule_collective(today: date) -> RuleReport:
    report = RuleReport("collective")
    if not threshold("collective", "enabled"):
        return report
    cases = Case.objects.filter(
        collective=True, status__in=OPEN_STATES, accepted_on__lte=today
    ).select_related("institute")
    for case in cases.annotate(
        workers=Count(
            "parties",
            filter=Q(parties__role=Party.Role.APPLICANT, parties__kind=Party.Kind.WORKER),
            distinct=True,
        )
    ):
        amount = ClaimItem.objects.filter(case=case).aggregate(total=Sum("amount"))["total"]
        reason = {
            "case": case.pk,
            "case_number": case.case_number,
            "accepted_on": case.accepted_on.isoformat(),
            "workers": case.workers,
            "amount": str((amount or Decimal("0")).quantize(Decimal("0.01"))),
        }
        warning, change = _raise(
            K.COLLECTIVE,
            f"case:{case.pk}",
            case.accepted_on.isoformat(),
            severity=S.HIGH,
            organisation=case.institute,
            reason=reason,
            cases=[case.pk],
            window=(case.accepted_on, case.accepted_on),
        )
        _note(report, warning, change)
    return report


# --- Rule 3: many cases against one employer ------------------------------------------------------


def common_organisation(organisation_ids: set[int]) -> Organisation:
    """The lowest organisation whose subtree holds all of ``organisation_ids``."""
    paths = list(
        Organisation.objects.filter(pk__in=organisation_ids).values_list("path", flat=True)
    )
    parts = [p.strip("/").split("/") for p in paths]
    common = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return Organisation.objects.get(path="/" + "/".join(common) + "/")


def rule_employer_cases(today: date) -> RuleReport:
    report = RuleReport("employer_cases")
    days, minimum = (
        int(threshold("employer_cases", "window_days")),
        int(threshold("employer_cases", "min_cases")),
    )
    start = today - timedelta(days=days - 1)
    respondents = Party.objects.filter(
        kind=Party.Kind.EMPLOYER,
        role=Party.Role.RESPONDENT,
        case__accepted_on__range=(start, today),
    ).exclude(credit_code="")
    over = (
        respondents.values("credit_code")
        .annotate(count=Count("case", distinct=True))
        .filter(count__gte=minimum)
    )
    for code in over.values_list("credit_code", flat=True):
        rows = list(
            respondents.filter(credit_code=code)
            .order_by("case__accepted_on", "case_id")
            .values_list("case_id", "case__institute_id", "case__accepted_on", "name")
        )
        case_ids = sorted({row[0] for row in rows})
        key = f"employer:{code}"
        window_key, first = _window(K.EMPLOYER_CASES, key, rows[0][2])
        reason = {
            "credit_code": code,
            "employer": rows[-1][3],
            "count": len(case_ids),
            "start": start.isoformat(),
            "end": today.isoformat(),
            "min_cases": minimum,
            "window_days": days,
        }
        warning, change = _raise(
            K.EMPLOYER_CASES,
            key,
            window_key,
            severity=S.MEDIUM,
            organisation=common_organisation({row[1] for row in rows}),
            reason=reason,
            cases=case_ids,
            window=(first, today),
        )
        _note(report, warning, change)
    return report


# --- Rule 4: wage-arrears spikes ----------------------------------------------------------------


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def rule_wage_arrears_spike(today: date) -> RuleReport:
    """A county's wage-arrears (劳动报酬, primary cause) cases accepted in the last D days against
    its own history.

    Baseline: the same D calendar days (shifted by whole years) in each of the previous
    ``baseline_years`` years in which the county's institute already had cases on the platform
    (an earlier case than that window's end); their mean is the baseline. The warning fires when
    this window has at least ``min_cases`` and at least ``ratio`` × the baseline. Comparing the
    same days of past years keeps the seasons (the weeks before Spring Festival are high every
    year) from firing on their own; Spring Festival moves by up to about three weeks between
    years, which a D of 14 or more mostly absorbs. A county without any such year has no
    baseline: it is listed under ``no_data`` and nothing fires.
    """
    report = RuleReport("wage_arrears_spike")
    days = int(threshold("wage_arrears_spike", "window_days"))
    years = int(threshold("wage_arrears_spike", "baseline_years"))
    ratio = Decimal(str(threshold("wage_arrears_spike", "ratio")))
    minimum = int(threshold("wage_arrears_spike", "min_cases"))
    start = today - timedelta(days=days - 1)
    wage = Case.objects.filter(primary_cause=WAGE_ARREARS_CAUSE)
    current = (
        wage.filter(accepted_on__range=(start, today))
        .values("institute_id")
        .annotate(count=Count("pk"))
        .filter(count__gte=minimum)
    )
    for row in current:
        institute = Organisation.objects.get(pk=row["institute_id"])
        first_case = (
            Case.objects.filter(institute=institute, accepted_on__isnull=False)
            .order_by("accepted_on")
            .values_list("accepted_on", flat=True)
            .first()
        )
        counts = {}
        for back in range(1, years + 1):
            past_start, past_end = _years_back(start, back), _years_back(today, back)
            if first_case is None or first_case > past_end:
                continue
            counts[past_end.year] = wage.filter(
                institute=institute, accepted_on__range=(past_start, past_end)
            ).count()
        if not counts:
            report.no_data.append(institute.division_id)
            continue
        baseline = Decimal(sum(counts.values())) / len(counts)
        if Decimal(row["count"]) < ratio * baseline:
            continue
        key = f"institute:{institute.pk}"
        case_ids = list(
            wage.filter(institute=institute, accepted_on__range=(start, today)).values_list(
                "pk", flat=True
            )
        )
        window_key, first = _window(K.WAGE_ARREARS_SPIKE, key, start)
        reason = {
            "division": institute.division_id,
            "count": row["count"],
            "start": start.isoformat(),
            "end": today.isoformat(),
            "baseline": str(baseline.quantize(Decimal("0.1"))),
            "baseline_counts": {str(y): n for y, n in sorted(counts.items())},
            "baseline_years": sorted(counts),
            "ratio": str(ratio),
            "min_cases": minimum,
            "window_days": days,
        }
        warning, change = _raise(
            K.WAGE_ARREARS_SPIKE,
            key,
            window_key,
            severity=S.HIGH,
            organisation=institute,
            reason=reason,
            cases=case_ids,
            window=(first, today),
        )
        _note(report, warning, change)
    return report


# --- Rule 5: policy sectors ---------------------------------------------------------------------


def rule_policy_sector(today: date) -> RuleReport:
    from zhongcai.knowledge.elements import industry

    report = RuleReport("policy_sector", no_data=[str(PLATFORM_WORK_MISSING)])
    days = int(threshold("policy_sector", "window_days"))
    minimum = int(threshold("policy_sector", "min_cases"))
    sectors: dict[str, list[str]] = threshold("policy_sector", "sectors")
    start = today - timedelta(days=days - 1)
    names = Party.objects.filter(
        kind=Party.Kind.EMPLOYER,
        role=Party.Role.RESPONDENT,
        case__accepted_on__range=(start, today),
    ).values_list("case_id", "case__institute_id", "name", "industry")
    grouped: dict[tuple[str, int], set[int]] = defaultdict(set)
    signals: dict[tuple[str, int], set[str]] = defaultdict(set)
    for case_id, institute_id, name, recorded in names:
        # The GB/T 4754 section staff recorded; failing that, what the employer's name says.
        section = recorded or industry(name)
        for sector, sections in sectors.items():
            if section and section in sections:
                grouped[(sector, institute_id)].add(case_id)
                signals[(sector, institute_id)].add("recorded" if recorded else "employer_name")
    for (sector, institute_id), case_ids in sorted(grouped.items()):
        if len(case_ids) < minimum:
            continue
        key = f"sector:{sector}:institute:{institute_id}"
        first = min(
            Case.objects.filter(pk__in=case_ids).values_list("accepted_on", flat=True),
            default=start,
        )
        window_key, first = _window(K.POLICY_SECTOR, key, first)
        reason = {
            "sector": sector,
            "sections": sectors[sector],
            "signal": sorted(signals[(sector, institute_id)]),
            "count": len(case_ids),
            "start": start.isoformat(),
            "end": today.isoformat(),
            "min_cases": minimum,
            "window_days": days,
        }
        warning, change = _raise(
            K.POLICY_SECTOR,
            key,
            window_key,
            severity=S.LOW,
            organisation=Organisation.objects.get(pk=institute_id),
            reason=reason,
            cases=sorted(case_ids),
            window=(first, today),
        )
        _note(report, warning, change)
    return report


# --- Rule 6: employers being dissolved ----------------------------------------------------------


def rule_employer_dissolved(today: date) -> RuleReport:
    return RuleReport("employer_dissolved", no_data=[str(DISSOLUTION_MISSING)])


RULES = (
    rule_deadlines,
    rule_collective,
    rule_employer_cases,
    rule_wage_arrears_spike,
    rule_policy_sector,
    rule_employer_dissolved,
)


def run_rules(*, today: date | None = None) -> list[RuleReport]:
    """One round of every rule. Safe to run often and from several workers."""
    today = today or timezone.localdate()
    return [rule(today) for rule in RULES]
