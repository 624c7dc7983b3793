"""How a stage's page step runs: one helper for every POST on the case page after acceptance.

``run_step`` fetches the case through the selectors (another county's case answers 404), refuses
with 403 a user who may never take the step, sends back to the case page when the case is no
longer in a state for it (someone was quicker), and otherwise validates the form and calls the
service. Bad input shows the case page again with the bound form and the service's messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User

from .. import selectors, workflow
from ..models import Case

FormFactory = Callable[[Case, Any, Any], Form]  # (case, data, files) -> form
Perform = Callable[[User, Case, dict[str, Any]], str]  # returns the success message


def run_step(
    request: HttpRequest,
    pk: int,
    action: str,
    form_factory: FormFactory,
    perform: Perform,
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = selectors.get_case_for(user, pk)
    if not workflow.may_act(user, case, action):
        raise PermissionDenied(_("You may not take this step on this case."))
    if action not in workflow.available_actions(user, case):
        messages.error(
            request,
            _(
                "The case is now “%(status)s”: “%(action)s” is not possible. Someone may have "
                "acted on it at the same time; nothing was changed."
            )
            % {"status": case.get_status_display(), "action": workflow.ACTION_LABELS[action]},
        )
        return redirect("cases:case-detail", case.pk)
    form = form_factory(case, request.POST, request.FILES)
    if form.is_valid():
        try:
            message = perform(user, case, form.cleaned_data)
        except workflow.TransitionError as exc:
            messages.error(request, str(exc))
            return redirect("cases:case-detail", case.pk)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("cases:case-detail", case.pk)
    return render_case(request, case, bound={action: form}, status=400)


def _add_errors(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def render_case(
    request: HttpRequest, case: Case, *, bound: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    from .detail import detail_context

    context = detail_context(request, case, stage_forms=bound or {})
    return render(request, "cases/case_detail.html", context, status=status)
