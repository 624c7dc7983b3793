"""Defence, evidence and cross-examination, claim changes, counter-applications, added parties.

Stage pages follow ``steps``: each POST view fetches the case through the selectors, calls one
service, and goes back to the case page (or shows it again with the bound form and its errors).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhongcai.accounts.models import User
from zhongcai.workspace.access import staff_required

from .. import evidence, selectors, workflow
from ..models import (
    Case,
    CaseDeadline,
    CounterApplication,
    Defence,
    EvidenceItem,
)
from ..models.evidence import Decision
from .evidence_forms import (
    AddPartyForm,
    ClaimChangeDecisionForm,
    ClaimChangeForm,
    CounterApplicationForm,
    CounterDecisionForm,
    CrossExaminationForm,
    DefenceForm,
    EvidenceForm,
    EvidencePeriodForm,
    WaiveDefenceForm,
    case_claim_changes,
    case_counter_applications,
    case_evidence,
    case_respondents,
)
from .serving import VISIBLE
from .steps import run_step

# URL name of each action's page endpoint (``cases:case-<action>``), for this stage.
ACTION_URLS: dict[str, str] = {
    action: f"cases:case-{action.replace('_', '-')}"
    for action in (
        "file_defence",
        "waive_defence_period",
        "set_evidence_period",
        "submit_evidence",
        "record_cross_examination",
        "apply_claim_change",
        "decide_claim_change",
        "file_counter_application",
        "decide_counter_application",
        "add_party",
    )
}
# Labels of the events this stage writes, for the case history.
EVENT_LABELS: dict[str, Any] = {
    "case.defence_filed": gettext_lazy("Defence recorded"),
    "case.defence_period_waived": gettext_lazy("Defence period waived"),
    "case.evidence_period_set": gettext_lazy("Evidence period set"),
    "case.evidence_submitted": gettext_lazy("Evidence added"),
    "case.evidence_examined": gettext_lazy("Cross-examination recorded"),
    "case.claim_change_applied": gettext_lazy("Added or changed claims recorded"),
    "case.claim_change_decided": gettext_lazy("Decision on added or changed claims"),
    "case.counter_application_filed": gettext_lazy("Counter-application recorded"),
    "case.counter_application_decided": gettext_lazy("Decision on the counter-application"),
    "case.party_added": gettext_lazy("Party added"),
}

FORMS: dict[str, type[Form]] = {
    "file_defence": DefenceForm,
    "waive_defence_period": WaiveDefenceForm,
    "set_evidence_period": EvidencePeriodForm,
    "submit_evidence": EvidenceForm,
    "record_cross_examination": CrossExaminationForm,
    "apply_claim_change": ClaimChangeForm,
    "decide_claim_change": ClaimChangeDecisionForm,
    "file_counter_application": CounterApplicationForm,
    "decide_counter_application": CounterDecisionForm,
    "add_party": AddPartyForm,
}
UPLOADS = frozenset({"file_defence", "submit_evidence"})


def form_for(action: str) -> Callable[[Case, Any, Any], Form]:
    def factory(case: Case, data: Any = None, files: Any = None) -> Form:
        return FORMS[action](data, files, case=case)  # type: ignore[call-arg]

    return factory


def _defence(user: User, case: Case, data: dict[str, Any]) -> str:
    defence = evidence.defence_file(by=user, case=case, **data)
    if defence.late:
        return _("The defence is recorded, after its period.")
    return _("The defence is recorded.")


def _waive(user: User, case: Case, data: dict[str, Any]) -> str:
    evidence.defence_period_waive(by=user, case=case, **data)
    return _("The defence period of %(party)s is waived.") % {"party": data["party"].name}


def _period(user: User, case: Case, data: dict[str, Any]) -> str:
    clock = evidence.evidence_period_set(by=user, case=case, days=data["days"])
    return _("The evidence period ends on %(date)s.") % {"date": clock.due_on.isoformat()}


def _submit(user: User, case: Case, data: dict[str, Any]) -> str:
    item = evidence.evidence_submit(by=user, case=case, **data)
    return _("Evidence no. %(number)d is added.") % {"number": item.number}


def _examine(user: User, case: Case, data: dict[str, Any]) -> str:
    evidence.cross_examination_record(by=user, case=case, **data)
    return _("The cross-examination is recorded.")


def _apply_change(user: User, case: Case, data: dict[str, Any], form: Form) -> str:
    evidence.claim_change_apply(
        by=user,
        case=case,
        kind=data["kind"],
        items=form.claim_items(),  # type: ignore[attr-defined]
        reasons=data["reasons"],
    )
    return _("The added or changed claims are recorded; the tribunal decides on them.")


def _decide_change(user: User, case: Case, data: dict[str, Any]) -> str:
    accepted = data["decision"] == Decision.ACCEPTED
    evidence.claim_change_decide(
        by=user,
        case=case,
        change=data["change"],
        accepted=accepted,
        reasons=data["reasons"],
        waived_by=list(data["waived_by"]),
    )
    if accepted:
        return _("Accepted: the claims are changed and the time limit counts again from today.")
    return _("Refused: the claims stay as they were.")


def _counter(user: User, case: Case, data: dict[str, Any], form: Form) -> str:
    evidence.counter_application_file(
        by=user,
        case=case,
        party=data["party"],
        items=form.claim_items(),  # type: ignore[attr-defined]
        facts_and_reasons=data["facts_and_reasons"],
    )
    return _("The counter-application is recorded; the decision is due in 5 working days.")


def _decide_counter(user: User, case: Case, data: dict[str, Any]) -> str:
    counter = evidence.counter_application_decide(by=user, case=case, **data)
    return _("Decided: %(outcome)s.") % {"outcome": counter.get_outcome_display()}


def _add_party(user: User, case: Case, data: dict[str, Any], form: Form) -> str:
    party = evidence.party_add(
        by=user,
        case=case,
        data=form.to_party(),  # type: ignore[attr-defined]
        reasons=data["reasons"],
    )
    return _("%(party)s is added; the time limit counts again from today.") % {"party": party.name}


# Steps that read more than cleaned_data from their form (claim rows, the party).
WITH_FORM: dict[str, Callable[[User, Case, dict[str, Any], Form], str]] = {
    "apply_claim_change": _apply_change,
    "file_counter_application": _counter,
    "add_party": _add_party,
}
PERFORM: dict[str, Callable[[User, Case, dict[str, Any]], str]] = {
    "file_defence": _defence,
    "waive_defence_period": _waive,
    "set_evidence_period": _period,
    "submit_evidence": _submit,
    "record_cross_examination": _examine,
    "decide_claim_change": _decide_change,
    "decide_counter_application": _decide_counter,
}


def _step_view(action: str) -> Callable[..., HttpResponse]:
    @require_POST
    @staff_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        if action not in WITH_FORM:
            return run_step(request, pk, action, form_for(action), PERFORM[action])
        # run_step hands the cleaned data only: keep the bound form to read its rows.
        holder: dict[str, Form] = {}

        def factory(case: Case, data: Any, files: Any) -> Form:
            holder["form"] = form_for(action)(case, data, files)
            return holder["form"]

        def perform(user: User, case: Case, data: dict[str, Any]) -> str:
            return WITH_FORM[action](user, case, data, holder["form"])

        return run_step(request, pk, action, factory, perform)

    view.__name__ = f"case_{action}"
    return view


@staff_required
def evidence_file(request: HttpRequest, pk: int, item_pk: int) -> FileResponse:
    """The evidence file, for the staff who may see the case (another county: 404)."""
    case = selectors.get_case_for(request.user, pk)  # type: ignore[arg-type]
    item = get_object_or_404(EvidenceItem, case=case, pk=item_pk)
    if not item.file:
        raise Http404
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.file_name or item.file.name.rsplit("/")[-1],
    )


urlpatterns: list[URLPattern | URLResolver] = [
    *(
        path(
            f"<int:pk>/{action.replace('_', '-')}/",
            _step_view(action),
            name=url.split(":", 1)[1],
        )
        for action, url in ACTION_URLS.items()
    ),
    path("<int:pk>/evidence/<int:item_pk>/file/", evidence_file, name="case-evidence-file"),
]


def stage_data(case: Case) -> dict[str, Any]:
    """The stage's rows, one query per list whatever their number; the clocks and the parties
    from the case page's prefetch."""
    clocks = sorted(case.deadlines.all(), key=lambda d: (d.started_on, d.pk))
    latest_defence = {d.party_id: d for d in clocks if d.code == "defence" and d.party_id}
    evidence_clocks = [
        d for d in clocks if d.code == "evidence_period" and d.state != CaseDeadline.State.CANCELLED
    ]
    today = timezone.localdate()
    respondents = []
    for party in case_respondents(case):
        clock = latest_defence.get(party.pk)
        running = clock is not None and clock.state == CaseDeadline.State.OPEN
        respondents.append(
            {"party": party, "clock": clock, "overdue": running and clock.due_on < today}
        )
    return {
        "respondents": respondents,
        "evidence_clock": max(evidence_clocks, key=lambda d: d.pk) if evidence_clocks else None,
        "defences": list(
            Defence.objects.filter(case=case)
            .select_related("party", "document", "recorded_by")
            .order_by("submitted_at", "pk")
        ),
        "evidence": case_evidence(case),
        "claim_changes": case_claim_changes(case),
        "counter_applications": case_counter_applications(case),
    }


def _offered(action: str, case: Case, data: dict[str, Any]) -> bool:
    """A step is offered only when there is something to take it on."""
    if action == "waive_defence_period":
        return case.simplified
    if action == "record_cross_examination":
        return bool(data["evidence"])
    if action == "decide_claim_change":
        return any(c.decision == Decision.PENDING for c in data["claim_changes"])
    if action == "decide_counter_application":
        return any(
            c.outcome == CounterApplication.Outcome.PENDING for c in data["counter_applications"]
        )
    return True


def panel(request: HttpRequest, case: Case, bound: dict[str, Form]) -> dict[str, Any]:
    """Context for ``cases/stages/_evidence.html`` on the case page.

    ``bound`` maps an action name to a form bound to what was posted, when the page is shown
    again with errors; every other form is fresh.
    """
    if case.status not in VISIBLE:
        return {}
    data = stage_data(case)
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
        if action in available and (action in bound or _offered(action, case, data))
    ]
    return {"visible": True, "actions": actions, **data}
