"""Suspension and extension, withdrawal, revocation, transfer, closing approval, archive.

Stage pages follow ``steps``: each POST view fetches the case through the selectors, calls one
service, and goes back to the case page (or shows it again with the bound form and its errors).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhongcai.accounts.models import User
from zhongcai.core.calendar import add_working_days
from zhongcai.core.events import events_of
from zhongcai.workspace.access import staff_required

from .. import archive, closing, selectors, workflow
from ..deadlines import WARNING_WORKING_DAYS, commission_codes, derivation, period
from ..models import (
    CLOSED_STATES,
    ArchiveEntry,
    Case,
    CaseDeadline,
    DecisionKind,
    DocumentKind,
    Status,
    SuspensionReason,
    Volume,
)
from .closing_forms import form_for
from .steps import run_step

STEPS = ("suspend", "resume", "extend", "withdraw", "revoke", "transfer", "approve_closing",
         "archive")  # fmt: skip

# URL name of each action's page endpoint (``cases:case-<action>``), for this stage.
ACTION_URLS: dict[str, str] = {action: f"cases:case-{action.replace('_', '-')}" for action in STEPS}
# Labels of the events this stage writes, for the case history.
EVENT_LABELS: dict[str, Any] = {
    "case.suspended": gettext_lazy("Case suspended"),
    "case.resumed": gettext_lazy("Case resumed"),
    "case.extended": gettext_lazy("Time limit extended"),
    "case.withdrawn": gettext_lazy("Application withdrawn"),
    "case.revoked": gettext_lazy("Case revoked"),
    "case.transferred": gettext_lazy("Case transferred to another commission"),
    "case.closing_approved": gettext_lazy("Closing approved"),
    "case.archived": gettext_lazy("File archived"),
    "case.deadline_warning": gettext_lazy("Deadline approaching"),
    "case.deadline_overdue": gettext_lazy("Deadline passed: overdue"),
}

# The closing decisions and letters shown on the panel.
CLOSING_DOCUMENTS = (DocumentKind.DECISION, DocumentKind.TRANSFER_LETTER,
                     DocumentKind.CLOSING_APPROVAL)  # fmt: skip
CLOSING_DECISIONS = (DecisionKind.WITHDRAWAL, DecisionKind.DEEMED_WITHDRAWAL,
                     DecisionKind.REVOCATION, DecisionKind.TRANSFER)  # fmt: skip


# --- The panel on the case page ---------------------------------------------------------------


@dataclass(frozen=True)
class AwardClock:
    """The case's award deadline: always the engine's answer with its derivation."""

    deadline: CaseDeadline
    derivation: str
    days_left: int | None

    @property
    def running(self) -> bool:
        return self.deadline.state in (CaseDeadline.State.OPEN, CaseDeadline.State.PAUSED)

    @property
    def paused(self) -> bool:
        return self.deadline.state == CaseDeadline.State.PAUSED

    @property
    def extended(self) -> bool:
        return self.deadline.extension_days > 0

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None else 0


def award_clock_of(case: Case) -> AwardClock | None:
    """The latest award clock, from the prefetched deadlines when there are (no query)."""
    clocks = [d for d in case.deadlines.all() if d.code == "award"]
    if not clocks:
        return None
    deadline = max(clocks, key=lambda d: d.pk)
    today = timezone.localdate()
    open_ = deadline.state == CaseDeadline.State.OPEN
    return AwardClock(
        deadline=deadline,
        derivation=derivation(deadline),
        days_left=(deadline.due_on - today).days if open_ else None,
    )


def _history_before_transfer(source: Case) -> list[dict[str, Any]]:
    """The transferring case's events, read-only, for the receiving commission (办案规则 art. 9).

    Shown through the new case only: whoever may see the new case may read how it came here,
    without being able to open the transferring commission's case itself.
    """
    from .detail import EVENT_LABELS as ALL_LABELS
    from .detail import _event_details

    return [
        {
            "event": event,
            "label": ALL_LABELS.get(event.kind, event.kind),
            "details": _event_details(event.payload),
        }
        for event in events_of(source).select_related("actor")
    ]


def _actions(request: HttpRequest, case: Case, bound: dict[str, Form]) -> list[dict[str, Any]]:
    user: User = request.user  # type: ignore[assignment]
    return [
        {
            "name": action,
            "label": workflow.ACTION_LABELS[action],
            "url": ACTION_URLS[action],
            "form": bound.get(action) or form_for(action, case),
            "open": action in bound,
        }
        for action in workflow.available_actions(user, case)
        if action in ACTION_URLS
    ]


def _volumes(entries: list[ArchiveEntry]) -> list[dict[str, Any]]:
    return [
        {
            "volume": volume,
            "label": volume.label,
            "entries": [e for e in entries if e.volume == volume],
        }
        for volume in Volume
    ]


def panel(request: HttpRequest, case: Case, bound: dict[str, Form]) -> dict[str, Any]:
    """Context for ``cases/stages/_closing.html`` on the case page.

    ``bound`` maps an action name to a form bound to what was posted, when the page is shown
    again with errors; every other form is fresh. A bounded number of queries whatever the
    number of suspensions, extensions, events or archived entries.
    """
    clock = award_clock_of(case)
    actions = _actions(request, case, bound)
    if clock is None and not case.transferred_from_id and not actions:
        return {"shown": False}
    user: User = request.user  # type: ignore[assignment]
    # Each list is one query, and only asked for when the clocks or the state say it has rows:
    # the case page is the busiest page of the workspace.
    awards = [d for d in case.deadlines.all() if d.code == "award"]
    adjusted = {a["kind"] for d in awards for a in d.adjustments}
    was_suspended = case.suspended or "suspension" in adjusted
    closed = case.closed_at is not None or case.status in CLOSED_STATES | {Status.ARCHIVED}
    source = (
        Case.objects.select_related("commission").get(pk=case.transferred_from_id)
        if case.transferred_from_id
        else None
    )
    moved_to = (
        list(case.transferred_to.select_related("commission"))  # type: ignore[attr-defined]
        if closed
        else []
    )
    visible = set(
        selectors.cases_visible_to(user)
        .filter(pk__in=[c.pk for c in moved_to])
        .values_list("pk", flat=True)
    ) if moved_to else set()  # fmt: skip
    decisions = [
        document
        for document in case.documents.filter(kind__in=CLOSING_DOCUMENTS).select_related(
            "issued_by"
        )
        if document.kind != DocumentKind.DECISION or document.decision_kind in CLOSING_DECISIONS
    ] if closed else []  # fmt: skip
    return {
        "shown": True,
        "clock": clock,
        "suspensions": list(case.suspensions.select_related("approved_by", "ended_by"))
        if was_suspended
        else [],
        "extensions": list(case.extensions.select_related("approved_by"))
        if "extension" in adjusted
        else [],
        "decisions": decisions,
        "transferred_from": source,
        "history": _history_before_transfer(source) if source else [],
        "transferred_to": [{"case": c, "visible": c.pk in visible} for c in moved_to],
        # 办案规则 art. 35: say so, so that a new application on the same matter is accepted.
        "reapplication_allowed": any(d.decision_kind == DecisionKind.WITHDRAWAL for d in decisions),
        "archived": bool(case.archived_at),
        "volumes": _volume_counts(user, case) if case.archived_at else [],
        "actions": actions,
    }


def _volume_counts(user: User, case: Case) -> list[dict[str, Any]]:
    counts = dict(
        archive.entries_for(user, case)
        .order_by()
        .values_list("volume")
        .annotate(n=Count("pk"))
        .values_list("volume", "n")
    )
    return [
        {"volume": volume, "label": volume.label, "count": counts[volume]}
        for volume in Volume
        if volume in counts
    ]


# --- The steps --------------------------------------------------------------------------------


def _factory(action: str) -> Callable[[Case, Any, Any], Form]:
    return lambda case, data, files: form_for(action, case, data, files)


def _suspend(user: User, case: Case, data: dict[str, Any]) -> str:
    suspension = closing.case_suspend(
        by=user, case=case, reason=data["reason"], note=data.get("note", "")
    )
    return _("The case is suspended (%(reason)s); the award clock is paused.") % {
        "reason": SuspensionReason(suspension.reason).label
    }


def _resume(user: User, case: Case, data: dict[str, Any]) -> str:
    suspension = closing.case_resume(by=user, case=case, note=data.get("note", ""))
    return _("The case is resumed; %(days)d suspended days are not counted.") % {
        "days": suspension.excluded_days
    }


def _extend(user: User, case: Case, data: dict[str, Any]) -> str:
    extension = closing.case_extend(
        by=user, case=case, days=data["days"], reasons=data.get("reasons", "")
    )
    return _("The time limit is extended by %(days)d days.") % {"days": extension.days}


def _withdraw(user: User, case: Case, data: dict[str, Any]) -> str:
    closing.case_withdraw(by=user, case=case, reasons=data.get("reasons", ""))
    return _("The withdrawal is recorded and the case closed; a new application must be accepted.")


def _revoke(user: User, case: Case, data: dict[str, Any]) -> str:
    closing.case_revoke(by=user, case=case, ground=data["ground"], reasons=data.get("reasons", ""))
    return _("The case is revoked; serve the decision on the parties within 5 working days.")


def _transfer(user: User, case: Case, data: dict[str, Any]) -> str:
    new = closing.case_transfer(
        by=user, case=case, to=data.get("to"), reasons=data.get("reasons", "")
    )
    return _(
        "The case is transferred to %(commission)s, which received it as application %(id)s."
    ) % {
        "commission": new.commission.name,
        "id": new.pk,
    }


def _approve_closing(user: User, case: Case, data: dict[str, Any]) -> str:
    archive.closing_approve(by=user, case=case, note=data.get("note", ""))
    return _("The closing is approved; the file may be archived.")


def _archive(user: User, case: Case, data: dict[str, Any]) -> str:
    archived = archive.case_archive(by=user, case=case)
    return _("The file is archived; it is kept until %(date)s.") % {
        "date": archived.retain_until.isoformat() if archived.retain_until else "—"
    }


PERFORM: dict[str, Callable[[User, Case, dict[str, Any]], str]] = {
    "suspend": _suspend,
    "resume": _resume,
    "extend": _extend,
    "withdraw": _withdraw,
    "revoke": _revoke,
    "transfer": _transfer,
    "approve_closing": _approve_closing,
    "archive": _archive,
}


def _step_view(action: str) -> Callable[..., HttpResponse]:
    @staff_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return run_step(request, pk, action, _factory(action), PERFORM[action])

    view.__name__ = f"case_{action}"
    return view


# --- Pages: the archived file's table of contents, the clocks to watch -------------------------


@staff_required
def case_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The file's table of contents per volume (卷内目录), frozen at archiving."""
    user: User = request.user  # type: ignore[assignment]
    case = selectors.get_case_for(user, pk)
    entries = list(archive.entries_for(user, case))
    return render(
        request,
        "cases/closing/file.html",
        {"case": case, "volumes": _volumes(entries), "archived": bool(case.archived_at)},
    )


