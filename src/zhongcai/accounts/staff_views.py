"""Staff pages: employer registrations waiting for verification in one's area."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhongcai.workspace.access import staff_required

from . import employers
from .models import Employer, User


def _employer_for(request: HttpRequest, pk: int) -> Employer:
    employer = get_object_or_404(Employer, pk=pk, verified_at__isnull=True)
    if not employers.may_verify(request.user, employer):  # type: ignore[arg-type]
        raise Http404
    return employer


@require_GET
@staff_required
def employer_queue(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.role not in employers.VERIFIER_ROLES:
        raise PermissionDenied
    return render(
        request,
        "accounts/staff_employers.html",
        {"waiting": employers.employers_to_verify(user)},
    )


@require_GET
@staff_required
def employer_proof(request: HttpRequest, pk: int) -> FileResponse:
    employer = _employer_for(request, pk)
    if not employer.proof:
        raise Http404
    suffix = PurePosixPath(employer.proof.name).suffix.lower()
    # Always a download: an uploaded file is never shown inside our pages.
    return FileResponse(
        employer.proof.open("rb"), as_attachment=True, filename=f"{employer.credit_code}{suffix}"
    )


@require_POST
@staff_required
def employer_decide(request: HttpRequest, pk: int) -> HttpResponse:
    employer = _employer_for(request, pk)
    user: User = request.user  # type: ignore[assignment]
    try:
        if request.POST.get("decision") == "verify":
            employers.employer_verify(by=user, employer=employer)
            messages.success(request, _("%(name)s is verified.") % {"name": employer.name})
        else:
            employers.employer_refuse(
                by=user, employer=employer, reason=request.POST.get("reason", "")
            )
            messages.success(
                request, _("The registration of %(name)s is refused.") % {"name": employer.name}
            )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("employers-staff:queue")


app_name = "employers-staff"
urlpatterns = [
    path("", employer_queue, name="queue"),
    path("<int:pk>/proof/", employer_proof, name="proof"),
    path("<int:pk>/decide/", employer_decide, name="decide"),
]
