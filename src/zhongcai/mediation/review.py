"""Arbitral review of a mediation agreement (仲裁审查, 办案规则 arts. 74–79; spec §3.6).

Both parties apply jointly, within 15 (natural) days of the agreement taking effect (art. 74;
art. 80: "十五日" are natural days), to a competent commission: each party applies on its own
page; the first application waits for the other's, the second makes the joint request. The
commission's staff (its arbitration institute) accept it or not (art. 75), then, within 5
working days of acceptance (art. 76), issue a 调解书 consistent with the agreement (art. 77) or
refuse with written reasons (art. 78). After a refusal the parties may apply for arbitration.

The commission's staff are not in the mediation organisation's scope: they reach the case
through the review (``reviews_for``), never through ``selectors.cases_for``.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.cases.checks import commissions_for_divisions
from zhongcai.cases.numbering import profile_of
from zhongcai.core.calendar import add_calendar_days, add_working_days
from zhongcai.core.scope import scope
from zhongcai.orgs.models import Organisation

from . import agreement_text
from .models import Agreement, MediationCase, MediationParty, Review, ReviewStatus
from .parties import party_for
from .services import MAX_REASON
from .workflow import TransitionError, transition

APPLY_DAYS = 15  # art. 74, natural days (art. 80)
DECISION_WORKING_DAYS = 5  # art. 76
G = Review.Ground
NOT_ACCEPT_GROUNDS = (
    G.OUT_OF_SCOPE,
    G.NOT_COMPETENT,
    G.LATE,
    G.CONFIRMS_RELATIONSHIP,
    G.COURT_CONFIRMED,
)
REFUSE_GROUNDS = (G.UNLAWFUL, G.HARMS_OTHERS, G.FALSE_EVIDENCE, G.NOT_VOLUNTARY, G.UNCLEAR, G.OTHER)


def competent_commissions(case: MediationCase) -> list[Organisation]:
    """Where the parties may apply: the commission of the place of work or of the employer's
    location (LDMAL art. 21), then that of the mediation organisation's division and the
    divisions above it."""
    codes = []
    if case.workplace_division_id:
        codes.append(case.workplace_division_id)
    codes += [
        p.domicile_division_id
        for p in case.parties.all()
        if p.kind == MediationParty.Kind.EMPLOYER and p.domicile_division_id
    ]
    division = case.organisation.division
    while division is not None:
        codes.append(division.pk)
        division = division.parent
    return commissions_for_divisions(codes)


def review_due(agreement: Agreement) -> date:
    """The last day to apply (15 natural days from effect, rolled past a rest day)."""
    return add_calendar_days(timezone.localdate(agreement.effective_at), APPLY_DAYS).due


def open_review(case: MediationCase) -> Review | None:
    return (
        Review.objects.filter(
            case=case,
            status__in=[ReviewStatus.AWAITING_PARTY, ReviewStatus.REQUESTED, ReviewStatus.ACCEPTED],
        )
        .select_related("commission")
        .first()
    )


def review_apply(*, by: User, case: MediationCase, commission: Organisation) -> Review:
    """A party applies for arbitral review to ``commission``. The first party's application
    waits for the other's (AWAITING_PARTY); the other party's joins it and the joint request is
    made (REQUESTED; the case REVIEW_REQUESTED). Preconditions: AGREED or REVIEW_REFUSED, within
    15 days of effect; ``by`` acts for a party; the commission is competent."""
    party = party_for(by, case)
    if commission not in competent_commissions(case):
        raise ValidationError({"commission": [_("Choose a commission competent for this case.")]})
    holder: list[Review] = []

    def checked(locked: MediationCase) -> tuple[Agreement, Review | None]:
        agreement = Agreement.objects.filter(case=locked, effective_at__isnull=False).first()
        if agreement is None:
            raise TransitionError(_("The agreement has not taken effect."))
        if timezone.localdate() > review_due(agreement):
            raise ValidationError(
                {
                    "commission": [
                        _(
                            "Arbitral review must be applied for within 15 days of the agreement "
                            "taking effect (by %(due)s)."
                        )
                        % {"due": review_due(agreement).isoformat()}
                    ]
                }
            )
        review = open_review(locked)
        if review is not None and review.status != ReviewStatus.AWAITING_PARTY:
            raise TransitionError(_("Arbitral review was already applied for."))
        if review is not None and review.commission_id != commission.pk:
            raise ValidationError(
                {
                    "commission": [
                        _("The other party applied to %(name)s: apply jointly to the same one.")
                        % {"name": review.commission.name}
                    ]
                }
            )
        field = f"{party.role}_joined_at"
        if review is not None and getattr(review, field) is not None:
            raise ValidationError({"commission": [_("Your side has already applied.")]})
        return agreement, review

    def first(locked: MediationCase) -> dict[str, Any]:
        _agreement, review = checked(locked)
        if review is not None:
            raise TransitionError(_("The other party applied meanwhile: apply again to join."))
        review = Review.objects.create(case=locked, commission=commission)
        setattr(review, f"{party.role}_joined_at", timezone.now())
        review.save()
        holder.append(review)
        return {"review": review.pk, "commission": commission.pk, "side": party.role}

    def joint(locked: MediationCase) -> dict[str, Any]:
        _agreement, review = checked(locked)
        if review is None:
            raise TransitionError(_("The application you would join was withdrawn."))
        now = timezone.now()
        setattr(review, f"{party.role}_joined_at", now)
        review.status = ReviewStatus.REQUESTED
        review.requested_at = now
        review.save()
        holder.append(review)
        return {"review": review.pk, "commission": commission.pk, "side": party.role}

    existing = open_review(case)
    action, apply = ("request_review", joint) if existing else ("apply_for_review", first)
    transition(case, action, by=by, apply=apply)
    return holder[0]


def review_withdraw(*, by: User, case: MediationCase) -> Review:
    """Withdraw the application for arbitral review (办案规则 art. 79: the review ends), before
    the commission decided: a party whose side applied. The agreement stays in effect; within the
    15 days the parties may apply again (to the right commission), or go to a court."""
    party = party_for(by, case)
    holder: list[Review] = []

    def apply(locked: MediationCase) -> dict[str, Any]:
        review = open_review(locked)
        if review is None:
            raise TransitionError(_("There is no application for arbitral review to withdraw."))
        if getattr(review, f"{party.role}_joined_at") is None:
            raise ValidationError({"review": [_("Your side has not applied for this review.")]})
        review = Review.objects.select_for_update().get(pk=review.pk)
        review.status = ReviewStatus.WITHDRAWN
        review.decided_at = timezone.now()
        review.save(update_fields=["status", "decided_at"])
        holder.append(review)
        return {"review": review.pk, "side": party.role}

    transition(case, "withdraw_review", by=by, apply=apply)
    return holder[0]


def reviews_for(user: User) -> QuerySet[Review]:
    """The reviews ``user`` may see, by the data scope (``Review.SCOPE_ORG_FIELD``): a
    commission's staff, who sit in its arbitration institute, and supervisors above it."""
    reviews = Review.objects.select_related("case", "case__organisation", "commission")
    return scope(reviews, user).distinct()


