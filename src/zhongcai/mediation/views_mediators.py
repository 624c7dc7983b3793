"""The pool's management pages (/staff/mediation/mediators/, /guides/): the organisation's
mediators, their profiles and training, assessment figures and the guidance library."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongcai.accounts.models import Role, User
from zhongcai.cases.tribunal import appointed
from zhongcai.core.forms import add_service_errors
from zhongcai.core.scope import scope
from zhongcai.orgs.forms import default_period
from zhongcai.orgs.models import Organisation, Person
from zhongcai.orgs.performance import Period
from zhongcai.workspace.access import staff_required

from . import assessment, guides, profiles
from .forms_pool import GuideFilterForm, GuideForm, PeriodForm, ProfileForm, TrainingForm

_labels = profiles.cause_labels


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _mediation_organisation(request: HttpRequest) -> Organisation:
    """The staff user's mediation organisation; other staff may not use the pool pages."""
    organisation = _user(request).organisation
    if organisation is None or organisation.type != Organisation.Type.MEDIATION_ORGANISATION:
        raise PermissionDenied
    return organisation


# The pool pages --------------------------------------------------------------------------------


@staff_required
def mediator_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organisation = _mediation_organisation(request)
    today = timezone.localdate()
    people = list(
        assessment.mediators_of(organisation)
        .select_related("mediator_profile")
        .annotate(hours=Sum("trainings__hours", filter=Q(trainings__completed_on__year=today.year)))
        .order_by("name", "pk")
    )
    on_duty = {p.pk for p in appointed(organisation.pk, [Person.Kind.MEDIATOR], today)}
    loads = profiles.loads([p.pk for p in people])
    rows = []
    for person in people:
        profile = profiles.profile_of(person)
        rows.append(
            {
                "person": person,
                "profile": profile,
                "specialties": _labels(profile.specialties),
                "appointed": person.pk in on_duty,
                "available": profiles.is_available(profile, today),
                "load": loads[person.pk],
                "may_edit": profiles.may_edit_profile(user, person),
            }
        )
    return render(
        request,
        "mediation/pool_mediators.html",
        {
            "organisation": organisation,
            "rows": rows,
            "year": today.year,
            "may_add_training": user.role == Role.INSTITUTE_HEAD,
        },
    )


def _mediator_for(request: HttpRequest, pk: int) -> Person:
    """A mediator of the user's scope; another organisation's is not found."""
    people = scope(Person.objects.filter(kind=Person.Kind.MEDIATOR), _user(request))
    person = people.select_related("organisation").filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def _form_page(
    request: HttpRequest,
    *,
    form: forms.Form,
    title: str | Promise,
    back: str,
    save: Callable[[dict[str, Any]], Any],
    done: str | Promise,
    success_url: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, str(done))
                return redirect(success_url)
        status = 400
    return render(
        request,
        "mediation/pool_form.html",
        {"form": form, "title": title, "back": back, **(context or {})},
        status=status,
    )


@staff_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = _mediator_for(request, pk)
    if not profiles.may_edit_profile(user, person):
        raise PermissionDenied
    profile = profiles.profile_of(person)
    form = ProfileForm(
        request.POST or None,
        initial={
            "specialties": profile.specialties,
            "languages": ", ".join(profile.languages),
            "available": profile.available,
            "unavailable_until": profile.unavailable_until,
            "max_load": profile.max_load,
        },
    )
    back = reverse("mediation:pool-mediators")
    return _form_page(
        request,
        form=form,
        title=_("Profile of %(name)s") % {"name": person.name},
        back=back,
        save=lambda data: profiles.mediator_profile_update(by=user, person=person, **data),
        done=_("Saved."),
        success_url=back,
    )


