"""Mediation inside arbitration, the award with per-item finality, and court notices after it.

Stage pages follow ``steps``: each POST view fetches the case through the selectors, calls one
service, and goes back to the case page (or shows it again with the bound form and its errors).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhongcai.accounts.models import User
from zhongcai.workspace.access import staff_required

from .. import award as services
from .. import postaward, selectors, workflow
from ..deadlines import period
from ..models import (
    CLOSED_STATES,
    OPEN_STATES,
    Award,
    AwardItem,
    Case,
    CaseDeadline,
    CaseDocument,
    DecisionKind,
    DocumentKind,
    Party,
    ServiceRecord,
    Status,
)
from .award_forms import (
    AdvanceExecutionForm,
    AwardForm,
    ConfirmForm,
    CorrectAwardForm,
    CourtNoticeForm,
    MediationAttemptForm,
    MediationDocumentForm,
)
from .steps import run_step

# URL name of each action's page endpoint (``cases:case-<action>``), for this stage.
ACTION_URLS: dict[str, str] = {
    "record_mediation": "cases:case-record-mediation",
    "issue_mediation_document": "cases:case-issue-mediation-document",
    "close_by_mediation": "cases:case-close-by-mediation",
    "partial_award": "cases:case-partial-award",
    "advance_execution_award": "cases:case-advance-execution-award",
    "award": "cases:case-award",
    "correct_award": "cases:case-correct-award",
    "record_court_notice": "cases:case-record-court-notice",
}
# Labels of the events this stage writes, for the case history.
EVENT_LABELS: dict[str, Any] = {
    "case.mediation_recorded": gettext_lazy("Mediation attempt recorded"),
    "case.mediation_document_issued": gettext_lazy("Mediation document (调解书) issued"),
    "case.closed_by_mediation": gettext_lazy("Closed by mediation"),
    "case.partial_award_made": gettext_lazy("Partial award made"),
    "case.advance_execution_awarded": gettext_lazy("Advance execution awarded"),
    "case.awarded": gettext_lazy("Award made"),
    "case.award_corrected": gettext_lazy("Award corrected"),
    "case.court_notice_recorded": gettext_lazy("Court notice recorded"),
    "case.award_took_effect": gettext_lazy("The award took effect: no suit within the windows"),
}

FORMS: dict[str, type[Form]] = {
    "record_mediation": MediationAttemptForm,
    "issue_mediation_document": MediationDocumentForm,
    "close_by_mediation": ConfirmForm,
    "partial_award": AwardForm,
    "advance_execution_award": AdvanceExecutionForm,
    "award": AwardForm,
    "correct_award": CorrectAwardForm,
    "record_court_notice": CourtNoticeForm,
}
HELP: dict[str, Any] = {
    "close_by_mediation": gettext_lazy(
        "Normally the case closes by itself when the last signature of the 调解书 is recorded."
    ),
    "partial_award": gettext_lazy(
        "On the claims whose facts are already clear (LDMAL art. 43); leave the others unruled."
    ),
    "award": gettext_lazy(
        "Rule on every claim: grant, grant in part or reject it. Each item is classified final "
        "or non-final against the minimum wage in force today."
    ),
}
# Steps whose form carries a file.
UPLOADS = frozenset({"record_court_notice"})
VISIBLE = OPEN_STATES | CLOSED_STATES | {Status.ARCHIVED}
AWARDING = frozenset({Status.HEARING, Status.DELIBERATION})


def form_for(action: str) -> Callable[[Case, Any, Any], Form]:
    def factory(case: Case, data: Any = None, files: Any = None) -> Form:
        if action == "partial_award":
            return AwardForm(data, files, case=case, partial=True)
        return FORMS[action](data, files, case=case)  # type: ignore[call-arg]

    return factory


def _record_mediation(user: User, case: Case, data: dict[str, Any]) -> str:
    services.mediation_attempt_record(by=user, case=case, **data)
    return _("The mediation attempt is recorded.")


def _issue_mediation_document(user: User, case: Case, data: dict[str, Any]) -> str:
    services.mediation_document_issue(by=user, case=case, agreement=data["agreement"])
    return _("The 调解书 is issued: serve it on both sides and record their signed receipts.")


def _close_by_mediation(user: User, case: Case, data: dict[str, Any]) -> str:
    services.mediation_close(by=user, case=case)
    return _("The case is closed by mediation.")


def _award(user: User, case: Case, data: dict[str, Any]) -> str:
    award = services.award_make(by=user, case=case, **data["arguments"])
    return _("The award is made (%(finality)s): serve it on the parties.") % {
        "finality": award.get_finality_display()
    }


def _partial_award(user: User, case: Case, data: dict[str, Any]) -> str:
    services.award_partial(by=user, case=case, **data["arguments"])
    return _("The partial award is made.")


def _advance_execution(user: User, case: Case, data: dict[str, Any]) -> str:
    services.award_advance_execution(by=user, case=case, **data["arguments"])
    return _("Advance execution is awarded: transfer it to the court for enforcement.")


def _correct_award(user: User, case: Case, data: dict[str, Any]) -> str:
    services.award_correct(by=user, case=case, **data)
    return _("The correction (决定书) is issued: serve it on the parties.")


def _court_notice(user: User, case: Case, data: dict[str, Any]) -> str:
    notice = postaward.court_notice_record(by=user, case=case, **data)
    return _("The court notice is recorded: the award is now “%(state)s”.") % {
        "state": notice.get_post_award_after_display()
    }


PERFORM = {
    "record_mediation": _record_mediation,
    "issue_mediation_document": _issue_mediation_document,
    "close_by_mediation": _close_by_mediation,
    "partial_award": _partial_award,
    "advance_execution_award": _advance_execution,
    "award": _award,
    "correct_award": _correct_award,
    "record_court_notice": _court_notice,
}


def _step_view(action: str) -> Callable[..., HttpResponse]:
    @require_POST
    @staff_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return run_step(request, pk, action, form_for(action), PERFORM[action])

    view.__name__ = f"case_{action}"
    return view


@staff_required
def award_print(request: HttpRequest, pk: int, award_pk: int) -> HttpResponse:
    """The 裁决书 of record, to print, with its items' finality and any correction."""
    case = selectors.get_case_for(request.user, pk)  # type: ignore[arg-type]
    award = get_object_or_404(
        Award.objects.select_related("document", "minimum_wage__division", "dissenting"),
        case=case,
        pk=award_pk,
    )
    corrections = CaseDocument.objects.filter(
        case=case,
        kind=DocumentKind.DECISION,
        decision_kind=DecisionKind.AWARD_CORRECTION,
        data__award=award.pk,
    ).order_by("issued_at")
    return render(
        request,
        "cases/award/award.html",
        {
            "case": case,
            "award": award,
            "items": award.items.select_related("claim"),
            "corrections": corrections,
        },
    )


