"""The tribunal (组庭), declared relations and recusal (回避).

Stage pages follow ``steps``: each POST view fetches the case through the selectors, calls one
service, and goes back to the case page (or shows it again with the bound form and its errors).
The declared relations have their own page: an arbitrator keeps their own, the head those of the
commission's people; anyone else's answers 404, like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from zhongcai.accounts.models import Role, User
from zhongcai.orgs.models import Person
from zhongcai.workspace.access import staff_required

from .. import tribunal, workflow
from ..models import (
    ArbitratorRelation,
    Case,
    Party,
    RecusalApplication,
    TribunalMember,
)
from ..tribunal import Exclusion, Pool, Summary
from .steps import run_step
from .tribunal_forms import (
    RecusalApplyForm,
    RecusalDecideForm,
    RelationForm,
    ReplaceForm,
    TribunalForm,
)

# URL name of each action's page endpoint (``cases:case-<action>``), for this stage.
ACTION_URLS: dict[str, str] = {
    "form_tribunal": "cases:case-form-tribunal",
    "replace_tribunal_member": "cases:case-replace-tribunal-member",
    "apply_recusal": "cases:case-apply-recusal",
    "decide_recusal": "cases:case-decide-recusal",
}
# Labels of the events this stage writes, for the case history.
EVENT_LABELS: dict[str, Any] = {
    "case.tribunal_formed": gettext_lazy("Tribunal formed"),
    "case.tribunal_member_replaced": gettext_lazy("Member of the tribunal replaced"),
    "case.recusal_applied": gettext_lazy("Recusal application recorded"),
    "case.recusal_decided": gettext_lazy("Recusal decided"),
}


# --- Forms, fresh or bound ---------------------------------------------------------------------


class _Pools:
    """The candidate pools, computed once per page and only if a form needs them."""

    def __init__(self, case: Case, summary: Summary) -> None:
        self.case, self.summary = case, summary
        self._pools: tuple[Pool, Pool] | None = None

    def get(self) -> tuple[Pool, Pool]:
        if self._pools is None:
            seats = [*self.summary.sitting, *self.summary.past]
            self._pools = tribunal.pools(self.case, seats=seats)
        return self._pools


def _seats_to_fill(summary: Summary) -> list[TribunalMember]:
    return [*summary.sitting, *summary.to_replace]


def _form(
    action: str,
    case: Case,
    data: Any,
    *,
    summary: Summary,
    pools: _Pools,
    parties: list[Party],
) -> Form:
    if action == "form_tribunal":
        arbitrators, recorders = pools.get()
        return TribunalForm(
            data,
            arbitrators=arbitrators,
            recorders=recorders,
            three_required=case.collective or case.major,
        )
    if action == "replace_tribunal_member":
        arbitrators, recorders = pools.get()
        return ReplaceForm(
            data, seats=_seats_to_fill(summary), arbitrators=arbitrators, recorders=recorders
        )
    if action == "apply_recusal":
        challenged = [m for m in summary.sitting if m.pk not in summary.challenged]
        return RecusalApplyForm(data, seats=challenged, parties=parties)
    pending = [r for r in summary.recusals if r.decision == RecusalApplication.Decision.PENDING]
    return RecusalDecideForm(data, pending=pending)


def _factory(action: str) -> Any:
    def build(case: Case, data: Any, files: Any) -> Form:
        summary = tribunal.tribunal_summary(case)
        return _form(
            action,
            case,
            data,
            summary=summary,
            pools=_Pools(case, summary),
            parties=list(case.parties.all()),
        )

    return build


# --- Steps --------------------------------------------------------------------------------------


def _member(case: Case, pk: int | None, key: str = "member") -> TribunalMember:
    member = TribunalMember.objects.filter(case=case, pk=pk).select_related("person").first()
    if member is None:
        raise ValidationError({key: [_("This seat is not on this case's tribunal.")]})
    return member


def _form_tribunal(user: User, case: Case, data: dict[str, Any]) -> str:
    tribunal.tribunal_form(
        by=user,
        case=case,
        kind=data["kind"],
        mode=data["mode"],
        designated=data["designated"],
        presiding=data["presiding"],
        recorder=data["recorder"],
        reason=data["reason"],
    )
    return _("The tribunal is formed; serve its notice on the parties.")


def _replace(user: User, case: Case, data: dict[str, Any]) -> str:
    new = tribunal.tribunal_member_replace(
        by=user,
        case=case,
        member=_member(case, data["member"]),
        mode=data["mode"],
        person=data["person"],
        reason=data["reason"],
    )
    return _("%(name)s now holds the seat; serve the new notice on the parties.") % {
        "name": new.person.name
    }


def _apply_recusal(user: User, case: Case, data: dict[str, Any]) -> str:
    applicant = None
    if data["applicant"] is not None:
        applicant = case.parties.filter(pk=data["applicant"]).first()
        if applicant is None:
            raise ValidationError({"applicant": [_("This party is not in this case.")]})
    application = tribunal.recusal_apply(
        by=user,
        case=case,
        member=_member(case, data["member"]),
        applicant=applicant,
        ground=data["ground"],
        reasons=data["reasons"],
        learned_later=data["learned_later"],
    )
    due = application.deadline.due_on if application.deadline else None
    return _("The application is recorded; decide it by %(due)s.") % {
        "due": due.isoformat() if due else "—"
    }


def _decide_recusal(user: User, case: Case, data: dict[str, Any]) -> str:
    application = RecusalApplication.objects.filter(case=case, pk=data["application"]).first()
    if application is None:
        raise ValidationError({"application": [_("This application is not in this case.")]})
    decided = tribunal.recusal_decide(
        by=user,
        case=case,
        application=application,
        upheld=data["upheld"],
        reasons=data["reasons"],
    )
    if decided.decision == RecusalApplication.Decision.UPHELD:
        return _("Recusal upheld and its decision issued: fill the seat.")
    return _("Recusal rejected and its decision issued.")


@staff_required
@require_POST
def case_form_tribunal(request: HttpRequest, pk: int) -> HttpResponse:
    return run_step(request, pk, "form_tribunal", _factory("form_tribunal"), _form_tribunal)


@staff_required
@require_POST
def case_replace_tribunal_member(request: HttpRequest, pk: int) -> HttpResponse:
    return run_step(
        request, pk, "replace_tribunal_member", _factory("replace_tribunal_member"), _replace
    )


@staff_required
@require_POST
def case_apply_recusal(request: HttpRequest, pk: int) -> HttpResponse:
    return run_step(request, pk, "apply_recusal", _factory("apply_recusal"), _apply_recusal)


@staff_required
@require_POST
def case_decide_recusal(request: HttpRequest, pk: int) -> HttpResponse:
    return run_step(request, pk, "decide_recusal", _factory("decide_recusal"), _decide_recusal)


# --- The panel on the case page -----------------------------------------------------------------


def _draw_rows(summary: Summary) -> list[dict[str, Any]]:
    names = summary.names
    return [
        {
            "draw": draw,
            "label": EVENT_LABELS.get(draw.event_kind, draw.event_kind),
            "candidates": [names.get(pk, pk) for pk in draw.candidates],
            "excluded": [
                (
                    names.get(int(pk), pk),
                    Exclusion(code).label if code in Exclusion.values else code,
                )
                for pk, code in draw.excluded.items()
            ],
            "drawn": [names.get(pk, pk) for pk in draw.drawn],
            "replays": draw.replays,
        }
        for draw in summary.draws
    ]


def _keeps_relations(user: User, case: Case) -> bool:
    """Whether the relations page is the user's: the head, or someone on the roster."""
    if user.role == Role.INSTITUTE_HEAD:
        return True
    return Person.objects.filter(user=user, organisation_id=case.commission_id).exists()


