"""The live dashboards (issue 10 point 2): an area's figures, its map, its children and its months,
refreshed in place every 30 seconds; every number leads to the cases behind it.

Administrators of HRSS departments and heads of institutes see their own organisation and what
lies under it; a county sees no other county (``indicators.area_for`` answers 404, as for a missing
organisation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from zhongcai.accounts.models import User
from zhongcai.cases.models import Case
from zhongcai.core.scope import scope
from zhongcai.orgs.models import Organisation
from zhongcai.workspace.access import staff_required

from . import breakdowns, dashboard, geo, indicators
from .indicators import METHOD_LABELS
from .warnings import threshold

REFRESH_SECONDS = 30
EARLIEST = date(2008, 1, 1)  # LDMAL took effect on 2008-05-01; nothing is older
PAGE_SIZE = 50
PERIODS = {
    "month": gettext_lazy("This month"),
    "last_month": gettext_lazy("Last month"),
    "year": gettext_lazy("This year"),
}
MAP_METRICS = {
    "accepted": gettext_lazy("Cases accepted"),
    "open_at_end": gettext_lazy("Pending cases"),
    "overdue": gettext_lazy("Past the time limit"),
}


@dataclass(frozen=True)
class Request:
    """What the page was asked for, checked: the area, the period, and what was wrong."""

    organisation: Organisation | None
    start: date
    end: date
    period: str
    errors: list[str]

    def query(self, **extra: Any) -> str:
        params = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.organisation is not None:
            params["organisation"] = str(self.organisation.pk)
        params.update({k: str(v) for k, v in extra.items() if v is not None})
        return urlencode(params)


def _viewer(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not indicators.may_read_figures(user):
        raise PermissionDenied(_("Only administrators and heads of institutes see the dashboards."))
    return user


def _period_bounds(period: str, today: date) -> tuple[date, date]:
    if period == "month":
        return today.replace(day=1), today
    if period == "last_month":
        end = today.replace(day=1).fromordinal(today.replace(day=1).toordinal() - 1)
        return end.replace(day=1), end
    return today.replace(month=1, day=1), today


def _parse(request: HttpRequest, user: User) -> Request:
    """Reads organisation, period or start/end; a bad value is said, and the default is used."""
    errors: list[str] = []
    today = timezone.localdate()
    period = request.GET.get("period") or "year"
    start, end = _period_bounds(period if period in PERIODS else "year", today)
    if period not in PERIODS and period != "custom":
        errors.append(_("Unknown period; showing this year."))
        period = "year"
    if request.GET.get("start") or request.GET.get("end"):
        try:
            start = date.fromisoformat(request.GET.get("start", ""))
            end = date.fromisoformat(request.GET.get("end", ""))
            period = "custom"
        except ValueError:
            errors.append(_("Dates are written like 2026-01-31; showing this year."))
            start, end = _period_bounds("year", today)
            period = "year"
        if not (start >= EARLIEST and end <= today + timedelta(days=366)):
            errors.append(_("Dates run from 2008 to next year; showing this year."))
            start, end = _period_bounds("year", today)
            period = "year"
        if start > end:
            errors.append(_("The period starts after it ends; showing this year."))
            start, end = _period_bounds("year", today)
            period = "year"
    organisation = None
    raw = request.GET.get("organisation")
    if raw:
        try:
            if not (raw.isascii() and raw.isdigit()):
                raise ValueError(raw)
            organisation = Organisation.objects.select_related("division").get(pk=int(raw))
        except (ValueError, Organisation.DoesNotExist):
            raise Http404 from None
        indicators.area_for(user, organisation)  # 404 outside the user's scope
    return Request(organisation, start, end, period, errors)


def _trail(area: Organisation, user: User) -> list[Organisation]:
    """The areas from the user's own down to ``area``, for the breadcrumb."""
    ids = [int(pk) for pk in area.path.strip("/").split("/")]
    above = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
    own = user.organisation
    return [above[pk] for pk in ids if pk in above and above[pk].is_within(own)]  # type: ignore[arg-type]


def _data(view: dashboard.Overview, asked: Request) -> dict[str, Any]:
    """What the charts draw, as JSON (the tables under them are the same numbers)."""
    cases_url = reverse("monitoring:cases")
    return {
        "area": {"name": view.area.name, "division": view.area.division_id},
        "period": {"start": view.start.isoformat(), "end": view.end.isoformat()},
        "totals": view.totals.as_dict(),
        "counties": [
            {
                "code": part.division.code,
                "name": part.division.name,
                **{m: getattr(part.figures, m) for m in MAP_METRICS},
                "url": cases_url
                + "?"
                + asked.query(indicator="accepted", division=part.division.code),
            }
            for part in view.counties
        ],
        "children": [
            {
                "name": part.organisation.short_name or part.organisation.name,
                "accepted": part.figures.accepted,
                "closed": part.figures.closed,
                "open": part.figures.open_at_end,
            }
            for part in view.children
        ],
        "months": [
            {
                "month": month.strftime("%Y-%m"),
                "accepted": f.accepted,
                "closed": f.closed,
                "online_rate": None if f.online_rate is None else float(f.online_rate),
            }
            for month, f in view.months
        ],
        "methods": [
            {"name": str(METHOD_LABELS.get(m, _("Other"))), "value": n}
            for m, n in view.totals.by_method.items()
            if n
        ],
        "metrics": {k: str(v) for k, v in MAP_METRICS.items()},
        "labels": {
            "closed": _("Cases closed"),
            "online_rate": _("Online-handling rate"),
            "target": _("Target"),
        },
        "online_targets": list(dashboard.ONLINE_TARGETS),
    }


