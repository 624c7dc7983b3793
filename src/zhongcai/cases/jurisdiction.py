"""Objections to jurisdiction (管辖异议, 办案规则 art. 10).

A party who thinks another commission competent objects in writing before its defence period
ends. The commission examines the objection: upheld, it transfers the case to the competent
commission (``closing.case_transfer``, whose 决定书 and 案件移送函 say so); rejected, it decides so
in writing — the 决定书 issued here, effective on service and served on every party.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User

from .documents import document_issue
from .models import Case, CaseDocument, DecisionKind, DocumentKind, Party
from .serving import ensure_step, in_case
from .workflow import transition


def jurisdiction_objection_reject(
    *, by: User, case: Case, party: Party | None, objected_on: date | None, reasons: str
) -> CaseDocument:
    """The head rejects ``party``'s objection to jurisdiction, raised on ``objected_on``, for
    ``reasons``: the 决定书 (管辖异议) goes to the main volume and to every party."""
    ensure_step(by, case, "decide_jurisdiction")
    reasons = reasons.strip()
    errors: dict[str, list[str]] = {}
    if party is None or not in_case(case, party):
        errors["party"] = [_("Choose the party who objected.")]
    today = timezone.localdate()
    if objected_on is None:
        errors["objected_on"] = [_("Give the date of the objection.")]
    elif objected_on > today:
        errors["objected_on"] = [_("The objection cannot be dated in the future.")]
    elif case.accepted_on and objected_on < case.accepted_on:
        errors["objected_on"] = [_("The objection cannot predate the acceptance of the case.")]
    if not reasons:
        errors["reasons"] = [_("Give the reasons for rejecting the objection.")]
    if errors or party is None or objected_on is None:
        raise ValidationError(errors)
    holder: dict[str, CaseDocument] = {}

    def apply(locked: Case) -> dict[str, Any]:
        holder["decision"] = document_issue(
            case=locked,
            kind=DocumentKind.DECISION,
            decision_kind=DecisionKind.JURISDICTION,
            title=_("Decision: jurisdiction objection rejected"),
            by=by,
            body=reasons,
            data={
                "upheld": False,
                "objector": party.pk,
                "objector_name": party.name,
                "objected_on": objected_on.isoformat(),
                "reasons": reasons,
            },
        )
        return {
            "document": holder["decision"].pk,
            "party": party.pk,
            "objected_on": objected_on.isoformat(),
        }

    transition(case, "decide_jurisdiction", by=by, apply=apply)
    return holder["decision"]
