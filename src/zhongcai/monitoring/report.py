"""The monthly national report (月报, spec §7.1–7.2): the table, its submission and corrections,
and its exports.

The table follows the national MA2-style layout (the yearbook table 劳动争议处理情况 of spec §7.1
with the indicators of §7.2): each row has its row number (行次), the Chinese name of the
official table, its unit and its value. Every value comes from ``indicators`` and
``breakdowns``; nothing here counts cases by its own rules.

Submitting freezes the month: the table is stored as submitted (``MonthlyReport.figures``) with
the 校核 results, and the only way to change it is a correction, a new version with a reason.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import quote

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import Role, User
from zhongcai.cases.models import Party
from zhongcai.core.events import record_event
from zhongcai.orgs.models import Organisation

from . import breakdowns, checks, indicators
from .report_models import MonthlyReport

UNITS = {
    indicators.COUNT: "件",
    indicators.PEOPLE: "人",
    indicators.RATE: "%",
    indicators.DAYS: "天",
    indicators.YUAN: "元",
}

# LDMAL art. 2: the six kinds of labor dispute, over the cause codes of ``cases.taxonomy``.
CAUSE_GROUPS = (
    ("labor_relationship", "确认劳动关系", {"labor_relationship"}),
    ("contract", "订立、履行、变更、解除和终止劳动合同", {"contract", "termination"}),
    ("dismissal", "除名、辞退和辞职、离职", {"dismissal"}),
    (
        "standards",
        "工作时间、休息休假、社会保险、福利、培训以及劳动保护",
        {"working_time", "rest_leave", "social_insurance", "welfare", "training",
         "labor_protection"},
    ),
    (
        "remuneration",
        "劳动报酬、工伤医疗费、经济补偿或者赔偿金",
        {"remuneration", "work_injury", "economic_compensation", "damages"},
    ),
    ("other", "其他", set()),  # personnel disputes, "other" and unclassified cases
)  # fmt: skip

METHOD_ROWS = (
    ("closed_mediation", "其中：仲裁调解", "mediation"),
    ("closed_award", "仲裁裁决", "award"),
    ("closed_withdrawn", "撤回", "withdrawn"),
    ("closed_deemed_withdrawn", "视为撤回", "deemed_withdrawn"),
    ("closed_revoked", "撤销", "revoked"),
    ("closed_transferred", "移送", "transferred"),
    ("closed_other", "其他方式", "other"),
)
RESULT_ROWS = (
    ("result_worker_won", "按结果：劳动者胜诉", "worker_won"),
    ("result_employer_won", "用人单位胜诉", "employer_won"),
    ("result_partly", "双方部分胜诉", "partly"),
)
RATE_ROWS = (
    "closure_rate",
    "mediation_success_rate",
    "final_award_rate",
    "closed_in_time_rate",
    "average_days",
    "overdue",
    "online_rate",
    "amount",
)


@dataclass(frozen=True)
class Row:
    line: int
    code: str
    name: str
    unit: str
    value: Any  # int, a decimal as a string, or None (no data)
    level: int = 0  # 1 for "其中" rows

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "code": self.code,
            "name": self.name,
            "unit": self.unit,
            "value": self.value,
            "level": self.level,
        }


# --- Months ---------------------------------------------------------------------------------


# The years a report can be asked for: the law took effect in 2008; beyond 2100 is a typo.
MIN_YEAR, MAX_YEAR = 2008, 2100


def parse_month(text: str | None) -> date:
    """ "2026-10" → date(2026, 10, 1); a clear ``ValidationError`` otherwise."""
    try:
        year, month = (int(part) for part in (text or "").strip().split("-"))
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(year)
        return date(year, month, 1)
    except (TypeError, ValueError):
        raise ValidationError(
            _("“%(text)s” is not a month; write it as YYYY-MM, e.g. 2026-10.")
            % {"text": text or ""}
        ) from None


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def last_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


# --- The table ------------------------------------------------------------------------------


def _json_value(value: Any, unit: str) -> Any:
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        places = Decimal("0.01") if unit == indicators.YUAN else Decimal("0.1")
        return str(value.quantize(places, rounding=ROUND_HALF_UP))
    return value


def _by_applicant(s: indicators.Scope, kind: str) -> int:
    applicants = Party.objects.filter(role=Party.Role.APPLICANT, kind=kind)
    return indicators.accepted(s).filter(pk__in=applicants.values("case_id")).count()


def build_rows(*, user: Any, organisation: Organisation, month: date) -> list[Row]:
    """The table of ``organisation`` and everything under it for ``month``, as ``user`` sees it."""
    period = {"user": user, "organisation": organisation, "start": month, "end": month_end(month)}
    results = {r.indicator.code: r for r in indicators.compute_all(**period)}
    causes = breakdowns.breakdown("cause", **period).counts()
    finality = breakdowns.breakdown("finality", **period).counts()
    result = breakdowns.breakdown("result", **period).counts()
    s = indicators.scope_for(user, organisation, month, month_end(month))
    methods = results["closed"].parts

    spec: list[tuple[str, str, str, Any, int]] = []

    def indicator(code: str, name: str | None = None, level: int = 0) -> None:
        r = results[code]
        unit = r.indicator.unit
        spec.append((code, name or r.indicator.name, unit, _json_value(r.value, unit), level))

    def count(
        code: str, name: str, value: int, unit: str = indicators.COUNT, level: int = 0
    ) -> None:
        spec.append((code, name, unit, value, level))

    indicator("carried_over")
    indicator("accepted")
    indicator("collective_cases", "其中：集体劳动争议案件数", 1)
    count("accepted_by_worker", "劳动者申请案件数", _by_applicant(s, Party.Kind.WORKER), level=1)
    count("accepted_by_employer", "用人单位申请案件数", _by_applicant(s, Party.Kind.EMPLOYER),
          level=1)  # fmt: skip
    indicator("workers", "劳动者当事人数")
    indicator("collective_workers", "其中：集体争议劳动者当事人数", 1)
    grouped = {cause for _code, _name, members in CAUSE_GROUPS for cause in members}
    for code, name, members in CAUSE_GROUPS:
        if members:
            n = sum(causes.get(cause, 0) for cause in members)
        else:
            n = sum(v for cause, v in causes.items() if cause not in grouped)
        prefix = "按争议原因：" if code == CAUSE_GROUPS[0][0] else ""
        count(f"cause_{code}", prefix + name, n, level=1)
    indicator("closed")
    for code, name, method in METHOD_ROWS:
        count(code, name, methods.get(method, 0), level=1)
        if method == "award":
            final = finality.get("final", 0)
            count("closed_award_final", "其中：终局裁决", final, level=2)
            non_final = sum(v for k, v in finality.items() if k != "final")
            count("closed_award_non_final", "非终局裁决", non_final, level=2)
    for code, name, key in RESULT_ROWS:
        count(code, name, result.get(key, 0), level=1)
    indicator("open_at_end")
    for code in RATE_ROWS:
        indicator(code)
    return [
        Row(line, code, name, UNITS[unit], value, level)
        for line, (code, name, unit, value, level) in enumerate(spec, start=1)
    ]


def figures_of(
    *, user: Any, organisation: Organisation, month: date, rows: list[Row] | None = None
) -> dict[str, Any]:
    rows = (
        rows if rows is not None else build_rows(user=user, organisation=organisation, month=month)
    )
    return {
        "organisation": {
            "pk": organisation.pk,
            "name": organisation.name,
            "division": organisation.division_id,
        },
        "month": f"{month:%Y-%m}",
        "rows": [row.as_json() for row in rows],
    }


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest_of(figures: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(figures)).hexdigest()


@dataclass(frozen=True)
class Change:
    line: int
    code: str
    name: str
    submitted: Any
    live: Any


def changes(submitted: dict[str, Any], live: dict[str, Any]) -> list[Change]:
    """The rows whose live value differs from the submitted one (rows matched by code)."""
    now = {row["code"]: row for row in live["rows"]}
    found = []
    for row in submitted["rows"]:
        current = now.get(row["code"])
        live_value = current["value"] if current else None
        if live_value != row["value"]:
            found.append(Change(row["line"], row["code"], row["name"], row["value"], live_value))
    return found


# --- Reading the submitted versions ---------------------------------------------------------


def versions(organisation: Organisation, month: date) -> list[MonthlyReport]:
    return list(
        MonthlyReport.objects.filter(organisation=organisation, month=month)
        .select_related("submitted_by")
        .order_by("-version")
    )


# --- Submission -----------------------------------------------------------------------------


def may_submit(by: User, organisation: Organisation) -> bool:
    """An HRSS administrator submits the report of their own department, no other's."""
    return by.role == Role.HRSS_ADMIN and organisation.pk == by.organisation_id


