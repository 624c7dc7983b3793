"""Applying for mediation: online through the portal's guided form (routed to a competent
organisation, ``routing``), or at the counter as a walk-in recorded by a mediator."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.cases.application import clean_application
from zhongcai.cases.forms import division_choices
from zhongcai.orgs.models import Organisation
from zhongcai.portal import applying, applying_mediation
from zhongcai.portal.applying import StaleDraft
from zhongcai.portal.models import ApplicationDraft
from zhongcai.workspace.access import staff_required

from . import routing, services
from .forms_apply import WalkInForms
from .models import Channel, MediationCase
from .workflow import STAFF_ROLES

STALE = 409


def panel_context(request: HttpRequest, case: MediationCase) -> dict[str, Any]:
    """What this module's panel of the case page needs (staff and party pages)."""
    return {}


# --- Online ---------------------------------------------------------------------------------


@login_required
def apply_start(request: HttpRequest) -> HttpResponse:
    """What mediation is, said before anyone starts; a worker or employer then starts a draft
    of the guided form that ends in a mediation application."""
    user = request.user
    if request.method == "POST":
        if not user.is_public:  # type: ignore[union-attr]
            raise PermissionDenied
        try:
            draft = applying.draft_create(
                by=user,  # type: ignore[arg-type]
                destination=ApplicationDraft.Destination.MEDIATION,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("portal:apply")
        return redirect("portal:apply-step", pk=draft.pk, step="you")
    return render(request, "mediation/apply_start.html")


def _organisation_posted(request: HttpRequest) -> Organisation | None:
    raw = request.POST.get("organisation", "")
    if not (raw.isascii() and raw.isdigit()):
        return None
    return Organisation.objects.filter(pk=int(raw)).first()


def review_for_mediation(
    request: HttpRequest,
    draft: ApplicationDraft,
    review_context: Callable[..., dict[str, Any]],
) -> HttpResponse:
    """The last step of a draft for mediation: the suggested organisations, and submit.

    Called by the portal's review step (``portal.apply_views``) when the draft is for mediation.
    """
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            applying_mediation.draft_submit_mediation(
                by=request.user,  # type: ignore[arg-type]
                draft=draft,
                version=_version(request),
                organisation=_organisation_posted(request),
            )
        except StaleDraft:
            messages.error(
                request,
                _(
                    "This application was changed on another device or in another window since "
                    "you opened this page. Nothing was submitted: here is the latest version."
                ),
            )
            draft = applying.get_draft_for(request.user, draft.pk)  # type: ignore[arg-type]
            status = STALE
        except ValidationError as exc:
            problems, status = exc.messages, 400
        else:
            return redirect("mediation-portal:apply-done", pk=draft.pk)
    suggestions = applying_mediation.organisations_for(draft)
    chosen = request.POST.get("organisation", "")
    if not chosen and suggestions:
        chosen = str(suggestions[0].organisation.pk)
    return render(
        request,
        "portal/apply/review.html",
        review_context(
            draft,
            problems=problems,
            suggestions=suggestions,
            all_organisations=[] if suggestions else applying_mediation.all_organisations(),
            chosen=chosen,
        ),
        status=status,
    )


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
def apply_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation: the case, its organisation, and by when it decides to accept."""
    draft = applying.get_draft_for(request.user, pk)  # type: ignore[arg-type]
    case = draft.submitted_mediation
    if case is None:
        return redirect("portal:apply-step", pk=draft.pk, step="review")
    detail = getattr(case.organisation, "mediation_detail", None)
    return render(
        request,
        "mediation/apply_done.html",
        {"draft": draft, "case": case, "organisation": case.organisation, "detail": detail},
    )


# --- Walk-in --------------------------------------------------------------------------------


def _own_organisation(user: User) -> Organisation:
    """The mediation organisation whose walk-in applications ``user`` records."""
    organisation = user.organisation
    if (
        user.role not in STAFF_ROLES
        or organisation is None
        or not routing.is_mediation_organisation(organisation)
    ):
        raise PermissionDenied(_("Only the organisation's mediators record walk-in applications."))
    return organisation


@staff_required
def walk_in(request: HttpRequest) -> HttpResponse:
    """A mediator records an application made at the counter (企业劳动争议协商调解规定: oral or
    written application); the organisation is the mediator's own."""
    organisation = _own_organisation(request.user)  # type: ignore[arg-type]
    divisions = division_choices(organisation.division_id)
    if request.method != "POST":
        forms = WalkInForms(divisions=divisions, workplace=organisation.division_id)
    elif "add_row" in request.POST:
        forms = WalkInForms(WalkInForms.with_added_row(request.POST), divisions=divisions)
    else:
        forms = WalkInForms(request.POST, divisions=divisions)
        if forms.is_valid():
            data = forms.data()
            try:
                if forms.has_errors():
                    clean_application(data)  # every other problem too, nothing written
                else:
                    case = services.mediation_apply(
                        by=request.user,  # type: ignore[arg-type]
                        organisation=organisation,
                        data=data,
                        channel=Channel.WALK_IN,
                        submission_key=request.POST.get("submission_key", ""),
                    )
                    messages.success(request, _("The application was recorded."))
                    return redirect("mediation:apply-walk-in-done", pk=case.pk)
            except ValidationError as exc:
                forms.add_errors(exc)
    return render(
        request,
        "mediation/walk_in.html",
        {
            "forms": forms,
            "organisation": organisation,
            "errors": forms.summary(),
            # One key per form: a second submission of the same form finds the first case.
            "submission_key": request.POST.get("submission_key") or str(uuid.uuid4()),
        },
        status=400 if request.method == "POST" and forms.summary() else 200,
    )


@staff_required
def walk_in_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The walk-in's record: what to tell the applicant at the counter."""
    from .selectors import get_case_for

    case = get_case_for(request.user, pk)  # type: ignore[arg-type]
    return render(request, "mediation/walk_in_done.html", {"case": case})


staff_urlpatterns = [
    path("new/", walk_in, name="apply-walk-in"),
    path("new/<int:pk>/", walk_in_done, name="apply-walk-in-done"),
]
party_urlpatterns = [
    path("apply/", apply_start, name="apply-start"),
    path("apply/<int:pk>/done/", apply_done, name="apply-done"),
]
