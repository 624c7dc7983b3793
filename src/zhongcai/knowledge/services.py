"""Writes of the case library: "not similar" feedback, and the hook that will turn the
commission's own closed cases into library entries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.cases.models import Case

from .caselibrary import CaseSpec
from .casetypes import TYPE_DEFAULT_KIND, Authority, DecidedBy
from .elements import (
    ClaimSpec,
    Elements,
    causes_for,
    claim_kind,
    dates,
    read_citations,
    termination_reason,
)
from .lawpush import facts_date
from .models import LibraryCase, SimilarityFeedback


def _require_staff(user: User) -> None:
    if not user.is_authenticated or not user.is_staff_member:
        raise PermissionDenied(_("Only staff can judge similar cases."))


@transaction.atomic
def similarity_feedback_mark(
    *, by: User, case: Case, library_case: LibraryCase, note: str = ""
) -> SimilarityFeedback:
    """Record that ``by`` finds ``library_case`` not similar to ``case``. Marking again is a
    no-op that returns the open mark. ``case`` must come through the cases' selector (scope)."""
    _require_staff(by)
    note = note.strip()
    if len(note) > 200:
        raise ValidationError(_("Say why in at most 200 characters."))
    existing = SimilarityFeedback.objects.filter(
        user=by, case=case, library_case=library_case, withdrawn_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return SimilarityFeedback.objects.create(
                user=by, case=case, library_case=library_case, note=note
            )
    except IntegrityError:
        # Two clicks at once: the other request's mark is the one.
        return SimilarityFeedback.objects.get(
            user=by, case=case, library_case=library_case, withdrawn_at__isnull=True
        )


@transaction.atomic
def similarity_feedback_withdraw(
    *, by: User, case: Case, library_case: LibraryCase
) -> SimilarityFeedback | None:
    """Withdraw ``by``'s open mark, if any; the row stays, with the time it was withdrawn."""
    _require_staff(by)
    mark = (
        SimilarityFeedback.objects.select_for_update()
        .filter(user=by, case=case, library_case=library_case, withdrawn_at__isnull=True)
        .first()
    )
    if mark is not None:
        mark.withdrawn_at = timezone.now()
        mark.save(update_fields=["withdrawn_at"])
    return mark


# -- the commission's own cases (hook) -------------------------------------------------------


class NotReadyForLibrary(ValueError):
    """The case cannot become a library entry (yet); the message says why."""


@dataclass(frozen=True)
class CaseOutcome:
    """What the award decided on one claim item; supplied by the award stage."""

    claim_number: int
    outcome: str  # casetypes.Outcome
    amount_awarded: Any = None


def library_entry_from_case(
    case: Case,
    *,
    outcomes: list[CaseOutcome],
    holding: str,
    outcome_text: str,
    public: bool = False,
) -> CaseSpec:
    """The library entry a closed case would become: its facts, claims (with the award's outcome
    for each), causes, place and dates, ready for ``caselibrary.write_case_library``.

    The hook for the award stage, which does not exist yet: it will call this when an award is
    made (and the publication workflow when the anonymised award is published, with
    ``public=True``). Nothing calls it today and nothing is invented: without an outcome for
    every claim item the case is refused. The texts must already be anonymised by the caller.
    """
    claims = list(case.claims.all())
    if not claims:
        raise NotReadyForLibrary(_("The case has no claim item."))
    decided = {o.claim_number: o for o in outcomes}
    missing = [c.number for c in claims if c.number not in decided]
    if missing:
        raise NotReadyForLibrary(
            _("No outcome for claim items %(numbers)s.")
            % {"numbers": ", ".join(str(n) for n in missing)}
        )
    specs = [
        ClaimSpec(
            kind=claim_kind(c.description) or TYPE_DEFAULT_KIND.get(c.type, "other"),
            type=c.type,
            description=c.description,
            amount_claimed=c.amount,
            amount_awarded=decided[c.number].amount_awarded,
            outcome=decided[c.number].outcome,
        )
        for c in claims
    ]
    facts = case.facts_and_reasons or ""
    start, end, applied = dates(facts)
    on, _source = facts_date(case)
    return CaseSpec(
        key=f"case-{case.pk}",
        title=str(case),
        authority=Authority.LOCAL,
        issuing_body=case.commission.name,
        collection="",
        issued_on=timezone.localdate(),
        issued_precision="day",
        decided_by=DecidedBy.ARBITRATION,
        region=case.workplace_division_id or "",
        public=public,
        facts=facts,
        claims_text="\n".join(f"{c.number}. {c.description}" for c in claims),
        outcome_text=outcome_text,
        reasoning=holding,
        significance="",
        elements=Elements(
            causes=list(case.causes) or causes_for(s.kind for s in specs),
            claims=specs,
            termination_reason=termination_reason(facts),
            employment_start=start,
            employment_end=end or on,
            applied_on=timezone.localdate(case.received_at) if case.received_at else applied,
            citations=read_citations(holding, on=timezone.localdate()),
        ),
        elements_checked=True,
        origin=LibraryCase.Origin.COMMISSION,
        source_case_id=case.pk,
    )
