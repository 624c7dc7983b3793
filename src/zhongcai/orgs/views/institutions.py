"""Commissions with their members, tribunals and hearing rooms; mediation organisations."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongcai.accounts.models import User

from .. import institutions, selectors
from ..forms import (
    CommissionDetailForm,
    MediationDetailForm,
    MediationForm,
    MemberForm,
    RoomForm,
    TribunalForm,
)
from ..institutions import Composition
from ..models import CommissionDetail, Division, Organisation, QuarterSubmission
from ..people import staffing_warnings
from ..permissions import administrator_required, may_maintain
from .common import form_page, require_maintainer

PAGE_SIZE = 50


def _last_approved(commission_ids: list[int]) -> dict[int, QuarterSubmission]:
    latest: dict[int, QuarterSubmission] = {}
    for submission in (
        QuarterSubmission.objects.filter(
            commission__in=commission_ids, status=QuarterSubmission.Status.APPROVED
        )
        .defer("snapshot")
        .order_by("year", "quarter")
    ):
        latest[submission.commission_id] = submission
    return latest


@administrator_required
def commission_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    commissions = selectors.commissions_visible_to(user)
    query = request.GET.get("q", "").strip()
    if query:
        commissions = commissions.filter(name__icontains=query)
    page = Paginator(commissions, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [c.pk for c in page]
    staffing = selectors.staffing_of(ids)
    members = selectors.members_of(ids)
    approved = _last_approved(ids)
    rows = []
    for commission in page:
        people = staffing[commission.pk]
        rows.append(
            {
                "commission": commission,
                "staffing": people,
                "problems": Composition.of(members[commission.pk]).problems()
                + staffing_warnings(
                    full_time_arbitrators=people.full_time_arbitrators,
                    case_assistants=people.case_assistants,
                ),
                "members": len(members[commission.pk]),
                "approved": approved.get(commission.pk),
            }
        )
    return render(
        request,
        "institutions/commission_list.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "params": urlencode({"q": query}) if query else "",
            "tab": "commissions",
        },
    )


@administrator_required
def commission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    commission = selectors.get_commission_for(user, pk)
    members = list(commission.commission_members.all())
    staffing = selectors.staffing_of([commission.pk])[commission.pk]
    detail = CommissionDetail.objects.filter(commission=commission).first()
    return render(
        request,
        "institutions/commission_detail.html",
        {
            "commission": commission,
            "detail": detail,
            "level": Division.Level(commission.division.level).label,
            "institute": commission.children.filter(
                type=Organisation.Type.ARBITRATION_INSTITUTE
            ).first(),
            "members": members,
            "composition": Composition.of(members).problems(),
            "staffing": staffing,
            "staffing_warnings": staffing_warnings(
                full_time_arbitrators=staffing.full_time_arbitrators,
                case_assistants=staffing.case_assistants,
            ),
            "tribunals": commission.tribunals.all(),
            "rooms": commission.hearing_rooms.select_related("tribunal"),
            "submissions": selectors.submissions_visible_to(user).filter(commission=commission)[:8],
            "may_maintain": may_maintain(user, commission),
            "tab": "commissions",
        },
    )


def _back(commission: Organisation) -> str:
    return reverse("institutions:commission-detail", args=[commission.pk])


@administrator_required
def commission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    commission = selectors.get_commission_for(user, pk)
    require_maintainer(request, commission)
    detail = CommissionDetail.objects.filter(commission=commission).first()
    initial = (
        {"seat_address": detail.seat_address, "established_on": detail.established_on}
        if detail
        else {}
    )
    form = CommissionDetailForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form=form,
        title=_("Edit %(name)s") % {"name": commission.name},
        back=_back(commission),
        save=lambda data: institutions.commission_detail_update(
            by=user, commission=commission, **data
        ),
        done=_("Saved."),
        success_url=_back(commission),
    )


@administrator_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    commission = selectors.get_commission_for(user, pk)
    require_maintainer(request, commission)
    return form_page(
        request,
        form=MemberForm(request.POST or None),
        title=_("Add a commission member"),
        back=_back(commission),
        save=lambda data: institutions.member_add(by=user, commission=commission, **data),
        done=_("The member was added."),
        success_url=_back(commission),
    )


@administrator_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    member = selectors.get_member_for(user, pk)
    require_maintainer(request, member.commission)
    form = MemberForm(
        request.POST or None,
        initial={f: getattr(member, f) for f in ("name", "category", "position", "unit")},
    )
    return form_page(
        request,
        form=form,
        title=_("Edit commission member"),
        back=_back(member.commission),
        save=lambda data: institutions.member_update(by=user, member=member, **data),
        done=_("Saved."),
        success_url=_back(member.commission),
    )


@require_POST
@administrator_required
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    member = selectors.get_member_for(user, pk)
    require_maintainer(request, member.commission)
    institutions.member_end(by=user, member=member)
    messages.success(request, _("%(name)s has left the commission.") % {"name": member.name})
    return redirect(_back(member.commission))


@administrator_required
def tribunal_add(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    commission = selectors.get_commission_for(user, pk)
    require_maintainer(request, commission)
    return form_page(
        request,
        form=TribunalForm(request.POST or None),
        title=_("Add a tribunal"),
        back=_back(commission),
        save=lambda data: institutions.tribunal_add(by=user, commission=commission, **data),
        done=_("The tribunal was added."),
        success_url=_back(commission),
    )


@administrator_required
def tribunal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    tribunal = selectors.get_tribunal_for(user, pk)
    require_maintainer(request, tribunal.commission)
    form = TribunalForm(
        request.POST or None,
        initial={f: getattr(tribunal, f) for f in ("name", "kind", "address", "is_active")},
    )
    return form_page(
        request,
        form=form,
        title=_("Edit tribunal"),
        back=_back(tribunal.commission),
        save=lambda data: institutions.tribunal_update(by=user, tribunal=tribunal, **data),
        done=_("Saved."),
        success_url=_back(tribunal.commission),
    )


@administrator_required
def room_add(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    commission = selectors.get_commission_for(user, pk)
    require_maintainer(request, commission)
    return form_page(
        request,
        form=RoomForm(request.POST or None, commission=commission),
        title=_("Add a hearing room"),
        back=_back(commission),
        save=lambda data: institutions.room_add(by=user, commission=commission, **data),
        done=_("The hearing room was added."),
        success_url=_back(commission),
    )


ROOM_FIELDS = ("name", "tribunal", "address", "seats", "has_recording", "has_online_hearing")


@administrator_required
def room_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    room = selectors.get_room_for(user, pk)
    require_maintainer(request, room.commission)
    form = RoomForm(
        request.POST or None,
        commission=room.commission,
        initial={f: getattr(room, f) for f in (*ROOM_FIELDS, "is_active")},
    )
    return form_page(
        request,
        form=form,
        title=_("Edit hearing room"),
        back=_back(room.commission),
        save=lambda data: institutions.room_update(by=user, room=room, **data),
        done=_("Saved."),
        success_url=_back(room.commission),
    )


# --- Mediation organisations ----------------------------------------------------------------


@administrator_required
def mediation_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organisations = selectors.mediation_organisations_visible_to(user)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "institutions/mediation_list.html",
        {"page": page, "tab": "mediation", "may_register": True},
    )


@administrator_required
def mediation_create(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    department = user.organisation
    if department is None:
        raise PermissionDenied

    def save(data: dict[str, Any]) -> Organisation:
        return institutions.mediation_organisation_create(by=user, department=department, **data)

    return form_page(
        request,
        form=MediationForm(request.POST or None),
        title=_("Register a mediation organisation"),
        back=reverse("institutions:mediation-list"),
        save=save,
        done=_("The mediation organisation was registered."),
        success_url=lambda org: reverse("institutions:mediation-detail", args=[org.pk]),
    )


@administrator_required
def mediation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organisation = selectors.get_mediation_organisation_for(user, pk)
    people = selectors.person_list(user, organisation=organisation.pk)
    return render(
        request,
        "institutions/mediation_detail.html",
        {
            "organisation": organisation,
            "detail": getattr(organisation, "mediation_detail", None),
            "people": people,
            "may_maintain": may_maintain(user, organisation),
            "tab": "mediation",
        },
    )


@administrator_required
def mediation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organisation = selectors.get_mediation_organisation_for(user, pk)
    require_maintainer(request, organisation)
    detail = getattr(organisation, "mediation_detail", None)
    initial = {f: getattr(detail, f) for f in ("kind", "area", "address")} if detail else {}
    back = reverse("institutions:mediation-detail", args=[organisation.pk])
    return form_page(
        request,
        form=MediationDetailForm(request.POST or None, initial=initial),
        title=_("Edit %(name)s") % {"name": organisation.name},
        back=back,
        save=lambda data: institutions.mediation_organisation_update(
            by=user, organisation=organisation, **data
        ),
        done=_("Saved."),
        success_url=back,
    )
