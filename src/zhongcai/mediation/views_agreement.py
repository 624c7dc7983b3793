"""The agreement, its signatures and seal, arbitral review, court confirmation and breach.

Cases are fetched through ``selectors.get_case_for`` (404 outside the user's scope); reviews,
for the commission's staff, through ``review.get_review_for``. Every change is one service call
answered by a redirect to the case (or review) page; a refusal of who is a 403, a refusal of
when a message, bad input the form again with its errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from zhongcai.accounts.models import User
from zhongcai.core.forms import add_service_errors
from zhongcai.workspace.access import public_only, staff_required

from . import agreement as agreements
from . import agreement_text, review
from .forms_agreement import (
    BreachForm,
    CourtForm,
    DraftForm,
    NotAcceptForm,
    PaperSignatureForm,
    RefuseForm,
    ReviewApplyForm,
    SignForm,
)
from .models import Agreement, MediationCase, Review, ReviewStatus, Status
from .parties import party_for
from .selectors import get_case_for
from .workflow import AGREEMENT_STANDS, TransitionError, may_act

View = Callable[..., HttpResponse]
Perform = Callable[[User, Any, Any, HttpRequest], str]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _ns(staff: bool) -> str:
    return "mediation" if staff else "mediation-portal"


def _case_url(case: MediationCase, staff: bool) -> str:
    return reverse(f"{_ns(staff)}:room-case", args=[case.pk]) + "#agreement"


def _pdf(file: Any, name: str) -> FileResponse:
    if not file:
        raise Http404
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


# --- Steps on the case -------------------------------------------------------------------


def _draft(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    if form.cleaned_data["use_proposal"]:
        proposal = agreements.accepted_proposal(case)
        if proposal is None:
            raise ValidationError({"use_proposal": [_("No proposal was accepted by both.")]})
        agreements.agreement_draft(by=user, case=case, proposal=proposal)
    else:
        agreements.agreement_draft(by=user, case=case, items=form.items())
    return _("The agreement is drafted. The parties and the mediator may now sign it.")


def _sign(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    agreements.agreement_sign(
        by=user,
        case=case,
        confirm_read=form.cleaned_data["confirm_read"],
        ip=request.META.get("REMOTE_ADDR"),
        content_sha256=form.cleaned_data["content_sha256"],
    )
    return _("Your signature is on the agreement.")


def _paper(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    agreements.agreement_record_paper_signature(
        by=user, case=case, party=form.cleaned_data["party"], scan=form.cleaned_data["scan"]
    )
    return _("The signature on paper is recorded.")


def _seal(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    agreements.agreement_seal(by=user, case=case)
    return _("The agreement is sealed and in effect.")


def _court(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    agreements.agreement_request_court_confirmation(
        by=user,
        case=case,
        court=form.cleaned_data["court"],
        consent_applicant=form.cleaned_data["consent_applicant"],
        consent_respondent=form.cleaned_data["consent_respondent"],
    )
    return _("Court confirmation is recorded; download the package for the court.")


def _breach(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    agreements.agreement_report_breach(by=user, case=case, note=form.cleaned_data["note"])
    return _("The breach is recorded. You may now apply for arbitration.")


def _apply_review(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    found = review.review_apply(by=user, case=case, commission=form.cleaned_data["commission"])
    if found.status == ReviewStatus.AWAITING_PARTY:
        return _("Your application is recorded; the other party must apply too.")
    return _("Both parties applied: the commission will now decide on acceptance.")


def _withdraw_review(user: User, case: MediationCase, form: Any, request: HttpRequest) -> str:
    review.review_withdraw(by=user, case=case)
    return _("The application for arbitral review is withdrawn.")


def _review_form(request: HttpRequest, case: MediationCase) -> ReviewApplyForm:
    return ReviewApplyForm(request.POST, commissions=review.competent_commissions(case))


CASE_STEPS: dict[str, tuple[str, Callable[..., Form], Perform, bool]] = {
    # URL part: (title, form factory, service call, staff may take it)
    "draft": (gettext_lazy("Draft the agreement"), lambda r, c: DraftForm(r.POST), _draft, True),
    "sign": (gettext_lazy("Sign the agreement"), lambda r, c: SignForm(r.POST), _sign, True),
    "paper": (
        gettext_lazy("Record a signature on paper"),
        lambda r, c: PaperSignatureForm(r.POST, r.FILES, case=c),
        _paper,
        True,
    ),
    "seal": (gettext_lazy("Seal the agreement"), lambda r, c: Form(r.POST), _seal, True),
    "court": (gettext_lazy("Ask a court to confirm"), lambda r, c: CourtForm(r.POST), _court, True),
    "breach": (gettext_lazy("Report a breach"), lambda r, c: BreachForm(r.POST), _breach, True),
    "review": (gettext_lazy("Apply for arbitral review"), _review_form, _apply_review, False),
    "withdraw": (
        gettext_lazy("Withdraw the application for arbitral review"),
        lambda r, c: Form(r.POST),
        _withdraw_review,
        False,
    ),
}


def _case_step(step: str, staff: bool) -> View:
    title, factory, perform, _staff_ok = CASE_STEPS[step]

    def view(request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        case = get_case_for(user, pk)
        form = factory(request, case)
        if form.is_valid():
            try:
                message = perform(user, case, form, request)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except TransitionError as exc:
                messages.error(request, str(exc))
                return redirect(_case_url(case, staff))
            else:
                messages.success(request, message)
                return redirect(_case_url(case, staff))
        context = {
            "case": case,
            "form": form,
            "title": title,
            "action": request.path,
            "back": _case_url(case, staff),
            "base": "workspace/base.html" if staff else "base.html",
        }
        return render(request, "mediation/agreement_step.html", context, status=400)

    view.__name__ = f"agreement_{step}_{'staff' if staff else 'party'}"
    return require_POST(staff_required(view) if staff else public_only(view))


def _agreement_pdf(request: HttpRequest, pk: int) -> FileResponse:
    case = get_case_for(_user(request), pk)
    agreement = agreements.agreement_of(case)
    if agreement is None or agreement.sealed_at is None:
        raise Http404
    return _pdf(agreement.pdf, f"{agreement.number}.pdf")


def _package(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(_user(request), pk)
    if case.court_requested_at is None or agreements.agreement_of(case) is None:
        raise Http404
    response = HttpResponse(agreement_text.court_package(case), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="mediation-{case.pk}-court.zip"'
    return response


def _issued_pdf(request: HttpRequest, pk: int, item: int) -> FileResponse:
    """The 调解书 served on the parties: on their page, for the case's own parties only."""
    case = get_case_for(_user(request), pk)
    found = case.reviews.filter(pk=item, status=ReviewStatus.ISSUED).first()
    if found is None:
        raise Http404
    return _pdf(found.pdf, f"{found.number}.pdf")


