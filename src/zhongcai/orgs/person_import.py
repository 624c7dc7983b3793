"""Bulk import of people from an .xlsx sheet, checked row by row.

Every row is checked with the same rules as the form (``people.clean_person``, the appointment
term, the re-appointment bar) and the report lists each bad row with its reasons. If any row is
bad nothing is imported, unless the administrator chose to import only the good rows. Checking
runs before any write so that its progress is visible to the polling page; the writes then
happen in one transaction through ``people.person_create``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from zhongcai.core.events import record_event

from .models import Organisation, Person, PersonImport, QualificationRoute
from .people import Bar, clean_person, person_create, reappointment_bar
from .permissions import ensure_may_maintain
from .spreadsheets import Sheet, workbook_bytes

if TYPE_CHECKING:
    from zhongcai.accounts.models import User

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
PROGRESS_EVERY = 50


@dataclass(frozen=True)
class Column:
    code: str
    header: str  # the template's header (the sheet is filled in by Chinese offices)
    english: str
    required: bool = False


COLUMNS = (
    Column("name", "姓名", "Name", required=True),
    Column("sex", "性别", "Sex", required=True),
    Column("id_number", "公民身份号码", "ID number"),
    Column("mobile", "手机号码", "Mobile number"),
    Column("kind", "人员类别", "Kind", required=True),
    Column("employment", "专兼职", "Full- or part-time", required=True),
    Column("unit", "工作单位", "Unit"),
    Column("qualification_route", "任职资格条件", "Qualification"),
    Column("qualification_evidence", "资格证明材料", "Supporting document"),
    Column("specialties", "专业特长", "Specialties"),
    Column("starts_on", "聘任起始日期", "Appointed from", required=True),
    Column("ends_on", "聘任终止日期", "Appointed until"),
)
COLUMN_BY_CODE = {c.code: c for c in COLUMNS}

# Values as offices write them, for each choice column; the codes and the choices' labels in
# English and Chinese are accepted too (``_aliases``).
ALIASES: dict[str, dict[str, str]] = {
    "sex": {"男": "male", "女": "female", "m": "male", "f": "female"},
    "kind": {
        "仲裁员": "arbitrator",
        "书记员": "recorder",
        "记录人员": "recorder",
        "办案辅助人员": "case_assistant",
        "案件辅助人员": "case_assistant",
        "调解员": "mediator",
    },
    "employment": {"专职": "full_time", "兼职": "part_time"},
    "qualification_route": {
        "1": "former_judge",
        "2": "legal_research",
        "3": "hr_or_union",
        "4": "lawyer",
        "曾任审判员": "former_judge",
        "从事法律研究、教学工作并具有中级以上职称": "legal_research",
        "具有法律知识、从事人力资源管理或者工会等专业工作满五年": "hr_or_union",
        "律师执业满三年": "lawyer",
    },
}
CHOICES: dict[str, type[models.TextChoices]] = {
    "sex": Person.Sex,
    "kind": Person.Kind,
    "employment": Person.Employment,
    "qualification_route": QualificationRoute,
}


@cache
def _aliases(code: str) -> dict[str, str]:
    aliases = {_normal(text): value for text, value in ALIASES[code].items()}
    for choice in CHOICES[code]:
        aliases[_normal(choice.value)] = choice.value
        for language in ("en", settings.LANGUAGE_CODE):
            with translation.override(language):
                aliases.setdefault(_normal(str(choice.label)), choice.value)
    return aliases


DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class ImportFileError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def _normal(text: Any) -> str:
    return re.sub(r"\s+", "", str(text or "")).lower()


HEADER_LOOKUP = {
    key: column.code
    for column in COLUMNS
    for key in (_normal(column.header), _normal(column.english), _normal(column.code))
}


def template() -> bytes:
    """The empty sheet to fill in, with the allowed values on a second sheet."""
    return workbook_bytes(
        [
            Sheet(
                title="人员",
                headers=[c.header for c in COLUMNS],
                rows=[
                    [
                        "张三",
                        "男",
                        "370102198001010011",
                        "13800000000",
                        "仲裁员",
                        "兼职",
                        "山东某律师事务所",
                        "4",
                        "律师执业证 13701200010000000",
                        "劳动合同",
                        "2026-01-01",
                        "2030-12-31",
                    ]
                ],
            ),
            Sheet(
                title="说明",
                headers=["列", "填写要求"],
                rows=[
                    ["人员类别", "仲裁员、书记员、办案辅助人员（仲裁委员会）；调解员（调解组织）"],
                    ["专兼职", "专职 或 兼职；兼职人员须填写工作单位"],
                    ["任职资格条件", "仲裁员必填，填 1–4（《劳动争议调解仲裁法》第二十条）"],
                    ["公民身份号码", "仲裁员必填，请以文本格式填写 18 位号码"],
                    ["日期", "2026-01-01 或 2026年1月1日"],
                ],
            ),
        ]
    )


@dataclass
class ParsedRow:
    line: int
    cells: dict[str, Any]


def read_sheet(content: bytes) -> tuple[dict[str, str], list[ParsedRow]]:
    """The header (code → header as written) and the non-empty rows of the first sheet."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError([_("The file is not an Excel workbook (.xlsx).")]) from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_line = 0
        header: tuple[Any, ...] = ()
        for header_line, header in enumerate(rows, start=1):  # noqa: B007
            if any(cell not in (None, "") for cell in header):
                break
        else:
            raise ImportFileError([_("The sheet is empty.")])
        positions: dict[int, str] = {}
        written: dict[str, str] = {}
        errors = []
        for index, cell in enumerate(header):
            if cell in (None, ""):
                continue
            code = HEADER_LOOKUP.get(_normal(cell))
            if code is None:
                errors.append(
                    _("Row %(line)d: unknown column “%(column)s”; use the template's headers.")
                    % {"line": header_line, "column": cell}
                )
            elif code in written:
                errors.append(
                    _("Row %(line)d: the column “%(column)s” appears twice.")
                    % {"line": header_line, "column": cell}
                )
            else:
                positions[index] = code
                written[code] = str(cell).strip()
        missing = [c.header for c in COLUMNS if c.required and c.code not in written]
        if missing:
            errors.append(
                _("Required columns are missing: %(columns)s.") % {"columns": "、".join(missing)}
            )
        if errors:
            raise ImportFileError(errors)
        parsed = []
        for line, values in enumerate(rows, start=header_line + 1):
            if not any(v not in (None, "") for v in values):
                continue
            parsed.append(
                ParsedRow(
                    line,
                    {code: values[i] if i < len(values) else None for i, code in positions.items()},
                )
            )
            if len(parsed) > MAX_ROWS:
                raise ImportFileError(
                    [_("The sheet has more than %(n)d rows; split it.") % {"n": MAX_ROWS}]
                )
    finally:
        book.close()
    if not parsed:
        raise ImportFileError([_("The sheet has a header but no people.")])
    return written, parsed


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE_RE.match(str(value).strip())
    if not match:
        raise ValueError
    return date(*(int(part) for part in match.groups()))


