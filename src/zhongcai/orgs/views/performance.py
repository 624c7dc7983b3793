"""Performance figures (绩效考核) for any period, with their definitions; Excel export."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhongcai.accounts.models import User

from .. import performance, selectors
from ..forms import PeriodForm, default_period
from ..performance import Period
from ..permissions import administrator_required
from ..spreadsheets import xlsx_response

PAGE_SIZE = 20  # each commission's online rate is one query (cases.selectors.online_handling_rate)


def _period(request: HttpRequest) -> tuple[PeriodForm, Period]:
    start, end = default_period()
    form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if request.GET and form.is_valid():
        return form, Period(form.cleaned_data["start"], form.cleaned_data["end"])
    return form, Period(start, end)


@administrator_required
def performance_page(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form, period = _period(request)
    view = "arbitrators" if request.GET.get("view") == "arbitrators" else "institutions"
    area = user.organisation
    if area is None:
        raise PermissionDenied
    context = {
        "form": form,
        "period": period,
        "view": view,
        "area": area,
        "tab": "performance",
        "params": urlencode(
            {"start": period.start.isoformat(), "end": period.end.isoformat(), "view": view}
        ),
    }
    if view == "institutions":
        page = Paginator(selectors.commissions_visible_to(user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        figures = performance.figures_by_commission(list(page), period)
        context.update(
            summary=[
                (value, performance.definition_text(value.definition))
                for value in performance.figures_for_area(area, period)
            ],
            page=page,
            definitions=performance.INSTITUTION_FIGURES,
            rows=[(c, figures[c.pk]) for c in page],
        )
    else:
        arbitrators = performance.arbitrators_in(
            selectors.people_visible_to(user), period
        ).order_by("organisation__path", "name", "pk")
        page = Paginator(arbitrators, 50).get_page(request.GET.get("page"))
        figures = performance.figures_by_arbitrator(list(page), period)
        context.update(
            page=page,
            definitions=[
                (d, performance.definition_text(d)) for d in performance.ARBITRATOR_FIGURES
            ],
            rows=[(p, figures[p.pk]) for p in page],
        )
    return render(request, "institutions/performance.html", context)


@administrator_required
def performance_export(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    _form, period = _period(request)
    area = user.organisation
    if area is None:
        raise PermissionDenied
    arbitrators = list(
        performance.arbitrators_in(selectors.people_visible_to(user), period).order_by(
            "organisation__path", "name", "pk"
        )
    )
    content = performance.export(
        area=area,
        period=period,
        commissions=list(selectors.commissions_visible_to(user)),
        arbitrators=arbitrators,
    )
    return xlsx_response(
        content, f"performance-{period.start.isoformat()}-{period.end.isoformat()}.xlsx"
    )
