"""Importing people from a spreadsheet: upload, progress (polled), row-by-row report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhongcai.accounts.models import User
from zhongcai.core.forms import add_service_errors

from .. import person_import, selectors
from ..forms import ImportForm
from ..models import Organisation
from ..permissions import MAINTAINED_TYPES, administrator_required
from ..spreadsheets import xlsx_response
from .common import require_maintainer


def _maintained(user: User) -> QuerySet[Organisation]:
    """The organisations the administrator's own department maintains."""
    return (
        selectors.organisations_visible_to(user)
        .filter(parent=user.organisation, type__in=sorted(MAINTAINED_TYPES), is_active=True)
        .order_by("type", "name")
    )


@administrator_required
def import_start(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ImportForm(request.POST or None, request.FILES or None, organisations=_maintained(user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                started = person_import.person_import_start(
                    by=user,
                    organisation=form.cleaned_data["organisation"],
                    upload=form.cleaned_data["file"],
                    good_rows_only=form.cleaned_data["good_rows_only"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("institutions:import-detail", started.pk)
        status = 400
    return render(
        request,
        "institutions/import_start.html",
        {
            "form": form,
            "imports": selectors.imports_visible_to(user)[:10],
            "columns": person_import.COLUMNS,
            "tab": "import",
        },
        status=status,
    )


@administrator_required
def import_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(person_import.template(), "人员导入模板.xlsx")


@administrator_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    started = selectors.get_import_for(user, pk)
    template = (
        "institutions/_import_status.html"
        if request.headers.get("HX-Request")
        else "institutions/import_detail.html"
    )
    return render(request, template, {"import": started, "tab": "import"})


@require_POST
@administrator_required
def import_good_rows(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    rejected = selectors.get_import_for(user, pk)
    require_maintainer(request, rejected.organisation)
    try:
        again = person_import.person_import_good_rows(by=user, person_import=rejected)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("institutions:import-detail", rejected.pk)
    return redirect("institutions:import-detail", again.pk)
