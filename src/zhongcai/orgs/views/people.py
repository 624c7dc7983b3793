"""The people of the roster: list, record, appointments, training and assessments."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongcai.accounts.models import User

from .. import people, selectors
from ..forms import AppointmentEndForm, AppointmentForm, AssessmentForm, PersonForm, TrainingForm
from ..models import Appointment, Organisation, Person
from ..permissions import MAINTAINED_TYPES, administrator_required, may_maintain
from ..rules import rule
from .common import form_page, require_maintainer

PAGE_SIZE = 50
STATUS_FILTERS = (
    ("in_office", gettext_lazy("In office")),
    ("dismissed", gettext_lazy("Dismissed")),
)


def _organisation_for(user: User, pk: Any) -> Organisation:
    organisation = selectors.get_organisation_for(user, pk)
    if organisation.type not in MAINTAINED_TYPES:
        raise Http404
    return organisation


@administrator_required
def person_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    kind = request.GET.get("kind", "")
    kind = kind if kind in Person.Kind.values else ""
    status = request.GET.get("status", "")
    organisation_id = request.GET.get("organisation", "")
    organisation = _organisation_for(user, organisation_id) if organisation_id.isdigit() else None
    query = request.GET.get("q", "").strip()
    listed = selectors.person_list(
        user,
        organisation=organisation.pk if organisation else None,
        kind=kind,
        status=status,
        query=query,
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = []
    for person in page:
        appointments = list(person.appointments.all())  # prefetched
        rows.append(
            {
                "person": person,
                "appointment": appointments[0] if appointments else None,
                "below_training": person.kind != Person.Kind.MEDIATOR
                and (person.training_hours or 0) < rule("training_hours_per_year"),
            }
        )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "institutions/person_list.html",
        {
            "page": page,
            "rows": rows,
            "kinds": Person.Kind.choices,
            "kind": kind,
            "status": status,
            "statuses": STATUS_FILTERS,
            "organisation": organisation,
            "query": query,
            "params": params.urlencode(),
            "year": today.year,
            "training_expected": rule("training_hours_per_year"),
            "may_add": organisation is not None and may_maintain(user, organisation),
            "tab": "people",
        },
    )


def _person_url(person: Person) -> str:
    return reverse("institutions:person-detail", args=[person.pk])


@administrator_required
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organisation = _organisation_for(user, pk)
    require_maintainer(request, organisation)
    kinds = people.KINDS_BY_ORGANISATION[organisation.type]
    kind = request.GET.get("kind", "")
    form = PersonForm(
        request.POST or None,
        request.FILES or None,
        accounts=selectors.eligible_accounts(organisation, kinds),
        kinds=kinds,
        initial={"kind": kind if kind in kinds else None, "starts_on": timezone.localdate()},
    )

    def save(data: dict[str, Any]) -> Person:
        return people.person_create(
            by=user,
            organisation=organisation,
            values=form.person_values(),
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            document=data.get("qualification_document"),
        )

    return form_page(
        request,
        form=form,
        title=_("Add a person to %(name)s") % {"name": organisation.name},
        back=reverse("institutions:person-list") + f"?organisation={organisation.pk}",
        save=save,
        done=_("The person was put on record and appointed."),
        success_url=_person_url,
    )


@administrator_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    person = selectors.get_person_for(user, pk)
    appointments = list(person.appointments.all())
    active = next((a for a in appointments if a.status == Appointment.Status.ACTIVE), None)
    maintain = may_maintain(user, person.organisation)
    expected = rule("training_hours_per_year")
    return render(
        request,
        "institutions/person_detail.html",
        {
            "person": person,
            "appointments": appointments,
            "active": active,
            "training_years": [
                (year, hours, hours < expected)
                for year, hours in selectors.training_by_year(person)
            ],
            "trainings": person.trainings.all(),
            "assessments": person.assessments.all(),
            "training_expected": expected,
            "may_maintain": maintain,
            "tab": "people",
        },
    )


@administrator_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    person = selectors.get_person_for(user, pk)
    require_maintainer(request, person.organisation)
    fields = [f for f in people.PERSON_FIELDS if f != "kind"]
    form = PersonForm(
        request.POST or None,
        request.FILES or None,
        accounts=selectors.eligible_accounts(person.organisation, {person.kind}),
        kinds={person.kind},
        editing=True,
        initial={**{f: getattr(person, f) for f in fields}, "user": person.user_id},
    )
    return form_page(
        request,
        form=form,
        title=_("Edit %(name)s") % {"name": person.name},
        back=_person_url(person),
        save=lambda data: people.person_update(
            by=user,
            person=person,
            values=form.person_values(),
            document=data.get("qualification_document"),
        ),
        done=_("Saved."),
        success_url=_person_url,
    )


@administrator_required
def appointment_create(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    person = selectors.get_person_for(user, pk)
    require_maintainer(request, person.organisation)
    return form_page(
        request,
        form=AppointmentForm(request.POST or None),
        title=_("Appoint %(name)s") % {"name": person.name},
        back=_person_url(person),
        save=lambda data: people.appointment_create(by=user, person=person, **data),
        done=_("Appointed."),
        success_url=lambda appointment: _person_url(appointment.person),
    )


@administrator_required
def appointment_end(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    appointment = selectors.get_appointment_for(user, pk)
    person = appointment.person
    require_maintainer(request, person.organisation)
    return form_page(
        request,
        form=AppointmentEndForm(request.POST or None),
        title=_("End the appointment of %(name)s") % {"name": person.name},
        back=_person_url(person),
        save=lambda data: people.appointment_end(by=user, appointment=appointment, **data),
        done=_("The appointment ended; the roster no longer lists it."),
        success_url=lambda a: _person_url(a.person),
        context={
            "warning": _("A dismissal bars re-appointment as arbitrator for %(n)d years.")
            % {"n": rule("reappointment_bar_years")}
        },
    )


@administrator_required
def training_add(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    person = selectors.get_person_for(user, pk)
    require_maintainer(request, person.organisation)
    return form_page(
        request,
        form=TrainingForm(request.POST or None),
        title=_("Record training of %(name)s") % {"name": person.name},
        back=_person_url(person),
        save=lambda data: people.training_add(by=user, person=person, **data),
        done=_("The training was recorded."),
        success_url=_person_url(person),
    )


@administrator_required
def assessment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    person = selectors.get_person_for(user, pk)
    require_maintainer(request, person.organisation)
    return form_page(
        request,
        form=AssessmentForm(request.POST or None),
        title=_("Record the annual assessment of %(name)s") % {"name": person.name},
        back=_person_url(person),
        save=lambda data: people.assessment_record(by=user, person=person, **data),
        done=_("The assessment was recorded."),
        success_url=_person_url(person),
    )


@administrator_required
def qualification_document(request: HttpRequest, pk: int) -> FileResponse:
    user: User = request.user  # type: ignore[assignment]
    person = selectors.get_person_for(user, pk)
    if not person.qualification_document:
        raise Http404
    document = person.qualification_document
    return FileResponse(
        document.open("rb"),
        as_attachment=True,
        filename=f"{person.name}{PurePath(document.name).suffix}",
    )