urlpatterns: list[URLPattern | URLResolver] = [
    *(
        path(
            f"<int:pk>/{action.replace('_', '-')}/",
            _step_view(action),
            name=ACTION_URLS[action].split(":", 1)[1],
        )
        for action in ACTION_URLS
    ),
    path("<int:pk>/awards/<int:award_pk>/", award_print, name="case-award-print"),
]


# --- The panel ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowRow:
    window: CaseDeadline
    label: str | Promise
    article: str
    days_left: int | None


@dataclass(frozen=True)
class SignatureRow:
    party: Party
    signed: bool
    refused: bool


def _windows(case: Case, today: date) -> list[WindowRow]:
    """The parties' windows after the award, from the case's prefetched clocks and parties."""
    parties = {party.pk: party for party in case.parties.all()}
    rows = []
    windows = [d for d in case.deadlines.all() if d.code in postaward.WINDOW_CODES]
    for window in sorted(windows, key=lambda d: (d.due_on, d.pk)):
        if window.party_id in parties:
            window.party = parties[window.party_id]
        statutory = period(window.code)
        running = window.state == CaseDeadline.State.OPEN
        rows.append(
            WindowRow(
                window=window,
                label=statutory.label,
                article=statutory.article,
                days_left=(window.due_on - today).days if running else None,
            )
        )
    return rows