def panel(request: HttpRequest, case: Case, bound: dict[str, Form]) -> dict[str, Any]:
    """Context for ``cases/stages/_tribunal.html`` on the case page.

    ``bound`` maps an action name to a form bound to what was posted, when the page is shown
    again with errors; every other form is fresh.
    """
    if case.accepted_on is None:
        return {"shown": False}
    user: User = request.user  # type: ignore[assignment]
    summary = tribunal.tribunal_summary(case)
    pools = _Pools(case, summary)
    prefetch_related_objects([case], "parties__agents")  # done already on the case page
    parties = list(case.parties.all())
    forms = []
    for action in workflow.available_actions(user, case):
        if action not in ACTION_URLS:
            continue
        form = bound.get(action) or _form(
            action, case, None, summary=summary, pools=pools, parties=parties
        )
        forms.append(
            {
                "name": action,
                "label": workflow.ACTION_LABELS[action],
                "url": ACTION_URLS[action],
                "form": form,
                "open": action in bound,
            }
        )
    return {
        "shown": True,
        "summary": summary,
        "draws": _draw_rows(summary),
        "forms": forms,
        "keeps_relations": _keeps_relations(user, case),
    }


# --- Declared relations -------------------------------------------------------------------------


def _people_or_403(user: User) -> Any:
    people = tribunal.relation_people_for(user)
    if not people.exists():
        raise PermissionDenied(_("Only arbitrators, recorders and the head keep relations here."))
    return people


