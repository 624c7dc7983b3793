"""The monthly national report pages (issue 10 point 3): the table with its 校核 checks, the
submitted versions, submission and correction, the exports, and the data-quality page.

Who may look: HRSS administrators, system administrators and institute heads, over their own
scope; anyone else gets 403, an organisation outside the scope 404 like a missing one. Only HRSS
administrators submit (``report.report_submit`` decides).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhongcai.accounts.models import User
from zhongcai.core.scope import scope
from zhongcai.orgs.models import Organisation
from zhongcai.workspace.access import staff_required

from . import checks, indicators, report
from .report_models import MonthlyReport

INSTITUTION_TYPES = (Organisation.Type.ARBITRATION_INSTITUTE,)
# Submitted reports compared with the live figures on the data-quality page; the others are
# listed with a link to their own page, which compares one.
LIVE_COMPARISONS = 20


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def report_viewer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not indicators.may_read_figures(_user(request)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class BadParameter(Exception):
    pass


@dataclass(frozen=True)
class Target:
    organisation: Organisation
    month: date


def _target(request: HttpRequest, params: Any) -> Target:
    """The organisation and month asked for: a bad value raises ``BadParameter`` with the
    message; an organisation outside the user's scope 404."""
    user = _user(request)
    organisation = None
    raw = (params.get("organisation") or "").strip()
    if raw:
        if not (raw.isascii() and raw.isdigit()):
            raise BadParameter(_("“%(value)s” is not an organisation.") % {"value": raw})
        organisation = Organisation.objects.filter(pk=int(raw)).select_related("division").first()
        if organisation is None:
            raise Http404
    area = indicators.area_for(user, organisation)
    raw_month = (params.get("month") or "").strip()
    try:
        month = report.parse_month(raw_month) if raw_month else report.last_month()
    except ValidationError as exc:
        raise BadParameter(" ".join(exc.messages)) from None
    return Target(area, month)


def _query(target: Target, **more: Any) -> str:
    params = {"organisation": target.organisation.pk, "month": f"{target.month:%Y-%m}", **more}
    return urlencode(params)


def _bad(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "monitoring/report_error.html", {"message": message}, status=400)


