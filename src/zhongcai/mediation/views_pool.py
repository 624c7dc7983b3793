"""The pool's steps on a case and the case page's pool panel: the draw and the parties' choice,
conflicts, requests for another mediator and feedback. The management pages (mediators,
figures, guides) are ``views_mediators``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongcai.accounts.models import Role, User
from zhongcai.core.forms import add_service_errors
from zhongcai.orgs.models import Person
from zhongcai.workspace.access import staff_required

from . import pool, profiles, views_mediators
from .forms_pool import (
    ChangeRequestForm,
    ChooseForm,
    ConflictForm,
    DecideForm,
    DrawForm,
    FeedbackForm,
)
from .models import Feedback, MediationCase, MediatorChangeRequest, Status
from .parties import parties_acted_for
from .selectors import get_case_for
from .workflow import TransitionError

_labels = profiles.cause_labels


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _case_url(case: MediationCase, *, staff: bool) -> str:
    name = "mediation:room-case" if staff else "mediation-portal:room-case"
    try:
        return reverse(name, args=[case.pk])
    except NoReverseMatch:  # the case page is another module's; before it exists, the pool
        return reverse("mediation:pool-mediators") if staff else "/"


def _step(
    request: HttpRequest,
    case: MediationCase,
    *,
    form: forms.Form,
    title: str | Promise,
    save: Callable[[dict[str, Any]], Any],
    done: str | Promise,
    staff: bool = True,
) -> HttpResponse:
    """A POST step from the case page's pool panel: on success back to the case page; on an
    error a page of its own with the form and its errors (the case page is not ours to
    re-render)."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, str(done))
            return redirect(_case_url(case, staff=staff))
    return render(
        request,
        "mediation/pool_step.html",
        {
            "form": form,
            "title": title,
            "case": case,
            "back": _case_url(case, staff=staff),
            "base_template": "workspace/base.html" if staff else "base.html",
        },
        status=400,
    )


# Steps on a case (staff) -----------------------------------------------------------------------


def _people(pks: list[int]) -> list[Person]:
    by_pk = Person.objects.in_bulk(pks)
    return [by_pk[pk] for pk in pks if pk in by_pk]


