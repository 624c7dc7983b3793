"""The guided online application (网上预立案): one page per step, a review, a receipt.

Every page works without JavaScript: plain forms, POST then redirect. Every draft URL answers
404 to anyone but the draft's owner, the same as a draft that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongcai.accounts.models import Employer
from zhongcai.cases.models import CommissionProfile
from zhongcai.orgs.models import Organisation

from . import applying
from .apply_forms import (
    AttachmentForm,
    ClaimFormSet,
    EmployerForm,
    StepForm,
    WorkForm,
    YouForm,
    commission_choices,
)
from .applying import STEP_SLUGS, STEPS, StaleDraft, steps_for
from .models import ApplicationDraft

STEP_FORMS: dict[str, type[StepForm]] = {
    "you": YouForm,
    "employer": EmployerForm,
    "work": WorkForm,
}
STALE = 409  # the draft changed elsewhere: shown fresh, nothing saved


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _stale(request: HttpRequest) -> None:
    messages.error(
        request,
        _(
            "This application was changed on another device or in another window since you "
            "opened this page. Nothing was saved: here is the latest version. Enter your "
            "changes again."
        ),
    )


def _step_url(draft: ApplicationDraft, step: str) -> str:
    return reverse("portal:apply-step", args=[draft.pk, step])


def _context(draft: ApplicationDraft, step: str, **extra: Any) -> dict[str, Any]:
    number = STEP_SLUGS.index(step) + 1
    return {
        "draft": draft,
        "step": step,
        "step_title": dict(steps_for(draft))[step],
        "step_number": number,
        "step_count": len(STEPS),
        "steps": [(slug, title, _step_url(draft, slug)) for slug, title in steps_for(draft)],
        "next_url": _step_url(draft, STEP_SLUGS[number]) if number < len(STEPS) else "",
        "previous_url": _step_url(draft, STEP_SLUGS[number - 2]) if number > 1 else "",
        **extra,
    }


@login_required
def apply_index(request: HttpRequest) -> HttpResponse:
    """My drafts (resume, delete) and a button to start a new application."""
    if not request.user.is_public:  # type: ignore[union-attr]
        raise PermissionDenied
    if request.method == "POST":
        try:
            draft = applying.draft_create(
                by=request.user,  # type: ignore[arg-type]
                destination=request.POST.get("destination")
                or ApplicationDraft.Destination.ARBITRATION,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("portal:apply")
        return redirect(_step_url(draft, "you"))
    return render(
        request,
        "portal/apply/index.html",
        {"drafts": applying.drafts_of(request.user)},  # type: ignore[arg-type]
    )


@login_required
@require_POST
def apply_delete(request: HttpRequest, pk: int) -> HttpResponse:
    draft = applying.get_draft_for(request.user, pk)  # type: ignore[arg-type]
    try:
        applying.draft_delete(by=request.user, draft=draft)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The draft was deleted."))
    return redirect("portal:apply")


@login_required
def apply_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    draft = applying.get_draft_for(request.user, pk)  # type: ignore[arg-type]
    if step not in STEP_SLUGS:
        raise Http404
    if draft.is_submitted:
        return redirect("portal:apply-done", pk=draft.pk)
    if step in STEP_FORMS:
        return _form_step(request, draft, step)
    if step == "claims":
        return _claims_step(request, draft)
    if step == "evidence":
        return _evidence_step(request, draft)
    return _review_step(request, draft)


def _after_save(request: HttpRequest, draft: ApplicationDraft, step: str) -> HttpResponse:
    action = request.POST.get("action", "next")
    if action == "next":
        number = STEP_SLUGS.index(step)
        return redirect(_step_url(draft, STEP_SLUGS[number + 1]))
    messages.success(request, _("Saved. You can come back to it from any device."))
    return redirect(_step_url(draft, step))


def _employer_lookup(request: HttpRequest) -> dict[str, Any]:
    """Employers already registered on the portal, by name or credit code (a plain GET search)."""
    query = request.GET.get("q", "").strip()[:100]
    found: list[Employer] = []
    if len(query) >= 2:
        found = list(
            Employer.objects.filter(
                Q(name__icontains=query) | Q(credit_code__istartswith=query)
            ).order_by("name")[:10]
        )
    return {"query": query, "found": found, "searched": len(query) >= 2}


def _form_step(request: HttpRequest, draft: ApplicationDraft, step: str) -> HttpResponse:
    form_class = STEP_FORMS[step]
    section = applying.section_of(draft, step)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, for_mediation=draft.for_mediation)
        try:
            draft = applying.draft_save_step(
                by=request.user,  # type: ignore[arg-type]
                draft=draft,
                version=_version(request),
                step=step,
                values=form.values(section),
            )
        except StaleDraft:
            _stale(request)
            draft = applying.get_draft_for(request.user, draft.pk)  # type: ignore[arg-type]
            form = form_class(
                initial=applying.section_of(draft, step), for_mediation=draft.for_mediation
            )
            status = STALE
        else:
            if not form.errors:
                return _after_save(request, draft, step)
            form.describe_errors()
    else:
        initial = dict(section)
        use = request.GET.get("use", "")
        if step == "employer" and use.isascii() and use.isdigit():
            employer = Employer.objects.filter(pk=int(use)).first()
            if employer is not None:
                initial.update(name=employer.name, credit_code=employer.credit_code)
        form = form_class(initial=initial, for_mediation=draft.for_mediation)
    extra: dict[str, Any] = {"form": form}
    if step == "employer":
        extra["lookup"] = _employer_lookup(request)
    return render(request, "portal/apply/step.html", _context(draft, step, **extra), status=status)


def _claim_formset(draft: ApplicationDraft, data: Any = None) -> Any:
    """The claims of the draft (or the posted ones), worded for its destination."""
    return ClaimFormSet(
        data,
        initial=None if data is not None else applying.claims_of(draft),
        prefix="claims",
        form_kwargs={"for_mediation": draft.for_mediation},
    )


def _claims_step(request: HttpRequest, draft: ApplicationDraft) -> HttpResponse:
    status = 200
    if request.method == "POST":
        formset = _claim_formset(draft, request.POST)
        try:
            draft = applying.draft_save_step(
                by=request.user,  # type: ignore[arg-type]
                draft=draft,
                version=_version(request),
                step="claims",
                values=formset.values(),
            )
        except StaleDraft:
            _stale(request)
            draft = applying.get_draft_for(request.user, draft.pk)  # type: ignore[arg-type]
            formset = _claim_formset(draft)
            status = STALE
        except ValidationError as exc:
            # The formset's management fields were missing: nothing saved, the claims shown.
            for message in exc.messages:
                messages.error(request, message)
            formset = _claim_formset(draft)
            status = 400
        else:
            if formset.is_valid():
                if request.POST.get("action") == "calculator":
                    return redirect("portal:calculator")
                return _after_save(request, draft, "claims")
            formset.describe_errors()
    else:
        formset = _claim_formset(draft)
    return render(
        request,
        "portal/apply/claims.html",
        _context(draft, "claims", formset=formset),
        status=status,
    )


def _evidence_step(request: HttpRequest, draft: ApplicationDraft) -> HttpResponse:
    max_mb = int(getattr(settings, "CASES_MAX_UPLOAD_MB", 20))
    status = 200
    form = AttachmentForm(max_mb=max_mb)
    if request.method == "POST":
        form = AttachmentForm(request.POST, request.FILES, max_mb=max_mb)
        form.is_valid()
        try:
            applying.draft_attachment_add(
                by=request.user,  # type: ignore[arg-type]
                draft=draft,
                version=_version(request),
                title=request.POST.get("title", ""),
                file=request.FILES.get("file"),
            )
        except StaleDraft:
            _stale(request)
            draft = applying.get_draft_for(request.user, draft.pk)  # type: ignore[arg-type]
            form, status = AttachmentForm(max_mb=max_mb), STALE
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            StepForm.describe_errors(form)  # type: ignore[arg-type]
            status = 400
        else:
            messages.success(request, _("The file was added."))
            return redirect(_step_url(draft, "evidence"))
    return render(
        request,
        "portal/apply/evidence.html",
        _context(draft, "evidence", form=form, attachments=draft.attachments.all()),
        status=status,
    )


@login_required
@require_POST
def apply_attachment_remove(request: HttpRequest, pk: int, attachment: int) -> HttpResponse:
    draft = applying.get_draft_for(request.user, pk)  # type: ignore[arg-type]
    try:
        applying.draft_attachment_remove(
            by=request.user,  # type: ignore[arg-type]
            draft=draft,
            version=_version(request),
            attachment_id=attachment,
        )
    except StaleDraft:
        _stale(request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The file was removed."))
    return redirect(_step_url(draft, "evidence"))


@login_required
def apply_attachment_file(request: HttpRequest, pk: int, attachment: int) -> FileResponse:
    """The owner downloads a file of the draft again (never shown inline: it is untrusted)."""
    draft = applying.get_draft_for(request.user, pk)  # type: ignore[arg-type]
    item = draft.attachments.filter(pk=attachment).first()
    if item is None:
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.file_name)


def _review_step(request: HttpRequest, draft: ApplicationDraft) -> HttpResponse:
    if request.method == "POST" and "destination" in request.POST:
        return _switch_destination(request, draft)
    if draft.for_mediation:
        from zhongcai.mediation.views_apply import review_for_mediation

        return review_for_mediation(request, draft, _review_context)
    competent = applying.competent_for(draft)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        commission = None
        raw = request.POST.get("commission", "")
        if raw:
            commission = Organisation.objects.filter(
                pk=int(raw) if raw.isascii() and raw.isdigit() else 0,
                type=Organisation.Type.COMMISSION,
            ).first()
            if commission is None:
                problems.append(_("Choose the commission you apply to."))
        if not problems:
            try:
                applying.draft_submit(
                    by=request.user,  # type: ignore[arg-type]
                    draft=draft,
                    version=_version(request),
                    commission=commission,
                )
            except StaleDraft:
                _stale(request)
                draft = applying.get_draft_for(request.user, draft.pk)  # type: ignore[arg-type]
                competent = applying.competent_for(draft)
                status = STALE
            except ValidationError as exc:
                problems = exc.messages
                status = 400
            else:
                return redirect("portal:apply-done", pk=draft.pk)
    chosen = request.POST.get("commission") or (str(draft.commission_id or ""))
    if not chosen and competent:
        chosen = str(competent[0].commission.pk)
    return render(
        request,
        "portal/apply/review.html",
        _review_context(
            draft,
            problems=problems,
            competent=competent,
            all_commissions=[] if competent else commission_choices(),
            chosen=chosen,
        ),
        status=status,
    )


def _review_context(draft: ApplicationDraft, **extra: Any) -> dict[str, Any]:
    """What the review page shows whatever the destination: the draft, its gaps and limits."""
    you, employer, work = (applying.section_of(draft, s) for s in ("you", "employer", "work"))
    return _context(
        draft,
        "review",
        you=you,
        employer=employer,
        work=work,
        claims=applying.claims_of(draft),
        claims_title=dict(steps_for(draft))["claims"],
        total=applying.total_claimed(draft),
        attachments=draft.attachments.all(),
        gaps=applying.draft_gaps(draft),
        limitation=applying.limitation_of(draft),
        divisions=_division_names(draft),
        **extra,
    )


def _switch_destination(request: HttpRequest, draft: ApplicationDraft) -> HttpResponse:
    """Apply for mediation instead of arbitration, or the other way round."""
    try:
        applying.draft_set_destination(
            by=request.user,  # type: ignore[arg-type]
            draft=draft,
            version=_version(request),
            destination=request.POST.get("destination", ""),
        )
    except StaleDraft:
        _stale(request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_step_url(draft, "review"))


def _division_names(draft: ApplicationDraft) -> dict[str, str]:
    from zhongcai.orgs.models import Division

    codes = {
        applying.section_of(draft, "you").get("domicile_division"),
        applying.section_of(draft, "employer").get("domicile_division"),
        applying.section_of(draft, "work").get("workplace_division"),
    } - {None, ""}
    return dict(Division.objects.filter(code__in=codes).values_list("code", "name"))


@login_required
def apply_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt: its number, when it was received, and by when the commission decides."""
    draft = applying.get_draft_for(request.user, pk)  # type: ignore[arg-type]
    if draft.submitted_mediation_id is not None:
        return redirect("mediation-portal:apply-done", pk=draft.pk)
    case = draft.submitted_case
    if case is None:
        return redirect(_step_url(draft, "review"))
    receipt = case.receipts.order_by("issued_at", "pk").first()
    deadline = case.deadlines.filter(code="acceptance_decision").order_by("-pk").first()
    profile = CommissionProfile.objects.filter(commission=case.commission).first()
    return render(
        request,
        "portal/apply/done.html",
        {
            "draft": draft,
            "case": case,
            "receipt": receipt,
            "deadline": deadline,
            "commission": case.commission,
            "profile": profile,
        },
    )


urlpatterns = [
    path("apply/", apply_index, name="apply"),
    path("apply/<int:pk>/delete/", apply_delete, name="apply-delete"),
    path("apply/<int:pk>/done/", apply_done, name="apply-done"),
    path(
        "apply/<int:pk>/evidence/<int:attachment>/",
        apply_attachment_file,
        name="apply-attachment",
    ),
    path(
        "apply/<int:pk>/evidence/<int:attachment>/remove/",
        apply_attachment_remove,
        name="apply-attachment-remove",
    ),
    path("apply/<int:pk>/<slug:step>/", apply_step, name="apply-step"),
]
