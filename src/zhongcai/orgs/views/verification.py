"""Quarterly verification (核准填报): who has not submitted, what waits, the diff, decisions."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhongcai.accounts.models import User
from zhongcai.core.forms import add_service_errors

from .. import selectors, snapshots, verification
from ..forms import DecisionForm, SubmitQuarterForm
from ..models import Division, QuarterDecision, QuarterSubmission
from ..permissions import administrator_required, may_decide, pending_step
from ..selectors import NOT_SUBMITTED, OVERVIEW_STATES
from .common import require_maintainer

PAGE_SIZE = 50
STATE_LABELS = {
    NOT_SUBMITTED: gettext_lazy("Not submitted"),
    QuarterSubmission.Status.RETURNED: gettext_lazy("Returned for correction"),
    QuarterSubmission.Status.SUBMITTED: gettext_lazy("Submitted, waiting for review"),
    QuarterSubmission.Status.REVIEWED: gettext_lazy("Reviewed, waiting for approval"),
    QuarterSubmission.Status.APPROVED: gettext_lazy("Approved"),
}


def _quarter_choice(value: str) -> tuple[int, int]:
    current = verification.quarter_of(timezone.localdate())
    try:
        year, quarter = (int(part) for part in value.split("-"))
    except ValueError:
        return current
    if not 1 <= quarter <= 4 or year < 2000 or (year, quarter) > current:
        return current
    return year, quarter


def _recent_quarters(count: int = 6) -> list[tuple[int, int]]:
    quarters = [verification.quarter_of(timezone.localdate())]
    while len(quarters) < count:
        quarters.append(verification.previous_quarter(*quarters[-1]))
    return quarters


@administrator_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Per level: which commissions have not submitted, which wait for review, which for me."""
    user: User = request.user  # type: ignore[assignment]
    year, quarter = _quarter_choice(request.GET.get("quarter", ""))
    rows = selectors.quarter_overview(user, year, quarter)
    counts = Counter(row.state for row in rows)
    state = request.GET.get("state", "")
    listed = [
        row for row in rows if (state == "mine" and row.waiting_for_me) or state in ("", row.state)
    ]
    listed.sort(key=lambda r: (not r.waiting_for_me, OVERVIEW_STATES.index(r.state)))
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    by_city: dict[str, Counter[str]] = defaultdict(Counter)
    city_names: dict[str, str] = {}
    if user.organisation and user.organisation.division.level == Division.Level.PROVINCE:
        names = dict(
            Division.objects.filter(level=Division.Level.PREFECTURE).values_list("code", "name")
        )
        for row in rows:
            city = row.commission.division_id[:4] + "00"
            if city in names:
                by_city[city][row.state] += 1
                city_names[city] = names[city]
    return render(
        request,
        "institutions/verification_dashboard.html",
        {
            "year": year,
            "quarter": quarter,
            "quarter_value": f"{year}-{quarter}",
            "quarters": [(f"{y}-{q}", y, q) for y, q in _recent_quarters()],
            "states": [(s, STATE_LABELS[s], counts.get(s, 0)) for s in OVERVIEW_STATES],
            "waiting_for_me": sum(row.waiting_for_me for row in rows),
            "state": state,
            "page": page,
            "state_labels": STATE_LABELS,
            "cities": [
                (
                    code,
                    city_names[code],
                    [(STATE_LABELS[s], counts_.get(s, 0)) for s in OVERVIEW_STATES],
                )
                for code, counts_ in sorted(by_city.items())
            ],
            "total": len(rows),
            "tab": "verification",
        },
    )


@administrator_required
def submission_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview the diff of today's records against the last approved quarter, then submit."""
    user: User = request.user  # type: ignore[assignment]
    commission = selectors.get_commission_for(user, pk)
    require_maintainer(request, commission)
    quarters = verification.submittable_quarters()
    form = SubmitQuarterForm(request.POST or None, quarters=quarters)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            year, quarter = form.year_quarter()
            try:
                submission = verification.quarter_submit(
                    by=user,
                    commission=commission,
                    year=year,
                    quarter=quarter,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Submitted for review."))
                return redirect("institutions:submission-detail", submission.pk)
        status = 400
    year, quarter = quarters[-1]
    preview = snapshots.build_snapshot(commission, year, quarter)
    base = verification.last_approved(commission)
    return render(
        request,
        "institutions/submission_create.html",
        {
            "commission": commission,
            "form": form,
            "base": base,
            "sections": snapshots.diff(base.snapshot if base else None, preview),
            "checks": preview["checks"],
            "tab": "verification",
        },
        status=status,
    )


def _detail_context(user: User, submission: QuarterSubmission, form: Any = None) -> dict[str, Any]:
    step = pending_step(submission)
    deciding = may_decide(user, submission)
    if deciding and form is None and step is not None:
        form = DecisionForm(outcomes=verification.OUTCOMES_BY_STEP[QuarterDecision.Step(step)])
    return {
        "submission": submission,
        "commission": submission.commission,
        "sections": snapshots.diff(
            submission.base.snapshot if submission.base else None, submission.snapshot
        ),
        "checks": submission.snapshot.get("checks", []),
        "decisions": submission.decisions.select_related("by"),
        "step": QuarterDecision.Step(step).label if step else None,
        "form": form if deciding else None,
        "own": submission.submitted_by_id == user.pk,
        "digest_ok": snapshots.digest_of(submission.snapshot) == submission.snapshot_digest,
        "tab": "verification",
    }


@administrator_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    submission = selectors.get_submission_for(user, pk)
    return render(request, "institutions/submission_detail.html", _detail_context(user, submission))


@require_POST
@administrator_required
def submission_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    submission = selectors.get_submission_for(user, pk)
    if not may_decide(user, submission):
        raise PermissionDenied
    step = pending_step(submission)
    if step is None:
        raise PermissionDenied
    form = DecisionForm(
        request.POST, outcomes=verification.OUTCOMES_BY_STEP[QuarterDecision.Step(step)]
    )
    if form.is_valid():
        try:
            verification.quarter_decide(
                by=user,
                submission=submission,
                outcome=form.cleaned_data["outcome"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                str(QuarterDecision.Outcome(form.cleaned_data["outcome"]).label),
            )
            return redirect("institutions:submission-detail", submission.pk)
    return render(
        request,
        "institutions/submission_detail.html",
        _detail_context(user, submission, form),
        status=400,
    )
