"""The case room: the staff and party pages of a case, messages, calls, files and proposals.

Every case is fetched through ``selectors.get_case_for`` (404 outside the user's scope), every
room item through ``room.visible_*`` (404 when not the user's to see); every write is one
service call answered by a redirect (PRG). A service's refusal of who (403) is not caught; a
refusal of when (the case moved on) becomes a message; bad input shows the page again with the
form and its errors.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhongcai.accounts.models import User
from zhongcai.core.forms import add_service_errors
from zhongcai.workspace.access import public_only, staff_required

from . import room, services, views_agreement, views_handover, views_pool
from .forms_room import (
    AcceptForm,
    AnswerForm,
    DeclineForm,
    ExtendForm,
    FailForm,
    FileForm,
    MeetingForm,
    MessageForm,
    ProposalForm,
)
from .models import RUNNING_STATES, MediationCase, Proposal, Status
from .selectors import cases_for, get_case_for, overdue
from .workflow import TransitionError, may_act

View = Callable[..., HttpResponse]
PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --- Lists -----------------------------------------------------------------------------------


@require_GET
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    """The organisation's cases, newest first, filtered by status; overdue ones marked."""
    cases = cases_for(_user(request)).prefetch_related("parties")
    status = request.GET.get("status", "")
    if status in Status.values:
        cases = cases.filter(status=status)
    else:
        status = ""
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"case": case, "overdue": overdue(case)} for case in page]
    return render(
        request,
        "mediation/queue.html",
        {"rows": rows, "page": page, "status": status, "statuses": Status.choices},
    )


@require_GET
@login_required
def my_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_public:
        return redirect("mediation:room-queue")
    cases = cases_for(user).prefetch_related("parties")
    rows = [{"case": case, "overdue": overdue(case)} for case in cases]
    return render(request, "mediation/my_list.html", {"rows": rows})


# --- The case page ---------------------------------------------------------------------------


def _step_forms(user: User, case: MediationCase) -> dict[str, Form]:
    forms: dict[str, Form] = {}
    if case.status == Status.APPLIED and may_act(user, case, "accept"):
        forms |= {"accept": AcceptForm(), "decline": DeclineForm()}
    if case.status in RUNNING_STATES and may_act(user, case, "fail"):
        if case.extended_at is None:
            forms["extend"] = ExtendForm()
        forms["fail"] = FailForm()
    return forms


def _room_forms(user: User, case: MediationCase, staff: bool) -> dict[str, Form]:
    forms: dict[str, Form] = {}
    if case.status not in RUNNING_STATES or not may_act(user, case, "post_message"):
        return forms
    forms["message"] = MessageForm(case=case, staff=staff)
    forms["file"] = FileForm(case=case, staff=staff)
    if staff:
        forms["meeting"] = MeetingForm(case=case, staff=staff)
    if case.status == Status.MEDIATING and not case.proposals.filter(status="open").exists():
        forms["proposal"] = ProposalForm()
    return forms


def _proposal_rows(user: User, case: MediationCase, staff: bool) -> list[dict[str, Any]]:
    mine = room.own_parties(user, case)
    rows = []
    for proposal in room.visible_proposals(user, case):
        answered = any(r.party_id in {p.pk for p in mine} for r in proposal.responses.all())
        is_open = proposal.status == Proposal.Status.OPEN and case.status == Status.MEDIATING
        own_side = bool(mine) and mine[0].role == proposal.side
        rows.append(
            {
                "proposal": proposal,
                "may_answer": is_open and bool(mine) and not own_side and not answered,
                "may_withdraw": is_open and (staff or own_side),
            }
        )
    return rows


# The next step first: the panel shown right after the header, by status.
LEAD_PANEL = {
    Status.DECLINED: "handover",
    Status.FAILED: "handover",
    Status.REVIEW_REFUSED: "handover",
    Status.BREACHED: "handover",
    Status.CONFIRMED: "issued",
    Status.AGREED: "agreement",
}


