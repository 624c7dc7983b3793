"""Mediation entrusted by the tribunal before the hearing (办案规则 art. 69; rules in
``mediation.entrusted``): the case page shows each entrusted mediation, its state and due date,
and offers the form while the step is open. The form posts to ``mediation:handover-entrust``."""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from zhongcai.accounts.models import User

from .. import workflow
from ..models import Case

ACTION_URLS: dict[str, str] = {"entrust_mediation": "mediation:handover-entrust"}
# The step's endpoint is the mediation app's (it opens a mediation case); none here.
urlpatterns: list[Any] = []
EVENT_LABELS: dict[str, Any] = {
    "case.mediation_entrusted": gettext_lazy("Mediation entrusted"),
    "case.entrusted_mediation_agreed": gettext_lazy("Entrusted mediation: agreement reached"),
    "case.entrusted_mediation_failed": gettext_lazy(
        "Entrusted mediation failed: the hearing is held"
    ),
}


def panel(request: HttpRequest, case: Case, bound: dict[str, Form]) -> dict[str, Any]:
    from zhongcai.mediation.entrusted import entrusted_of
    from zhongcai.mediation.forms_handover import EntrustForm

    user: User = request.user  # type: ignore[assignment]
    mediations = entrusted_of(case)
    actions = [
        {
            "name": "entrust_mediation",
            "label": workflow.ACTION_LABELS["entrust_mediation"],
            "url": ACTION_URLS["entrust_mediation"],
            "form": bound.get("entrust_mediation") or EntrustForm(),
            "open": "entrust_mediation" in bound,
        }
    ]
    if "entrust_mediation" not in workflow.available_actions(user, case):
        actions = []
    if not actions and not mediations:
        return {"shown": False}
    return {"shown": True, "mediations": mediations, "actions": actions}
