"""Letters of the commission to other bodies in an open case (spec §5.1).

* 调查取证函 — asks a body (an employer's registry, a social-insurance agency, a court) for
  evidence the tribunal finds it needs (办案规则 art. 17);
* 仲裁建议书 — recommends to an employer or an authority what the case showed should change
  (practice: the 2009 main-volume list; LDMAL art. 19 on the commission's duties).

Neither is served on a party: each goes to its addressee, named in free text, and to the main
volume. The handler writes the body — the matters to check, one a line, or what the case showed —
and, for a recommendation, the recommendations; the template adds the caption, the case, the
number, the seal and the date.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.documents.catalogue import template

from .documents import document_issue
from .models import Case, CaseDocument, DocumentKind
from .serving import ensure_step
from .workflow import transition

LETTER_KINDS = (DocumentKind.INVESTIGATION_LETTER, DocumentKind.RECOMMENDATION_LETTER)
ADDRESSEE_LENGTH = 100


def letter_issue(
    *,
    by: User,
    case: Case,
    kind: str,
    addressee: str,
    body: str,
    recommendations: str | Sequence[str] = "",
) -> CaseDocument:
    """Issue a 调查取证函 or 仲裁建议书 to ``addressee`` with the handler's ``body`` (and, for a
    recommendation letter, its ``recommendations``, one a line).

    Who may (a handler of the case: clerk, head or a sitting arbitrator) and when (an open case)
    are asked before the input is judged: a stranger learns nothing from our validation.
    """
    ensure_step(by, case, "issue_letter")
    addressee, body = addressee.strip(), body.strip()
    lines = recommendations.splitlines() if isinstance(recommendations, str) else recommendations
    advice = [line.strip() for line in lines if line.strip()]
    errors: dict[str, list[str]] = {}
    if kind not in LETTER_KINDS:
        errors["kind"] = [_("Choose the kind of letter.")]
    if not addressee:
        errors["addressee"] = [_("Name the body the letter is addressed to.")]
    elif len(addressee) > ADDRESSEE_LENGTH:
        errors["addressee"] = [
            _("Give the addressee in at most %(n)d characters.") % {"n": ADDRESSEE_LENGTH}
        ]
    if not body:
        errors["body"] = [_("Write the body of the letter.")]
    if advice and kind != DocumentKind.RECOMMENDATION_LETTER:
        errors["recommendations"] = [_("Only a recommendation letter makes recommendations.")]
    if errors:
        raise ValidationError(errors)
    entry = template(str(kind))
    holder: dict[str, CaseDocument] = {}

    def apply(locked: Case) -> dict[str, Any]:
        holder["letter"] = document_issue(
            case=locked,
            kind=DocumentKind(kind),
            title=f"{entry.title}（{addressee}）",
            by=by,
            body=body,
            data={"addressee": addressee, **({"recommendations": advice} if advice else {})},
        )
        return {"document": holder["letter"].pk, "kind": kind, "addressee": addressee}

    transition(case, "issue_letter", by=by, apply=apply)
    return holder["letter"]


def letters_of(case: Case) -> list[CaseDocument]:
    return list(case.documents.filter(kind__in=LETTER_KINDS).order_by("issued_at", "pk"))


__all__ = ["LETTER_KINDS", "letter_issue", "letters_of"]