WATCH_LIMIT = 200


@staff_required
def clock_watch(request: HttpRequest) -> HttpResponse:
    """The commission's clocks that passed or fall due within 5 working days, in scope."""
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    until = add_working_days(today, WARNING_WORKING_DAYS).due
    rows = []
    for deadline in (
        CaseDeadline.objects.filter(
            case__in=selectors.cases_visible_to(user),
            state=CaseDeadline.State.OPEN,
            code__in=commission_codes(),
            due_on__lte=until,
        )
        .select_related("case")
        .order_by("due_on", "pk")[:WATCH_LIMIT]
    ):
        rows.append(
            {
                "deadline": deadline,
                "label": period(deadline.code).label,
                "overdue": deadline.due_on < today,
                "days_left": (deadline.due_on - today).days,
                "days_overdue": (today - deadline.due_on).days,
            }
        )
    return render(
        request,
        "cases/closing/clocks.html",
        {"rows": rows, "until": until, "limit": WATCH_LIMIT},
    )


urlpatterns: list[URLPattern | URLResolver] = [
    *(
        path(
            f"<int:pk>/{action.replace('_', '-')}/",
            _step_view(action),
            name=f"case-{action.replace('_', '-')}",
        )
        for action in STEPS
    ),
    path("<int:pk>/file/", case_file, name="case-file"),
    path("clocks/", clock_watch, name="clock-watch"),
]