def _page(
    request: HttpRequest,
    case: MediationCase,
    *,
    staff: bool,
    bound: dict[str, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    mine = [] if staff else room.own_parties(user, case)
    forms = (_step_forms(user, case) if staff else {}) | _room_forms(user, case, staff)
    forms |= bound or {}
    proposals = _proposal_rows(user, case, staff)
    answer_for = (bound or {}).get("answer")
    for row in proposals:
        if row["may_answer"]:
            row["form"] = answer_for if answer_for is not None else AnswerForm()
    shared = {
        "room_messages": list(room.visible_messages(user, case)),
        "room_meetings": list(room.visible_meetings(user, case)),
        "room_files": list(room.visible_files(user, case)),
        "room_proposals": proposals,
    }
    concluded = case.status != Status.APPLIED and case.status not in RUNNING_STATES
    context: dict[str, Any] = {
        "case": case,
        "user": user,
        "is_staff_view": staff,
        "party": mine[0] if mine else None,
        "parties": list(case.parties.all()),
        "claims": list(case.claims.all()),
        "overdue": overdue(case),
        "forms": forms,
        **shared,
        "room_empty": concluded and not any(shared.values()),
        "room_lead": LEAD_PANEL.get(case.status, ""),
        "room_ns": "mediation" if staff else "mediation-portal",
    }
    for module in (views_pool, views_agreement, views_handover):
        context |= module.panel_context(request, case)
    template = "mediation/case_staff.html" if staff else "mediation/case_party.html"
    return render(request, template, context, status=status)


@require_GET
@staff_required
def case_staff(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, get_case_for(_user(request), pk), staff=True)


@require_GET
@public_only
def case_party(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, get_case_for(_user(request), pk), staff=False)


def panel_context(request: HttpRequest, case: MediationCase) -> dict[str, Any]:
    """What this module's panel of the case page needs (staff and party pages)."""
    return {}


# --- Posting ---------------------------------------------------------------------------------

Perform = Callable[[User, MediationCase, Any, HttpRequest], str]
Factory = Callable[[MediationCase, Any, Any, bool], Form]


def _back(case: MediationCase, staff: bool, anchor: str) -> HttpResponse:
    name = "mediation:room-case" if staff else "mediation-portal:room-case"
    return redirect(f"{reverse(name, args=[case.pk])}#{anchor}")


def _post(
    request: HttpRequest, pk: int, *, staff: bool, name: str, factory: Factory, perform: Perform
) -> HttpResponse:
    user = _user(request)
    case = get_case_for(user, pk)
    form = factory(case, request.POST, request.FILES, staff)
    if form.is_valid():
        try:
            done = perform(user, case, form, request)
        except TransitionError as exc:
            messages.error(request, str(exc))
            return _back(case, staff, name)
        except ValidationError as exc:
            if not form.fields:  # a button, not a form: say it on the page
                messages.error(request, " ".join(exc.messages))
                return _back(case, staff, name)
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return _back(case, staff, name)
    return _page(request, case, staff=staff, bound={name: form}, status=400)


def _plain(form_class: type[Form]) -> Factory:
    return lambda case, data, files, staff: form_class(data, files)


def _room(form_class: type[Form]) -> Factory:
    return lambda case, data, files, staff: form_class(data, files, case=case, staff=staff)


def _accept(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    consent = form.cleaned_data["respondent_consent"]
    services.mediation_accept(by=user, case=case, respondent_consent=consent)
    return _("The case is accepted.")


def _decline(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    services.mediation_decline(by=user, case=case, reason=form.cleaned_data["reason"])
    return _("The case is declined.")


def _extend(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    data = form.cleaned_data
    services.mediation_extend(
        by=user,
        case=case,
        days=data["days"],
        consent_applicant=data["consent_applicant"],
        consent_respondent=data["consent_respondent"],
    )
    return _("The time limit is extended.")


def _fail(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    services.mediation_fail(by=user, case=case, reason=form.cleaned_data["reason"])
    return _("The mediation is recorded as failed.")


def _message(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    data = form.cleaned_data
    room.message_post(
        by=user, case=case, body=data["body"], audience=data["audience"], party=form.party()
    )
    return _("Your message is sent.")


def _meeting(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    data = form.cleaned_data
    room.meeting_schedule(
        by=user,
        case=case,
        mode=data["mode"],
        starts_at=data["starts_at"],
        minutes=data["minutes"],
        place=data["place"],
        audience=data["audience"],
        party=form.party(),
    )
    return _("The call or meeting is scheduled.")


def _file(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    data = form.cleaned_data
    room.file_share(
        by=user,
        case=case,
        title=data["title"],
        kind=data["kind"],
        audience=data["audience"],
        file=data["file"],
        party=form.party(),
    )
    return _("The file is shared.")


def _propose(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    room.proposal_make(by=user, case=case, items=form.items(), note=form.cleaned_data["note"])
    return _("The proposal is sent to the parties.")


def _visible_proposal(user: User, case: MediationCase, request: HttpRequest) -> Proposal:
    try:
        return room.visible_proposals(user, case).get(pk=request.resolver_match.kwargs["item"])  # type: ignore[union-attr]
    except Proposal.DoesNotExist:
        raise Http404 from None


def _answer(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    data = form.cleaned_data
    room.proposal_answer(
        by=user,
        proposal=_visible_proposal(user, case, request),
        answer=data["answer"],
        note=data["note"],
        counter_items=form.items(),
    )
    return _("Your answer is recorded.")


def _withdraw(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    room.proposal_withdraw(by=user, proposal=_visible_proposal(user, case, request))
    return _("The proposal is withdrawn.")


def _cancel(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    item = request.resolver_match.kwargs["item"]  # type: ignore[union-attr]
    meeting = room.visible_meetings(user, case).filter(pk=item).first()
    if meeting is None:
        raise Http404
    room.meeting_cancel(by=user, meeting=meeting)
    return _("The meeting is cancelled.")


STEPS: dict[str, tuple[str, Factory, Perform]] = {
    # URL part: (form name on the page, form factory, service call)
    "accept": ("accept", _plain(AcceptForm), _accept),
    "decline": ("decline", _plain(DeclineForm), _decline),
    "extend": ("extend", _plain(ExtendForm), _extend),
    "fail": ("fail", _plain(FailForm), _fail),
    "messages": ("message", _room(MessageForm), _message),
    "meetings": ("meeting", _room(MeetingForm), _meeting),
    "files": ("file", _room(FileForm), _file),
    "proposals": ("proposal", _plain(ProposalForm), _propose),
    "proposals/<int:item>/answer": ("answer", _plain(AnswerForm), _answer),
    "proposals/<int:item>/withdraw": ("proposal", _plain(Form), _withdraw),
    "meetings/<int:item>/cancel": ("meeting", _plain(Form), _cancel),
}
# Staff take every step but answering; a party posts, shares, proposes, answers, withdraws.
STAFF_STEPS = tuple(k for k in STEPS if not k.endswith("/answer"))
PARTY_STEPS = (
    "messages",
    "files",
    "proposals",
    "proposals/<int:item>/answer",
    "proposals/<int:item>/withdraw",
)


def _step_view(step: str, staff: bool) -> View:
    name, factory, perform = STEPS[step]

    def view(request: HttpRequest, pk: int, item: int | None = None) -> HttpResponse:
        return _post(request, pk, staff=staff, name=name, factory=factory, perform=perform)

    view.__name__ = f"room_{name}_{'staff' if staff else 'party'}"
    return require_POST(staff_required(view) if staff else public_only(view))


def _url_name(step: str) -> str:
    return "room-" + step.replace("/<int:item>", "").replace("/", "-")


def download(request: HttpRequest, pk: int, item: int) -> FileResponse:
    """A shared file, for whoever may see it; anyone else 404, as for a missing one."""
    user = _user(request)
    case = get_case_for(user, pk)
    shared = room.visible_files(user, case).filter(pk=item).first()
    if shared is None or not shared.file:
        raise Http404
    return FileResponse(
        shared.file.open("rb"), as_attachment=True, filename=PurePath(shared.file.name).name
    )


staff_urlpatterns: list[URLPattern] = [
    path("", queue, name="room-queue"),
    path("<int:pk>/", case_staff, name="room-case"),
    path("<int:pk>/files/<int:item>/", require_GET(staff_required(download)), name="room-file"),
    *(path(f"<int:pk>/{s}/", _step_view(s, True), name=_url_name(s)) for s in STAFF_STEPS),
]
party_urlpatterns: list[URLPattern] = [
    path("my/", my_list, name="room-list"),
    path("my/<int:pk>/", case_party, name="room-case"),
    path("my/<int:pk>/files/<int:item>/", require_GET(public_only(download)), name="room-file"),
    *(path(f"my/<int:pk>/{s}/", _step_view(s, False), name=_url_name(s)) for s in PARTY_STEPS),
]
