"""Pages of the documents app: the province's template registry (with previews), a commission's
document settings, and the downloads of issued documents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhongcai.accounts.models import User
from zhongcai.cases import selectors as case_selectors
from zhongcai.cases.models import Case, CaseDocument, Volume
from zhongcai.cases.numbering import profile_of
from zhongcai.core.forms import add_service_errors
from zhongcai.knowledge.catalog import get_catalog
from zhongcai.knowledge.citations import link_citations
from zhongcai.orgs import selectors as org_selectors
from zhongcai.orgs.models import Organisation
from zhongcai.orgs.permissions import administrator_required, may_maintain
from zhongcai.workspace.access import staff_required

from . import catalogue, commission_settings, registry
from .catalogue import Template
from .compose import TemplateProblem
from .downloads import document_file_response
from .forms import DocumentSettingsForm, PreviewCaseForm, TemplateVersionForm
from .markup import Block
from .models import TemplateVersion
from .render import to_html, to_pdf
from .sample import SAMPLE_COMMISSION
from .seal import data_uri, drawn_seal, seal_png

PREVIEW_CASES = 30  # recent cases offered for a preview


# --- The registry -------------------------------------------------------------------------------


def _registry_user(request: HttpRequest) -> tuple[User, Organisation | None]:
    user: User = request.user  # type: ignore[assignment]
    if not registry.may_view_registry(user):
        raise PermissionDenied
    return user, registry.province_for(user)


def _entry(code: str) -> Template:
    if code not in catalogue.BY_CODE:
        raise Http404
    return catalogue.template(code)


def _describe(entry: Template, catalog: Any) -> dict[str, Any]:
    return {
        "entry": entry,
        "issued_by": catalogue.issued_by_label(entry),
        "signer": registry.SIGNER_LABELS[entry.signer],
        "served": registry.SERVED_LABELS[entry.served],
        "volume": Volume(entry.volume).label,
        "basis": [link_citations(item, catalog=catalog) for item in entry.basis],
    }


@staff_required
def template_list(request: HttpRequest) -> HttpResponse:
    user, province = _registry_user(request)
    catalog = get_catalog()
    rows = [
        {**_describe(row.entry, catalog), "current": row.current, "scheduled": row.scheduled}
        for row in registry.registry_rows(province)
    ]
    return render(
        request,
        "documents/template_list.html",
        {
            "rows": rows,
            "province": province,
            "may_edit": registry.may_edit_templates(user, province),
        },
    )


def _preview_cases(user: User) -> list[tuple[int, str]]:
    cases = (
        case_selectors.cases_visible_to(user)
        .exclude(case_number="")
        .order_by("-accepted_on", "-pk")[:PREVIEW_CASES]
    )
    return [(case.pk, case.case_number) for case in cases]


@staff_required
def template_detail(request: HttpRequest, code: str) -> HttpResponse:
    user, province = _registry_user(request)
    entry = _entry(code)
    versions = registry.versions_of(code, province)
    today = timezone.localdate()
    return render(
        request,
        "documents/template_detail.html",
        {
            **_describe(entry, get_catalog()),
            "province": province,
            "versions": versions,
            "current": registry.in_force(versions, today),
            "today": today,
            "may_edit": registry.may_edit_templates(user, province),
            "case_form": PreviewCaseForm(cases=_preview_cases(user)),
        },
    )


def _body(html: str) -> str:
    """The inside of ``<body>`` of ``render.to_html``'s page, to show within ours."""
    return html.split("<body>", 1)[-1].rsplit("</body>", 1)[0]


def _preview_seal(case: Case | None) -> str:
    # A preview never carries the real seal: it would make a convincing forgery.
    if case is None:
        return data_uri(drawn_seal(SAMPLE_COMMISSION))
    profile = profile_of(case.commission)
    return data_uri(drawn_seal(profile.document_name or case.commission.name))


def _preview_html(blocks: list[Block], *, case: Case | None, title: str) -> str:
    return _body(to_html(blocks, seal_uri=_preview_seal(case), title=title))


@staff_required
def version_create(request: HttpRequest, code: str) -> HttpResponse:
    user, province = _registry_user(request)
    entry = _entry(code)
    if not registry.may_edit_templates(user, province):
        raise PermissionDenied
    assert province is not None  # noqa: S101 - may_edit_templates says so
    versions = registry.versions_of(code, province)
    current = registry.in_force(versions, timezone.localdate())
    form = TemplateVersionForm(
        request.POST or None, initial={"text": current.text if current else ""}
    )
    status = 200
    preview = problem = None
    if request.method == "POST":
        status = 400
        if "preview" in request.POST:
            # Show what the text makes of the sample case; nothing is stored.
            text = request.POST.get("text", "")
            problem = registry.text_problem(text, code=code, province=province)
            if problem is None:
                blocks = registry.preview_blocks(TemplateVersion(code=code, text=text))
                preview = _preview_html(blocks, case=None, title=entry.title)
                status = 200
        elif form.is_valid():
            try:
                version = registry.template_version_create(
                    by=user, province=province, code=code, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Version %(version)d of %(title)s takes effect on %(date)s.")
                    % {
                        "version": version.version,
                        "title": entry.name,
                        "date": version.effective_from.isoformat(),
                    },
                )
                return redirect("documents:template-detail", code=code)
    return render(
        request,
        "documents/version_form.html",
        {
            "entry": entry,
            "form": form,
            "province": province,
            "current": current,
            "preview": preview,
            "problem": problem,
        },
        status=status,
    )


