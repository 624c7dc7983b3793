"""The case page (file, clocks, checks, history, decision forms) and the printable receipt."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhongcai.core.events import events_of
from zhongcai.orgs.models import Organisation
from zhongcai.workspace.access import staff_required

from .. import checks, selectors, services, workflow
from ..deadlines import derivation, period
from ..forms import (
    AcceptForm,
    ActionForm,
    CorrectionNoticeForm,
    EmployerClassForm,
    RedirectForm,
    RefuseForm,
    SubmitForm,
)
from ..models import Case, CaseDeadline, Channel, Party, Receipt, Status
from ..taxonomy import Cause, NotLaborDispute, RefusalGround
from . import award, closing, entrusted_mediation, evidence, hearings, letters, serving, tribunal

INTAKE_OPEN = (Status.DRAFT, Status.RECEIVED, Status.AWAITING_CORRECTION)

INTAKE_EVENT_LABELS = {
    "case.drafted": gettext_lazy("Application recorded"),
    "case.application_updated": gettext_lazy("Application changed"),
    "case.received": gettext_lazy("Application received"),
    "case.correction_notice_issued": gettext_lazy("One-time correction notice issued"),
    "case.corrections_submitted": gettext_lazy("Corrections received"),
    "case.accepted": gettext_lazy("Accepted"),
    "case.refused": gettext_lazy("Not accepted"),
    "case.redirected": gettext_lazy("Redirected to the competent commission"),
    "case.employer_classified": gettext_lazy("Employer classified for the statistics"),
    # Written by the documents app when an issued document's PDF and DOCX are made.
    "document.produced": gettext_lazy("Document sealed, signed and filed"),
}

# The intake steps the "Next steps" section offers; later stages offer theirs in their panels.
ACTION_URLS = {
    "submit": "cases:case-submit",
    "issue_correction_notice": "cases:case-issue-correction-notice",
    "submit_corrections": "cases:case-submit-corrections",
    "accept": "cases:case-accept",
    "refuse": "cases:case-refuse",
    "redirect": "cases:case-redirect",
}


# The stages after acceptance, in the order their panels appear on the case page.
STAGES = (tribunal, serving, evidence, letters, entrusted_mediation, hearings, award, closing)
EVENT_LABELS: dict[str, Any] = {}
for _stage in (None, *STAGES):
    EVENT_LABELS |= _stage.EVENT_LABELS if _stage else INTAKE_EVENT_LABELS


@dataclass
class Checks:
    """What the officer must see before deciding; computed only while intake is open."""

    gaps: list[str] = field(default_factory=list)
    warnings: list[checks.Finding] = field(default_factory=list)


def checks_of(case: Case) -> Checks:
    if case.status not in INTAKE_OPEN:
        return Checks()
    return Checks(gaps=checks.missing_items(case), warnings=checks.warnings(case))


def redirect_choices(case: Case) -> list[tuple[str, Any]]:
    """Commissions of the province, the competent ones (LDMAL art. 21) first."""
    suggested = [org for org in checks.competent_commissions(case) if org.pk != case.commission_id]
    others = (
        Organisation.objects.filter(
            type=Organisation.Type.COMMISSION,
            is_active=True,
            division__code__startswith=case.commission.division_id[:2],
        )
        .exclude(pk__in=[case.commission_id, *(org.pk for org in suggested)])
        .order_by("division_id")
        .values_list("pk", "name")
    )
    choices: list[tuple[str, Any]] = [("", "—")]
    if suggested:
        choices.append(
            (
                _("Competent by place of performance or employer's location"),
                [(str(org.pk), org.name) for org in suggested],
            )
        )
    choices.append((_("Other commissions"), [(str(pk), name) for pk, name in others]))
    return choices


def action_form(action: str, case: Case, found: Checks, data: Any = None) -> django_forms.Form:
    """The form of one decision, unbound for the page or bound to what was posted."""
    if action == "submit":
        return SubmitForm(data, incomplete=bool(found.gaps), oral=case.channel == Channel.ORAL)
    if action == "issue_correction_notice":
        return CorrectionNoticeForm(data, initial={"items": "\n".join(found.gaps)})
    if action == "accept":
        return AcceptForm(
            data, has_warnings=bool(found.warnings), employer=services.statistical_employer(case)
        )
    if action == "refuse":
        return RefuseForm(data)
    if action == "redirect":
        return RedirectForm(data, commissions=redirect_choices(case))
    return ActionForm(data)


@dataclass(frozen=True)
class DeadlineRow:
    deadline: CaseDeadline
    label: str | Promise
    article: str
    derivation: str
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None else 0


def _deadline_rows(case: Case, today: date) -> list[DeadlineRow]:
    rows = []
    # Windows of many parties served on the same day share one derivation (one calendar read).
    derivations: dict[Any, str] = {}
    for deadline in case.deadlines.all():
        key = (
            deadline.started_on,
            deadline.days,
            deadline.unit,
            deadline.state,
            deadline.paused_on,
            repr(deadline.adjustments),
        )
        if key not in derivations:
            derivations[key] = derivation(deadline)
        try:
            statutory = period(deadline.code)
            label, article = statutory.label, statutory.article
        except KeyError:
            label, article = deadline.code, ""
        running = deadline.state == CaseDeadline.State.OPEN
        rows.append(
            DeadlineRow(
                deadline=deadline,
                label=label,
                article=article,
                derivation=derivations[key],
                days_left=(deadline.due_on - today).days if running else None,
            )
        )
    return rows


def _event_details(payload: dict[str, Any]) -> list[str]:
    details = []
    if payload.get("channel") in Channel.values:
        details.append(str(Channel(payload["channel"]).label))
    if payload.get("receipt"):
        details.append(_("Receipt %(number)s") % {"number": payload["receipt"]})
    if payload.get("gaps"):
        details.append(_("%(n)d items missing at receipt") % {"n": len(payload["gaps"])})
    if payload.get("case_number"):
        details.append(_("Case number %(number)s") % {"number": payload["case_number"]})
    if payload.get("ground") in RefusalGround.values:
        details.append(str(RefusalGround(payload["ground"]).label))
    if payload.get("to_name"):
        details.append(_("To %(commission)s") % {"commission": payload["to_name"]})
    for key, label in (("reasons", _("Reasons")), ("legal_basis", _("Legal basis"))):
        if payload.get(key):
            details.append(f"{label}: {payload[key]}")
    if payload.get("warnings"):
        details.append(_("Warnings acknowledged: %(n)d") % {"n": len(payload["warnings"])})
    if payload.get("late"):
        details.append(_("after its statutory deadline"))
    return details


def _timeline(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "event": event,
            "label": EVENT_LABELS.get(event.kind, event.kind),
            "details": _event_details(event.payload),
            "items": event.payload.get("items") or [],
        }
        for event in events_of(case).select_related("actor")
    ]


def detail_context(
    request: HttpRequest,
    case: Case,
    *,
    bound_action: str = "",
    bound_form: django_forms.Form | None = None,
    found: Checks | None = None,
    stage_forms: dict[str, django_forms.Form] | None = None,
) -> dict[str, Any]:
    prefetch_related_objects(
        [case],
        "parties__agents",
        "claims",
        Prefetch("deadlines", queryset=CaseDeadline.objects.select_related("party")),
        "receipts__issued_by",
    )
    user = request.user
    found = found or checks_of(case)
    actions = []
    for action in workflow.available_actions(user, case):  # type: ignore[arg-type]
        if action not in ACTION_URLS:
            continue
        form = bound_form if action == bound_action else action_form(action, case, found)
        actions.append(
            {
                "name": action,
                "label": workflow.ACTION_LABELS[action],
                "url": ACTION_URLS[action],
                "form": form,
                "open": action == bound_action,
            }
        )
    parties = list(case.parties.all())
    stages = {
        f"stage_{stage.__name__.rsplit('.', 1)[-1]}": stage.panel(request, case, stage_forms or {})
        for stage in STAGES
    }
    return stages | {
        "case": case,
        "applicants": [p for p in parties if p.role == Party.Role.APPLICANT],
        "respondents": [p for p in parties if p.role == Party.Role.RESPONDENT],
        "third_parties": [p for p in parties if p.role == Party.Role.THIRD_PARTY],
        "claims": list(case.claims.all()),
        "causes": [Cause(code).label for code in case.causes if code in Cause.values],
        "scope_flags": [
            NotLaborDispute(code).label
            for code in case.not_labor_flags
            if code in NotLaborDispute.values
        ],
        "deadlines": _deadline_rows(case, timezone.localdate()),
        "checks": found,
        "intake_open": case.status in INTAKE_OPEN,
        "events": _timeline(case),
        "receipts": list(case.receipts.all()),
        "actions": actions,
        "may_edit": services.may_edit_application_now(user, case),  # type: ignore[arg-type]
        "employer_class_form": _employer_class_form(user, case),
    }


def _employer_class_form(user: Any, case: Case) -> EmployerClassForm | None:
    """After acceptance, intake staff and clerks may record or correct the employer's class."""
    if not services.may_classify_employer(user, case):
        return None
    employer = services.statistical_employer(case)
    return EmployerClassForm(employer=employer) if employer is not None else None


