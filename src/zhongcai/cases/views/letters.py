"""Letters to other bodies: 调查取证函 and 仲裁建议书 (spec §5.1; rules in ``cases.letters``).

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

from .. import letters, workflow
from ..models import Case
from .serving_forms import case_documents
from .steps import run_step

# URL name of each action's page endpoint (``cases:case-<action>``), for this stage.
ACTION_URLS: dict[str, str] = {"issue_letter": "cases:case-issue-letter"}
# Labels of the events this stage writes, for the case history.
EVENT_LABELS: dict[str, Any] = {"case.letter_issued": gettext_lazy("Letter issued")}


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


def _issue(user: User, case: Case, data: dict[str, Any]) -> str:
    letter = letters.letter_issue(by=user, case=case, **data)
    return _("“%(title)s” was issued.") % {"title": letter.title}


@require_POST
@staff_required
def case_issue_letter(request: HttpRequest, pk: int) -> HttpResponse:
    return run_step(request, pk, "issue_letter", _form, _issue)


urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/issue-letter/", case_issue_letter, name="case-issue-letter"),
]


def panel(request: HttpRequest, case: Case, bound: dict[str, Form]) -> dict[str, Any]:
    """Context for ``cases/stages/_letters.html`` on the case page: the letters issued, and
    the form while the case is open."""
    user: User = request.user  # type: ignore[assignment]
    available = "issue_letter" in workflow.available_actions(user, case)
    # The case's documents as the service panel read them (no query of its own).
    issued = [d for d in case_documents(case) if d.kind in letters.LETTER_KINDS]
    if not available and not issued:
        return {"shown": False}
    actions = [
        {
            "name": "issue_letter",
            "label": workflow.ACTION_LABELS["issue_letter"],
            "url": ACTION_URLS["issue_letter"],
            "form": bound.get("issue_letter") or _form(case),
            "open": "issue_letter" in bound,
        }
    ] if available else []  # fmt: skip
    return {
        "shown": True,
        "letters": issued,
        "actions": actions,
    }
