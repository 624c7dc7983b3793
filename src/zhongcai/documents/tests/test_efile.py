"""The electronic case file (电子卷宗): main and secondary volume as one PDF each, with the cover,
the table of contents, continuous page numbers, and only the main volume for a party.

Binding renders PDFs, so one case is built and bound once for the module (both volumes); the
tests read those PDFs. The download tests bind again through the views, a volume each.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhongcai.accounts.models import User
from zhongcai.cases import evidence, hearings, services
from zhongcai.cases.models import (
    ArchiveEntry,
    Case,
    CaseDocument,
    Channel,
    DocumentKind,
    EvidenceItem,
    Party,
    Volume,
)
from zhongcai.cases.tests import factories
from zhongcai.documents import efile
from zhongcai.documents.chinese import figure_date

pytestmark = pytest.mark.django_db

PDF_MARKER = "EVIDENCE-PDF-MARKER-7"


def _pdf_with_text(text: str) -> bytes:
    """A one-page PDF saying ``text`` in a standard font (no rendering needed)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)  # US Letter: stamped at its own corner
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = StreamObject()
    stream.set_data(f"BT /F1 14 Tf 72 700 Td ({text}) Tj ET".encode())
    page[NameObject("/Contents")] = writer._add_object(stream)
    # What a hostile party might send: a page action running JavaScript, a link launching a
    # program. Neither may reach whoever opens the bound volume.
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(script)})
    launch = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(
                [NumberObject(0), NumberObject(0), NumberObject(99), NumberObject(99)]
            ),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/Launch"),
                    NameObject("/F"): TextStringObject("calc.exe"),
                }
            ),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(launch)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx() -> bytes:
    """A Word file the binder cannot print: it gets a page about the file."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _compact(text: str) -> str:
    """Without white space: letter-spaced titles (受 理 通 知 书) and wrapped cells read whole."""
    return re.sub(r"\s+", "", text)


def _texts(pdf: bytes) -> list[str]:
    """The compact text of each page."""
    return [_compact(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


def _number_on(text: str) -> int | None:
    found = re.search(r"第(\d+)页", text)
    return int(found.group(1)) if found else None


@dataclass
class World:
    case: Case
    main: Any = None
    secondary: Any = None
    main_pages: list[str] = field(default_factory=list)
    secondary_pages: list[str] = field(default_factory=list)


def _user(username: str) -> User:
    return User.objects.select_related("organisation").get(username=username)


def _build() -> World:
    from zhongcai.demo.institutions import load_demo_institutions

    load_demo_institutions()
    worker, head = _user("worker_demo"), _user("lixia_head")
    clerk, arbitrator = _user("lixia_clerk"), _user("lixia_arbitrator")
    draft = services.case_create(
        by=worker,
        commission=factories.commission(),
        channel=Channel.ONLINE,
        data=factories.application(),
    )
    case = services.case_accept(
        by=head, case=services.case_submit(by=worker, case=draft), warnings_acknowledged=True
    )
    case = factories.tribunal_formed(case, head)
    case = factories.in_defence_period(case, clerk)  # service records, in person
    applicant = case.parties.get(role=Party.Role.APPLICANT)
    uploads = [
        ("工资条", "wages.pdf", _pdf_with_text(PDF_MARKER), "application/pdf"),
        ("考勤照片", "attendance.png", _png(), "image/png"),
        ("劳动合同", "contract.docx", _docx(), "application/msword"),
        ("银行流水", "bank.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj << broken", "application/pdf"),
    ]
    for title, name, content, content_type in uploads:
        evidence.evidence_submit(
            by=clerk,
            case=case,
            party=applicant,
            title=title,
            file=_upload(name, content, content_type),
        )
    case = factories.hearing_scheduled(case, clerk)
    case = factories.in_hearing(case, arbitrator)
    hearings.hearing_record_write(
        by=clerk,
        case=case,
        hearing=case.hearings.get(),
        text="仲裁员：现在开庭。\n申请人：请求支付拖欠工资。\n被申请人：工资已结清。",
    )
    return World(case=Case.objects.get(pk=case.pk))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The case, bound once per volume, inside a transaction undone after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build()
        built.main = efile.bind(built.case, Volume.MAIN)
        built.secondary = efile.bind(built.case, Volume.SECONDARY)
        built.main_pages = _texts(built.main.pdf)
        built.secondary_pages = _texts(built.secondary.pdf)
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def case(world, db):
    return world.case


@pytest.fixture
def api(province):
    """``api(user)``: an API client signing its requests with the user's token."""

    def _as(user: User) -> APIClient:
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _as