# --- The commission's review pages -------------------------------------------------------


@require_GET
@staff_required
def review_queue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = [
        {
            "review": item,
            "parties": list(item.case.parties.order_by("role", "pk")),
            "overdue": bool(
                item.status == ReviewStatus.ACCEPTED
                and item.decision_due
                and item.decision_due < today
            ),
        }
        for item in review.reviews_for(_user(request)).exclude(status=ReviewStatus.AWAITING_PARTY)[
            :200
        ]
    ]
    return render(request, "mediation/review_queue.html", {"rows": rows})


def _review_page(
    request: HttpRequest, item: Review, bound: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    case = item.case
    agreement = Agreement.objects.filter(case=case).first()
    may = item.status in (ReviewStatus.REQUESTED, ReviewStatus.ACCEPTED) and may_act(
        user, case, "accept_review"
    )
    forms = {"not_accept": NotAcceptForm(), "refuse": RefuseForm()} | (bound or {})
    context = {
        "review": item,
        "case": case,
        "agreement": agreement,
        "blocks": agreement.content if agreement else [],
        "signatures": list(agreement.signatures.all()) if agreement else [],
        "parties": list(case.parties.order_by("role", "pk")),
        "may_accept": may and item.status == ReviewStatus.REQUESTED,
        "may_decide": may and item.status == ReviewStatus.ACCEPTED,
        "overdue": bool(
            item.status == ReviewStatus.ACCEPTED
            and item.decision_due
            and item.decision_due < timezone.localdate()
        ),
        "forms": forms,
    }
    return render(request, "mediation/review_detail.html", context, status=status)


@require_GET
@staff_required
def review_detail(request: HttpRequest, item: int) -> HttpResponse:
    return _review_page(request, review.get_review_for(_user(request), item))


def _review_step(name: str) -> View:
    def view(request: HttpRequest, item: int) -> HttpResponse:
        user = _user(request)
        found = review.get_review_for(user, item)
        form: Form = {"not-accept": NotAcceptForm, "refuse": RefuseForm}.get(name, Form)(
            request.POST
        )
        url = reverse("mediation:agreement-review", args=[found.pk])
        if form.is_valid():
            data = form.cleaned_data
            try:
                if name == "accept":
                    review.review_accept(by=user, review=found)
                elif name == "issue":
                    review.review_issue(by=user, review=found)
                elif name == "not-accept":
                    review.review_not_accept(by=user, review=found, **data)
                else:
                    review.review_refuse(by=user, review=found, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except TransitionError as exc:
                messages.error(request, str(exc))
                return redirect(url)
            else:
                messages.success(request, _("The decision is recorded."))
                return redirect(url)
        key = name.replace("-", "_")
        return _review_page(request, found, bound={key: form}, status=400)

    view.__name__ = f"review_{name.replace('-', '_')}"
    return require_POST(staff_required(view))


@require_GET
@staff_required
def review_pdf(request: HttpRequest, item: int, which: str) -> FileResponse:
    found = review.get_review_for(_user(request), item)
    if which not in ("agreement", "issued"):
        raise Http404
    if which == "agreement":
        agreement = Agreement.objects.filter(case=found.case).first()
        if agreement is None:
            raise Http404
        return _pdf(agreement.pdf, f"{agreement.number}.pdf")
    if found.status != ReviewStatus.ISSUED:
        raise Http404
    return _pdf(found.pdf, f"{found.number}.pdf")


# --- The panel on the case page ----------------------------------------------------------


def _may_sign(user: User, case: MediationCase, agreement: Agreement | None) -> bool:
    if agreement is None or agreement.sealed_at or case.status != Status.MEDIATING:
        return False
    try:
        _side, party = agreements.signer_side(user, case)
    except PermissionDenied:
        return False
    signed = agreement.signatures.filter(party=party) if party else None
    if signed is None:
        signed = agreement.signatures.filter(side="mediator")
    return not signed.exists()


def panel_context(request: HttpRequest, case: MediationCase) -> dict[str, Any]:
    """What this module's panel of the case page needs (staff and party pages)."""
    user = _user(request)
    staff = not user.is_public
    ns = _ns(staff)
    agreement = agreements.agreement_of(case)
    signatures = list(agreement.signatures.order_by("signed_at", "pk")) if agreement else []
    mediating = case.status == Status.MEDIATING
    stands = case.status in (Status.AGREED, Status.REVIEW_REFUSED)
    effective = agreement is not None and agreement.effective_at is not None
    today = timezone.localdate()
    may_draft = staff and mediating and not signatures and may_act(user, case, "draft_agreement")
    open_review = review.open_review(case)
    party = None
    if not staff:
        try:
            party = party_for(user, case)
        except PermissionDenied:
            party = None
    may_apply = bool(
        party is not None
        and stands
        and effective
        and today <= review.review_due(agreement)  # type: ignore[arg-type]
        and (
            open_review is None
            or (
                open_review.status == ReviewStatus.AWAITING_PARTY
                and getattr(open_review, f"{party.role}_joined_at") is None
            )
        )
    )
    # A party without an account (a walk-in, a worker named as respondent) signs on paper at
    # the organisation; its staff record it with a scan (LDMAL art. 14).
    may_paper = bool(
        staff
        and mediating
        and agreement
        and agreement.signatures.filter(side__in=["applicant", "respondent"]).count()
        < case.parties.count()
        and may_act(user, case, "sign_agreement")
    )
    urls = {
        step: reverse(f"{ns}:agreement-{step}", args=[case.pk])
        for step, (_t, _f, _p, staff_ok) in CASE_STEPS.items()
        if staff_ok or not staff
    }
    urls["pdf"] = reverse(f"{ns}:agreement-pdf", args=[case.pk])
    urls["package"] = reverse(f"{ns}:agreement-package", args=[case.pk])
    return {
        "agreement_agreement": agreement,
        "agreement_blocks": agreement.content if agreement else [],
        "agreement_signatures": signatures,
        "agreement_missing": agreements.missing_signatures(agreement) if agreement else [],
        "agreement_may_draft": may_draft,
        "agreement_proposal": agreements.accepted_proposal(case) if may_draft else None,
        "agreement_may_sign": _may_sign(user, case, agreement),
        "agreement_may_paper": may_paper,
        "agreement_may_seal": bool(
            staff
            and mediating
            and agreement
            and not agreements.missing_signatures(agreement)
            and may_act(user, case, "seal_agreement")
        ),
        "agreement_review_due": review.review_due(agreement) if effective else None,
        "agreement_court_due": agreements.court_due(agreement) if effective else None,
        "agreement_may_apply_review": may_apply,
        "agreement_may_withdraw_review": bool(
            party is not None
            and open_review is not None
            and open_review.status
            in (ReviewStatus.AWAITING_PARTY, ReviewStatus.REQUESTED, ReviewStatus.ACCEPTED)
            and getattr(open_review, f"{party.role}_joined_at") is not None
        ),
        "agreement_open_review": open_review,
        "agreement_reviews": list(case.reviews.select_related("commission")),
        "agreement_may_court": bool(
            stands
            and effective
            and today <= agreements.court_due(agreement)  # type: ignore[arg-type]
            and may_act(user, case, "request_court_confirmation")
        ),
        "agreement_may_breach": bool(
            case.status in AGREEMENT_STANDS
            and (staff or party is not None)
            and may_act(user, case, "report_breach")
        ),
        "agreement_forms": {
            "draft": DraftForm(),
            "sign": SignForm(
                initial={"content_sha256": agreement.content_sha256 if agreement else ""}
            ),
            "paper": PaperSignatureForm(case=case) if may_paper else None,
            "court": CourtForm(),
            "breach": BreachForm(),
            "review": ReviewApplyForm(commissions=review.competent_commissions(case))
            if may_apply
            else None,
        },
        "agreement_urls": urls,
        "agreement_ns": ns,
    }


staff_urlpatterns: list[URLPattern] = [  # mounted under /staff/mediation/ ("mediation")
    *(
        path(f"<int:pk>/agreement/{step}/", _case_step(step, True), name=f"agreement-{step}")
        for step, (_t, _f, _p, staff_ok) in CASE_STEPS.items()
        if staff_ok
    ),
    path(
        "<int:pk>/agreement/pdf/", require_GET(staff_required(_agreement_pdf)), name="agreement-pdf"
    ),
    path(
        "<int:pk>/agreement/package/",
        require_GET(staff_required(_package)),
        name="agreement-package",
    ),
    path(
        "<int:pk>/agreement/issued/<int:item>/",
        require_GET(staff_required(_issued_pdf)),
        name="agreement-issued",
    ),
    path("reviews/", review_queue, name="agreement-reviews"),
    path("reviews/<int:item>/", review_detail, name="agreement-review"),
    *(
        path(f"reviews/<int:item>/{name}/", _review_step(name), name=f"agreement-review-{name}")
        for name in ("accept", "not-accept", "issue", "refuse")
    ),
    path("reviews/<int:item>/<str:which>.pdf", review_pdf, name="agreement-review-pdf"),
]
party_urlpatterns: list[URLPattern] = [  # mounted under /mediation/ ("mediation-portal")
    *(
        path(f"my/<int:pk>/agreement/{step}/", _case_step(step, False), name=f"agreement-{step}")
        for step in CASE_STEPS
    ),
    path(
        "my/<int:pk>/agreement/pdf/",
        require_GET(public_only(_agreement_pdf)),
        name="agreement-pdf",
    ),
    path(
        "my/<int:pk>/agreement/package/",
        require_GET(public_only(_package)),
        name="agreement-package",
    ),
    path(
        "my/<int:pk>/agreement/issued/<int:item>/",
        require_GET(public_only(_issued_pdf)),
        name="agreement-issued",
    ),
]