def _may_submit(by: User, organisation: Organisation) -> None:
    if by.role != Role.HRSS_ADMIN:
        raise PermissionDenied(_("Only HRSS administrators submit the monthly report."))
    indicators.area_for(by, organisation)  # 404 outside the user's scope
    if not may_submit(by, organisation):
        # Each department submits its own month; one above reads it but does not freeze it.
        raise PermissionDenied(_("Each department submits its own report."))


def _refuse_open_month(month: date) -> None:
    if month_end(month) >= timezone.localdate():
        raise ValidationError(
            _("%(month)s has not ended yet; a month is reported after its last day.")
            % {"month": f"{month:%Y-%m}"}
        )


def _refuse_failures(found: list[checks.Check]) -> None:
    failures = checks.failures_of(found)
    if failures:
        raise ValidationError(
            _("The checks found problems; correct the case data first: %(problems)s")
            % {"problems": "；".join(f"{f.message} ({f.code})" for f in failures)}
        )


def _already(organisation: Organisation, month: date) -> ValidationError:
    return ValidationError(
        _("The report of %(org)s for %(month)s has already been submitted; "
          "a change needs a correction with its reason.")
        % {"org": organisation.name, "month": f"{month:%Y-%m}"}
    )  # fmt: skip


@transaction.atomic
def report_submit(
    *, by: User, organisation: Organisation, month: date, reason: str = "", correction: bool = False
) -> MonthlyReport:
    """Submit the month's table of ``organisation`` (version 1) or, with ``correction``, a new
    version with its ``reason``.

    Preconditions: an HRSS administrator of the organisation or above; a month that has ended;
    no 校核 check failing. Two submissions at once: the organisation's row is locked, so the
    second waits and then finds the first; the unique (organisation, month, version) catches a
    database that cannot lock. Records ``monitoring.report_submitted`` or
    ``monitoring.report_corrected`` on the report.
    """
    _may_submit(by, organisation)
    month = month.replace(day=1)
    _refuse_open_month(month)
    reason = (reason or "").strip()
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    latest = (
        MonthlyReport.objects.filter(organisation=organisation, month=month)
        .order_by("-version")
        .first()
    )
    if not correction and latest is not None:
        raise _already(organisation, month)
    if correction:
        if latest is None:
            raise ValidationError(
                _("Nothing to correct: the report for %(month)s has not been submitted.")
                % {"month": f"{month:%Y-%m}"}
            )
        if not reason:
            raise ValidationError({"reason": [_("A correction needs its reason.")]})
    s = indicators.scope_for(by, organisation, month, month_end(month))
    found = checks.run_checks(s)
    _refuse_failures(found)
    figures = figures_of(user=by, organisation=organisation, month=month)
    version = latest.version + 1 if latest else 1
    try:
        with transaction.atomic():
            report = MonthlyReport.objects.create(
                organisation=organisation,
                month=month,
                version=version,
                figures=figures,
                checks=[c.as_json() for c in found],
                reason=reason if version > 1 else "",
                submitted_by=by,
                submitted_at=timezone.now(),
                digest=digest_of(figures),
            )
    except IntegrityError:
        raise _already(organisation, month) from None
    record_event(
        report,
        "monitoring.report_corrected" if version > 1 else "monitoring.report_submitted",
        actor=by,
        organisation=organisation,
        payload={
            "month": f"{month:%Y-%m}",
            "version": version,
            "digest": report.digest,
            "reason": report.reason,
        },
    )
    return report