def _context(request: HttpRequest) -> dict[str, Any]:
    user = _viewer(request)
    asked = _parse(request, user)
    view = dashboard.overview(
        user=user, organisation=asked.organisation, start=asked.start, end=asked.end
    )
    return {
        "asked": asked,
        "view": view,
        "trail": _trail(view.area, user),
        "data": _data(view, asked),
        # Counties with cases in or before the period, the busiest first.
        "county_rows": sorted(
            (
                p
                for p in view.counties
                if p.figures.accepted or p.figures.carried_over or p.figures.closed
            ),
            key=lambda p: (-p.figures.accepted, p.division.code),
        ),
        "periods": PERIODS,
        "refresh_seconds": REFRESH_SECONDS,
        "due_within": int(threshold("deadline", "due_within_working_days")),
        "figures_url": f"{reverse('monitoring:dashboard-figures')}?{asked.query()}",
        "query": asked.query(),
        "updated_at": timezone.localtime(),
    }


@require_GET
@staff_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/dashboard.html", _context(request))


@require_GET
@staff_required
def dashboard_figures(request: HttpRequest) -> HttpResponse:
    """The figures part of the page, fetched again every 30 seconds (HTMX)."""
    return render(request, "monitoring/_dashboard_figures.html", _context(request))


@require_GET
@staff_required
def dashboard_data(request: HttpRequest) -> JsonResponse:
    context = _context(request)
    return JsonResponse(context["data"], json_dumps_params={"ensure_ascii": False})


@require_GET
@staff_required
def province_map(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    shapes, _unmatched = geo.province_geojson()
    response = HttpResponse(shapes, content_type="application/geo+json; charset=utf-8")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require_GET
@staff_required
def breakdowns_page(request: HttpRequest) -> HttpResponse:
    """The indicators split by cause, closing method, result, finality, collective, and the
    employer's industry and registration type, for the same area and period as the dashboard
    (computed on request: a breakdown reads the cases of the period)."""
    user = _viewer(request)
    asked = _parse(request, user)
    area = indicators.area_for(user, asked.organisation)
    tables = []
    for definition in breakdowns.BREAKDOWNS:
        result = breakdowns.breakdown(
            definition.code, user=user, organisation=asked.organisation,
            start=asked.start, end=asked.end,
        )  # fmt: skip
        total = result.total
        rows = [
            (label, n, None if not total else round(Decimal(n * 100) / total, 1))
            for _key, label, n in result.rows
        ]
        tables.append((result, rows))
    return render(
        request,
        "monitoring/breakdowns.html",
        {
            "asked": asked,
            "area": area,
            "tables": tables,
            "back": reverse("monitoring:dashboard") + "?" + asked.query(),
        },
    )


# --- The cases behind a number --------------------------------------------------------------


def _area_of_division(user: User, code: str) -> Organisation:
    """The top organisation of a county (its HRSS department) inside the user's scope."""
    area = scope(Organisation.objects.filter(division_id=code), user).order_by("path").first()
    if area is None:
        raise Http404
    return area


@require_GET
@staff_required
def cases_page(request: HttpRequest) -> HttpResponse:
    """The cases a figure counts: ``indicator`` (and ``part`` of a rate) over an organisation, or
    a county by its division code (a click on the map), and the period."""
    user = _viewer(request)
    asked = _parse(request, user)
    code = request.GET.get("indicator") or "accepted"
    part = request.GET.get("part") or "numerator"
    known = code in indicators.BY_CODE or code == dashboard.NEAR_DEADLINE.code
    if not known or part not in ("numerator", "denominator"):
        raise Http404
    organisation = asked.organisation
    if request.GET.get("division"):
        organisation = _area_of_division(user, request.GET["division"])
    period = {"user": user, "organisation": organisation, "start": asked.start, "end": asked.end}
    if code == dashboard.NEAR_DEADLINE.code:
        behind = indicators.Behind(dashboard.near_deadline_cases(**period))
        indicator = dashboard.NEAR_DEADLINE
    else:
        try:
            behind = indicators.cases_behind(code, part=part, **period)
        except KeyError:
            raise Http404 from None
        indicator = indicators.BY_CODE[code]
    area = indicators.area_for(user, organisation)
    cases = (
        Case.objects.filter(pk__in=behind.cases)
        .select_related("institute")
        .order_by("-accepted_on", "-pk")
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    mediation = None
    if behind.mediation_cases is not None:
        from zhongcai.mediation.models import MediationCase

        mediation = Paginator(
            MediationCase.objects.filter(pk__in=behind.mediation_cases)
            .select_related("organisation")
            .order_by("-concluded_at", "-pk"),
            PAGE_SIZE,
        ).get_page(request.GET.get("mpage"))
    return render(
        request,
        "monitoring/cases.html",
        {
            "asked": asked,
            "area": area,
            "indicator": indicator,
            "part": part,
            "page": page,
            "mediation": mediation,
            "errors": asked.errors,
            "back": reverse("monitoring:dashboard")
            + "?"
            + urlencode({"organisation": area.pk, "start": asked.start, "end": asked.end}),
            "page_query": urlencode(
                {k: v for k, v in request.GET.items() if k not in ("page", "mpage")}
            ),
        },
    )
