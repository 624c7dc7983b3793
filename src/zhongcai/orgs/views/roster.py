"""The public arbitrator roster (/roster/): no login, only the published fields."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import roster
from ..spreadsheets import xlsx_response

PAGE_SIZE = 50


def _filters(request: HttpRequest) -> tuple[str, str, list, dict]:
    cities, counties = roster.filter_choices()
    city = request.GET.get("city", "")
    county = request.GET.get("county", "")
    if city not in dict(cities):
        city = ""
    all_counties = {code: parent for parent, items in counties.items() for code, _n in items}
    if county not in all_counties or (city and all_counties[county] != city):
        county = ""
    if county and not city:
        city = all_counties[county]
    return city, county, cities, counties


def roster_page(request: HttpRequest) -> HttpResponse:
    city, county, cities, counties = _filters(request)
    entries = roster.public_entries(city=city, county=county)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    columns = [c.label for c in roster.PUBLIC_COLUMNS]
    context = {
        "page": page,
        "rows": [list(zip(columns, row, strict=True)) for row in roster.public_rows(page)],
        "columns": columns,
        "cities": cities,
        "counties": counties.get(city, []) if city else [],
        "city": city,
        "county": county,
        "today": timezone.localdate(),
    }
    return render(request, "roster/roster.html", context)


def roster_export(request: HttpRequest) -> HttpResponse:
    city, county, cities, counties = _filters(request)
    names = dict(cities) | {code: name for items in counties.values() for code, name in items}
    place = names.get(county) or names.get(city) or _("All cities")
    today = timezone.localdate()
    content = roster.export(
        roster.public_entries(city=city, county=county),
        title=_("Arbitrator roster, %(place)s, as of %(date)s")
        % {"place": place, "date": today.isoformat()},
    )
    return xlsx_response(content, f"arbitrator-roster-{county or city or 'all'}-{today}.xlsx")
