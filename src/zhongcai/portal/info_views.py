"""Public information: the commissions (where, when, what area) and how arbitration works.

No login: a worker reads these before deciding to apply.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from . import public_info


def commission_list(request: HttpRequest) -> HttpResponse:
    query = public_info.clean_query(request.GET.get("q", ""))
    groups = public_info.commission_directory(query)
    return render(
        request,
        "portal/info/commission_list.html",
        {"groups": groups, "query": query, "found": sum(len(g.commissions) for g in groups)},
    )


def commission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    info = public_info.get_public_commission(pk)
    return render(
        request,
        "portal/info/commission_detail.html",
        {"info": info, "tribunals": public_info.tribunals_of(info.commission)},
    )


def how_it_works(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/info/how_it_works.html")


urlpatterns: list[URLPattern] = [
    path("commissions/", commission_list, name="commissions"),
    path("commissions/<int:pk>/", commission_detail, name="commission"),
    path("how-it-works/", how_it_works, name="how-it-works"),
]