def _case_links(failures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for failure in failures:
        for case in failure["cases"]:
            case["url"] = reverse("cases:case-detail", args=[case["pk"]])
    return failures


@report_viewer
@require_GET
def report_page(request: HttpRequest) -> HttpResponse:
    try:
        target = _target(request, request.GET)
    except BadParameter as exc:
        return _bad(request, str(exc))
    user = _user(request)
    month_end = report.month_end(target.month)
    rows = report.build_rows(user=user, organisation=target.organisation, month=target.month)
    live = report.figures_of(
        user=user, organisation=target.organisation, month=target.month, rows=rows
    )
    s = indicators.scope_for(user, target.organisation, target.month, month_end)
    found = [c.as_json() for c in checks.run_checks(s)]
    for check in found:
        _case_links(check["failures"])
    history = report.versions(target.organisation, target.month)
    shown: MonthlyReport | None = history[0] if history else None
    raw_version = request.GET.get("version", "").strip()
    if raw_version:
        shown = next((r for r in history if str(r.version) == raw_version), None)
        if shown is None:
            return _bad(
                request, _("There is no version %(v)s of this report.") % {"v": raw_version}
            )
    changed = report.changes(shown.figures, live) if shown else []
    failing = sum(len(c["failures"]) for c in found)
    return render(
        request,
        "monitoring/report_page.html",
        {
            "target": target,
            "month_text": f"{target.month:%Y-%m}",
            "rows": rows,
            "submitted_rows": shown.figures["rows"] if shown else [],
            "shown": shown,
            "latest": history[0] if history else None,
            "history": history,
            "checks": found,
            "failing": failing,
            "changed": changed,
            "ended": month_end < timezone.localdate(),
            "may_submit": report.may_submit(user, target.organisation),
            "query": _query(target),
            "shown_query": _query(target, version=shown.version) if shown else "",
        },
    )


def _submit(request: HttpRequest, *, correction: bool) -> HttpResponse:
    try:
        target = _target(request, request.POST)
    except BadParameter as exc:
        return _bad(request, str(exc))
    try:
        submitted = report.report_submit(
            by=_user(request),
            organisation=target.organisation,
            month=target.month,
            reason=request.POST.get("reason", ""),
            correction=correction,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Version %(v)d of the report for %(month)s was submitted.")
            % {"v": submitted.version, "month": f"{target.month:%Y-%m}"},
        )
    return redirect(f"{reverse('monitoring:report')}?{_query(target)}")


@report_viewer
@require_POST
def report_submit(request: HttpRequest) -> HttpResponse:
    return _submit(request, correction=False)


@report_viewer
@require_POST
def report_correct(request: HttpRequest) -> HttpResponse:
    return _submit(request, correction=True)


def _export(request: HttpRequest) -> report.Export | HttpResponse:
    try:
        target = _target(request, request.GET)
    except BadParameter as exc:
        return _bad(request, str(exc))
    history = report.versions(target.organisation, target.month)
    raw_version = request.GET.get("version", "").strip()
    if raw_version == "draft" or (not raw_version and not history):
        figures = report.figures_of(
            user=_user(request), organisation=target.organisation, month=target.month
        )
        return report.Export(target.organisation, target.month, figures, None)
    chosen = history[0] if not raw_version else next(
        (r for r in history if str(r.version) == raw_version), None
    )  # fmt: skip
    if chosen is None:
        return _bad(request, _("There is no version %(v)s of this report.") % {"v": raw_version})
    return report.Export(target.organisation, target.month, chosen.figures, chosen)


@report_viewer
@require_GET
def report_xlsx(request: HttpRequest) -> HttpResponse:
    export = _export(request)
    if isinstance(export, HttpResponse):
        return export
    ascii_name, name = export.base_name()
    response = HttpResponse(
        report.xlsx_bytes(export),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return report.attachment(response, f"{ascii_name}.xlsx", f"{name}.xlsx")


@report_viewer
@require_GET
def report_json(request: HttpRequest) -> HttpResponse:
    export = _export(request)
    if isinstance(export, HttpResponse):
        return export
    ascii_name, name = export.base_name()
    body = json.dumps(report.national_json(export), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return report.attachment(response, f"{ascii_name}.json", f"{name}.json")


@report_viewer
@require_GET
def data_quality(request: HttpRequest) -> HttpResponse:
    """Open check failures per institution under the user's organisation (or the one chosen),
    and the reports whose live figures changed after submission."""
    try:
        target = _target(request, request.GET)
    except BadParameter as exc:
        return _bad(request, str(exc))
    user = _user(request)
    s = indicators.scope_for(
        user, target.organisation, target.month, report.month_end(target.month)
    )
    found = checks.run_checks(s)
    institutes = {
        org.pk: org
        for org in scope(Organisation.objects.all(), user).filter(
            path__startswith=target.organisation.path, type__in=INSTITUTION_TYPES
        )
    }
    per_institute: dict[int | None, list[dict[str, Any]]] = {}
    for check in found:
        for failure in check.failures:
            # Every institute with a case behind the failure is listed, with its own count,
            # though only the first cases are named.
            counts: dict[int | None, int] = {}
            for institute_id, n in failure.institutes.items():
                key = institute_id if institute_id in institutes else None
                counts[key] = counts.get(key, 0) + n
            named: dict[int | None, list[dict[str, Any]]] = {}
            for case in failure.cases:
                key = case.institute_id if case.institute_id in institutes else None
                named.setdefault(key, []).append(
                    {**case.as_json(), "url": reverse("cases:case-detail", args=[case.pk])}
                )
            for key, n in (counts or {None: 0}).items():
                per_institute.setdefault(key, []).append(
                    {"check": str(check.label), "code": failure.code,
                     "message": failure.message, "cases": named.get(key, []), "count": n}
                )  # fmt: skip

    def order(key: int | None) -> tuple[bool, str]:
        return (key is None, institutes[key].division_id if key is not None else "")

    problems = [
        (institutes.get(key), per_institute[key]) for key in sorted(per_institute, key=order)
    ]
    changed = []
    reports = (
        scope(MonthlyReport.objects.all(), user)
        .filter(organisation__path__startswith=target.organisation.path, month=target.month)
        .select_related("organisation")
        .order_by("organisation", "-version")
    )
    seen: set[int] = set()
    not_compared = []
    for submitted in reports:
        if submitted.organisation_id in seen:
            continue
        seen.add(submitted.organisation_id)
        if len(seen) > LIVE_COMPARISONS:
            # Each comparison recomputes a whole table: beyond a city's worth, on request.
            not_compared.append((submitted, _query(Target(submitted.organisation, target.month))))
            continue
        live = report.figures_of(user=user, organisation=submitted.organisation, month=target.month)
        diff = report.changes(submitted.figures, live)
        if diff:
            changed.append((submitted, diff, _query(Target(submitted.organisation, target.month))))
    return render(
        request,
        "monitoring/data_quality.html",
        {
            "target": target,
            "month_text": f"{target.month:%Y-%m}",
            "problems": problems,
            "changed": changed,
            "not_compared": not_compared,
            "institutes": sorted(institutes.values(), key=lambda o: o.division_id),
            "query": _query(target),
        },
    )
