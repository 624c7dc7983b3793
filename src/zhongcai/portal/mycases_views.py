"""Following a case: "my cases", the case page with its inbox and forms, the counter query.

Every case is fetched through ``cases.selectors.get_case_for`` (404 outside the user's scope);
every write is one service call, answered by a redirect with a message (PRG). What a service
refuses (403, 409) becomes a message on the case page, an input error an error on its field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhongcai.accounts.models import User
from zhongcai.cases import evidence as case_evidence
from zhongcai.cases import hearings, serving
from zhongcai.cases.models import Case, HearingRecord, Party, ServiceRecord
from zhongcai.cases.representation import parties_represented_by
from zhongcai.cases.selectors import get_case_for
from zhongcai.cases.workflow import TransitionError
from zhongcai.core.forms import add_service_errors, describe_errors
from zhongcai.core.ratelimit import allow, client_address
from zhongcai.documents.downloads import document_file_response, formats_for
from zhongcai.workspace.access import public_only

from . import mycases
from .mycases_forms import (
    DefenceForm,
    EvidenceForm,
    QueryForm,
    ServiceAddressForm,
)

# The counter query answers by receipt number and ID number: slow down whoever guesses.
QUERY_ATTEMPTS_PER_HOUR = 20

View = Callable[..., HttpResponse]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --- My cases -----------------------------------------------------------------------------------


@require_GET
@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_public:
        return redirect("workspace:dashboard")
    views = [mycases.case_view(user, case) for case in mycases.my_cases(user)]
    return render(request, "portal/cases/my_cases.html", {"cases": views})


def _case_page(
    request: HttpRequest, case: Case, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    view = mycases.case_view(user, case)
    records = mycases.inbox(user, case, view.mine)
    respondents = [p for p, _due in mycases.defence_due(case, view.mine)]
    forms: dict[str, Any] = {}
    if view.mine and mycases.step_open(case, "confirm_service_address"):
        forms["address"] = ServiceAddressForm(parties=view.mine)
    if respondents:
        forms["defence"] = DefenceForm(parties=respondents)
    if view.mine and mycases.step_open(case, "submit_evidence"):
        forms["evidence"] = EvidenceForm(parties=view.mine)
    forms |= bound or {}
    addresses = {p.pk: serving.current_address(p) for p in view.mine}
    return render(
        request,
        "portal/cases/my_case.html",
        {
            "view": view,
            "case": case,
            "records": [
                {
                    "record": record,
                    "may_sign": mycases.may_sign(user, record),
                    "signature_needed": record.document.kind in mycases.SIGNATURE_NEEDED,
                    "pdf": "pdf" in formats_for(user, record.document),
                }
                for record in records
            ],
            "tasks": mycases.tasks(user, case, view.mine, records),
            "to_sign": mycases.records_to_sign(case, view.mine),
            "addresses": [(p, addresses[p.pk]) for p in view.mine],
            "address_form": forms.get("address"),
            "defence_form": forms.get("defence"),
            "evidence_form": forms.get("evidence"),
        },
        status=status,
    )


@require_GET
@public_only
def my_case(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, get_case_for(_user(request), pk))


def _back(case: Case, anchor: str = "") -> HttpResponse:
    url = reverse("portal:my-case", args=[case.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _refused(request: HttpRequest, case: Case, exc: Exception, anchor: str) -> HttpResponse:
    """What the service refused for who or when (403, 409): said on the case page."""
    text = (
        exc.args[0]
        if exc.args and isinstance(exc.args[0], str)
        else _("This cannot be done on this case now.")
    )
    messages.error(request, str(text))
    return _back(case, anchor)


def _post_form(
    request: HttpRequest,
    pk: int,
    *,
    name: str,
    form_class: type,
    parties: Callable[[User, Case], list[Party]],
    act: Callable[[User, Case, Any], str],
) -> HttpResponse:
    """Bind ``form_class`` for the parties the user may choose, call ``act`` (the service) with
    the valid form; a service's input errors go on the form, its refusals into a message."""
    user = _user(request)
    case = get_case_for(user, pk)
    choices = parties(user, case)
    if not choices:
        messages.error(request, _("There is nothing to send here for this case now."))
        return _back(case, name)
    form = form_class(request.POST, request.FILES, parties=choices)
    if form.is_valid():
        try:
            done = act(user, case, form)
        except (PermissionDenied, TransitionError) as exc:
            return _refused(request, case, exc, name)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return _back(case, name)
    describe_errors(form)
    return _case_page(request, case, bound={name: form}, status=400)


def _mine(user: User, case: Case) -> list[Party]:
    return parties_represented_by(user, case)


def _respondents(user: User, case: Case) -> list[Party]:
    return [p for p in parties_represented_by(user, case) if p.role == Party.Role.RESPONDENT]


@require_POST
@public_only
def confirm_address(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: User, case: Case, form: ServiceAddressForm) -> str:
        data = form.cleaned_data
        serving.service_address_confirm(
            by=user,
            case=case,
            party=data["party"],
            electronic_consent=data["electronic_consent"],
            mobile=data["mobile"],
            email=data["email"],
            postal_address=data["postal_address"],
        )
        return _("Your service address is recorded.")

    return _post_form(
        request, pk, name="address", form_class=ServiceAddressForm, parties=_mine, act=act
    )


