"""The early-warning pages (issue 10 point 4): the list of the warnings a user may see, one
warning with its reason, cases and history, and the actions on it (acknowledge, assign,
resolve). Reading goes through ``warning_services``' selectors, every write through its services;
a warning out of scope answers 404 like a missing one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from zhongcai.accounts.models import User
from zhongcai.cases.deadlines import period
from zhongcai.core.events import events_of
from zhongcai.core.models import Event
from zhongcai.core.scope import scope
from zhongcai.workspace.access import staff_required

from . import warning_services
from .forms_warnings import STATUS_LABELS, AssignForm, WarningFilterForm
from .models import EarlyWarning
from .warnings import render as render_message

PAGE_SIZE = 25
SEVERITY_BADGES = {
    EarlyWarning.Severity.HIGH: "badge overdue",
    EarlyWarning.Severity.MEDIUM: "badge warn",
    EarlyWarning.Severity.LOW: "badge",
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def message_of(warning: EarlyWarning) -> str:
    """Why it fired, in the reader's language; the sentence written with the warning when the
    reason cannot be rendered again (an older shape, a rule without a sentence)."""
    try:
        text = render_message(warning.kind, warning.reason)
    except (KeyError, ValueError, TypeError):
        return warning.message
    return warning.message if text == warning.kind else text


def _window(warning: EarlyWarning) -> str:
    start, end = warning.window_start, warning.window_end
    if start and end and start != end:
        return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
    day = start or end
    return f"{day:%Y-%m-%d}" if day else "—"


@dataclass
class Row:
    warning: EarlyWarning
    message: str
    window: str
    status: Promise
    badge: str


def _row(warning: EarlyWarning) -> Row:
    return Row(
        warning=warning,
        message=message_of(warning),
        window=_window(warning),
        status=STATUS_LABELS[warning.status],  # type: ignore[index]
        badge=SEVERITY_BADGES.get(warning.severity, "badge"),  # type: ignore[call-overload]
    )


@staff_required
@require_GET
def warning_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = WarningFilterForm(request.GET)
    warnings = form.filter(warning_services.warnings_visible_to(user), user)
    page = Paginator(warnings.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "monitoring/warning_list.html",
        {
            "form": form,
            "page": page,
            "rows": [_row(warning) for warning in page],
            "params": params.urlencode(),
        },
    )


# --- The reason, readable ---------------------------------------------------------------------

# The keys of ``EarlyWarning.reason`` in the order they are shown; a key missing here is shown
# under its own name after these. ``None``: an internal reference, not shown.
REASON_LABELS: dict[str, Promise | None] = {
    "case": None,
    "deadline": None,
    "baseline_years": None,
    "case_number": pgettext_lazy("warning reason", "Case number"),
    "code": pgettext_lazy("warning reason", "Time limit"),
    "due_on": pgettext_lazy("warning reason", "Due on"),
    "left": pgettext_lazy("warning reason", "Working days left"),
    "overdue": pgettext_lazy("warning reason", "Days overdue"),
    "threshold": pgettext_lazy("warning reason", "Warning from (working days before)"),
    "article": pgettext_lazy("warning reason", "Legal basis"),
    "accepted_on": pgettext_lazy("warning reason", "Accepted on"),
    "workers": pgettext_lazy("warning reason", "Workers"),
    "amount": pgettext_lazy("warning reason", "Amount claimed (yuan)"),
    "employer": pgettext_lazy("warning reason", "Employer"),
    "credit_code": pgettext_lazy("warning reason", "Unified social credit code"),
    "division": pgettext_lazy("warning reason", "Division code"),
    "sector": pgettext_lazy("warning reason", "Sector"),
    "sections": pgettext_lazy("warning reason", "GB/T 4754 sections"),
    "signal": pgettext_lazy("warning reason", "Read from"),
    "count": pgettext_lazy("warning reason", "Cases in the window"),
    "start": pgettext_lazy("warning reason", "Window starts"),
    "end": pgettext_lazy("warning reason", "Window ends"),
    "window_days": pgettext_lazy("warning reason", "Window (days)"),
    "min_cases": pgettext_lazy("warning reason", "Threshold (cases)"),
    "baseline": pgettext_lazy("warning reason", "Baseline (mean cases in the same days a year)"),
    "baseline_counts": pgettext_lazy("warning reason", "Same days in past years"),
    "ratio": pgettext_lazy("warning reason", "Threshold (times the baseline)"),
}
SECTORS = {
    "construction": gettext_lazy("Construction"),
    "real_estate": gettext_lazy("Real estate"),
    "education_training": gettext_lazy("Education and training"),
}
SIGNALS = {
    "employer_name": gettext_lazy("The employer's name"),
    "recorded": gettext_lazy("The employer's recorded industry (GB/T 4754)"),
}


def _reason_value(key: str, value: Any) -> str:
    if key == "code":
        try:
            return str(period(value).label)
        except (KeyError, ValueError):
            return str(value)
    if key == "sector":
        return str(SECTORS.get(value, value))
    if key == "signal":  # one signal (older warnings) or the list of them
        signals = value if isinstance(value, list) else [value]
        return "、".join(str(SIGNALS.get(s, s)) for s in signals)
    if key == "baseline_counts" and isinstance(value, dict):
        return "；".join(
            _("%(year)s: %(count)s") % {"year": year, "count": count}
            for year, count in value.items()
        )
    if isinstance(value, list | tuple):
        return "、".join(str(item) for item in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{k}: {v}" for k, v in value.items()) or "—"
    if value is None or value == "":
        return "—"
    return str(value)


def reason_facts(reason: dict[str, Any]) -> list[tuple[str, str]]:
    """``reason`` as (label, value) pairs for a definition list."""
    keys = [k for k in REASON_LABELS if k in reason]
    keys += sorted(k for k in reason if k not in REASON_LABELS)
    facts = []
    for key in keys:
        label = REASON_LABELS.get(key, key)
        if label is not None:
            facts.append((str(label), _reason_value(key, reason[key])))
    return facts


# --- The history --------------------------------------------------------------------------------

EVENT_LABELS = {
    "warning.raised": pgettext_lazy("warning event", "Raised"),
    "warning.updated": pgettext_lazy("warning event", "Updated with new figures"),
    "warning.assigned": pgettext_lazy("warning event", "Assigned"),
    "warning.acknowledged": pgettext_lazy("warning event", "Acknowledged"),
    "warning.resolved": pgettext_lazy("warning event", "Resolved"),
}
RESOLVED_WHY = {
    "by_user": gettext_lazy("Closed by hand"),
    "clock_stopped": gettext_lazy("The time limit stopped running"),
    "due_date_moved": gettext_lazy("The due date moved"),
    "now_overdue": gettext_lazy("The time limit is now overdue (a new warning replaces this one)"),
}


@dataclass
class HistoryItem:
    event: Event
    label: str
    details: list[str]


def _history(warning: EarlyWarning) -> list[HistoryItem]:
    events = list(events_of(warning).select_related("actor"))
    named = {
        event.payload.get(end)
        for event in events
        if event.kind == "warning.assigned"
        for end in ("from", "to")
    }
    people = User.objects.in_bulk([pk for pk in named if isinstance(pk, int)])
    items = []
    for event in events:
        details: list[str] = []
        payload = event.payload or {}
        if event.kind == "warning.assigned":
            before, after = people.get(payload.get("from")), people.get(payload.get("to"))
            details.append(
                _("from %(before)s to %(after)s") % {"before": before or "—", "after": after or "—"}
            )
        elif event.kind == "warning.updated" and payload.get("added_cases"):
            details.append(_("Cases added: %(count)s") % {"count": len(payload["added_cases"])})
        elif event.kind == "warning.resolved" and payload.get("why"):
            details.append(str(RESOLVED_WHY.get(payload["why"], payload["why"])))
        items.append(
            HistoryItem(
                event=event, label=str(EVENT_LABELS.get(event.kind, event.kind)), details=details
            )
        )
    return items


# --- One warning and the actions on it ----------------------------------------------------------


def _detail(
    request: HttpRequest,
    warning: EarlyWarning,
    *,
    assign_form: AssignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    may_manage = warning_services.may_manage(user) and warning.is_open
    if may_manage and assign_form is None:
        assign_form = AssignForm(
            assignees=warning_services.warning_assignees(warning, by=user),
            initial={"to": warning.assigned_to_id},
        )
    cases = scope(
        warning.cases.all().select_related("institute").order_by("accepted_on", "pk"), user
    )
    return render(
        request,
        "monitoring/warning_detail.html",
        {
            "warning": warning,
            "row": _row(warning),
            "facts": reason_facts(warning.reason),
            "cases": cases,
            "history": _history(warning),
            "may_acknowledge": warning.status == EarlyWarning.Status.OPEN
            and warning_services.may_act(user, warning),
            "may_resolve": warning.is_open and warning_services.may_act(user, warning),
            "assign_form": assign_form if may_manage else None,
        },
        status=status,
    )


@staff_required
@require_GET
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, warning_services.get_warning_for(_user(request), pk))


def _refused(
    request: HttpRequest, warning: EarlyWarning, exc: Exception, **kw: Any
) -> HttpResponse:
    """A service said no: its reasons as messages on the warning's page, 403 for a wrong role,
    400 for a wrong state or input."""
    if isinstance(exc, PermissionDenied):
        messages.error(request, str(exc) if exc.args else _("You may not act on this warning."))
        status = 403
    else:
        for text in exc.messages:  # type: ignore[attr-defined]
            messages.error(request, text)
        status = 400
    warning.refresh_from_db()
    return _detail(request, warning, status=status, **kw)


@staff_required
@require_POST
def warning_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    warning = warning_services.get_warning_for(user, pk)
    already = warning.status == EarlyWarning.Status.ACKNOWLEDGED
    try:
        warning_services.warning_acknowledge(by=user, warning=warning)
    except (PermissionDenied, ValidationError) as exc:
        return _refused(request, warning, exc)
    if not already:
        messages.success(request, _("The warning was acknowledged."))
    return redirect("monitoring:warning-detail", pk=warning.pk)


@staff_required
@require_POST
def warning_assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    warning = warning_services.get_warning_for(user, pk)
    if not warning_services.may_manage(user):
        # Let the service say no, in its own words, before looking at the input.
        return _refused(request, warning, PermissionDenied(_("You may not act on this warning.")))
    form = AssignForm(request.POST, assignees=warning_services.warning_assignees(warning, by=user))
    if not form.is_valid():
        return _detail(request, warning, assign_form=form, status=400)
    try:
        warning_services.warning_assign(by=user, warning=warning, to=form.cleaned_data["to"])
    except (PermissionDenied, ValidationError) as exc:
        return _refused(request, warning, exc)
    messages.success(
        request, _("The warning was assigned to %(name)s.") % {"name": form.cleaned_data["to"]}
    )
    return redirect("monitoring:warning-detail", pk=warning.pk)


@staff_required
@require_POST
def warning_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    warning = warning_services.get_warning_for(user, pk)
    try:
        warning_services.warning_resolve(by=user, warning=warning)
    except ValidationError as exc:
        if getattr(exc, "code", None) == "resolved":
            # A second click, or someone else was quicker: the warning is where it was meant to be.
            messages.info(request, _("The warning was already resolved."))
            return redirect("monitoring:warning-detail", pk=warning.pk)
        return _refused(request, warning, exc)
    except PermissionDenied as exc:
        return _refused(request, warning, exc)
    messages.success(request, _("The warning was resolved."))
    return redirect("monitoring:warning-detail", pk=warning.pk)
