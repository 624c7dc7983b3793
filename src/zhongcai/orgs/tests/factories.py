"""People, submissions and sheets for the orgs tests, built through the services."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from zhongcai.core.identifiers import id_number_check_char
from zhongcai.orgs import people, verification
from zhongcai.orgs.models import Organisation, Person, QuarterSubmission
from zhongcai.orgs.person_import import COLUMNS

_serial = iter(range(100, 10_000))


def commission(code: str = "370102") -> Organisation:
    return Organisation.objects.get(division_id=code, type=Organisation.Type.COMMISSION)


def id_number(body17: str | None = None) -> str:
    body17 = body17 or f"37010219800101{next(_serial):03d}"
    return body17 + id_number_check_char(body17)


def arbitrator_values(**changes: Any) -> dict[str, Any]:
    values = {
        "kind": Person.Kind.ARBITRATOR,
        "name": "林晓东",
        "sex": Person.Sex.MALE,
        "id_number": id_number(),
        "mobile": "13912345678",
        "employment": Person.Employment.PART_TIME,
        "unit": "山东示例律师事务所",
        "qualification_route": "lawyer",
        "qualification_evidence": "律师执业证 13701200810000009",
        "specialties": "劳动合同",
    }
    values.update(changes)
    return values


def arbitrator(
    organisation: Organisation | None = None,
    *,
    by: Any = None,
    starts_on: date | None = None,
    **changes: Any,
) -> Person:
    return people.person_create(
        by=by,
        organisation=organisation or commission(),
        values=arbitrator_values(**changes),
        starts_on=starts_on or timezone.localdate(),
    )


def approved_quarter(
    organisation: Organisation, *, submitter: Any, city: Any, province: Any
) -> QuarterSubmission:
    """Submit the current quarter, have the city forward it and the province approve it."""
    year, quarter = verification.quarter_of(timezone.localdate())
    submission = verification.quarter_submit(
        by=submitter, commission=organisation, year=year, quarter=quarter
    )
    if city is not None:
        verification.quarter_decide(by=city, submission=submission, outcome="forwarded")
    return verification.quarter_decide(by=province, submission=submission, outcome="approved")


def sheet(rows: list[list[Any]], headers: list[str] | None = None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(headers or [c.header for c in COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_row(**changes: Any) -> list[Any]:
    row = {
        "name": "张伟",
        "sex": "男",
        "id_number": id_number(),
        "mobile": "",
        "kind": "仲裁员",
        "employment": "兼职",
        "unit": "山东大学法学院",
        "qualification_route": "2",
        "qualification_evidence": "副教授职称证书",
        "specialties": "",
        "starts_on": "2026-01-01",
        "ends_on": "",
    }
    row.update(changes)
    return [row[c.code] for c in COLUMNS]
