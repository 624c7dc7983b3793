"""Pages of the electronic case file: those laid out here, and the files it binds as they are.

Pages made here (cover, index, printed records, pages about files) are laid out by WeasyPrint
with the documents' own stylesheet, less the documents' "— 1 —" footer: in the file only its
running number counts. They are laid out, not written: ``efile.bind`` writes all of a volume's
pages in one pass, so the fonts are subset once.

An uploaded file goes in as it is when it can: a PDF as its pages, a PNG or JPEG on an A4 page.
Any other format gets a page describing it (title, file name, format, size, SHA-256: "原件为…格式，
见电子文件"), and a PDF or image that cannot be read gets a page saying so — the volume is bound
whatever one file holds.
"""

from __future__ import annotations

import hashlib
import io
import logging
from functools import cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.db.models.fields.files import FieldFile
from django.utils.html import escape

from .markup import Block
from .render import _font_config, font_dir, font_face_css, to_html

if TYPE_CHECKING:
    from pypdf import PdfReader
    from weasyprint.document import Document

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}

PAGE_CSS = """
@page { @bottom-center { content: none; } }
@page :first { @bottom-center { content: none; } }
img.scan { display: block; margin: 8pt auto 0 auto; max-width: 100%; max-height: 205mm; }
tr { break-inside: avoid; }
td, p { overflow-wrap: anywhere; }
p.scan-caption { text-indent: 0; font-size: 12pt; line-height: 18pt; text-align: center; }
"""
# The cover and the index are forms of the file, not documents: narrower margins keep the
# cover on one page; the index's page column (the 4th) never breaks "11-12".
FORM_CSS = """
@page { margin: 25mm 20mm 20mm 25mm; }
td { overflow-wrap: normal; }
td:nth-child(4) { white-space: nowrap; }
"""
# The running number, top right, clear of the 37 mm top margin of official documents.
STAMP_CSS = """
@page { size: A4; margin: 12mm 18mm 0 0; }
html { font-family: "ZC Serif"; }
body { margin: 0; }
p.stamp { margin: 0; text-align: right; font-size: 12pt; line-height: 14pt;
          page-break-after: always; }
"""
HTML_HEAD = '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"></head><body>'


@cache
def _stylesheets() -> tuple[Any, Any, Any]:
    from weasyprint import CSS

    config, _base = _font_config()
    pages = CSS(string=PAGE_CSS, font_config=config)
    forms = CSS(string=FORM_CSS, font_config=config)
    stamps = CSS(string=font_face_css() + STAMP_CSS, font_config=config)
    return pages, forms, stamps


def _fetcher(images: dict[str, tuple[bytes, str]]) -> Any:
    """Serves scanned images from memory (``efile:<key>``): no base64 copy in the HTML."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("efile:") and url[6:] in images:
                data, mime = images[url[6:]]
                return URLFetcherResponse(url, data, {"Content-Type": mime})
            return super().fetch(url, headers)

    return Fetcher()


def lay_html(
    html: str, *, images: dict[str, tuple[bytes, str]] | None = None, form: bool = False
) -> Document:
    from weasyprint import HTML

    config, base = _font_config()
    pages, forms, _stamps = _stylesheets()
    source = HTML(
        string=html, base_url=str(font_dir()), url_fetcher=_fetcher(images) if images else None
    )
    stylesheets = [base, pages, forms] if form else [base, pages]
    return source.render(stylesheets=stylesheets, font_config=config)


def lay_blocks(blocks: list[Block], title: str = "", *, form: bool = False) -> Document:
    return lay_html(to_html(blocks, title=title), form=form)


def lay_stamps(count: int) -> Document:
    """``count`` A4 pages, each with its number "第 N 页" at the top right, nothing else."""
    from weasyprint import HTML

    config, _base = _font_config()
    _pages, _forms, stamps = _stylesheets()
    body = "".join(f'<p class="stamp">第 {n} 页</p>' for n in range(1, count + 1))
    source = HTML(string=f"{HTML_HEAD}{body}</body></html>", base_url=str(font_dir()))
    return source.render(stylesheets=[stamps], font_config=config)


# --- Files as they are ------------------------------------------------------------------------


def cell(value: object) -> str:
    """A value inside a form row: on one line, without the markup's cell separator."""
    return " ".join(str(value or "").split()).replace("|", "｜")


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size:,} 字节（{size / 1024 / 1024:.1f} MB）"
    if size >= 1024:
        return f"{size:,} 字节（{size / 1024:.1f} KB）"
    return f"{size:,} 字节"


