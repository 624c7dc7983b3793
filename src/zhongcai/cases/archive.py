"""Closing approval and the archived file (办案规则 arts. 21–24).

After closure the head approves the closing (结案审批表, secondary volume); the file is then
archived: its table of contents (卷内目录) is frozen into ``ArchiveEntry`` rows, split into the
main volume (正卷), which parties and agents may consult, and the secondary volume (副卷), which
they may not (art. 23). Retention runs from the archiving date: 10 years for a case closed by
award, 5 for any other closing (art. 24), both settings.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.core.events import events_of
from zhongcai.core.models import Event

from .documents import document_issue
from .models import (
    ArchiveEntry,
    Case,
    CaseDocument,
    DocumentKind,
    EvidenceItem,
    HearingRecord,
    Receipt,
    ServiceRecord,
    Status,
    Volume,
)
from .workflow import ensure_may_act, transition

# Events that recorded the application's content as received (the snapshot and its digest).
APPLICATION_EVENTS = ("case.received", "case.corrections_submitted", "case.imported")
TITLE_LENGTH = ArchiveEntry._meta.get_field("title").max_length or 200


def closing_approve(*, by: User, case: Case, note: str = "") -> CaseDocument:
    """The head approves the closing: the 结案审批表 goes to the secondary volume, and the file
    may then be archived (办案规则 art. 22)."""
    ensure_may_act(by, case, "approve_closing")
    holder: dict[str, CaseDocument] = {}

    def apply(locked: Case) -> dict[str, Any]:
        now = timezone.now()
        holder["form"] = document_issue(
            case=locked,
            kind=DocumentKind.CLOSING_APPROVAL,
            title=_("Closing approval form"),
            by=by,
            body=note.strip(),
            data={"closed_as": locked.status, "approved_on": timezone.localdate(now).isoformat()},
        )
        locked.closing_approved_at = now
        return {"document": holder["form"].pk, "note": note.strip()}

    transition(case, "approve_closing", by=by, apply=apply)
    return holder["form"]


def retention_years_for(status: str) -> int:
    """办案规则 art. 24: at least 10 years for award cases, 5 for mediation and other closings."""
    if status == Status.CLOSED_AWARD:
        return int(getattr(settings, "CASES_RETENTION_YEARS_AWARD", 10))
    return int(getattr(settings, "CASES_RETENTION_YEARS_OTHER", 5))


def add_years(day: date, years: int) -> date:
    """The same month and day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Item:
    volume: Volume
    dated: datetime
    kind: str
    title: str
    reference: str
    sha256: str = ""


def _title(text: str) -> str:
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1] + "…"


def file_items(case: Case) -> list[Item]:
    """Everything the file holds, each in its volume (办案规则 art. 22); six queries.

    Acceptance issues its 受理通知书 and 立案审批表 and each receipt its 收件回执 as documents;
    a case accepted before they did has only the event and the receipt row, which stand in for
    them here.
    """
    items: list[Item] = []
    documents = list(CaseDocument.objects.filter(case=case).select_related("rendition"))
    kinds = {document.kind for document in documents}
    receipt_numbers = {d.number for d in documents if d.kind == DocumentKind.RECEIPT}
    for event in events_of(case).filter(kind__in=[*APPLICATION_EVENTS, "case.accepted"]):
        if event.kind == "case.accepted":
            items += _acceptance_stand_ins(event, kinds)
            continue
        items.append(
            Item(
                Volume.MAIN,
                event.at,
                "application",
                _("Application for arbitration, as received"),
                f"event:{event.pk}",
                str(event.payload.get("digest", "")),
            )
        )
    for receipt in Receipt.objects.filter(case=case).exclude(number__in=receipt_numbers):
        items.append(
            Item(
                Volume.MAIN,
                receipt.issued_at,
                "receipt",
                _("Receipt %(number)s: %(what)s")
                % {"number": receipt.number, "what": receipt.what},
                f"receipt:{receipt.pk}",
            )
        )
    for document in documents:
        items.append(
            Item(
                Volume(document.volume),
                document.issued_at,
                document.kind,
                document.title,
                f"document:{document.pk}",
                document.sha256 or _content_digest(document),
            )
        )
    for record in ServiceRecord.objects.filter(case=case).select_related("document", "party"):
        items.append(
            Item(
                Volume.MAIN,
                record.sent_at,
                "service_record",
                _("Service record: %(document)s to %(party)s (%(method)s)")
                % {
                    "document": record.document.title,
                    "party": record.party.name,
                    "method": record.get_method_display(),
                },
                f"service:{record.pk}",
            )
        )
    for evidence in EvidenceItem.objects.filter(case=case):
        items.append(
            Item(
                Volume.MAIN,
                evidence.submitted_at,
                "evidence",
                _("Evidence %(number)s: %(title)s")
                % {"number": evidence.number, "title": evidence.title},
                f"evidence:{evidence.pk}",
                evidence.sha256,
            )
        )
    # Each version of a hearing record is issued as its 庭审笔录 document (listed above); a
    # version without one (written before documents were issued) stands for itself.
    versions = HearingRecord.objects.filter(hearing__case=case, document__isnull=True)
    for version in versions.select_related("hearing"):
        items.append(
            Item(
                Volume.MAIN,
                version.written_at,
                "hearing_record",
                _("Hearing record, session %(session)d, version %(version)d")
                % {"session": version.hearing.session, "version": version.version},
                f"hearing_record:{version.pk}",
                version.sha256,
            )
        )
    return items