# --- Exports --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    organisation: Organisation
    month: date
    figures: dict[str, Any]
    report: MonthlyReport | None  # None: the live draft

    @property
    def version(self) -> int | None:
        return self.report.version if self.report else None

    @property
    def digest(self) -> str:
        return self.report.digest if self.report else digest_of(self.figures)

    def base_name(self) -> tuple[str, str]:
        """(ASCII, Chinese) file names without the extension."""
        tag = f"v{self.version}" if self.report else "draft"
        ascii_name = f"monthly-report-{self.organisation.division_id}-{self.month:%Y-%m}-{tag}"
        label = f"第{self.version}版" if self.report else "草稿"
        org = self.organisation.short_name or self.organisation.name
        return ascii_name, f"{org}{self.month.year}年{self.month.month}月仲裁月报（{label}）"


def attachment(response: HttpResponse, ascii_name: str, utf8_name: str) -> HttpResponse:
    """RFC 6266: an ASCII ``filename`` for old clients, the Chinese one as ``filename*``."""
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name)}"
    )
    return response


# The sheet is a document in the official language whatever the screen's language: its labels
# are the national table's, not interface text.
TITLE = "劳动人事争议仲裁案件情况月报"


def xlsx_bytes(export: Export) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = f"{export.month:%Y-%m}"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    title = TITLE if export.report else f"{TITLE}（草稿）"
    ws.append([title])
    ws.merge_cells("A1:D1")
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    version = f"第{export.version}版" if export.report else "草稿（未报送）"
    ws.append([f"填报单位：{export.organisation.name}", None, f"所属期：{export.month.year}年"
               f"{export.month.month}月", version])  # fmt: skip
    ws.append(["行次", "指标名称", "计量单位", "数值"])
    for cell in ws[3]:
        cell.font, cell.border = Font(bold=True), box
        cell.alignment = Alignment(horizontal="center")
    for row in export.figures["rows"]:
        value = row["value"]
        if isinstance(value, str):
            value = float(Decimal(value))
        ws.append([row["line"], "　" * row.get("level", 0) + row["name"], row["unit"],
                   "—" if value is None else value])  # fmt: skip
        for cell in ws[ws.max_row]:
            cell.border = box
    ws.append([])
    submitted_by = export.report.submitted_by.real_name if export.report else ""
    reported_on = (
        f"{timezone.localdate(export.report.submitted_at):%Y-%m-%d}" if export.report else ""
    )
    ws.append(["单位负责人：", None, f"填表人：{submitted_by}", f"报出日期：{reported_on}"])
    if export.report:
        ws.append([f"校验码（SHA-256）：{export.digest}"])
        if export.report.reason:
            ws.append([f"更正原因：{export.report.reason}"])
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 48
    ws.column_dimensions["C"].width = 10
    ws.column_dimensions["D"].width = 16
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def national_json(export: Export) -> dict[str, Any]:
    """The payload for the national system: indicators by code, with the digest of the table."""
    return {
        "organisation": {
            "name": export.organisation.name,
            "division_code": export.organisation.division_id,
        },
        "month": export.figures["month"],
        "version": export.version,
        "draft": export.report is None,
        "submitted_at": export.report.submitted_at.isoformat() if export.report else None,
        "correction_reason": export.report.reason if export.report else "",
        "indicators": {row["code"]: row["value"] for row in export.figures["rows"]},
        "rows": export.figures["rows"],
        "digest": export.digest,
    }