def _version(user: User, province: Organisation | None, code: str, pk: int) -> TemplateVersion:
    """A version the user's province may see: the platform's, or its own override."""
    version = get_object_or_404(TemplateVersion, code=code, pk=pk)
    if version.province_id is not None and (province is None or version.province_id != province.pk):
        raise Http404
    return version


def _preview_case(request: HttpRequest, user: User) -> Case | None:
    value = request.GET.get("case", "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return case_selectors.get_case_for(user, int(value))


@require_GET
@staff_required
def version_preview(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user, province = _registry_user(request)
    entry = _entry(code)
    version = _version(user, province, code, pk)
    case = _preview_case(request, user)
    preview = problem = None
    try:
        blocks = registry.preview_blocks(version, case=case)
    except TemplateProblem as exc:
        problem = registry.problem_of(exc, version.text)
    else:
        preview = _preview_html(blocks, case=case, title=entry.title)
    return render(
        request,
        "documents/version_preview.html",
        {
            "entry": entry,
            "version": version,
            "case": case,
            "preview": preview,
            "problem": problem,
            "case_form": PreviewCaseForm(
                initial={"case": case.pk if case else None}, cases=_preview_cases(user)
            ),
        },
    )


@require_GET
@staff_required
def version_preview_pdf(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user, province = _registry_user(request)
    entry = _entry(code)
    version = _version(user, province, code, pk)
    case = _preview_case(request, user)
    try:
        blocks = registry.preview_blocks(version, case=case)
    except TemplateProblem:
        raise Http404 from None
    pdf = to_pdf(blocks, seal_uri=_preview_seal(case), title=entry.title)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-{code}-{version.pk}.pdf"'
    return response


# --- The commission's document settings ---------------------------------------------------------


@administrator_required
def settings_index(request: HttpRequest) -> HttpResponse:
    """The commissions the user's department maintains; straight to the one when only one."""
    user: User = request.user  # type: ignore[assignment]
    commissions = list(
        org_selectors.commissions_visible_to(user).filter(parent_id=user.organisation_id)
    )
    commissions = [c for c in commissions if may_maintain(user, c)]
    if len(commissions) == 1:
        return redirect("documents:settings-edit", pk=commissions[0].pk)
    return render(request, "documents/settings_index.html", {"commissions": commissions})


def _maintained_commission(request: HttpRequest, pk: int) -> Organisation:
    user: User = request.user  # type: ignore[assignment]
    commission = org_selectors.get_commission_for(user, pk)
    if not may_maintain(user, commission):
        raise PermissionDenied
    return commission


@administrator_required
def settings_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    commission = _maintained_commission(request, pk)
    profile = profile_of(commission)
    initial = {name: getattr(profile, name) for name in commission_settings.SETTINGS_FIELDS}
    form = DocumentSettingsForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                commission_settings.commission_settings_update(
                    by=user,
                    commission=commission,
                    seal=data.pop("seal"),
                    remove_seal=data.pop("remove_seal"),
                    **data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("documents:settings-edit", pk=commission.pk)
    return render(
        request,
        "documents/settings_edit.html",
        {
            "commission": commission,
            "profile": profile,
            "form": form,
            "seal_url": reverse("documents:seal-image", args=[commission.pk]),
        },
        status=status,
    )


@require_GET
@administrator_required
def seal_image(request: HttpRequest, pk: int) -> HttpResponse:
    """The seal documents carry: the uploaded image, or the one drawn from the name."""
    commission = _maintained_commission(request, pk)
    response = HttpResponse(seal_png(commission), content_type="image/png")
    response["Cache-Control"] = "private, no-cache"
    return response


# --- Downloads ----------------------------------------------------------------------------------


@require_GET
@staff_required
def document_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """An issued document's PDF or DOCX for the staff who may see its case (else 404)."""
    user: User = request.user  # type: ignore[assignment]
    document = get_object_or_404(
        CaseDocument.objects.select_related("case", "rendition"),
        pk=pk,
        case__in=case_selectors.cases_visible_to(user).values("pk"),
    )
    return document_file_response(document, fmt)
