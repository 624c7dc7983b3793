"""Quarterly verification (核准填报): snapshots, their diff, submission and decisions.

A county administrator submits the commission's quarter; the city reviews it (forwards or
returns); the province approves (or returns). A city's or the province's own commission goes to
the province directly. The submission freezes the commission's records as JSON (``snapshots``
says which fields); the reviewer sees the diff against the last approved quarter. Approval
publishes the commission's roster lines (``roster.publish``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.core.events import record_event

from . import roster
from .models import Organisation, QuarterDecision, QuarterSubmission
from .permissions import ensure_may_maintain, may_decide, pending_step
from .snapshots import build_snapshot, digest_of

if TYPE_CHECKING:
    from zhongcai.accounts.models import User

S = QuarterSubmission.Status


# --- Quarters -------------------------------------------------------------------------------


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


# --- Submission and decisions ---------------------------------------------------------------


def last_approved(
    commission: Organisation, *, before: tuple[int, int] | None = None
) -> QuarterSubmission | None:
    approved = QuarterSubmission.objects.filter(commission=commission, status=S.APPROVED)
    if before is not None:
        year, quarter = before
        approved = approved.filter(Q(year__lt=year) | Q(year=year, quarter__lt=quarter))
    return approved.order_by("-year", "-quarter").first()


def submittable_quarters(today: date | None = None) -> list[tuple[int, int]]:
    """The quarter just ended and the current one: what a commission may submit."""
    current = quarter_of(today or timezone.localdate())
    return [previous_quarter(*current), current]


@transaction.atomic
def quarter_submit(
    *, by: User, commission: Organisation, year: int, quarter: int, note: str = ""
) -> QuarterSubmission:
    """Freeze the commission's records for the quarter and send them for review."""
    ensure_may_maintain(by, commission)
    if commission.type != Organisation.Type.COMMISSION:
        raise ValidationError(_("Only an arbitration commission submits quarterly data."))
    # One submitter at a time per commission: the second waits and then finds the first.
    commission = Organisation.objects.select_for_update().get(pk=commission.pk)
    if (year, quarter) not in submittable_quarters():
        raise ValidationError(
            {"quarter": [_("Submit the quarter just ended or the current quarter.")]}
        )
    existing = (
        QuarterSubmission.objects.filter(commission=commission, year=year, quarter=quarter)
        .exclude(status=S.RETURNED)
        .first()
    )
    if existing is not None:
        raise ValidationError(
            {
                "quarter": [
                    _("This quarter is already %(status)s.")
                    % {"status": existing.get_status_display().lower()}
                ]
            }
        )
    later = QuarterSubmission.objects.filter(commission=commission, status=S.APPROVED).filter(
        Q(year__gt=year) | Q(year=year, quarter__gt=quarter)
    )
    if later.exists():
        raise ValidationError({"quarter": [_("A later quarter is already approved.")]})
    snapshot = build_snapshot(commission, year, quarter)
    base = last_approved(commission, before=(year, quarter))
    submission = QuarterSubmission.objects.create(
        commission=commission,
        year=year,
        quarter=quarter,
        snapshot=snapshot,
        snapshot_digest=digest_of(snapshot),
        base=base,
        note=note.strip(),
        submitted_by=by,
        submitted_at=timezone.now(),
    )
    record_event(
        submission,
        "verification.submitted",
        actor=by,
        organisation=commission,
        payload={
            "year": year,
            "quarter": quarter,
            "digest": submission.snapshot_digest,
            "base": base.pk if base else None,
            "checks": snapshot["checks"],
        },
    )
    return submission


OUTCOMES_BY_STEP = {
    QuarterDecision.Step.CITY_REVIEW: (
        QuarterDecision.Outcome.FORWARDED,
        QuarterDecision.Outcome.RETURNED,
    ),
    QuarterDecision.Step.PROVINCE_APPROVAL: (
        QuarterDecision.Outcome.APPROVED,
        QuarterDecision.Outcome.RETURNED,
    ),
}
STATUS_AFTER = {
    QuarterDecision.Outcome.FORWARDED: S.REVIEWED,
    QuarterDecision.Outcome.APPROVED: S.APPROVED,
    QuarterDecision.Outcome.RETURNED: S.RETURNED,
}


@transaction.atomic
def quarter_decide(
    *, by: User, submission: QuarterSubmission, outcome: str, comment: str = ""
) -> QuarterSubmission:
    """The city forwards or returns a county's quarter; the province approves or returns.

    Nobody decides on their own submission; a city only on its own counties. Approval publishes
    the commission's roster from the approved snapshot.
    """
    submission = (
        QuarterSubmission.objects.select_for_update()
        .select_related("commission__division")
        .get(pk=submission.pk)
    )
    step = pending_step(submission)
    if step is None:
        raise ValidationError(
            _("This quarter is %(status)s: there is nothing to decide.")
            % {"status": submission.get_status_display().lower()}
        )
    if by.pk == submission.submitted_by_id:
        raise PermissionDenied(_("Nobody approves their own submission."))
    if not may_decide(by, submission):
        raise PermissionDenied(
            _("This quarter waits for the %(step)s.")
            % {"step": QuarterDecision.Step(step).label.lower()}
        )
    if outcome not in OUTCOMES_BY_STEP[QuarterDecision.Step(step)]:
        raise ValidationError({"outcome": [_("Choose one of the decisions offered.")]})
    if outcome == QuarterDecision.Outcome.RETURNED and not comment.strip():
        raise ValidationError({"comment": [_("Say what must be corrected.")]})
    now = timezone.now()
    QuarterDecision.objects.create(
        submission=submission, step=step, outcome=outcome, by=by, at=now, comment=comment.strip()
    )
    submission.status = STATUS_AFTER[QuarterDecision.Outcome(outcome)]
    submission.save(update_fields=["status"])
    published = None
    if submission.status == S.APPROVED:
        published = roster.publish(submission)
    record_event(
        submission,
        f"verification.{outcome}",
        actor=by,
        organisation=submission.commission,
        payload={
            "step": step,
            "comment": comment.strip(),
            "digest": submission.snapshot_digest,
            "roster_lines": published,
        },
    )
    return submission