def get_review_for(user: User, pk: int) -> Review:
    try:
        return reviews_for(user).get(pk=pk)
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _locked_review(review: Review, *statuses: str) -> Review:
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.status not in statuses:
        raise TransitionError(
            _("The review is “%(status)s”: this step is not possible.")
            % {"status": locked.get_status_display()}
        )
    return locked


def _ground(ground: str, allowed: tuple[str, ...]) -> str:
    if ground not in allowed:
        raise ValidationError({"ground": [_("Choose the ground.")]})
    return ground


def _reasons(reasons: str, *, required: bool) -> str:
    text = (reasons or "").strip()
    if required and not text:
        raise ValidationError({"reasons": [_("Write the reasons.")]})
    if len(text) > MAX_REASON:
        raise ValidationError({"reasons": [_("Keep the reasons under 2,000 characters.")]})
    return text


def review_accept(*, by: User, review: Review) -> Review:
    """Accept the review (art. 75): the decision is due in 5 working days (art. 76)."""

    def apply(locked_case: MediationCase) -> dict[str, Any]:
        locked = _locked_review(review, ReviewStatus.REQUESTED)
        locked.status = ReviewStatus.ACCEPTED
        locked.accepted_at = timezone.now()
        locked.decision_due = add_working_days(timezone.localdate(), DECISION_WORKING_DAYS).due
        locked.save()
        return {"review": locked.pk, "decision_due": locked.decision_due.isoformat()}

    transition(review.case, "accept_review", by=by, apply=apply)
    return Review.objects.get(pk=review.pk)