@staff_required
def training(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = _mediator_for(request, pk)
    may_add = profiles.may_add_training(user, person)
    if request.method == "POST" and not may_add:
        raise PermissionDenied
    back = reverse("mediation:pool-mediators")
    return _form_page(
        request,
        form=TrainingForm(request.POST or None),
        title=_("Training of %(name)s") % {"name": person.name},
        back=back,
        save=lambda data: profiles.mediator_training_add(by=user, person=person, **data),
        done=_("The training was recorded."),
        success_url=reverse("mediation:pool-training", args=[person.pk]),
        context={"trainings": person.trainings.all(), "may_add": may_add},
    )


@staff_required
def figures(request: HttpRequest) -> HttpResponse:
    organisation = _mediation_organisation(request)
    start, end = default_period()
    form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    period = Period(start, end)
    return render(
        request,
        "mediation/pool_figures.html",
        {
            "form": form,
            "period": period,
            "organisation": organisation,
            "summary": assessment.organisation_figures(organisation, period),
            "definitions": assessment.FIGURES,
            "rows": assessment.figures_by_mediator(organisation, period),
        },
    )


# Guides ----------------------------------------------------------------------------------------


@staff_required
def guide_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = GuideFilterForm(request.GET or None)
    kind = cause = ""
    if form.is_valid():
        kind, cause = form.cleaned_data["kind"], form.cleaned_data["cause"]
    listed = guides.guides_for(user, kind=kind, cause=cause)
    return render(
        request,
        "mediation/pool_guides.html",
        {
            "form": form,
            "rows": [(g, _labels(g.causes)) for g in listed],
            "may_write": guides.may_write(user),
        },
    )


@staff_required
def guide_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    guide = guides.get_guide_for(user, pk)
    return render(
        request,
        "mediation/pool_guide.html",
        {"guide": guide, "causes": _labels(guide.causes), "may_edit": guides.may_edit(user, guide)},
    )


@staff_required
def guide_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not guides.may_write(user):
        raise PermissionDenied
    created: list[Any] = []

    def save(data: dict[str, Any]) -> None:
        created.append(guides.guide_create(by=user, values=data))

    response = _form_page(
        request,
        form=GuideForm(request.POST or None),
        title=_("Write a guide"),
        back=reverse("mediation:pool-guides"),
        save=save,
        done=_("The guide was published to your organisation and those under it."),
        success_url=reverse("mediation:pool-guides"),
    )
    if created:
        return redirect("mediation:pool-guide", pk=created[0].pk)
    return response


@staff_required
def guide_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    guide = guides.get_guide_for(user, pk)
    if not guides.may_edit(user, guide):
        raise PermissionDenied
    url = reverse("mediation:pool-guide", args=[guide.pk])
    return _form_page(
        request,
        form=GuideForm(
            request.POST or None,
            initial={f: getattr(guide, f) for f in ("kind", "title", "causes", "body")},
        ),
        title=_("Edit %(title)s") % {"title": guide.title},
        back=url,
        save=lambda data: guides.guide_update(by=user, guide=guide, values=data),
        done=_("Saved."),
        success_url=url,
    )


@staff_required
@require_POST
def guide_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    guide = guides.get_guide_for(user, pk)
    active = request.POST.get("active") == "1"
    guides.guide_set_active(by=user, guide=guide, active=active)
    messages.success(
        request, _("The guide is back in the library.") if active else _("The guide was withdrawn.")
    )
    return redirect("mediation:pool-guide", pk=guide.pk)


staff_urlpatterns: list = [  # mounted under /staff/mediation/ (namespace "mediation")
    path("mediators/", mediator_list, name="pool-mediators"),
    path("mediators/figures/", figures, name="pool-figures"),
    path("mediators/<int:pk>/profile/", profile_edit, name="pool-profile"),
    path("mediators/<int:pk>/training/", training, name="pool-training"),
    path("guides/", guide_list, name="pool-guides"),
    path("guides/new/", guide_create, name="pool-guide-create"),
    path("guides/<int:pk>/", guide_detail, name="pool-guide"),
    path("guides/<int:pk>/edit/", guide_edit, name="pool-guide-edit"),
    path("guides/<int:pk>/active/", guide_active, name="pool-guide-active"),
]
