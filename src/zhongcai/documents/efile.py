"""The electronic case file (电子卷宗): one PDF per volume, bound from the case as it stands.

办案规则 arts. 21–23: the file of a case has a main volume (正卷), which the parties and their
agents may consult, and a secondary volume (副卷), which they may not. ``assemble`` binds one
volume: the 案卷封面, the 卷内目录, then every item of the volume in the file's order
(``efile_items``: issued documents as issued, uploads as uploaded, records printed from the
record), with page numbers "第 N 页" running from the first page after the cover.

The items are the archive's (``cases.archive.file_items``, in the order archiving freezes
them); once the case is archived, its frozen ``ArchiveEntry`` rows, so the bound volume and the
archived table of contents agree. The index gives each item's pages, and the index's own length
moves them: it is laid out again until its page count settles (two passes, rarely three).

Every page made here is laid out first and written in one WeasyPrint pass, so the fonts are
subset once per volume (the slow part); pypdf then binds those pages with the items' PDFs and
lays the page-number stamps over every page after the cover.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone, translation

from zhongcai.cases import archive
from zhongcai.cases.models import ArchiveEntry, Case, Status, Volume
from zhongcai.core.events import events_of

from .efile_items import Part, Sources, from_template, part_of
from .efile_pages import lay_blocks, lay_stamps

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader
    from weasyprint.document import Document

logger = logging.getLogger(__name__)

VOLUME_NAMES = {Volume.MAIN: "正卷", Volume.SECONDARY: "副卷"}
# A4 in PDF points: stamps are laid out on A4 and moved to each page's top-right corner.
A4 = (595.2756, 841.8898)
INDEX_PASSES = 5
RESULTS: dict[str, str] = {
    Status.CLOSED_AWARD: "裁决",
    Status.CLOSED_MEDIATION: "调解",
    Status.CLOSED_WITHDRAWN: "撤回仲裁申请",
    Status.CLOSED_DEEMED_WITHDRAWN: "视为撤回仲裁申请",
    Status.CLOSED_REVOKED: "撤销案件",
    Status.CLOSED_TRANSFERRED: "移送管辖",
}


def entries_of(case: Case, volume: str) -> list[ArchiveEntry]:
    """The volume's items in the file's order: as archived, or as archiving would freeze them
    now (the archive's own ordering, so the file and the archived 卷内目录 agree)."""
    if case.archived_at:
        return list(ArchiveEntry.objects.filter(case=case, volume=volume).order_by("order"))
    entries = archive._entries(case, archive.file_items(case))  # the archive's own ordering
    return [entry for entry in entries if entry.volume == volume]


# --- Cover and index --------------------------------------------------------------------------


def _made_on(case: Case) -> datetime:
    """The date the volume is made up: its archiving, so an archived file binds the same."""
    return case.archived_at or timezone.now()


def _index(case: Case, volume: Volume, parts: list[Part], filed_by: str) -> Document:
    data = {
        "volume": volume.value,
        "volume_name": VOLUME_NAMES[volume],
        "filed_by": filed_by,
        "entries": [
            {
                "number": order,
                "title": part.title,
                "date": part.dated.isoformat() if part.dated else "",
                "page": str(part.first) if part.pages <= 1 else f"{part.first}-{part.last}",
            }
            for order, part in enumerate(parts, start=1)
        ],
    }
    return lay_blocks(
        from_template(case, "file_index", _made_on(case), data), "卷内目录", form=True
    )


def _cover_facts(case: Case) -> dict[str, Any]:
    """How the case ended and who archived it, for the cover; empty while it is open."""
    closed_as = case.status
    filed_by = ""
    if case.archived_at:
        archived = events_of(case).filter(kind="case.archived").select_related("actor").last()
        if archived is not None:
            closed_as = archived.payload.get("closed_as", closed_as)
            filed_by = str(archived.actor or "")
    award = case.awards.filter(kind="full").order_by("-made_at").first()
    return {
        "result": RESULTS.get(closed_as, ""),
        "finality": award.finality if award and closed_as == Status.CLOSED_AWARD else "",
        "filed_by": filed_by,
    }


def _cover(case: Case, volume: Volume, pages: int, facts: dict[str, Any]) -> Document:
    local = timezone.localdate
    data = {
        "volume": volume.value,
        "volume_name": VOLUME_NAMES[volume],
        "closed_on": local(case.closed_at).isoformat() if case.closed_at else "",
        "archived_on": local(case.archived_at).isoformat() if case.archived_at else "",
        "pages": pages,
        "retention_years": case.retention_years or "",
        **facts,
    }
    return lay_blocks(
        from_template(case, "file_cover", _made_on(case), data), "案卷封面", form=True
    )


def _number(parts: list[Part], index_pages: int) -> None:
    page = index_pages + 1
    for part in parts:
        part.first = page
        page += part.pages


# --- Binding ----------------------------------------------------------------------------------


@dataclass
class Bound:
    """A bound volume: the PDF, and where each item begins (what the index says)."""

    pdf: bytes
    cover_pages: int
    index_pages: int
    parts: list[Part]

    @property
    def numbered_pages(self) -> int:
        return self.index_pages + sum(p.pages for p in self.parts)


def _stamp(page: PageObject, stamp: PageObject) -> None:
    """Lay the stamp's top-right corner on the page's, whatever the page's size."""
    from pypdf import Transformation
    from pypdf.generic import DictionaryObject, NameObject

    if page.rotation:
        page.transfer_rotation_to_content()
    # WeasyPrint's pages share one resource dictionary: merging into it would hand every page
    # the stamps' resources. Each page gets its own (the fonts and images stay shared).
    resources = page.get("/Resources")
    if resources is not None:
        page[NameObject("/Resources")] = DictionaryObject(
            {
                key: DictionaryObject(value.get_object())
                if isinstance(value.get_object(), DictionaryObject)
                else value
                for key, value in resources.get_object().items()
            }
        )
    box = page.cropbox
    move = Transformation().translate(float(box.right) - A4[0], float(box.top) - A4[1])
    page.merge_transformed_page(stamp, move)


def _body(
    index: list[PageObject], parts: list[Part], offsets: dict[int, int], laid: PdfReader
) -> Iterator[tuple[int, PageObject]]:
    """Every numbered page in order, with its part's position (-1: the index)."""
    for page in index:
        yield -1, page
    for position, part in enumerate(parts):
        if position in offsets:
            start = offsets[position]
            for page in laid.pages[start : start + part.pages]:
                yield position, page
        elif part.pages_of is not None:
            for page in part.pages_of.pages:  # type: ignore[union-attr]
                yield position, page


def bind(case: Case, volume: str) -> Bound:
    """Bind ``volume`` of ``case``'s file (the caller has checked who may read it)."""
    from pypdf import PdfReader, PdfWriter

    volume = Volume(volume)
    with translation.override("zh-hans"):
        entries = entries_of(case, volume)
        sources = Sources.load(case, entries)
        parts = [part_of(case, entry, sources) for entry in entries]
        facts = _cover_facts(case)
        index_pages = 1
        for _pass in range(INDEX_PASSES):
            _number(parts, index_pages)
            index = _index(case, volume, parts, facts["filed_by"])
            if len(index.pages) == index_pages:
                break
            index_pages = len(index.pages)
        else:  # pragma: no cover - its length keeps changing with its own numbers
            logger.warning("The index of %s did not settle; its page numbers may be off", case)
            _number(parts, index_pages)  # the binding follows the index as laid out
        total = index_pages + sum(part.pages for part in parts)
        cover = _cover(case, volume, total, facts)
        stamps = lay_stamps(total)

    # One write for every page laid out here: the fonts are subset once.
    title = f"{case.case_number or case.pk} {VOLUME_NAMES[volume]}"
    laid = [*cover.pages, *index.pages]
    offsets: dict[int, int] = {}
    for position, part in enumerate(parts):
        if part.laid is not None:
            offsets[position] = len(laid)
            laid += part.laid.pages
    stamp_at = len(laid)
    laid += stamps.pages
    combined = cover.copy(laid)
    combined.metadata.title = title
    combined.metadata.authors = []
    combined.metadata.created = None
    combined.metadata.modified = None
    written = PdfReader(io.BytesIO(combined.write_pdf()))

    writer = PdfWriter()
    covers = len(cover.pages)
    for page in written.pages[:covers]:
        writer.add_page(page)
    writer.add_outline_item(title="案卷封面", page_number=0)
    index_pdf = list(written.pages[covers : covers + index_pages])
    number = 0
    for position, page in _body(index_pdf, parts, offsets, written):
        number += 1
        added = writer.add_page(page)
        # A party's PDF keeps its pages, not its actions: no page actions, no annotations
        # (links that launch programs or run JavaScript for whoever opens the volume).
        for active in ("/AA", "/Annots"):
            if active in added:
                del added[active]
        try:
            _stamp(added, written.pages[stamp_at + number - 1])
        except Exception:  # an odd page keeps its place, unstamped
            logger.warning("Page %d of %s could not be stamped", number, title, exc_info=True)
        if number == 1 or (position >= 0 and parts[position].first == number):
            label = "卷内目录" if position < 0 else parts[position].title
            writer.add_outline_item(title=label, page_number=len(writer.pages) - 1)
    # Readers show the same numbers as the stamps; the cover is "封面".
    writer.set_page_label(0, covers - 1, prefix="封面")
    if number:
        writer.set_page_label(covers, covers + number - 1, style="/D", start=1)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return Bound(out.getvalue(), covers, index_pages, parts)


def assemble(case: Case, volume: str) -> bytes:
    """The PDF of ``volume`` (main or secondary) of the case's file (办案规则 arts. 21–23)."""
    return bind(case, volume).pdf


def file_name(case: Case, volume: str) -> str:
    return f"{case.case_number or f'case-{case.pk}'}-{VOLUME_NAMES[Volume(volume)]}.pdf"


__all__ = ["Bound", "assemble", "bind", "entries_of", "file_name"]