@require_POST
@public_only
def file_defence(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: User, case: Case, form: DefenceForm) -> str:
        data = form.cleaned_data
        party = data["party"]
        case_evidence.defence_file(
            by=user, case=case, party=party, text=data["text"], file=data.get("file")
        )
        return _("Your defence is filed. The commission sends a copy to the other side.")

    return _post_form(
        request, pk, name="defence", form_class=DefenceForm, parties=_respondents, act=act
    )


@require_POST
@public_only
def submit_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: User, case: Case, form: EvidenceForm) -> str:
        data = form.cleaned_data
        file = data["file"]
        item = case_evidence.evidence_submit(
            by=user,
            case=case,
            party=data["party"],
            title=data["title"],
            purpose=data["purpose"],
            file=file,
        )
        if item.late:
            return _(
                "Evidence no. %(number)d is received, after the evidence period: the "
                "arbitrators decide whether to take it into account."
            ) % {"number": item.number}
        return _("Evidence no. %(number)d is received.") % {"number": item.number}

    return _post_form(request, pk, name="evidence", form_class=EvidenceForm, parties=_mine, act=act)


@require_POST
@public_only
def confirm_received(request: HttpRequest, pk: int, record_id: int) -> HttpResponse:
    """签收: "I have received it" for a document served online on a party the user acts for."""
    user = _user(request)
    case = get_case_for(user, pk)
    mine = [p.pk for p in parties_represented_by(user, case)]
    record = get_object_or_404(ServiceRecord, pk=record_id, case=case, party__in=mine)
    if record.signed_at is not None:
        messages.info(request, _("You already confirmed that you received this document."))
        return _back(case, "inbox")
    try:
        serving.service_record_delivery(by=user, case=case, record=record)
    except (PermissionDenied, TransitionError) as exc:
        return _refused(request, case, exc, "inbox")
    except ValidationError:
        # Signed meanwhile (two clicks at once): the first signature stands.
        messages.info(request, _("You already confirmed that you received this document."))
        return _back(case, "inbox")
    messages.success(
        request,
        _("Thank you: “%(title)s” is signed for.") % {"title": record.document.title},
    )
    return _back(case, "inbox")


@require_POST
@public_only
def sign_record(request: HttpRequest, pk: int, record_id: int) -> HttpResponse:
    """The party signs the hearing record online, in its own name (LDMAL art. 40)."""
    user = _user(request)
    case = get_case_for(user, pk)
    mine = {p.pk: p for p in parties_represented_by(user, case)}
    record = get_object_or_404(HearingRecord, pk=record_id, hearing__case=case)
    raw = request.POST.get("party", "")
    party = mine.get(int(raw)) if raw.isascii() and raw.isdigit() else None
    if party is None:
        raise Http404
    try:
        hearings.hearing_record_sign(
            by=user, case=case, record=record, method="online", party=party
        )
    except (PermissionDenied, TransitionError) as exc:
        return _refused(request, case, exc, "hearing-records")
    except ValidationError as exc:  # signed meanwhile, or a newer version to sign
        for message in exc.messages:
            messages.error(request, message)
        return _back(case, "hearing-records")
    messages.success(
        request,
        _("You signed version %(version)d of the hearing record.") % {"version": record.version},
    )
    return _back(case, "hearing-records")


@require_GET
@public_only
def document_pdf(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """A document of the case as the party may read it: the main volume, as PDF (the API's
    rule, ``documents.downloads.formats_for``)."""
    user = _user(request)
    case = get_case_for(user, pk)
    document = get_object_or_404(mycases.readable_documents(user, case), pk=document_id)
    if "pdf" not in formats_for(user, document):
        raise Http404
    return document_file_response(document, "pdf")


# --- The counter query --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def query(request: HttpRequest) -> HttpResponse:
    """For those who applied at the counter: the stage and the next date, nothing else."""
    form = QueryForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST":
        limit = getattr(settings, "PORTAL_QUERY_ATTEMPTS_PER_HOUR", QUERY_ATTEMPTS_PER_HOUR)
        if not allow("case-query", client_address(request), limit=limit, seconds=3600):
            context["throttled"] = True
            return render(request, "portal/cases/query.html", context, status=429)
        if form.is_valid() and not allow(
            "case-query-id", form.cleaned_data["id_number"], limit=limit, seconds=86400
        ):
            # Whoever knows a person's ID number (an employer does) cannot walk the receipts.
            context["throttled"] = True
            return render(request, "portal/cases/query.html", context, status=429)
        if form.is_valid():
            answer = mycases.answer_query(
                form.cleaned_data["receipt_number"], form.cleaned_data["id_number"]
            )
            context["answer"] = answer
            context["not_found"] = answer is None
        else:
            describe_errors(form)
    return render(request, "portal/cases/query.html", context)


urlpatterns: list[URLPattern] = [
    path("my/cases/", my_cases, name="my-cases"),
    path("my/cases/<int:pk>/", my_case, name="my-case"),
    path("my/cases/<int:pk>/address/", confirm_address, name="my-case-address"),
    path("my/cases/<int:pk>/defence/", file_defence, name="my-case-defence"),
    path("my/cases/<int:pk>/evidence/", submit_evidence, name="my-case-evidence"),
    path(
        "my/cases/<int:pk>/received/<int:record_id>/",
        confirm_received,
        name="my-case-received",
    ),
    path(
        "my/cases/<int:pk>/documents/<int:document_id>/",
        document_pdf,
        name="my-case-document",
    ),
    path(
        "my/cases/<int:pk>/records/<int:record_id>/sign/",
        sign_record,
        name="my-case-sign-record",
    ),
    path("query/", query, name="query"),
]
