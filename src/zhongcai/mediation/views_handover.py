"""A failed mediation handed to arbitration (``handover``); mediation entrusted by an
arbitration tribunal (``entrusted``).

Every mediation case is fetched through ``selectors.get_case_for`` and every arbitration case
through ``cases.selectors.get_case_for`` (404 outside the user's scope); each write is one
service call answered by a redirect. A refusal of who is a 403; bad input or a step the case no
longer allows shows the form again with what went wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhongcai.accounts.models import User
from zhongcai.cases import checks
from zhongcai.cases import selectors as case_selectors
from zhongcai.cases.models import Status as CaseStatus
from zhongcai.cases.services import case_submit
from zhongcai.cases.workflow import TransitionError as CaseTransitionError
from zhongcai.core.forms import add_service_errors
from zhongcai.workspace.access import public_only, staff_required

from . import entrusted, handover, services
from .forms_handover import EntrustForm, HandoverForm
from .models import MediationCase
from .selectors import get_case_for
from .workflow import TransitionError, may_act

View = Callable[..., HttpResponse]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _case_url(case: MediationCase, staff: bool) -> str:
    name = "mediation:room-case" if staff else "mediation-portal:room-case"
    return reverse(name, args=[case.pk])


def _may_hand_over(user: User, case: MediationCase) -> bool:
    if case.status not in handover.SOURCES or case.arbitration_case_id or case.entrusted_by_id:
        return False
    if user.is_public:
        return may_act(user, case, "to_arbitration")
    return handover.is_mediation_staff(user, case)


def _arbitration_link(user: User, case: MediationCase) -> str:
    """Where the user follows the arbitration case, if it may see it: the draft page for the
    party that owns the draft, the portal case page for a party once submitted, the staff case
    page for staff of the commission."""
    arbitration = case.arbitration_case
    if arbitration is None:
        return ""
    try:
        case_selectors.get_case_for(user, arbitration.pk)
    except Http404:
        return ""
    if not user.is_public:
        return reverse("cases:case-detail", args=[arbitration.pk])
    if arbitration.status == CaseStatus.DRAFT:
        return reverse("mediation-portal:handover-draft", args=[case.pk])
    return reverse("portal:my-case", args=[arbitration.pk])


def panel_context(request: HttpRequest, case: MediationCase) -> dict[str, Any]:
    """What ``_panel_handover.html`` needs (staff and party pages)."""
    user = _user(request)
    staff = not user.is_public
    shown = _may_hand_over(user, case)
    default = handover.default_commission(case) if shown else None
    return {
        "handover_open": shown,
        "handover_form": HandoverForm(initial={"commission": default}) if shown else None,
        "handover_url": reverse(
            "mediation:handover-apply" if staff else "mediation-portal:handover-apply",
            args=[case.pk],
        ),
        "handover_arbitration": case.arbitration_case,
        "handover_link": _arbitration_link(user, case),
        "handover_entrusted_by": case.entrusted_by if case.entrusted_by_id else None,
    }


def _apply(request: HttpRequest, pk: int, *, staff: bool) -> HttpResponse:
    user = _user(request)
    case = get_case_for(user, pk)
    form = HandoverForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            arbitration = services.mediation_to_arbitration(
                by=user, case=case, commission=form.cleaned_data["commission"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, str(exc))
            status = 409
        else:
            if not staff:
                messages.success(request, _("Check the application, then submit it."))
                return redirect("mediation-portal:handover-draft", pk=case.pk)
            messages.success(
                request,
                _("Handed over to arbitration: application no. %(id)s.") % {"id": arbitration.pk},
            )
            return redirect(_case_url(case, staff))
    return render(
        request,
        "mediation/handover_apply.html",
        {
            "base_template": "workspace/base.html" if staff else "base.html",
            "case": case,
            "form": form,
            "back": _case_url(case, staff),
        },
        status=status,
    )


@require_POST
@staff_required
def apply_staff(request: HttpRequest, pk: int) -> HttpResponse:
    return _apply(request, pk, staff=True)


@require_POST
@public_only
def apply_party(request: HttpRequest, pk: int) -> HttpResponse:
    return _apply(request, pk, staff=False)


def _draft_of(request: HttpRequest, pk: int) -> tuple[MediationCase, Any]:
    """The mediation case and its arbitration application, if the user may see both."""
    user = _user(request)
    case = get_case_for(user, pk)
    if case.arbitration_case_id is None:
        raise Http404
    return case, case_selectors.get_case_for(user, case.arbitration_case_id)


def _draft_page(
    request: HttpRequest, case: MediationCase, arbitration: Any, problems: list[str], status: int
) -> HttpResponse:
    return render(
        request,
        "mediation/handover_draft.html",
        {
            "case": case,
            "arbitration": arbitration,
            "parties": list(arbitration.parties.order_by("role", "pk")),
            "claims": list(arbitration.claims.order_by("number")),
            "evidence": list(arbitration.evidence.order_by("number")),
            "gaps": checks.missing_items(arbitration),
            "problems": problems,
            "may_submit": arbitration.status == CaseStatus.DRAFT
            and arbitration.owner_id == request.user.pk,
            "back": _case_url(case, False),
        },
        status=status,
    )


@require_GET
@public_only
def draft_party(request: HttpRequest, pk: int) -> HttpResponse:
    case, arbitration = _draft_of(request, pk)
    if arbitration.status != CaseStatus.DRAFT:
        return redirect("portal:my-case", pk=arbitration.pk)
    return _draft_page(request, case, arbitration, [], 200)


@require_POST
@public_only
def submit_party(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant submits the draft as it was carried over: received (办案规则 art. 29)."""
    case, arbitration = _draft_of(request, pk)
    try:
        arbitration = case_submit(by=_user(request), case=arbitration)
    except ValidationError as exc:
        return _draft_page(request, case, arbitration, exc.messages, 400)
    except CaseTransitionError as exc:
        return _draft_page(request, case, arbitration, [str(exc)], 409)
    messages.success(request, _("Your application for arbitration was received."))
    return redirect("portal:my-case", pk=arbitration.pk)


@require_POST
@staff_required
def entrust(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The tribunal entrusts mediation from the arbitration case page (办案规则 art. 69)."""
    user = _user(request)
    arbitration = case_selectors.get_case_for(user, case_pk)
    form = EntrustForm(request.POST)
    back = reverse("cases:case-detail", args=[arbitration.pk])
    status = 400
    if form.is_valid():
        try:
            entrusted.mediation_entrust(
                by=user,
                case=arbitration,
                organisation=form.cleaned_data["organisation"],
                consent_applicant=form.cleaned_data["consent_applicant"],
                consent_respondent=form.cleaned_data["consent_respondent"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except CaseTransitionError as exc:
            form.add_error(None, str(exc))
            status = 409
        else:
            messages.success(request, _("Mediation entrusted."))
            return redirect(back)
    return render(
        request,
        "mediation/handover_entrust.html",
        {"arbitration": arbitration, "form": form, "back": back},
        status=status,
    )


staff_urlpatterns: list[URLPattern] = [
    path("<int:pk>/handover/", apply_staff, name="handover-apply"),
    path("entrust/<int:case_pk>/", entrust, name="handover-entrust"),
]
party_urlpatterns: list[URLPattern] = [
    path("my/<int:pk>/arbitration/", draft_party, name="handover-draft"),
    path("my/<int:pk>/arbitration/apply/", apply_party, name="handover-apply"),
    path("my/<int:pk>/arbitration/submit/", submit_party, name="handover-submit"),
]