@staff_required
@require_POST
def employer_classify(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, pk)  # type: ignore[arg-type]
    employer = services.statistical_employer(case)
    if employer is None:
        raise Http404
    form = EmployerClassForm(request.POST, employer=employer)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("cases:case-detail", pk=case.pk)
    try:
        services.employer_classify(
            by=request.user,  # type: ignore[arg-type]
            case=case,
            industry=form.cleaned_data["employer_industry"],
            registration_type=form.cleaned_data["employer_registration_type"],
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("The employer's class for the statistics is recorded."))
    return redirect("cases:case-detail", pk=case.pk)


@staff_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, pk)  # type: ignore[arg-type]
    return render(request, "cases/case_detail.html", detail_context(request, case))


@staff_required
def receipt_detail(request: HttpRequest, pk: int, receipt_pk: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, pk)  # type: ignore[arg-type]
    receipt: Receipt = get_object_or_404(
        Receipt.objects.select_related("issued_by"), case=case, pk=receipt_pk
    )
    received_on = timezone.localdate(receipt.issued_at)
    acceptance = period("acceptance_decision")
    stored = case.deadlines.filter(code="acceptance_decision", started_on=received_on).first()
    # The clock as stored when the receipt was issued; recomputed only for older receipts.
    due = stored.due_on if stored else acceptance.due(received_on).due
    submitted = events_of(case).filter(payload__receipt=receipt.number).first()
    return render(
        request,
        "cases/receipt.html",
        {
            "case": case,
            "receipt": receipt,
            "applicants": case.parties.filter(role=Party.Role.APPLICANT),
            "respondents": case.parties.filter(role=Party.Role.RESPONDENT),
            "acceptance": acceptance,
            "due": due,
            "gaps": (submitted.payload.get("gaps") or []) if submitted else [],
        },
    )
