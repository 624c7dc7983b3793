"""Service (送达): service addresses, serving documents, receipts.

Stage pages follow ``steps``: each POST view fetches the case through the selectors, calls one
service, and goes back to the case page (or shows it again with the bound form and its errors).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhongcai.accounts.models import User
from zhongcai.workspace.access import staff_required

from .. import selectors, serving, serving_due, workflow
from ..models import (
    CLOSED_STATES,
    OPEN_STATES,
    Case,
    ServiceAddress,
    ServiceMethod,
    ServiceRecord,
    Status,
)
from .serving_forms import (
    DeliveryForm,
    ServeApplicationCopyForm,
    ServeForm,
    ServiceAddressForm,
    case_documents,
    case_parties,
    case_records,
)
from .steps import run_step

# URL name of each action's page endpoint (``cases:case-<action>``), for this stage.
ACTION_URLS: dict[str, str] = {
    "confirm_service_address": "cases:case-confirm-service-address",
    "serve_application_copy": "cases:case-serve-application-copy",
    "serve": "cases:case-serve",
    "record_delivery": "cases:case-record-delivery",
}
# Labels of the events this stage writes, for the case history.
EVENT_LABELS: dict[str, Any] = {
    "case.service_address_confirmed": gettext_lazy("Service address confirmed"),
    "case.application_copy_served": gettext_lazy("Application copy and notices served"),
    "case.document_served": gettext_lazy("Document served"),
    "case.service_updated": gettext_lazy("Service receipt recorded"),
    "case.served": gettext_lazy("Served electronically on issue"),
}

FORMS: dict[str, type[Form]] = {
    "confirm_service_address": ServiceAddressForm,
    "serve_application_copy": ServeApplicationCopyForm,
    "serve": ServeForm,
    "record_delivery": DeliveryForm,
}
# Steps whose form carries a file.
UPLOADS = frozenset({"serve_application_copy", "serve"})
VISIBLE = OPEN_STATES | CLOSED_STATES | {Status.ARCHIVED}


def form_for(action: str) -> Callable[[Case, Any, Any], Form]:
    def factory(case: Case, data: Any = None, files: Any = None) -> Form:
        return FORMS[action](data, files, case=case)  # type: ignore[call-arg]

    return factory


def _confirm(user: User, case: Case, data: dict[str, Any]) -> str:
    serving.service_address_confirm(by=user, case=case, **data)
    return _("The service address of %(party)s is recorded.") % {"party": data["party"].name}


def _serve_application_copy(user: User, case: Case, data: dict[str, Any]) -> str:
    records = serving.serve_application_copy(by=user, case=case, **data)
    return _("The application copy and the notices were served: %(n)d services recorded.") % {
        "n": len(records)
    }


def _serve(user: User, case: Case, data: dict[str, Any]) -> str:
    records = serving.serve(by=user, case=case, **{**data, "parties": list(data["parties"])})
    return _("“%(document)s” was served: %(n)d services recorded.") % {
        "document": data["document"].title,
        "n": len(records),
    }


def _deliver(user: User, case: Case, data: dict[str, Any]) -> str:
    record = serving.service_record_delivery(by=user, case=case, **data)
    if record.deemed_served_on:
        return _("Recorded: deemed served on %(date)s.") % {
            "date": record.deemed_served_on.isoformat()
        }
    return _("Recorded.")


PERFORM = {
    "confirm_service_address": _confirm,
    "serve_application_copy": _serve_application_copy,
    "serve": _serve,
    "record_delivery": _deliver,
}


def _step_view(action: str) -> Callable[..., HttpResponse]:
    @require_POST
    @staff_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return run_step(request, pk, action, form_for(action), PERFORM[action])

    view.__name__ = f"case_{action}"
    return view


def _record_for(request: HttpRequest, pk: int, record_pk: int) -> tuple[Case, ServiceRecord]:
    case = selectors.get_case_for(request.user, pk)  # type: ignore[arg-type]
    record = get_object_or_404(
        ServiceRecord.objects.select_related("document", "party", "recorded_by"),
        case=case,
        pk=record_pk,
    )
    return case, record


@staff_required
def service_receipt(request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
    """送达回证 of one service, to print (spec §5.1; 办案规则 art. 20)."""
    case, record = _record_for(request, pk, record_pk)
    return render(
        request,
        "cases/serving/receipt.html",
        {"case": case, "record": record, "posting_days": _posting_days()},
    )


@staff_required
def service_photo(request: HttpRequest, pk: int, record_pk: int) -> FileResponse:
    """The photo or video of a posting, for the staff of the case only."""
    _case, record = _record_for(request, pk, record_pk)
    if not record.photo:
        raise Http404
    return FileResponse(
        record.photo.open("rb"), as_attachment=True, filename=record.photo.name.rsplit("/")[-1]
    )


def _posting_days() -> int:
    from ..deadlines import period

    return period("posting_service").days


urlpatterns: list[URLPattern | URLResolver] = [
    *(
        path(
            f"<int:pk>/{action.replace('_', '-')}/",
            _step_view(action),
            name=ACTION_URLS[action].split(":", 1)[1],
        )
        for action in ACTION_URLS
    ),
    path("<int:pk>/services/<int:record_pk>/", service_receipt, name="case-service-receipt"),
    path("<int:pk>/services/<int:record_pk>/photo/", service_photo, name="case-service-photo"),
]


def _documents_with_services(case: Case) -> list[dict[str, Any]]:
    """Each document to serve with its services (two queries, whatever the numbers)."""
    records: dict[int, list[ServiceRecord]] = {}
    for record in case_records(case):
        records.setdefault(record.document_id, []).append(record)
    return [
        {"document": document, "services": records.get(document.pk, [])}
        for document in case_documents(case)
    ]


def _to_serve(case: Case) -> list[dict[str, Any]]:
    """Per party, the documents still to be served on it (by post or in person: a party who
    consented to electronic service was served as they were issued)."""
    by_party: dict[int, dict[str, Any]] = {}
    served = {(r.document_id, r.party_id) for r in case_records(case)}
    pending = serving_due.pending_service(case_documents(case), case_parties(case), served)
    for document, party in pending:
        by_party.setdefault(party.pk, {"party": party, "documents": []})["documents"].append(
            document
        )
    return list(by_party.values())


def panel(request: HttpRequest, case: Case, bound: dict[str, Form]) -> dict[str, Any]:
    """Context for ``cases/stages/_serving.html`` on the case page.

    ``bound`` maps an action name to a form bound to what was posted, when the page is shown
    again with errors; every other form is fresh.
    """
    if case.status not in VISIBLE:
        return {}
    available = workflow.available_actions(request.user, case)  # type: ignore[arg-type]
    actions = [
        {
            "name": action,
            "label": workflow.ACTION_LABELS[action],
            "url": url,
            "form": bound.get(action) or form_for(action)(case),
            "open": action in bound,
            "multipart": action in UPLOADS,
        }
        for action, url in ACTION_URLS.items()
        if action in available
    ]
    addresses = list(
        ServiceAddress.objects.filter(party__case=case, superseded_at__isnull=True)
        .select_related("party")
        .order_by("party__role", "party_id")
    )
    return {
        "visible": True,
        "actions": actions,
        "addresses": addresses,
        "documents": _documents_with_services(case),
        "to_serve": _to_serve(case),
        "simple_methods": [ServiceMethod.SMS, ServiceMethod.PHONE],
    }
