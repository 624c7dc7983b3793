from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhongcai.accounts.selectors import staff_visible_to
from zhongcai.orgs.selectors import children_of, get_organisation_for, organisations_visible_to

from .access import staff_required

PAGE_SIZE = 50


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/dashboard.html")


@staff_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = organisations_visible_to(request.user)  # type: ignore[arg-type]
    query = request.GET.get("q", "").strip()
    if query:
        organisations = organisations.filter(name__icontains=query)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "workspace/_organisation_rows.html"
        if request.headers.get("HX-Request")
        else "workspace/organisation_list.html"
    )
    return render(request, template, {"page": page, "query": query})


@staff_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, pk)  # type: ignore[arg-type]
    staff = staff_visible_to(request.user).filter(organisation=organisation)  # type: ignore[arg-type]
    return render(
        request,
        "workspace/organisation_detail.html",
        {
            "organisation": organisation,
            "children": children_of(organisation),
            "staff": staff,
            "ancestors": organisations_visible_to(request.user).filter(  # type: ignore[arg-type]
                pk__in=[int(pk) for pk in organisation.path.strip("/").split("/")[:-1]]
            ),
        },
    )