@staff_required
@require_POST
def draw(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = get_case_for(user, pk)
    return _step(
        request,
        case,
        form=DrawForm(request.POST),
        title=_("Draw a mediator"),
        save=lambda data: pool.mediator_draw(by=user, case=case, language=data["language"]),
        done=_("The mediator was drawn; mediation begins."),
    )


@staff_required
@require_POST
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = get_case_for(user, pk)
    form = ChooseForm(request.POST, people=pool.choosable(case))
    return _step(
        request,
        case,
        form=form,
        title=_("Appoint the mediator the parties chose"),
        save=lambda data: pool.mediator_choose(
            by=user,
            case=case,
            person=Person.objects.filter(pk=data["person"]).first(),
            applicant_consents=data["applicant_consents"],
            respondent_consents=data["respondent_consents"],
        ),
        done=_("The mediator the parties chose was appointed; mediation begins."),
    )


@staff_required
@require_POST
def conflict(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = get_case_for(user, pk)
    return _step(
        request,
        case,
        form=ConflictForm(request.POST),
        title=_("Declare a conflict of interest"),
        save=lambda data: pool.conflict_declare(by=user, case=case, reason=data["reason"]),
        done=_("The conflict was recorded and another mediator was drawn."),
    )


@staff_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    row = MediatorChangeRequest.objects.filter(pk=pk).first()
    if row is None:
        raise Http404
    case = get_case_for(user, row.case_id)
    return _step(
        request,
        case,
        form=DecideForm(request.POST),
        title=_("Decide on the request for another mediator"),
        save=lambda data: pool.mediator_change_decide(
            by=user, request=row, grant=data["decision"] == "grant", note=data["note"]
        ),
        done=_("The decision was recorded; the party sees it on its page."),
    )


# Steps on a case (parties) ---------------------------------------------------------------------


@login_required
@require_POST
def change_request(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = get_case_for(user, pk)
    return _step(
        request,
        case,
        form=ChangeRequestForm(request.POST),
        title=_("Ask for another mediator"),
        save=lambda data: pool.mediator_change_request(by=user, case=case, reason=data["reason"]),
        done=_("Your request was sent to the mediation organisation."),
        staff=False,
    )


@login_required
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = get_case_for(user, pk)
    return _step(
        request,
        case,
        form=FeedbackForm(request.POST),
        title=_("Rate the mediation"),
        save=lambda data: pool.feedback_give(
            by=user, case=case, score=data["score"], comment=data["comment"]
        ),
        done=_("Thank you for your rating."),
        staff=False,
    )


# The case page's panel --------------------------------------------------------------------------


def _staff_panel(user: User, case: MediationCase) -> dict[str, Any]:
    context: dict[str, Any] = {
        "pool_conflicts": list(case.conflicts.select_related("person")),
        "pool_requests": [
            (row, DecideForm(auto_id=f"id_pool_decide{row.pk}_%s"))
            for row in case.change_requests.filter(granted__isnull=True).select_related("party")
        ],
        "pool_decided": list(
            case.change_requests.filter(granted__isnull=False).select_related("party")
        ),
    }
    if case.draw:
        context["pool_draw"] = {
            "candidates": _people(case.draw.get("candidates", [])),
            "filters": case.draw.get("filters", {}),
            "excluded": [
                (person, pool.EXCLUSION_LABELS.get(e["reason"], e["reason"]))
                for e in case.draw.get("excluded", [])
                for person in _people([e["person"]])
            ],
        }
    if case.status == Status.ACCEPTED:
        context["pool_draw_form"] = DrawForm(auto_id="id_pool_draw_%s")
        context["pool_choose_form"] = ChooseForm(
            people=pool.choosable(case), auto_id="id_pool_choose_%s"
        )
    if case.status == Status.MEDIATING and case.mediator_id:
        mediator = case.mediator
        if (mediator and mediator.user_id == user.pk) or user.role == Role.INSTITUTE_HEAD:
            context["pool_conflict_form"] = ConflictForm(auto_id="id_pool_conflict_%s")
    return context


def _party_panel(user: User, case: MediationCase) -> dict[str, Any]:
    parties = parties_acted_for(user, case)
    if not parties or len({p.role for p in parties}) != 1:
        return {}
    party = parties[0]
    context: dict[str, Any] = {
        "pool_my_requests": list(case.change_requests.filter(party=party).order_by("-created_at")),
        "pool_feedback": Feedback.objects.filter(case=case, party=party).first(),
    }
    if case.status == Status.ACCEPTED:
        context["pool_choosable"] = [
            (p, _labels(profiles.profile_of(p).specialties), profiles.profile_of(p).languages)
            for p in pool.choosable(case)
        ]
    pending = any(r.granted is None for r in context["pool_my_requests"])
    if case.status == Status.MEDIATING and case.mediator_id and not pending:
        context["pool_request_form"] = ChangeRequestForm(auto_id="id_pool_request_%s")
    if case.status in pool.FEEDBACK_STATES and context["pool_feedback"] is None:
        context["pool_feedback_form"] = FeedbackForm(auto_id="id_pool_feedback_%s")
    return context


def panel_context(request: HttpRequest, case: MediationCase) -> dict[str, Any]:
    """What the pool panel of the case page needs (staff and party pages)."""
    user = _user(request)
    if not user.is_authenticated:
        return {}
    return _party_panel(user, case) if user.is_public else _staff_panel(user, case)


staff_urlpatterns: list = [  # mounted under /staff/mediation/ (namespace "mediation")
    *views_mediators.staff_urlpatterns,
    path("<int:pk>/mediator/draw/", draw, name="pool-draw"),
    path("<int:pk>/mediator/choose/", choose, name="pool-choose"),
    path("<int:pk>/mediator/conflict/", conflict, name="pool-conflict"),
    path("mediator-requests/<int:pk>/decide/", decide, name="pool-decide"),
]
party_urlpatterns: list = [  # mounted under /mediation/ (namespace "mediation-portal")
    path("my/<int:pk>/another-mediator/", change_request, name="pool-request"),
    path("my/<int:pk>/feedback/", feedback, name="pool-feedback"),
]