def review_not_accept(*, by: User, review: Review, ground: str, reasons: str = "") -> Review:
    """Do not accept the review, on a ground of art. 75; the case is REVIEW_REFUSED."""
    ground = _ground(ground, NOT_ACCEPT_GROUNDS)
    text = _reasons(reasons, required=False)
    return _decide(by, review, "not_accept_review", ReviewStatus.NOT_ACCEPTED, ground, text)


def review_refuse(*, by: User, review: Review, ground: str, reasons: str) -> Review:
    """Refuse the 调解书 on a ground of art. 78, with written reasons; REVIEW_REFUSED."""
    ground = _ground(ground, REFUSE_GROUNDS)
    text = _reasons(reasons, required=True)
    return _decide(by, review, "refuse_review", ReviewStatus.REFUSED, ground, text)


def _decide(
    by: User, review: Review, action: str, status: str, ground: str, reasons: str
) -> Review:
    source = ReviewStatus.REQUESTED if action == "not_accept_review" else ReviewStatus.ACCEPTED

    def apply(locked_case: MediationCase) -> dict[str, Any]:
        locked = _locked_review(review, source)
        locked.status = status
        locked.ground = ground
        locked.reasons = reasons
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.save()
        return {"review": locked.pk, "ground": ground, "reasons": reasons}

    transition(review.case, action, by=by, apply=apply)
    return Review.objects.get(pk=review.pk)


def _number(commission: Organisation, year: int) -> str:
    """济历下劳人仲审调字〔2026〕第1号: per commission and year, under the commission's lock."""
    Organisation.objects.select_for_update().filter(pk=commission.pk).first()
    prefix = f"{profile_of(commission).abbreviation}劳人仲审调字〔{year}〕第"
    taken = set(
        Review.objects.filter(commission=commission, number__startswith=prefix).values_list(
            "number", flat=True
        )
    )
    seq = len(taken) + 1
    while f"{prefix}{seq}号" in taken:
        seq += 1
    return f"{prefix}{seq}号"


def review_issue(*, by: User, review: Review) -> Review:
    """Issue the 调解书 (art. 77): numbered by the commission, its content consistent with the
    agreement, the PDF sealed by the commission and served on both parties' pages; the case is
    CONFIRMED. Preconditions: the review ACCEPTED; ``by`` the commission's staff."""

    def apply(locked_case: MediationCase) -> dict[str, Any]:
        locked = _locked_review(review, ReviewStatus.ACCEPTED)
        today = timezone.localdate()
        locked.number = _number(locked.commission, today.year)
        with translation.override(settings.LANGUAGE_CODE):  # a document of record
            locked.content = agreement_text.mediation_document_blocks(locked, locked.number, today)
            pdf = agreement_text.mediation_document_pdf(locked)
        locked.pdf.save(f"review-{locked.pk}.pdf", ContentFile(pdf), save=False)
        locked.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        locked.status = ReviewStatus.ISSUED
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.save()
        return {
            "review": locked.pk,
            "number": locked.number,
            "content_sha256": agreement_text.digest(locked.content),
            "pdf_sha256": locked.pdf_sha256,
            "late": bool(locked.decision_due and today > locked.decision_due),
        }

    transition(review.case, "issue_mediation_document", by=by, apply=apply)
    return Review.objects.get(pk=review.pk)