def _part(bound, prefix: str):
    return next(p for p in bound.parts if prefix in p.title)


# --- What each volume holds -------------------------------------------------------------------


def test_the_main_volume_holds_the_main_items_and_none_of_the_secondary(world):
    text = "".join(world.main_pages)
    for fragment in ("受理通知书", "送达回证", "庭审笔录", "仲裁申请书", PDF_MARKER):
        assert fragment in text, fragment
    assert "立案审批表" not in text
    assert "立案审批表" in "".join(world.secondary_pages)
    main = {p.reference for p in world.main.parts}
    secondary = {p.reference for p in world.secondary.parts}
    assert main and secondary and not main & secondary


def test_the_secondary_volume_holds_only_the_internal_records(world):
    text = "".join(world.secondary_pages)
    assert PDF_MARKER not in text and "送达回证" not in text and "庭审笔录" not in text


def test_evidence_prints_as_a_pdf_an_image_page_or_a_page_about_the_file(world):
    pages = world.main_pages
    png = _part(world.main, "考勤照片")
    assert "考勤照片" in pages[world.main.cover_pages + png.first - 1]
    page = PdfReader(io.BytesIO(world.main.pdf)).pages[world.main.cover_pages + png.first - 1]
    # The picture itself is drawn on its A4 page (WeasyPrint's pages share their resources, so
    # the drawing operator, not the resource list, says which page shows it).
    assert b"Do" in page.get_contents().get_data()
    assert any(image.image.size == (120, 80) for image in page.images)
    docx = _part(world.main, "劳动合同")
    assert "原件为DOCX格式，见电子文件" in pages[world.main.cover_pages + docx.first - 1]
    item = EvidenceItem.objects.get(case=world.case, title="劳动合同")
    assert item.sha256 in pages[world.main.cover_pages + docx.first - 1]


def test_a_corrupt_pdf_gets_a_page_saying_so_and_the_file_is_still_bound(world):
    broken = _part(world.main, "银行流水")
    assert broken.pages == 1
    page = world.main_pages[world.main.cover_pages + broken.first - 1]
    assert "无法读取" in page and "bank.pdf" in page


# --- Page numbers and the index ---------------------------------------------------------------


def test_every_page_after_the_cover_is_numbered_continuously(world):
    for bound, pages in ((world.main, world.main_pages), (world.secondary, world.secondary_pages)):
        assert [_number_on(t) for t in pages[: bound.cover_pages]] == [None] * bound.cover_pages
        numbered = pages[bound.cover_pages :]
        assert [_number_on(t) for t in numbered] == list(range(1, len(numbered) + 1))
        assert len(numbered) == bound.numbered_pages


