"""One endpoint per step of the case (POST only), each calling exactly one service.

A step the user may not take answers 403; a step the case is no longer in a state for (another
officer was quicker) goes back to the case page with the reason; bad input shows the form again
with the service's messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongcai.accounts.models import User
from zhongcai.orgs.models import Organisation
from zhongcai.workspace.access import staff_required

from .. import selectors, services, workflow
from ..forms import CorrectionNoticeForm
from ..models import Case
from .detail import action_form, checks_of, detail_context

Step = Callable[[User, Case, dict[str, Any], Any], tuple[Case, str]]


def _act(request: HttpRequest, pk: int, action: str, step: Step) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = selectors.get_case_for(user, pk)
    if not workflow.may_act(user, case, action):
        raise PermissionDenied(_("You may not take this step on this case."))
    if action not in workflow.available_actions(user, case):
        messages.error(
            request,
            _(
                "The case is now “%(status)s”: “%(action)s” is no longer possible. Someone may "
                "have acted on it at the same time; nothing was changed."
            )
            % {"status": case.get_status_display(), "action": workflow.ACTION_LABELS[action]},
        )
        return redirect("cases:case-detail", case.pk)
    found = checks_of(case)
    form = action_form(action, case, found, request.POST)
    if form.is_valid():
        try:
            case, message = step(user, case, form.cleaned_data, form)
        except workflow.TransitionError as exc:
            messages.error(request, str(exc))
            return redirect("cases:case-detail", case.pk)
        except ValidationError as exc:
            form.add_errors(exc)  # type: ignore[attr-defined]
        else:
            messages.success(request, message)
            return redirect("cases:case-detail", case.pk)
    context = detail_context(request, case, bound_action=action, bound_form=form, found=found)
    return render(request, "cases/case_detail.html", context, status=400)


def _latest_receipt(case: Case) -> str:
    receipt = case.receipts.order_by("-issued_at", "-pk").first()
    return receipt.number if receipt else ""


def _submit(user: User, case: Case, data: dict[str, Any], form: Any) -> tuple[Case, str]:
    case = services.case_submit(
        by=user,
        case=case,
        allow_incomplete=bool(data.get("allow_incomplete")),
        applicant_confirmed=bool(data.get("applicant_confirmed")),
    )
    return case, _("The application was received; receipt %(number)s was issued.") % {
        "number": _latest_receipt(case)
    }


def _issue_correction_notice(
    user: User, case: Case, data: dict[str, Any], form: CorrectionNoticeForm
) -> tuple[Case, str]:
    case = services.case_issue_correction_notice(by=user, case=case, items=form.item_list())
    return case, _("The one-time correction notice was issued; the acceptance clock stopped.")


def _submit_corrections(
    user: User, case: Case, data: dict[str, Any], form: Any
) -> tuple[Case, str]:
    case = services.case_submit_corrections(by=user, case=case)
    return case, _(
        "The corrections were received; receipt %(number)s was issued and the acceptance clock "
        "runs again from today."
    ) % {"number": _latest_receipt(case)}


def _accept(user: User, case: Case, data: dict[str, Any], form: Any) -> tuple[Case, str]:
    # The employer's class is offered with what was recorded; only a change is passed on, so a
    # post without the fields (or an old page) never blanks what staff recorded at intake.
    posted = getattr(form, "data", {})
    changed = {name for name in getattr(form, "changed_data", ()) if name in posted}
    case = services.case_accept(
        by=user,
        case=case,
        warnings_acknowledged=bool(data.get("warnings_acknowledged")),
        employer_industry=(
            data.get("employer_industry") if "employer_industry" in changed else None
        ),
        employer_registration_type=(
            data.get("employer_registration_type")
            if "employer_registration_type" in changed
            else None
        ),
    )
    return case, _("Accepted as %(number)s.") % {"number": case.case_number}


def _refuse(user: User, case: Case, data: dict[str, Any], form: Any) -> tuple[Case, str]:
    case = services.case_refuse(
        by=user,
        case=case,
        ground=data["ground"],  # checked against RefusalGround by the service
        reasons=data["reasons"],
        legal_basis=data["legal_basis"],
    )
    return case, _("The application was not accepted.")


def _redirect(user: User, case: Case, data: dict[str, Any], form: Any) -> tuple[Case, str]:
    to = Organisation.objects.get(pk=data["to"])  # one of the form's choices
    case = services.case_redirect(by=user, case=case, to=to, reasons=data["reasons"])
    return case, _("The applicant is told to apply to %(commission)s.") % {"commission": to.name}


def _endpoint(action: str, step: Step) -> Callable[[HttpRequest, int], HttpResponse]:
    @staff_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _act(request, pk, action, step)

    view.__name__ = f"case_{action}"
    return view


case_submit = _endpoint("submit", _submit)
case_issue_correction_notice = _endpoint("issue_correction_notice", _issue_correction_notice)
case_submit_corrections = _endpoint("submit_corrections", _submit_corrections)
case_accept = _endpoint("accept", _accept)
case_refuse = _endpoint("refuse", _refuse)
case_redirect = _endpoint("redirect", _redirect)