@dataclass
class CheckedRow:
    line: int
    name: str
    values: dict[str, Any]
    starts_on: date | None
    ends_on: date | None
    errors: list[str]


def check_row(
    organisation: Organisation, row: ParsedRow, headers: dict[str, str], seen: dict[str, int]
) -> CheckedRow:
    """Parse one row and check it with the rules of a record; every problem is listed."""
    errors: list[str] = []
    unreadable: set[str] = set()  # columns already reported: no second message about them

    def say(code: str, message: str) -> None:
        unreadable.add(code)
        column = headers.get(code) or (
            COLUMN_BY_CODE[code].header if code in COLUMN_BY_CODE else ""
        )
        errors.append(f"{column}: {message}" if column else message)

    values: dict[str, Any] = {}
    for column in COLUMNS:
        if column.code in ("starts_on", "ends_on"):
            continue
        raw = row.cells.get(column.code)
        if column.code == "id_number" and isinstance(raw, float):
            say(column.code, _("an 18-digit ID number must be entered as text, not a number."))
            continue
        text = _text(raw)
        if column.code in ALIASES and text:
            code = _aliases(column.code).get(_normal(text))
            if code is None:
                say(
                    column.code,
                    _("“%(value)s” is not one of the allowed values.") % {"value": text},
                )
                continue
            text = code
        values[column.code] = text
    dates: dict[str, date | None] = {}
    for code in ("starts_on", "ends_on"):
        try:
            dates[code] = _date(row.cells.get(code))
        except (ValueError, TypeError):
            say(code, _("write the date as 2026-01-01."))
            dates[code] = None
        else:
            if code == "starts_on" and dates[code] is None:
                say(code, _("enter the first day of the appointment."))
    if dates["starts_on"] and dates["ends_on"] and dates["ends_on"] < dates["starts_on"]:
        say("ends_on", _("the appointment cannot end before it starts."))

    try:
        values = clean_person(organisation, values)
    except ValidationError as exc:
        for code, messages in exc.message_dict.items():
            if code in unreadable:
                continue
            for message in messages:
                say(code, message)
    id_number = values.get("id_number") or ""
    if id_number:
        if id_number in seen:
            say("id_number", _("the same person is on row %(line)d.") % {"line": seen[id_number]})
        else:
            seen[id_number] = row.line
    if values.get("kind") == Person.Kind.ARBITRATOR and id_number and dates["starts_on"]:
        bar: Bar | None = reappointment_bar(
            id_number=id_number, person=None, starts_on=dates["starts_on"]
        )
        if bar is not None:
            say("starts_on", bar.message())
    return CheckedRow(
        line=row.line,
        name=_text(row.cells.get("name")),
        values=values,
        starts_on=dates["starts_on"],
        ends_on=dates["ends_on"],
        errors=errors,
    )


def check_rows(
    organisation: Organisation, headers: dict[str, str], rows: list[ParsedRow]
) -> Iterator[CheckedRow]:
    seen: dict[str, int] = {}
    for row in rows:
        yield check_row(organisation, row, headers, seen)


