"""What each item of the case file prints as (办案规则 art. 22).

An item is an entry of the file's table of contents (``cases.archive``: ``reference`` names its
row, "document:ID", "service:ID", "evidence:ID", "hearing_record:ID", "receipt:ID", "event:ID"):

* an issued document — its PDF as issued, sealed and signed (produced now if the task has not
  run yet); an uploaded document — the file; a document of record without a template — its text;
* evidence — the file (see ``efile_pages``);
* a service record — its 送达回证, printed from the record (template ``service_receipt``);
* a hearing record — the issued 庭审笔录 of that version, or the record's text;
* a receipt or an event (the application as received; the acceptance of a case accepted before
  acceptance issued documents) — a page made from what the row holds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from zhongcai.cases.models import (
    ArchiveEntry,
    Case,
    CaseDocument,
    EvidenceItem,
    HearingRecord,
    Receipt,
    ServiceRecord,
)
from zhongcai.core.events import events_of
from zhongcai.core.models import Event

from . import catalogue
from .chinese import cn_date, figure_date
from .compose import TemplateProblem, compose
from .context import ROLE_TITLES, commission_context
from .efile_pages import cell, file_pages, lay_blocks
from .markup import Block

if TYPE_CHECKING:
    from pypdf import PdfReader
    from weasyprint.document import Document

logger = logging.getLogger(__name__)


def split_reference(reference: str) -> tuple[str, int | None]:
    model, _sep, pk = reference.partition(":")
    return model, int(pk) if pk.isdigit() else None


@dataclass
class Part:
    """One entry of the index and its pages: laid out here, or a PDF as it is."""

    title: str
    dated: date | None
    reference: str
    number: str = ""  # the document's own number (文号), when it has one
    pages_of: Document | PdfReader | None = None
    first: int = 0  # the number of its first page (第 N 页), set when the volume is bound

    @property
    def laid(self) -> Document | None:
        from weasyprint.document import Document

        return self.pages_of if isinstance(self.pages_of, Document) else None

    @property
    def pages(self) -> int:
        return len(self.pages_of.pages) if self.pages_of is not None else 0

    @property
    def last(self) -> int:
        return self.first + self.pages - 1


@dataclass
class Sources:
    """The rows the volume's items refer to, each kind read in one query, all in the case."""

    documents: dict[int, CaseDocument] = field(default_factory=dict)
    services: dict[int, ServiceRecord] = field(default_factory=dict)
    evidence: dict[int, EvidenceItem] = field(default_factory=dict)
    records: dict[int, HearingRecord] = field(default_factory=dict)
    receipts: dict[int, Receipt] = field(default_factory=dict)
    events: dict[int, Event] = field(default_factory=dict)

    @classmethod
    def load(cls, case: Case, entries: list[ArchiveEntry]) -> Sources:
        wanted: dict[str, set[int]] = {}
        for entry in entries:
            model, pk = split_reference(entry.reference)
            if pk is not None:
                wanted.setdefault(model, set()).add(pk)
        sources = cls()
        # Narrowed to the case: a reference never reaches another case's rows.
        if wanted.get("event"):
            sources.events = {
                e.pk: e for e in events_of(case).filter(pk__in=wanted["event"]).order_by()
            }
        # What an event issued (an acceptance's notice and form) prints as issued.
        issued = {
            pk
            for event in sources.events.values()
            for pk in event.payload.get("documents", [])
            if isinstance(pk, int)
        }
        if wanted.get("hearing_record"):
            sources.records = {
                r.pk: r
                for r in HearingRecord.objects.filter(
                    hearing__case=case, pk__in=wanted["hearing_record"]
                ).select_related("hearing")
            }
            issued |= {r.document_id for r in sources.records.values() if r.document_id}
        if wanted.get("document") or issued:
            sources.documents = {
                d.pk: d
                for d in CaseDocument.objects.filter(
                    case=case, pk__in=wanted.get("document", set()) | issued
                ).select_related("rendition")
            }
        if wanted.get("service"):
            sources.services = {
                s.pk: s
                for s in ServiceRecord.objects.filter(
                    case=case, pk__in=wanted["service"]
                ).select_related("document", "party", "recorded_by")
            }
        if wanted.get("evidence"):
            sources.evidence = {
                e.pk: e for e in EvidenceItem.objects.filter(case=case, pk__in=wanted["evidence"])
            }
        if wanted.get("receipt"):
            sources.receipts = {
                r.pk: r for r in Receipt.objects.filter(case=case, pk__in=wanted["receipt"])
            }
        return sources


