"""Mediation inside arbitration, the award with per-item finality, and court notices after it.

Stage pages follow ``steps``: each POST view fetches the case through the selectors, calls one
service, and goes back to the case page (or shows it again with the bound form and its errors).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
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
from .. import award_drafts, postaward, selectors, workflow
from ..deadlines import period
from ..models import (
    CLOSED_STATES,
    OPEN_STATES,
    Award,
    AwardDraft,
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
    ConfirmForm,
    CorrectAwardForm,
    CourtNoticeForm,
    DraftReviewForm,
    DraftStepForm,
    MediationAttemptForm,
    MediationDocumentForm,
    award_draft_form,
)
from .steps import run_step

# URL name of each action's page endpoint (``cases:case-<action>``), for this stage.
# Awards of every kind go through a draft (issue 5): written, submitted, reviewed, issued; the
# award steps themselves are taken by ``award_drafts.award_draft_issue``.
ACTION_URLS: dict[str, str] = {
    "record_mediation": "cases:case-record-mediation",
    "issue_mediation_document": "cases:case-issue-mediation-document",
    "close_by_mediation": "cases:case-close-by-mediation",
    "save_award_draft": "cases:case-save-award-draft",
    "submit_award_draft": "cases:case-submit-award-draft",
    "review_award_draft": "cases:case-review-award-draft",
    "issue_award_draft": "cases:case-issue-award-draft",
    "correct_award": "cases:case-correct-award",
    "record_court_notice": "cases:case-record-court-notice",
}
DRAFT_STEPS = frozenset(
    {"save_award_draft", "submit_award_draft", "review_award_draft", "issue_award_draft"}
)
# Labels of the events this stage writes, for the case history.
EVENT_LABELS: dict[str, Any] = {
    "case.mediation_recorded": gettext_lazy("Mediation attempt recorded"),
    "case.mediation_document_issued": gettext_lazy("Mediation document (调解书) issued"),
    "case.closed_by_mediation": gettext_lazy("Closed by mediation"),
    "case.partial_award_made": gettext_lazy("Partial award made"),
    "case.advance_execution_awarded": gettext_lazy("Advance execution awarded"),
    "case.awarded": gettext_lazy("Award made"),
    "case.award_corrected": gettext_lazy("Award corrected"),
    "case.award_draft_saved": gettext_lazy("Award draft saved"),
    "case.award_draft_submitted": gettext_lazy("Award draft submitted for review"),
    "case.award_draft_reviewed": gettext_lazy("Award draft reviewed"),
    "case.award_draft_issued": gettext_lazy("Award draft issued"),
    "case.court_notice_recorded": gettext_lazy("Court notice recorded"),
    "case.award_took_effect": gettext_lazy("The award took effect: no suit within the windows"),
}

FORMS: dict[str, type[Form]] = {
    "record_mediation": MediationAttemptForm,
    "issue_mediation_document": MediationDocumentForm,
    "close_by_mediation": ConfirmForm,
    "submit_award_draft": DraftStepForm,
    "review_award_draft": DraftReviewForm,
    "issue_award_draft": DraftStepForm,
    "correct_award": CorrectAwardForm,
    "record_court_notice": CourtNoticeForm,
}
HELP: dict[str, Any] = {
    "close_by_mediation": gettext_lazy(
        "Normally the case closes by itself when the last signature of the 调解书 is recorded."
    ),
}
DRAFT_HELP: dict[str, Any] = {
    Award.Kind.PARTIAL: gettext_lazy(
        "On the claims whose facts are already clear (LDMAL art. 43); leave the others unruled."
    ),
    Award.Kind.FULL: gettext_lazy(
        "Rule on every claim: grant, grant in part or reject it. Each item is classified final "
        "or non-final against the minimum wage in force on the day of issue."
    ),
    Award.Kind.ADVANCE_EXECUTION: gettext_lazy(
        "On the worker's application, for remuneration, work-injury medical costs, "
        "compensation or damages (LDMAL art. 44)."
    ),
}
# Steps whose form carries a file.
UPLOADS = frozenset({"record_court_notice"})
VISIBLE = OPEN_STATES | CLOSED_STATES | {Status.ARCHIVED}
AWARDING = frozenset({Status.HEARING, Status.DELIBERATION})


def form_for(action: str) -> Callable[[Case, Any, Any], Form]:
    def factory(case: Case, data: Any = None, files: Any = None) -> Form:
        if action == "save_award_draft":
            kind = (data or {}).get("kind")
            kind = kind if kind in Award.Kind.values else Award.Kind.FULL
            return award_draft_form(case, kind, award_drafts.open_draft(case, kind), data)
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


def _draft_of(case: Case, kind: str) -> AwardDraft:
    draft = award_drafts.open_draft(case, kind)
    if draft is None:
        raise workflow.TransitionError(_("There is no draft of this award to act on."))
    return draft


def _save_draft(user: User, case: Case, data: dict[str, Any]) -> str:
    award_drafts.award_draft_save(by=user, case=case, **data["arguments"])
    return _("The award draft is saved.")


def _submit_draft(user: User, case: Case, data: dict[str, Any]) -> str:
    draft = _draft_of(case, data["kind"])
    award_drafts.award_draft_submit(by=user, case=case, draft=draft, version=data["version"])
    return _("The award draft is submitted for review.")


def _review_draft(user: User, case: Case, data: dict[str, Any]) -> str:
    draft = _draft_of(case, data["kind"])
    approve = data["decision"] == "approve"
    award_drafts.award_draft_review(
        by=user, case=case, draft=draft, version=data["version"], approve=approve,
        note=data.get("note", ""),
    )  # fmt: skip
    if approve:
        return _("The award draft is approved: the tribunal may issue it.")
    return _("The award draft is returned to the tribunal.")


def _issue_draft(user: User, case: Case, data: dict[str, Any]) -> str:
    draft = _draft_of(case, data["kind"])
    award = award_drafts.award_draft_issue(by=user, case=case, draft=draft, version=data["version"])
    if award.kind == Award.Kind.ADVANCE_EXECUTION:
        return _("Advance execution is awarded: transfer it to the court for enforcement.")
    if award.kind == Award.Kind.PARTIAL:
        return _("The partial award is made.")
    return _("The award is made (%(finality)s): serve it on the parties.") % {
        "finality": award.get_finality_display()
    }


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
    "save_award_draft": _save_draft,
    "submit_award_draft": _submit_draft,
    "review_award_draft": _review_draft,
    "issue_award_draft": _issue_draft,
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


def may_see_drafts(user: User, case: Case) -> bool:
    """Drafts are the tribunal's deliberation: its members and the reviewers see them."""
    return workflow.may_act(user, case, "save_award_draft") or workflow.may_act(
        user, case, "review_award_draft"
    )


