"""Hearings: scheduling, notices, postponement, attendance, record and signatures, default.

Stage pages follow ``steps``: each POST view fetches the case through the selectors, calls one
service, and goes back to the case page (or shows it again with the bound form and its errors).
Two pages of their own: the printable hearing record, and the commission's hearing calendar.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db.models import prefetch_related_objects
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhongcai.accounts.models import User
from zhongcai.orgs.models import HearingRoom, Person
from zhongcai.workspace.access import staff_required

from .. import hearings, selectors, workflow
from ..models import (
    Agent,
    Attendance,
    Case,
    Hearing,
    HearingRecord,
    Party,
    PostponementRequest,
    Status,
)
from .hearings_forms import Options, make_form, party_choices, session_label
from .steps import run_step

ACTIONS = (
    "schedule_hearing",
    "request_postponement",
    "decide_postponement",
    "open_hearing",
    "record_attendance",
    "write_hearing_record",
    "sign_hearing_record",
    "close_hearing",
    "deem_withdrawn",
)
# URL name of each action's page endpoint (``cases:case-<action>``), for this stage.
ACTION_URLS: dict[str, str] = {
    action: f"cases:case-{action.replace('_', '-')}" for action in ACTIONS
}
# Labels of the events this stage writes, for the case history.
EVENT_LABELS: dict[str, Any] = {
    "case.hearing_scheduled": gettext_lazy("Hearing scheduled, notice served"),
    "case.postponement_requested": gettext_lazy("Postponement requested"),
    "case.postponement_decided": gettext_lazy("Postponement decided"),
    "case.hearing_opened": gettext_lazy("Hearing opened"),
    "case.attendance_recorded": gettext_lazy("Attendance recorded"),
    "case.hearing_record_written": gettext_lazy("Hearing record written"),
    "case.hearing_record_signed": gettext_lazy("Hearing record signed"),
    "case.hearing_closed": gettext_lazy("Hearing session closed"),
    "case.deemed_withdrawn": gettext_lazy("Application deemed withdrawn"),
}
# The calendar shows at most this many days ahead, and this many hearings.
CALENDAR_DAYS, CALENDAR_MAX_DAYS, CALENDAR_LIMIT = 14, 90, 500


# No hearing can exist yet: one is scheduled once the tribunal is formed.
_BEFORE_TRIBUNAL = frozenset(
    {
        Status.ACCEPTED,
        Status.DRAFT,
        Status.RECEIVED,
        Status.AWAITING_CORRECTION,
        Status.NOT_ACCEPTED,
        Status.REDIRECTED,
    }
)


# --- Choices and rows ------------------------------------------------------------------------


def _options(case: Case, sessions: list[Hearing], wanted: set[str]) -> Options:
    """Choices for the forms in ``wanted``, from the loaded sessions and the case's parties
    (prefetched with their agents on the case page); one query for the rooms if needed."""
    parties: list[Party] = list(case.parties.all())
    options = Options(parties=party_choices(parties))
    if wanted & {"schedule_hearing", "decide_postponement"}:
        options.rooms = [
            (str(pk), name)
            for pk, name in HearingRoom.objects.filter(
                commission=case.commission_id, is_active=True
            ).values_list("pk", "name")
        ]
        options.earliest = hearings.earliest_hearing_date(timezone.localdate()).isoformat()
    scheduled = [h for h in sessions if h.state == Hearing.State.SCHEDULED]
    opened = [h for h in sessions if h.state in (Hearing.State.OPEN, Hearing.State.HELD)]
    options.hearings = [(str(h.pk), session_label(h)) for h in scheduled]
    options.sessions = [(str(h.pk), session_label(h)) for h in opened]
    options.requests = [
        (str(r.pk), f"{r.party.name}: {r.reasons[:60]}")
        for h in scheduled
        for r in h.postponements.all()
        if r.decision == PostponementRequest.Decision.PENDING
    ]
    signers: dict[str, str] = {}
    for hearing in opened:
        records = list(hearing.records.all())
        if records:
            latest = records[-1]
            options.records.append(
                (
                    str(latest.pk),
                    _("%(session)s, version %(version)d")
                    % {"session": session_label(hearing), "version": latest.version},
                )
            )
        for person in hearing.people.all():
            signers[f"person:{person.pk}"] = f"{person.name} ({person.get_kind_display()})"
    for party in parties:
        signers[f"party:{party.pk}"] = f"{party.name} ({party.get_role_display()})"
        for agent in party.agents.all():
            signers[f"agent:{agent.pk}"] = _("%(agent)s, agent of %(party)s") % {
                "agent": agent.name,
                "party": party.name,
            }
    options.signers = list(signers.items())
    return options


def _place(hearing: Hearing) -> str:
    return hearings.Venue(room=hearing.room, place=hearing.place, online=hearing.online).describe()


def _row(case: Case, hearing: Hearing) -> dict[str, Any]:
    services = list(hearing.notice.services.all()) if hearing.notice else []
    attendance = []
    for entry in hearing.attendance.all():
        absent = entry.presence in hearings.NOT_ATTENDING and not entry.justified
        attendance.append(
            {
                "entry": entry,
                "default": absent and entry.party.role == Party.Role.RESPONDENT,
                "applicant_absent": absent and entry.party.role == Party.Role.APPLICANT,
            }
        )
    return {
        "hearing": hearing,
        "place": _place(hearing),
        "people": list(hearing.people.all()),
        "services": services,
        "attendance": attendance,
        "postponements": list(hearing.postponements.all()),
        "records": list(hearing.records.all()),
    }


def _offers_deemed_withdrawal(case: Case, sessions: list[Hearing]) -> bool:
    if case.status == Status.HEARING:
        return True
    now = timezone.now()
    return any(h.state == Hearing.State.SCHEDULED and h.starts_at <= now for h in sessions)


def panel(request: HttpRequest, case: Case, bound: dict[str, Form]) -> dict[str, Any]:
    """Context for ``cases/stages/_hearings.html`` on the case page.

    ``bound`` maps an action name to a form bound to what was posted, when the page is shown
    again with errors; every other form is fresh.
    """
    user: User = request.user  # type: ignore[assignment]
    available = [a for a in workflow.available_actions(user, case) if a in ACTION_URLS]
    sessions = list(hearings.hearings_of(case)) if case.status not in _BEFORE_TRIBUNAL else []
    if "deem_withdrawn" in available and not _offers_deemed_withdrawal(case, sessions):
        available.remove("deem_withdrawn")
    if not sessions and not available:
        return {"visible": case.status == Status.CLOSED_DEEMED_WITHDRAWN}
    options = _options(case, sessions, set(available) - set(bound))
    actions = [
        {
            "name": action,
            "label": workflow.ACTION_LABELS[action],
            "url": ACTION_URLS[action],
            "form": bound.get(action) or make_form(action, options),
            "open": action in bound,
        }
        for action in available
    ]
    return {
        "visible": True,
        "rows": [_row(case, h) for h in sessions],
        "actions": actions,
        "deemed_withdrawn": case.status == Status.CLOSED_DEEMED_WITHDRAWN,
    }


# --- Steps -----------------------------------------------------------------------------------


def _form_factory(action: str) -> Callable[[Case, Any, Any], Form]:
    def build(case: Case, data: Any, files: Any) -> Form:
        prefetch_related_objects([case], "parties__agents")
        return make_form(action, _options(case, list(hearings.hearings_of(case)), {action}), data)

    return build


def _room(case: Case, value: str) -> HearingRoom | None:
    return HearingRoom.objects.get(pk=value, commission=case.commission_id) if value else None


def _booking(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "starts_at": data["starts_at"],
        "duration": timedelta(minutes=data["duration"] or 120),
        "room": _room(case, data["room"]),
        "place": data["place"],
        "online": data["online"],
        "notice_method": data["notice_method"],
    }


def _when(hearing: Hearing) -> str:
    return timezone.localtime(hearing.starts_at).strftime("%Y-%m-%d %H:%M")


def _schedule(user: User, case: Case, data: dict[str, Any]) -> str:
    hearing = hearings.hearing_schedule(by=user, case=case, **_booking(case, data))
    return _("Hearing scheduled for %(time)s; the notice was served on every party.") % {
        "time": _when(hearing)
    }


def _request_postponement(user: User, case: Case, data: dict[str, Any]) -> str:
    hearings.postponement_request(
        by=user,
        case=case,
        hearing=Hearing.objects.get(pk=data["hearing"], case=case),
        party=Party.objects.get(pk=data["party"], case=case),
        reasons=data["reasons"],
    )
    return _("The postponement request is recorded; the commission decides.")


def _decide_postponement(user: User, case: Case, data: dict[str, Any]) -> str:
    request = PostponementRequest.objects.select_related("hearing", "party").get(
        pk=data["request"], hearing__case=case
    )
    booking = _booking(case, data) if data["granted"] else {}
    decided = hearings.postponement_decide(
        by=user,
        case=case,
        request=request,
        granted=data["granted"],
        reasons=data["reasons"],
        **booking,
    )
    if decided.new_hearing is None:
        return _("The postponement is refused; the hearing stands.")
    return _("The hearing is postponed to %(time)s; the notices were served on every party.") % {
        "time": _when(decided.new_hearing)
    }


def _open_hearing(user: User, case: Case, data: dict[str, Any]) -> str:
    hearing = hearings.hearing_open(by=user, case=case)
    return _("Session %(session)d is open.") % {"session": hearing.session}


def _record_attendance(user: User, case: Case, data: dict[str, Any]) -> str:
    entry = hearings.attendance_record(
        by=user,
        case=case,
        party=Party.objects.get(pk=data["party"], case=case),
        presence=data["presence"],
        justified=data["justified"],
        note=data["note"],
    )
    absent = entry.presence in hearings.NOT_ATTENDING and not entry.justified
    if absent and entry.party.role == Party.Role.RESPONDENT:
        return _("Respondent absent: the hearing continues by default (LDMAL art. 36).")
    return _("Attendance recorded.")


def _write_record(user: User, case: Case, data: dict[str, Any]) -> str:
    requested = data["requested_by"]
    record = hearings.hearing_record_write(
        by=user,
        case=case,
        hearing=Hearing.objects.get(pk=data["hearing"], case=case),
        text=data["text"],
        correction_reason=data["correction_reason"],
        requested_by=Party.objects.get(pk=requested, case=case) if requested else None,
    )
    return _("Version %(version)d of the record is written.") % {"version": record.version}


def _sign_record(user: User, case: Case, data: dict[str, Any]) -> str:
    kind, _sep, pk = data["signer"].partition(":")
    who: dict[str, Any] = {}
    if kind == "person":
        who["person"] = Person.objects.get(pk=pk)
    elif kind == "agent":
        who["agent"] = Agent.objects.select_related("party").get(pk=pk, party__case=case)
    else:
        who["party"] = Party.objects.get(pk=pk, case=case)
    signature = hearings.hearing_record_sign(
        by=user,
        case=case,
        record=HearingRecord.objects.select_related("hearing").get(
            pk=data["record"], hearing__case=case
        ),
        method=data["method"],
        refused=data["refused"],
        **who,
    )
    if signature.refused:
        return _("The refusal of %(name)s to sign is recorded.") % {"name": signature.name}
    return _("The signature of %(name)s is recorded.") % {"name": signature.name}


def _close_hearing(user: User, case: Case, data: dict[str, Any]) -> str:
    hearing = hearings.hearing_close(by=user, case=case, adjourned=data["adjourned"])
    if hearing.adjourned:
        return _("Session %(session)d is closed; schedule the next session.") % {
            "session": hearing.session
        }
    return _("Session %(session)d is closed.") % {"session": hearing.session}


def _deem_withdrawn(user: User, case: Case, data: dict[str, Any]) -> str:
    hearings.case_deem_withdrawn(by=user, case=case, reasons=data["reasons"])
    return _("The application is deemed withdrawn; the decision is issued.")


PERFORM: dict[str, Callable[[User, Case, dict[str, Any]], str]] = {
    "schedule_hearing": _schedule,
    "request_postponement": _request_postponement,
    "decide_postponement": _decide_postponement,
    "open_hearing": _open_hearing,
    "record_attendance": _record_attendance,
    "write_hearing_record": _write_record,
    "sign_hearing_record": _sign_record,
    "close_hearing": _close_hearing,
    "deem_withdrawn": _deem_withdrawn,
}


def _step_view(action: str) -> Callable[..., HttpResponse]:
    @staff_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return run_step(request, pk, action, _form_factory(action), PERFORM[action])

    view.__name__ = f"case_{action}"
    return view


# --- Pages -----------------------------------------------------------------------------------


@staff_required
def hearing_record(request: HttpRequest, pk: int, hearing_pk: int) -> HttpResponse:
    """The printable record of one session: the latest version, or ``?version=N``."""
    case = selectors.get_case_for(request.user, pk)  # type: ignore[arg-type]
    hearing = get_object_or_404(Hearing.objects.select_related("room"), case=case, pk=hearing_pk)
    versions = list(
        hearing.records.select_related("requested_by", "written_by").prefetch_related("signatures")
    )
    shown = versions[-1] if versions else None
    if "version" in request.GET:
        wanted = request.GET["version"]
        shown = next((v for v in versions if str(v.version) == wanted), None)
        if shown is None:
            raise Http404
    return render(
        request,
        "cases/hearings/record.html",
        {
            "case": case,
            "hearing": hearing,
            "place": _place(hearing),
            "people": list(hearing.people.order_by("kind", "pk")),
            "attendance": list(Attendance.objects.filter(hearing=hearing).select_related("party")),
            "versions": versions,
            "shown": shown,
            "latest": versions[-1] if versions else None,
        },
    )


@staff_required
def hearing_calendar(request: HttpRequest) -> HttpResponse:
    """The commission's coming hearings, by room, for the cases the user may see."""
    try:
        days = min(max(int(request.GET.get("days", CALENDAR_DAYS)), 1), CALENDAR_MAX_DAYS)
    except ValueError:
        days = CALENDAR_DAYS
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    booked = list(
        hearings.upcoming_hearings(request.user, start=start, days=days)[:CALENDAR_LIMIT]  # type: ignore[arg-type]
    )
    groups: dict[int | None, dict[str, Any]] = {}
    for hearing in booked:
        group = groups.setdefault(
            hearing.room_id,
            {"room": hearing.room, "rows": []},
        )
        group["rows"].append({"hearing": hearing, "place": _place(hearing)})
    # Hearings held elsewhere or online come after the rooms.
    ordered = sorted(groups.values(), key=lambda g: (g["room"] is None, str(g["room"] or "")))
    return render(
        request,
        "cases/hearings/calendar.html",
        {
            "groups": ordered,
            "days": days,
            "start": start,
            "until": start + timedelta(days=days - 1),
            "truncated": len(booked) == CALENDAR_LIMIT,
        },
    )


urlpatterns: list[URLPattern | URLResolver] = [
    *(
        path(
            f"<int:pk>/{action.replace('_', '-')}/",
            _step_view(action),
            name=f"case-{action.replace('_', '-')}",
        )
        for action in ACTIONS
    ),
    path(
        "<int:pk>/hearings/<int:hearing_pk>/record/",
        hearing_record,
        name="case-hearing-record",
    ),
    path("hearings/calendar/", hearing_calendar, name="hearing-calendar"),
]
