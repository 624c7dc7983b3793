"""Letters to other bodies: 调查取证函 and 仲裁建议书 (spec §5.1; rules in ``cases.letters``);
and the written rejection of an objection to jurisdiction (``cases.jurisdiction``).

Stage pages follow ``steps``: the POST view fetches the case through the selectors, calls one
service, and goes back to the case page (or shows it again with the bound form and its errors).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhongcai.accounts.models import User
from zhongcai.workspace.access import staff_required

from .. import jurisdiction, letters, workflow
from ..models import Case, Party
from .serving_forms import case_documents
from .steps import run_step

# URL name of each action's page endpoint (``cases:case-<action>``), for this stage.
ACTION_URLS: dict[str, str] = {
    "issue_letter": "cases:case-issue-letter",
    "decide_jurisdiction": "cases:case-decide-jurisdiction",
}
# Labels of the events this stage writes, for the case history.
EVENT_LABELS: dict[str, Any] = {
    "case.letter_issued": gettext_lazy("Letter issued"),
    "case.jurisdiction_objection_rejected": gettext_lazy("Objection to jurisdiction rejected"),
}


class LetterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Letter"),
        choices=[("", "—"), *((k.value, k.label) for k in letters.LETTER_KINDS)],
        error_messages={"required": gettext_lazy("Choose the kind of letter.")},
    )
    addressee = forms.CharField(
        label=gettext_lazy("To"),
        max_length=letters.ADDRESSEE_LENGTH,
        required=False,
        help_text=gettext_lazy("The body the letter is addressed to, as printed on it."),
    )
    body = forms.CharField(
        label=gettext_lazy("Body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "The matters to check, one a line, or what the case showed; the caption, the case, "
            "the number and the seal are added."
        ),
    )
    recommendations = forms.CharField(
        label=gettext_lazy("Recommendations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("A recommendation letter only: one recommendation a line."),
    )

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)


def _form(case: Case, data: Any = None, files: Any = None) -> Form:
    return LetterForm(data, files, case=case)


class JurisdictionForm(forms.Form):
    party = forms.ModelChoiceField(
        label=gettext_lazy("Objecting party"),
        queryset=Party.objects.none(),
        required=False,
    )
    objected_on = forms.DateField(
        label=gettext_lazy("Objection received on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reasons = forms.CharField(
        label=gettext_lazy("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Why this commission is competent. To uphold the objection, transfer the case."
        ),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = case.parties.order_by("pk")  # type: ignore[attr-defined]


def _jurisdiction_form(case: Case, data: Any = None, files: Any = None) -> Form:
    return JurisdictionForm(data, files, case=case)


def _reject(user: User, case: Case, data: dict[str, Any]) -> str:
    jurisdiction.jurisdiction_objection_reject(by=user, case=case, **data)
    return _("The objection to jurisdiction was rejected; the decision is to be served.")


def _issue(user: User, case: Case, data: dict[str, Any]) -> str:
    letter = letters.letter_issue(by=user, case=case, **data)
    return _("“%(title)s” was issued.") % {"title": letter.title}


@require_POST
@staff_required
def case_issue_letter(request: HttpRequest, pk: int) -> HttpResponse:
    return run_step(request, pk, "issue_letter", _form, _issue)


@require_POST
@staff_required
def case_decide_jurisdiction(request: HttpRequest, pk: int) -> HttpResponse:
    return run_step(request, pk, "decide_jurisdiction", _jurisdiction_form, _reject)


urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/issue-letter/", case_issue_letter, name="case-issue-letter"),
    path(
        "<int:pk>/decide-jurisdiction/", case_decide_jurisdiction, name="case-decide-jurisdiction"
    ),
]


def panel(request: HttpRequest, case: Case, bound: dict[str, Form]) -> dict[str, Any]:
    """Context for ``cases/stages/_letters.html`` on the case page: the letters issued, and
    the form while the case is open."""
    user: User = request.user  # type: ignore[assignment]
    possible = workflow.available_actions(user, case)
    forms_of = {"issue_letter": _form, "decide_jurisdiction": _jurisdiction_form}
    # The case's documents as the service panel read them (no query of its own).
    issued = [d for d in case_documents(case) if d.kind in letters.LETTER_KINDS]
    actions = [
        {
            "name": name,
            "label": workflow.ACTION_LABELS[name],
            "url": ACTION_URLS[name],
            "form": bound.get(name) or make(case),
            "open": name in bound,
        }
        for name, make in forms_of.items()
        if name in possible
    ]
    if not actions and not issued:
        return {"shown": False}
    return {
        "shown": True,
        "letters": issued,
        "actions": actions,
    }