def _acceptance_stand_ins(event: Event, kinds: set[str]) -> list[Item]:
    """For a case accepted before acceptance issued its documents: the event stands in."""
    number = event.payload.get("case_number", "")
    items = []
    if DocumentKind.ACCEPTANCE_NOTICE not in kinds:
        items.append(
            Item(
                Volume.MAIN,
                event.at,
                DocumentKind.ACCEPTANCE_NOTICE,
                _("Acceptance notice %(number)s") % {"number": number},
                f"event:{event.pk}",
            )
        )
    if DocumentKind.FILING_APPROVAL not in kinds:
        items.append(
            Item(
                Volume.SECONDARY,
                event.at,
                DocumentKind.FILING_APPROVAL,
                _("Filing approval form"),
                f"event:{event.pk}",
            )
        )
    return items


def _content_digest(document: CaseDocument) -> str:
    """A document made from a template and no body of its own: its frozen content's digest."""
    try:
        return str(document.rendition.content_sha256)  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        return ""


def _entries(case: Case, items: list[Item]) -> list[ArchiveEntry]:
    entries = []
    for volume in Volume:
        ordered = sorted(
            (item for item in items if item.volume == volume),
            key=lambda item: (item.dated, item.reference),
        )
        entries += [
            ArchiveEntry(
                case=case,
                volume=volume,
                order=order,
                title=_title(item.title),
                kind=item.kind,
                reference=item.reference,
                dated=item.dated,
                sha256=item.sha256,
            )
            for order, item in enumerate(ordered, start=1)
        ]
    return entries


def toc_digest(entries: list[ArchiveEntry]) -> str:
    """SHA-256 of the frozen table of contents, recorded in the archiving event."""
    rows = [
        [e.volume, e.order, e.kind, e.reference, e.dated.isoformat(), e.sha256] for e in entries
    ]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def case_archive(*, by: User, case: Case) -> Case:
    """Archive a closed case whose closing was approved (workflow guard): freeze the table of
    contents per volume and set the retention period (办案规则 arts. 21–24)."""
    ensure_may_act(by, case, "archive")

    def apply(locked: Case) -> dict[str, Any]:
        now = timezone.now()
        entries = _entries(locked, file_items(locked))
        ArchiveEntry.objects.bulk_create(entries)
        years = retention_years_for(locked.status)
        locked.archived_at = now
        locked.retention_years = years
        locked.retain_until = add_years(timezone.localdate(now), years)
        return {
            "closed_as": locked.status,
            "retention_years": years,
            "retain_until": locked.retain_until.isoformat(),
            "main_entries": sum(1 for e in entries if e.volume == Volume.MAIN),
            "secondary_entries": sum(1 for e in entries if e.volume == Volume.SECONDARY),
            "toc_digest": toc_digest(entries),
        }

    return transition(case, "archive", by=by, apply=apply)


def entries_for(user: User, case: Case) -> QuerySet[ArchiveEntry]:
    """The archived file's table of contents as ``user`` may read it (``case`` already fetched
    through the selectors): parties and agents see the main volume only (办案规则 art. 23)."""
    entries = ArchiveEntry.objects.filter(case=case).order_by("volume", "order")
    if user.is_public:
        entries = entries.filter(volume=Volume.MAIN)
    return entries


__all__ = [
    "add_years",
    "case_archive",
    "closing_approve",
    "entries_for",
    "file_items",
    "retention_years_for",
]