def test_the_index_gives_each_item_its_pages(world):
    bound, pages = world.main, world.main_pages
    index = "".join(pages[bound.cover_pages : bound.cover_pages + bound.index_pages])
    assert "卷内目录" in index
    index = re.sub(r"第\d+页", "", index)  # the stamps, where a row runs on to the next page
    # Fourteen rows take two pages: the first pass, which assumed one, numbered every item a
    # page too early; the second put them right.
    assert bound.index_pages >= 2, "the case has too few items to test a longer index"
    first = bound.index_pages + 1
    for number, part in enumerate(bound.parts, start=1):
        assert part.first == first
        first += part.pages
        # The row: its title, its date, its pages; then the next row's number and title.
        shown = str(part.first) if part.pages == 1 else f"{part.first}-{part.last}"
        after = r"(?!\d)"
        if number < len(bound.parts):
            after = f"(?={number + 1}{re.escape(_compact(bound.parts[number].title)[:2])})"
        row = re.escape(_compact(part.title) + figure_date(part.dated) + shown) + after
        assert re.search(row, index), (part.title, shown)
    # The pages are where the index says: the PDF evidence, the DOCX's page, the hearing record.
    at = lambda prefix: pages[bound.cover_pages + _part(bound, prefix).first - 1]  # noqa: E731
    assert PDF_MARKER in at("工资条")
    evidence_page = PdfReader(io.BytesIO(world.main.pdf)).pages[
        bound.cover_pages + _part(bound, "工资条").first - 1
    ]
    assert "/AA" not in evidence_page and "/Annots" not in evidence_page
    assert "劳动合同" in at("劳动合同")
    issued = CaseDocument.objects.get(case=world.case, kind=DocumentKind.HEARING_RECORD)
    record = next(p for p in bound.parts if p.reference == f"document:{issued.pk}")
    assert "庭审笔录" in pages[bound.cover_pages + record.first - 1]


def test_the_order_is_the_archives_order(world):
    entries = efile.entries_of(world.case, Volume.MAIN)
    assert [e.reference for e in entries] == [p.reference for p in world.main.parts]


def test_an_archived_case_binds_its_frozen_table_of_contents(case):
    now = efile.entries_of(case, Volume.MAIN)
    frozen = [
        ArchiveEntry(
            case=case,
            volume=Volume.MAIN,
            order=order,
            title=entry.title,
            kind=entry.kind,
            reference=entry.reference,
            dated=entry.dated,
        )
        for order, entry in enumerate(reversed(now), start=1)
    ]
    ArchiveEntry.objects.bulk_create(frozen)
    Case.objects.filter(pk=case.pk).update(archived_at=timezone.now())
    archived = Case.objects.get(pk=case.pk)
    assert [e.reference for e in efile.entries_of(archived, Volume.MAIN)] == [
        e.reference for e in reversed(now)
    ]
    assert efile.entries_of(archived, Volume.SECONDARY) == []


# --- Downloads ----------------------------------------------------------------------------------


def _pdf_ok(response) -> bytes:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF-")
    return body


def test_staff_download_the_secondary_volume(case, login, lixia_clerk):
    body = _pdf_ok(login(lixia_clerk).get(f"/staff/cases/{case.pk}/file/secondary.pdf"))
    assert "立案审批表" in "".join(_texts(body))


def test_a_party_downloads_the_main_volume_through_the_api(case, api, worker_demo):
    body = _pdf_ok(api(worker_demo).get(f"/api/v1/cases/{case.pk}/efile/main/"))
    assert PDF_MARKER in "".join(_texts(body))


def test_a_party_gets_403_for_the_secondary_volume(case, api, worker_demo, login):
    response = api(worker_demo).get(f"/api/v1/cases/{case.pk}/efile/secondary/")
    assert response.status_code == 403
    assert response.json()["detail"]
    # The staff pages are not theirs at all.
    assert login(worker_demo).get(f"/staff/cases/{case.pk}/file/main.pdf").status_code == 403


def test_another_county_gets_404(case, api, login, licheng_intake):
    for volume in ("main", "secondary"):
        assert (
            api(licheng_intake).get(f"/api/v1/cases/{case.pk}/efile/{volume}/").status_code == 404
        )
        page = login(licheng_intake).get(f"/staff/cases/{case.pk}/file/{volume}.pdf")
        assert page.status_code == 404


def test_an_unknown_volume_is_404(case, api, lixia_clerk):
    assert api(lixia_clerk).get(f"/api/v1/cases/{case.pk}/efile/third/").status_code == 404


def test_anonymous_must_sign_in(case, client):
    page = client.get(f"/staff/cases/{case.pk}/file/main.pdf")
    assert page.status_code == 302 and "login" in page["Location"]
    assert APIClient().get(f"/api/v1/cases/{case.pk}/efile/main/").status_code == 401