def format_of(name: str, data: bytes) -> str:
    """The file's format as people name it: PDF, PNG, DOCX …"""
    if data.startswith(PDF_MAGIC):
        return "PDF"
    for magic, mime in IMAGE_TYPES.items():
        if data.startswith(magic):
            return mime.split("/")[1].upper()
    return PurePosixPath(name).suffix.lstrip(".").upper() or "未知"


def read_pdf(data: bytes) -> PdfReader | None:
    """The PDF if every page of it can be read, else None (corrupt, encrypted, empty)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        if not len(reader.pages):
            return None
        for page in reader.pages:
            _ = page.mediabox
            page.get_contents()
    except Exception:  # whatever pypdf raises, the file is unreadable
        logger.warning("An unreadable PDF in a case file", exc_info=True)
        return None
    return reader


def image_type(data: bytes) -> str:
    """``image/png`` or ``image/jpeg`` when Pillow can read it, else ''."""
    mime = next((m for magic, m in IMAGE_TYPES.items() if data.startswith(magic)), "")
    if not mime:
        return ""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:  # a broken image is shown as such, whatever the error
        return ""
    return mime


def read_file(file: FieldFile) -> bytes | None:
    try:
        with file.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        logger.warning("A missing file in a case file: %s", file.name, exc_info=True)
        return None


def _facts(title: str, name: str, data: bytes, recorded: str) -> list[Block]:
    actual = hashlib.sha256(data).hexdigest()
    rows = [
        Block("field", cells=("名称", cell(title))),
        Block("field", cells=("文件名", cell(name))),
        Block("field", cells=("格式", format_of(name, data))),
        Block("field", cells=("大小", size_text(len(data)))),
        Block("field", cells=("SHA-256", recorded or actual)),
    ]
    if recorded and recorded != actual:
        rows.append(Block("plain", f"注意：文件现有内容的SHA-256为{actual}，与登记的数值不符。"))
    return rows


def file_pages(title: str, file: FieldFile, name: str, recorded: str) -> Document | PdfReader:
    """An uploaded or produced file in the volume: its own pages if it is a readable PDF, an
    A4 page with the picture if an image, else a page about it."""
    name = name or PurePosixPath(file.name or "").name
    data = read_file(file)
    if data is None:
        return lay_blocks(
            [
                Block("title", "电子文件缺失"),
                Block("field", cells=("名称", cell(title))),
                Block("field", cells=("文件名", cell(name))),
                Block("field", cells=("SHA-256", recorded or "—")),
                Block("plain", "本件电子文件在存储中未能找到，未能编入本卷，请核查原件。"),
            ],
            title,
        )
    if data.startswith(PDF_MAGIC) or name.lower().endswith(".pdf"):
        reader = read_pdf(data)
        if reader is not None:
            return reader
        return lay_blocks(
            [
                Block("title", "无法读取的电子文件"),
                *_facts(title, name, data, recorded),
                Block(
                    "plain",
                    "本件电子文件无法读取（文件已损坏或不是有效的PDF文件），未能编入本卷；"
                    "原件按上列SHA-256保存，可调取核对。",
                ),
            ],
            title,
        )
    mime = image_type(data)
    if mime:
        caption = f"{title}（{name}，{format_of(name, data)}，SHA-256 {recorded}）"
        html = (
            f'{HTML_HEAD}<p class="scan-caption">{escape(caption)}</p>'
            '<img class="scan" src="efile:scan" alt=""></body></html>'
        )
        return lay_html(html, images={"scan": (data, mime)})
    return lay_blocks(
        [
            Block("title", "电子文件说明"),
            *_facts(title, name, data, recorded),
            Block("plain", f"原件为{format_of(name, data)}格式，见电子文件。"),
        ],
        title,
    )