@transaction.atomic
def person_import_start(
    *, by: User, organisation: Organisation, upload: UploadedFile, good_rows_only: bool = False
) -> PersonImport:
    """Keep the uploaded sheet and queue its check (and import) as a task."""
    ensure_may_maintain(by, organisation)
    if PurePath(upload.name or "").suffix.lower() != ".xlsx":
        raise ValidationError({"file": [_("Upload the sheet as an .xlsx file.")]})
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationError({"file": [_("The file is larger than 5 MB; split it.")]})
    person_import = PersonImport.objects.create(
        organisation=organisation,
        uploaded_by=by,
        file_name=PurePath(upload.name or "sheet.xlsx").name[:200],
        content=upload.read(),
        good_rows_only=good_rows_only,
    )
    record_event(
        person_import,
        "person_import.uploaded",
        actor=by,
        organisation=organisation,
        payload={"file": person_import.file_name, "good_rows_only": good_rows_only},
    )
    _queue(person_import)
    return person_import


@transaction.atomic
def person_import_good_rows(*, by: User, person_import: PersonImport) -> PersonImport:
    """Run a rejected sheet again, importing only its good rows: an explicit second choice."""
    ensure_may_maintain(by, person_import.organisation)
    if person_import.status != PersonImport.Status.REJECTED or not person_import.good_rows:
        raise ValidationError(_("Only a sheet rejected for some bad rows can be run this way."))
    again = PersonImport.objects.create(
        organisation=person_import.organisation,
        uploaded_by=by,
        file_name=person_import.file_name,
        content=bytes(
            PersonImport.objects.values_list("content", flat=True).get(pk=person_import.pk)
        ),
        good_rows_only=True,
    )
    record_event(
        again,
        "person_import.uploaded",
        actor=by,
        organisation=again.organisation,
        payload={"file": again.file_name, "good_rows_only": True, "after": person_import.pk},
    )
    _queue(again)
    return again


def _queue(person_import: PersonImport) -> None:
    from .tasks import person_import_run

    transaction.on_commit(lambda: person_import_run.delay(person_import.pk))


def _progress(pk: int, **values: Any) -> None:
    PersonImport.objects.filter(pk=pk).update(**values)


def _finish(person_import: PersonImport, status: str, **values: Any) -> None:
    with transaction.atomic():
        values = {"status": status, "finished_at": timezone.now(), **values}
        PersonImport.objects.filter(pk=person_import.pk).update(**values)
        for name, value in values.items():
            setattr(person_import, name, value)
        record_event(
            person_import,
            f"person_import.{status}",
            actor=person_import.uploaded_by,
            organisation=person_import.organisation,
            payload={
                "rows": person_import.total_rows,
                "bad_rows": len(person_import.report),
                "imported": person_import.imported_rows,
            },
        )


def run(pk: int) -> PersonImport:
    """Check every row, then import all of them, only the good ones (if chosen), or none."""
    person_import = PersonImport.objects.select_related("organisation", "uploaded_by").get(pk=pk)
    if person_import.status != PersonImport.Status.PENDING:
        return person_import  # a task delivered twice does the work once
    claimed = PersonImport.objects.filter(pk=pk, status=PersonImport.Status.PENDING).update(
        status=PersonImport.Status.CHECKING
    )
    if not claimed:
        return person_import
    try:
        headers, rows = read_sheet(bytes(person_import.content))
    except ImportFileError as exc:
        _finish(person_import, PersonImport.Status.FAILED, file_errors=exc.errors)
        return person_import
    _progress(pk, total_rows=len(rows))
    person_import.total_rows = len(rows)
    organisation = person_import.organisation
    checked = []
    for index, row in enumerate(check_rows(organisation, headers, rows), start=1):
        checked.append(row)
        if index % PROGRESS_EVERY == 0:
            _progress(pk, processed_rows=index)
    report = [{"row": r.line, "name": r.name, "errors": r.errors} for r in checked if r.errors]
    _progress(pk, processed_rows=len(rows), report=report)
    person_import.report = report
    good = [r for r in checked if not r.errors]
    if (report and not person_import.good_rows_only) or not good:
        _finish(person_import, PersonImport.Status.REJECTED, report=report)
        return person_import
    _progress(pk, status=PersonImport.Status.IMPORTING)
    try:
        with transaction.atomic():
            for row in good:
                person_create(
                    by=person_import.uploaded_by,
                    organisation=organisation,
                    values=row.values,
                    starts_on=row.starts_on,
                    ends_on=row.ends_on,
                )
    except ValidationError as exc:
        # Someone changed the records between the check and the import: nothing was written.
        report = [*report, {"row": row.line, "name": row.name, "errors": exc.messages}]
        _finish(person_import, PersonImport.Status.REJECTED, report=report)
        return person_import
    _finish(person_import, PersonImport.Status.IMPORTED, imported_rows=len(good), report=report)
    return person_import