def _mediation_documents(case: Case) -> list[dict[str, Any]]:
    """Each 调解书 with who signed its receipt (two queries; parties are prefetched)."""
    documents = list(
        case.documents.filter(kind=DocumentKind.MEDIATION_DOCUMENT).order_by("issued_at", "pk")
    )
    if not documents:
        return []
    records: dict[int, list[ServiceRecord]] = {}
    for record in ServiceRecord.objects.filter(document__in=documents).order_by("sent_at", "pk"):
        records.setdefault(record.document_id, []).append(record)
    sides = [
        p for p in case.parties.all() if p.role in (Party.Role.APPLICANT, Party.Role.RESPONDENT)
    ]
    entries = []
    for document in documents:
        served = records.get(document.pk, [])
        rows = [
            SignatureRow(
                party=party,
                signed=any(r.party_id == party.pk and r.signed_at for r in served),
                refused=any(
                    r.party_id == party.pk and r.refused and not r.signed_at for r in served
                ),
            )
            for party in sides
        ]
        entries.append(
            {
                "document": document,
                "signatures": rows,
                "complete": all(r.signed for r in rows) and not any(r.refused for r in rows),
                "failed": any(r.refused for r in rows),
                "latest": document is documents[-1],
            }
        )
    return entries


def _legal_basis_suggestions(case: Case) -> list[Any]:
    # The law push the knowledge app computes for the case page (rules, then search); offered
    # only with the award form, and it needs no index of its own.
    from zhongcai.knowledge.lawpush import legal_basis_for

    return legal_basis_for(case)[:8]


def panel(request: HttpRequest, case: Case, bound: dict[str, Form]) -> dict[str, Any]:
    """Context for ``cases/stages/_award.html`` on the case page.

    ``bound`` maps an action name to a form bound to what was posted, when the page is shown
    again with errors; every other form is fresh.
    """
    if case.status not in VISIBLE:
        return {}
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    available = workflow.available_actions(user, case)
    actions = [
        {
            "name": action,
            "label": workflow.ACTION_LABELS[action],
            "url": url,
            "form": bound.get(action) or form_for(action)(case),
            "open": action in bound,
            "multipart": action in UPLOADS,
            "help": HELP.get(action, ""),
            "items": action in ("award", "partial_award"),
        }
        for action, url in ACTION_URLS.items()
        if action in available
    ]
    # Why the award form is missing, for the tribunal: mediation first, or a suspension.
    blocked = ""
    if (
        case.status == Status.DELIBERATION
        and "award" not in available
        and workflow.may_act(user, case, "award")
    ):
        blocked = workflow.TRANSITIONS["award"].refusal(case) or ""
    # The standard the award would use, shown while the tribunal may award.
    wage = None
    if case.status in AWARDING:
        wage = services.minimum_wage_for(case.commission.division_id, today)
    awards = list(
        case.awards.select_related("document", "minimum_wage__division", "dissenting")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AwardItem.objects.select_related("claim", "obligor", "obligee").order_by(
                    "number"
                ),
            )
        )
        .order_by("made_at", "pk")
    )
    return {
        "visible": True,
        "actions": actions,
        "blocked": blocked,
        "attempts": list(
            case.mediation_attempts.select_related("recorded_by").order_by("recorded_at", "pk")
        ),
        "mediation_documents": _mediation_documents(case),
        "awards": awards,
        "wage": wage,
        "wage_missing": case.status in AWARDING and wage is None,
        "post_award": case.get_post_award_display() if case.post_award else "",
        "windows": _windows(case, today) if case.post_award else [],
        "notices": (
            list(
                case.court_notices.select_related("party", "document", "recorded_by").order_by(
                    "recorded_at", "pk"
                )
            )
            if case.post_award
            else []
        ),
        "suggestions": (
            _legal_basis_suggestions(case) if {"award", "partial_award"} & set(available) else []
        ),
    }