def moment(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{figure_date(local.date())} {local:%H:%M}"


def _iso(value: datetime | None) -> str:
    return timezone.localdate(value).isoformat() if value else ""


def from_template(case: Case, code: str, dated: datetime, data: dict[str, Any]) -> list[Block]:
    """The catalogue template ``code`` filled for ``case`` as of ``dated`` (the version then in
    force), for what is printed, not issued. Raises ``TemplateProblem``."""
    entry = catalogue.template(code)
    document = CaseDocument(
        case=case,
        kind=entry.kind,
        title=entry.title,
        number=case.case_number,
        data=data,
        issued_at=dated,
    )
    try:
        return compose(document, code)[1]
    except OSError as exc:  # the text file is missing
        raise TemplateProblem(str(exc)) from exc


def _caption(case: Case) -> Block:
    return Block("caption", commission_context(case)["name"])


# --- Documents --------------------------------------------------------------------------------


def _issued(part: Part, document: CaseDocument) -> bool:
    """The document's PDF as issued, produced now if the task has not run yet."""
    from .services import produce

    try:
        rendition = document.rendition  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        return False
    if rendition.produced_at is None:
        rendition = produce(rendition.pk)
    part.pages_of = file_pages(
        part.title, rendition.pdf, f"{document.title}.pdf", rendition.pdf_sha256
    )
    return True


def _document(part: Part, case: Case, document: CaseDocument) -> None:
    part.number = document.number
    if _issued(part, document):
        return
    if document.file:
        name = PurePosixPath(document.file.name).name
        part.pages_of = file_pages(part.title, document.file, name, document.sha256)
        return
    # A document of record without a template (e.g. a defence typed in): its text as filed.
    blocks = [_caption(case), Block("title", document.title)]
    if document.number:
        blocks.append(Block("number", document.number))
    blocks += [Block("p", line.strip()) for line in document.body.splitlines() if line.strip()]
    blocks.append(Block("date", cn_date(timezone.localdate(document.issued_at))))
    if document.sha256:
        blocks.append(Block("note", f"内容SHA-256：{document.sha256}"))
    part.pages_of = lay_blocks(blocks, document.title)


# --- Records ----------------------------------------------------------------------------------


def service_data(record: ServiceRecord) -> dict[str, Any]:
    """The ``doc.data`` of the 送达回证 of a service record (keys: texts/service_receipt.txt)."""
    return {
        "served_title": record.document.title,
        "served_number": record.document.number,
        "party_name": record.party.name,
        "address": record.address,
        "method": record.method,
        "sent_on": _iso(record.sent_at),
        "signed_by": record.signed_by_name,
        "signed_on": _iso(record.signed_at),
        "refused": record.refused,
        "deemed_served_on": (
            record.deemed_served_on.isoformat() if record.deemed_served_on else ""
        ),
        "server": str(record.recorded_by),
        "note": cell(record.note),
    }


def _service_blocks(case: Case, record: ServiceRecord) -> list[Block]:
    data = service_data(record)
    try:
        return from_template(case, "service_receipt", record.sent_at, data)
    except TemplateProblem:
        logger.warning("service_receipt cannot be used; the record is printed plainly")
    rows = [
        ("送达文书", f"{data['served_title']} {data['served_number']}"),
        ("受送达人", data["party_name"]),
        ("送达地址", data["address"]),
        ("送达方式", record.get_method_display()),
        ("发送时间", moment(record.sent_at)),
        (
            "签收",
            "拒绝签收" if record.refused else f"{data['signed_by']} {moment(record.signed_at)}",
        ),
        ("视为送达日期", data["deemed_served_on"]),
        ("送达人", data["server"]),
        ("备注", data["note"]),
    ]
    return [
        _caption(case),
        Block("title", "送达回证"),
        Block("number", case.case_number),
        *(Block("field", cells=(label, cell(value))) for label, value in rows),
    ]


def _hearing_blocks(case: Case, record: HearingRecord) -> list[Block]:
    hearing = record.hearing
    blocks = [
        _caption(case),
        Block("title", "庭审笔录"),
        Block("number", case.case_number),
        Block("field", cells=("开庭", f"第{hearing.session}次开庭 {moment(hearing.opened_at)}")),
        Block("field", cells=("笔录版本", f"第{record.version}版")),
    ]
    if record.correction_reason:
        blocks.append(Block("field", cells=("更正理由", cell(record.correction_reason))))
    blocks += [Block("plain", line.strip()) for line in record.text.splitlines() if line.strip()]
    blocks.append(Block("note", f"笔录SHA-256：{record.sha256}"))
    return blocks


def _receipt_blocks(case: Case, receipt: Receipt) -> list[Block]:
    return [
        _caption(case),
        Block("title", "收件回执"),
        Block("number", receipt.number),
        Block("field", cells=("案号", case.case_number or "—")),
        Block("field", cells=("收到材料", cell(receipt.what))),
        Block("field", cells=("收件时间", moment(receipt.issued_at))),
        Block("date", cn_date(timezone.localdate(receipt.issued_at))),
    ]


def _application_blocks(case: Case, event: Event) -> list[Block]:
    """The application as received: the snapshot its event kept (``application_snapshot``)."""
    snapshot = event.payload.get("application") or {}
    blocks = [
        _caption(case),
        Block("title", "仲裁申请书"),
        Block("note", f"收件时间：{moment(event.at)}"),
    ]
    for party in snapshot.get("parties", []):
        role = ROLE_TITLES.get(party.get("role", ""), "")
        details = [party.get(key) or "" for key in ("name", "id_number", "credit_code", "domicile")]
        blocks.append(Block("plain", f"{role}：{'，'.join(d for d in details if d)}"))
        for agent in party.get("agents", []):
            blocks.append(Block("plain", f"委托代理人：{agent.get('name', '')}"))
    claims = snapshot.get("claims", [])
    if claims:
        blocks.append(Block("heading", "仲裁请求："))
        for claim in claims:
            amount = f"（{claim['amount']}元）" if claim.get("amount") else ""
            text = f"{claim.get('number', '')}. {claim.get('description', '')}{amount}"
            blocks.append(Block("item", text))
    if snapshot.get("facts"):
        blocks.append(Block("heading", "事实和理由："))
        blocks += [Block("p", line.strip()) for line in snapshot["facts"].splitlines() if line]
    if snapshot.get("evidence"):
        blocks += [Block("heading", "证据和证据来源："), Block("p", snapshot["evidence"])]
    if event.payload.get("digest"):
        blocks.append(Block("note", f"申请内容SHA-256：{event.payload['digest']}"))
    return blocks


def _event(part: Part, case: Case, entry: ArchiveEntry, event: Event, sources: Sources) -> None:
    if entry.kind == "application":
        part.pages_of = lay_blocks(_application_blocks(case, event), part.title)
        return
    for pk in event.payload.get("documents", []):
        document = sources.documents.get(pk) if isinstance(pk, int) else None
        if document is not None and document.kind == entry.kind:
            _document(part, case, document)
            return
    # A case accepted before acceptance issued documents: its notice and form from the event.
    blocks: list[Block] = []
    if entry.kind in catalogue.BY_CODE:
        try:
            blocks = from_template(case, entry.kind, event.at, dict(event.payload))
        except TemplateProblem:
            logger.warning("%s cannot be used for an event's page", entry.kind)
    if not blocks:
        blocks = [
            _caption(case),
            Block("title", entry.title),
            Block("field", cells=("案号", case.case_number)),
            Block("field", cells=("日期", moment(event.at))),
        ]
    blocks.append(Block("note", "本页据案件记录生成。"))
    part.pages_of = lay_blocks(blocks, part.title)


def _missing(part: Part) -> None:
    part.pages_of = lay_blocks(
        [
            Block("title", "材料缺失"),
            Block("field", cells=("名称", cell(part.title))),
            Block("field", cells=("索引", part.reference)),
            Block("plain", "卷内目录所列材料在系统中未能找到，请核查。"),
        ],
        part.title,
    )


def part_of(case: Case, entry: ArchiveEntry, sources: Sources) -> Part:
    """The item with its pages."""
    part = Part(
        title=entry.title,
        dated=timezone.localdate(entry.dated) if entry.dated else None,
        reference=entry.reference,
    )
    model, pk = split_reference(entry.reference)
    if pk is None:
        _missing(part)
    elif model == "document" and pk in sources.documents:
        _document(part, case, sources.documents[pk])
    elif model == "evidence" and pk in sources.evidence and sources.evidence[pk].file:
        item = sources.evidence[pk]
        part.pages_of = file_pages(part.title, item.file, item.file_name, item.sha256)
    elif model == "service" and pk in sources.services:
        part.pages_of = lay_blocks(_service_blocks(case, sources.services[pk]), part.title)
    elif model == "hearing_record" and pk in sources.records:
        record = sources.records[pk]
        document = sources.documents.get(record.document_id or 0)
        if document is None or not _issued(part, document):
            part.pages_of = lay_blocks(_hearing_blocks(case, record), part.title)
    elif model == "receipt" and pk in sources.receipts:
        part.pages_of = lay_blocks(_receipt_blocks(case, sources.receipts[pk]), part.title)
    elif model == "event" and pk in sources.events:
        _event(part, case, entry, sources.events[pk], sources)
    else:
        _missing(part)
    return part