def _relations_page(
    request: HttpRequest, *, bound: dict[int, RelationForm] | None = None, status: int = 200
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    relations = ArbitratorRelation.objects.select_related("declared_by").order_by(
        "withdrawn_at", "name", "pk"
    )
    people = list(_people_or_403(user).prefetch_related(Prefetch("relations", queryset=relations)))
    bound = bound or {}
    rows = [
        {
            "person": person,
            "current": [r for r in person.relations.all() if r.withdrawn_at is None],
            "withdrawn": [r for r in person.relations.all() if r.withdrawn_at is not None],
            "form": bound.get(person.pk) or RelationForm(person_pk=person.pk),
            "open": person.pk in bound,
        }
        for person in people
    ]
    return render(
        request,
        "cases/tribunal/relations.html",
        {"rows": rows, "commission": tribunal.commission_of(user)},
        status=status,
    )


@staff_required
@require_GET
def relations(request: HttpRequest) -> HttpResponse:
    return _relations_page(request)


@staff_required
@require_POST
def relation_add(request: HttpRequest, person_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    person = get_object_or_404(_people_or_403(user), pk=person_pk)
    form = RelationForm(request.POST, person_pk=person.pk)
    if form.is_valid():
        try:
            tribunal.relation_declare(by=user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                form.add_error(key if key in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("The relation is recorded: %(name)s is not drawn for it.")
                % {"name": person.name},
            )
            return redirect("cases:relations")
    return _relations_page(request, bound={person.pk: form}, status=400)


@staff_required
@require_POST
def relation_withdraw(request: HttpRequest, relation_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    _people_or_403(user)
    relation = get_object_or_404(tribunal.relations_for(user), pk=relation_pk)
    try:
        tribunal.relation_withdraw(by=user, relation=relation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The relation is withdrawn."))
    return redirect("cases:relations")


urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/form-tribunal/", case_form_tribunal, name="case-form-tribunal"),
    path(
        "<int:pk>/replace-tribunal-member/",
        case_replace_tribunal_member,
        name="case-replace-tribunal-member",
    ),
    path("<int:pk>/apply-recusal/", case_apply_recusal, name="case-apply-recusal"),
    path("<int:pk>/decide-recusal/", case_decide_recusal, name="case-decide-recusal"),
    path("relations/", relations, name="relations"),
    path("relations/<int:person_pk>/add/", relation_add, name="relation-add"),
    path("relations/<int:relation_pk>/withdraw/", relation_withdraw, name="relation-withdraw"),
]
