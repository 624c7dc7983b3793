"""Downloading a volume of the electronic case file (电子卷宗) as one PDF.

Staff who may see the case get either volume; a party (a public user of the case) only the
main volume — the secondary volume is the commission's internal record (办案规则 art. 23), so
asking for it answers 403 with the reason. A case the user may not see answers 404, as a
missing one does. The staff page is ``/staff/cases/<pk>/file/<volume>.pdf``; the API action
(``api.case_efile``) answers the same through ``volume_response``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.cases import selectors
from zhongcai.cases.models import Case, Volume
from zhongcai.workspace.access import staff_required

from . import efile


def ensure_may_read(user: User, volume: str) -> Volume:
    """The volume asked for, if ``user`` may read it (the case already fetched in scope)."""
    if volume not in Volume.values:
        raise Http404
    if volume not in selectors.readable_volumes(user):
        raise PermissionDenied(
            _(
                "Parties and their agents may consult the main volume of the file only; "
                "the secondary volume is not open to them."
            )
        )
    return Volume(volume)


def pdf_response(case: Case, volume: Volume) -> HttpResponse:
    response = HttpResponse(efile.assemble(case, volume), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=efile.file_name(case, volume)
    )
    response["Cache-Control"] = "private, no-store"
    return response


def volume_response(user: User, pk: int, volume: str) -> HttpResponse:
    """Scope first (404), then the volume (404 unknown, 403 secondary for a party), then bind."""
    case = selectors.get_case_for(user, pk)
    return pdf_response(case, ensure_may_read(user, volume))


@staff_required
def case_file_pdf(request: HttpRequest, pk: int, volume: str) -> HttpResponse:
    """The volume of the case's file as one PDF, for the staff who may see the case."""
    return volume_response(request.user, pk, volume)  # type: ignore[arg-type]


# Included under /staff/cases/ with the cases URLs (app_name "cases").
efile_urlpatterns: list[URLPattern] = [
    path("<int:pk>/file/<str:volume>.pdf", case_file_pdf, name="case-file-pdf"),
]
