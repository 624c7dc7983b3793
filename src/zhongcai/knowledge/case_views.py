"""The case library's pages: similar cases for a description (anyone), a library case, and for
staff the "not similar" feedback and its evaluation.

A public visitor sees public cases only; staff see the whole library (``selectors``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongcai.cases import selectors as case_selectors
from zhongcai.workspace.access import staff_required

from . import selectors, services
from .citations import link_citations
from .forms import FeedbackForm, SimilarForm
from .reasons import similar_for_text
from .similar import WEIGHTS

SIMILAR_PAGE_SIZE = 10


def similar_page(request: HttpRequest) -> HttpResponse:
    form = SimilarForm(request.GET or None)
    results = None
    if form.is_valid():
        results = similar_for_text(
            form.cleaned_data["q"],
            limit=SIMILAR_PAGE_SIZE,
            public_only=not selectors.sees_staff_cases(request.user),
        )
    return render(
        request,
        "knowledge/similar.html",
        {"form": form, "results": results, "weights": WEIGHTS.items()},
    )


def case_list(request: HttpRequest) -> HttpResponse:
    cases = selectors.library_cases_visible_to(request.user).prefetch_related("claims")
    return render(request, "knowledge/case_list.html", {"cases": cases})


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_library_case_for(request.user, pk)
    return render(
        request,
        "knowledge/library_case_detail.html",
        {
            "case": case,
            "reasoning": link_citations(case.reasoning, on=case.issued_on),
            "claims": list(case.claims.all()),
            "citations": list(case.citations.all()),
        },
    )


@require_POST
@staff_required
def similar_feedback(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    case = case_selectors.get_case_for(request.user, data["case"])  # type: ignore[arg-type]
    library_case = selectors.get_library_case_for(request.user, data["library_case"])
    if data["action"] == "mark":
        services.similarity_feedback_mark(
            by=request.user,  # type: ignore[arg-type]
            case=case,
            library_case=library_case,
            note=data["note"],
        )
        messages.success(request, _("Marked “%(title)s” as not similar.") % {"title": library_case})
    else:
        services.similarity_feedback_withdraw(
            by=request.user,  # type: ignore[arg-type]
            case=case,
            library_case=library_case,
        )
        messages.success(request, _("Your mark was withdrawn."))
    return redirect(_back(request, reverse("cases:case-detail", args=[case.pk])) + "#case-push")


@staff_required
def similar_evaluation(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/similar_evaluation.html",
        {"summary": selectors.feedback_summary(), "weights": WEIGHTS.items()},
    )


def _back(request: HttpRequest, default: str) -> str:
    target: Any = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return str(target).split("#", 1)[0]
    return default