@staff_required
def award_draft_pdf(request: HttpRequest, pk: int, draft_pk: int) -> HttpResponse:
    """The draft as it would be issued, as PDF marked 样稿: not sealed, not signed."""
    user: User = request.user  # type: ignore[assignment]
    case = selectors.get_case_for(user, pk)
    draft = get_object_or_404(AwardDraft, case=case, pk=draft_pk)
    if not may_see_drafts(user, case):
        raise PermissionDenied(_("Only the tribunal and its reviewers see award drafts."))
    response = HttpResponse(award_drafts.draft_preview_pdf(draft), content_type="application/pdf")
    name = f"case{case.pk}-award-draft-{draft.kind}-v{draft.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


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
    path(
        "<int:pk>/award-drafts/<int:draft_pk>/sample.pdf",
        award_draft_pdf,
        name="case-award-draft-pdf",
    ),
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
        }
        for action, url in ACTION_URLS.items()
        if action in available and action not in DRAFT_STEPS
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
        "drafts": _drafts(user, case, available, bound) if may_see_drafts(user, case) else [],
        "suggestions": (_legal_basis_suggestions(case) if "save_award_draft" in available else []),
    }


def _preview_html(draft: AwardDraft) -> str:
    """The draft's document as HTML, the body of what ``to_html`` makes for the PDF."""
    from django.utils.safestring import mark_safe

    from zhongcai.documents.render import to_html

    html = to_html(award_drafts.draft_preview(draft))
    body = html.split("<body>", 1)[1].rsplit("</body>", 1)[0]
    # Inside the case page the document's title lines are not the page's headings.
    for tag, replacement in (
        ('<h1 class="caption">', '<p class="caption">'),
        ('<h1 class="title">', '<p class="title">'),
        ("</h1>", "</p>"),
        ("<h2>", '<p class="heading">'),
        ("</h2>", "</p>"),
    ):
        body = body.replace(tag, replacement)
    return mark_safe(body)  # noqa: S308 - every text in it is escaped by ``to_html``


def _drafts(
    user: User, case: Case, available: list[str], bound: dict[str, Form]
) -> list[dict[str, Any]]:
    """A card per kind of award that has a draft or may be drafted now: its state, the document
    it would make, the editor, and the steps the user may take on it."""
    drafts = award_drafts.open_drafts(case)
    posted = bound.get("save_award_draft")
    posted_kind = posted.data.get("kind") if posted is not None else None
    step_forms = {a: bound[a] for a in DRAFT_STEPS - {"save_award_draft"} if a in bound}
    cards = []
    for kind in Award.Kind.values:
        draft = drafts.get(kind)
        editable = "save_award_draft" in available and case.status in (
            workflow.TRANSITIONS[award_drafts.ISSUING[kind]].sources
        )
        if draft is None and not editable:
            continue
        state = draft.state if draft else ""
        form = None
        if editable:
            form = posted if posted_kind == kind else award_draft_form(case, kind, draft)
        errors = [
            error
            for step_form in step_forms.values()
            if step_form.data.get("kind") == kind
            for field_errors in step_form.errors.values()
            for error in field_errors
        ]
        cards.append(
            {
                "kind": kind,
                "label": Award.Kind(kind).label,
                "draft": draft,
                "form": form,
                "open": posted_kind == kind,
                "items": kind != Award.Kind.ADVANCE_EXECUTION,
                "help": DRAFT_HELP[kind],
                "errors": errors,
                "submit": bool(draft)
                and "submit_award_draft" in available
                and state in (AwardDraft.State.DRAFT, AwardDraft.State.RETURNED),
                "review": bool(draft)
                and "review_award_draft" in available
                and state == AwardDraft.State.SUBMITTED
                and draft.submitted_by_id != user.pk,
                "issue": bool(draft)
                and "issue_award_draft" in available
                and state == AwardDraft.State.APPROVED,
                "preview": _preview_html(draft) if draft else "",
            }
        )
    return cards
