"""Blocks to PDF (served and archived) and to DOCX (what offices edit and print).

The layout follows the national standard for official documents (GB/T 9704-2012) as arbitration
documents use it: A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; body in a
仿宋/宋体-style face at 16 pt (三号) with 28 pt lines; title at 22 pt (二号) in a 小标宋-style face;
the page number "— 1 —" at the foot. The PDF embeds its fonts (Noto Serif SC, installed from the
npm registry with the project): Chinese text renders on a machine without Chinese fonts.
"""

from __future__ import annotations

import atexit
import io
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.html import escape

from .markup import Block

SIGN_KINDS = frozenset({"sign", "date", "seal"})
CELL_KINDS = frozenset({"field", "header", "row"})


def font_dir() -> Path:
    return Path(settings.DOCUMENTS_FONT_DIR)


FONT_FILES = {400: "400Regular/NotoSerifSC_400Regular.ttf", 700: "700Bold/NotoSerifSC_700Bold.ttf"}


def extra_fonts() -> list[Path]:
    """Fonts a deployment adds for characters Noto Serif SC lacks (CJK extension B and later:
    生僻字 in names), e.g. a licensed 超大字符集 font: ``DOCUMENTS_EXTRA_FONTS``, file paths."""
    return [Path(p) for p in getattr(settings, "DOCUMENTS_EXTRA_FONTS", []) if str(p).strip()]


@cache
def covered_characters() -> frozenset[int]:
    """Every code point the document fonts can draw (read once per process)."""
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for path in [*font_paths().values(), *extra_fonts()]:
        font = TTFont(str(path), lazy=True, fontNumber=0)
        covered.update(font.getBestCmap() or {})
        font.close()
    return frozenset(covered)


def uncovered(text: str) -> list[str]:
    """The characters of ``text`` no document font can draw, each once, in order."""
    covered = covered_characters()
    seen: dict[str, None] = {}
    for char in text:
        if not char.isspace() and ord(char) not in covered:
            seen.setdefault(char, None)
    return list(seen)


def font_paths() -> dict[int, Path]:
    paths = {weight: font_dir() / name for weight, name in FONT_FILES.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise ImproperlyConfigured(
            f"Document fonts are missing ({', '.join(missing)}): run `npm ci` (make install) "
            "to install @expo-google-fonts/noto-serif-sc."
        )
    return paths


CSS = """
@page {
  size: A4;
  margin: 37mm 26mm 35mm 28mm;
  @bottom-center { content: "— " counter(page) " —"; font-family: "ZC Serif"; font-size: 14pt; }
}
@page :first { @bottom-center { content: "— " counter(page) " —"; } }
@page form {
  size: A4;
  margin: 25mm 22mm 22mm 25mm;
  @bottom-center { content: "— " counter(page) " —"; font-family: "ZC Serif"; font-size: 12pt; }
}
html { font-family: "ZC Serif"; font-size: 16pt; line-height: 28pt; color: #000; }
body.compact { page: form; font-size: 14pt; line-height: 24pt; }
body.compact h1.title { font-size: 20pt; line-height: 30pt; }
body.compact table { font-size: 12pt; line-height: 18pt; }
body.compact div.signs { margin-top: 12pt; }
body { margin: 0; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.plain { text-indent: 0; }
p.to { text-indent: 0; }
p.item { text-indent: 2em; }
h1.caption { font-size: 22pt; line-height: 32pt; font-weight: 700; text-align: center; margin: 0; }
h1.title { font-size: 22pt; line-height: 36pt; font-weight: 700; text-align: center;
           letter-spacing: 0.3em; margin: 6pt 0 6pt 0; }
p.number { text-indent: 0; text-align: right; margin-bottom: 14pt; }
h2 { font-size: 16pt; font-weight: 700; margin: 0; text-indent: 2em; }
p.note { font-size: 12pt; line-height: 20pt; text-indent: 0; }
div.space { height: 28pt; }
div.signs { position: relative; display: table; margin: 20pt 2em 0 auto; page-break-inside: avoid; }
div.signs p { text-indent: 0; text-align: center; }
p.sealed { position: relative; }
p.after-seal { margin-top: 30pt; }
img.seal { position: absolute; width: 42mm; height: 42mm; left: 50%; top: 50%;
           margin-left: -21mm; margin-top: -21mm; opacity: 0.85; }
table { width: 100%; border-collapse: collapse; margin: 6pt 0; font-size: 14pt; line-height: 20pt; }
td, th { border: 0.75pt solid #000; padding: 3pt 5pt; vertical-align: top; text-align: left; }
th { font-weight: 700; text-align: center; }
td.label { width: 28%; text-align: center; }
.pagebreak { page-break-after: always; }
"""


def font_face_css() -> str:
    faces = []
    for weight, path in font_paths().items():
        faces.append(
            f'@font-face {{ font-family: "ZC Serif"; font-weight: {weight}; '
            f'src: url("{path.as_uri()}"); }}'
        )
    fallbacks = []
    for index, path in enumerate(extra_fonts(), start=1):
        family = f'"ZC Extra {index}"'
        faces.append(f'@font-face {{ font-family: {family}; src: url("{path.as_uri()}"); }}')
        fallbacks.append(family)
    if fallbacks:
        faces.append(f'html {{ font-family: "ZC Serif", {", ".join(fallbacks)}; }}')
    return "\n".join(faces)


def _groups(blocks: Iterable[Block]) -> Iterator[tuple[str, list[Block]]]:
    """Consecutive table rows and signature lines are grouped; other blocks stand alone."""
    group: list[Block] = []
    group_kind = ""
    for block in blocks:
        kind = "table" if block.kind in CELL_KINDS else "signs" if block.kind in SIGN_KINDS else ""
        if kind and kind == group_kind:
            group.append(block)
            continue
        if group:
            yield group_kind, group
        group, group_kind = ([block], kind) if kind else ([], "")
        if not kind:
            yield "", [block]
    if group:
        yield group_kind, group


def _text(value: str) -> str:
    return str(escape(value))


def _row(tag: str, cells: Iterable[str]) -> str:
    return "<tr>" + "".join(f"<{tag}>{_text(c)}</{tag}>" for c in cells) + "</tr>"


def to_html(blocks: list[Block], *, seal_uri: str | None = None, title: str = "") -> str:
    """The document as HTML for WeasyPrint (and for a preview on screen)."""
    parts: list[str] = []
    body_class = ' class="compact"' if any(b.kind == "compact" for b in blocks) else ""
    for kind, group in _groups(blocks):
        if kind == "table":
            rows = []
            for block in group:
                if block.kind == "header":
                    rows.append(_row("th", block.cells))
                elif block.kind == "field":
                    label, *rest = block.cells
                    value = " | ".join(rest)
                    rows.append(
                        f'<tr><td class="label">{_text(label)}</td><td>{_text(value)}</td></tr>'
                    )
                else:
                    rows.append(_row("td", block.cells))
            parts.append(f"<table>{''.join(rows)}</table>")
            continue
        if kind == "signs":
            # The seal is pressed over the date line (骑年盖月), or over the last line if the
            # block has no date.
            sealed = any(b.kind == "seal" for b in group) and bool(seal_uri)
            lines = [b for b in group if b.kind != "seal"]
            dated = next((b for b in lines if b.kind == "date"), lines[-1] if lines else None)
            html = []
            after = False  # lines after the sealed one (the recorder) clear the seal
            for block in lines:
                if sealed and block is dated:
                    html.append(
                        f'<p class="sealed">{_text(block.text)}'
                        f'<img class="seal" src="{seal_uri}" alt=""></p>'
                    )
                    after = True
                elif after:
                    html.append(f'<p class="after-seal">{_text(block.text)}</p>')
                    after = False
                else:
                    html.append(f"<p>{_text(block.text)}</p>")
            parts.append(f'<div class="signs">{"".join(html)}</div>')
            continue
        block = group[0]
        text = _text(block.text)
        if block.kind == "caption":
            parts.append(f'<h1 class="caption">{text}</h1>')
        elif block.kind == "title":
            parts.append(f'<h1 class="title">{text}</h1>')
        elif block.kind == "number":
            parts.append(f'<p class="number">{text}</p>')
        elif block.kind == "to":
            parts.append(f'<p class="to">{text}</p>')
        elif block.kind == "heading":
            parts.append(f"<h2>{text}</h2>")
        elif block.kind == "item":
            parts.append(f'<p class="item">{text}</p>')
        elif block.kind == "note":
            parts.append(f'<p class="note">{text}</p>')
        elif block.kind == "plain":
            parts.append(f'<p class="plain">{text}</p>')
        elif block.kind == "space":
            parts.append('<div class="space"></div>')
        elif block.kind == "pagebreak":
            parts.append('<div class="pagebreak"></div>')
        elif block.kind == "compact":
            continue
        else:
            parts.append(f"<p>{text}</p>")
    return (
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">'
        f"<title>{_text(title)}</title></head>"
        f"<body{body_class}>{''.join(parts)}</body></html>"
    )


@cache
def _font_config():
    from weasyprint import CSS as WeasyCSS
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    stylesheet = WeasyCSS(string=CSS + font_face_css(), font_config=config)
    return config, stylesheet


# Let the font configuration go while the interpreter can still run its finaliser.
atexit.register(_font_config.cache_clear)


def to_pdf(blocks: list[Block], *, seal_uri: str | None = None, title: str = "") -> bytes:
    """The PDF of the blocks, fonts embedded. ``seal_uri``: a data: or file: URI of the seal."""
    from weasyprint import HTML

    config, stylesheet = _font_config()
    html = HTML(string=to_html(blocks, seal_uri=seal_uri, title=title), base_url=str(font_dir()))
    document = html.render(stylesheets=[stylesheet], font_config=config)
    metadata = document.metadata
    metadata.title = title
    metadata.authors = []
    metadata.created = None
    metadata.modified = None
    return document.write_pdf()


# DOCX -------------------------------------------------------------------------------------------


def _set_font(run, name: str, size_pt: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def to_docx(blocks: list[Block], *, title: str = "") -> bytes:
    """The DOCX of the blocks, with the office fonts named (仿宋 body, 小标宋 title, 黑体
    headings: ``DOCUMENTS_DOCX_FONTS``); the seal is applied on paper or in the PDF."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    fonts = settings.DOCUMENTS_DOCX_FONTS
    document = Document()
    document.core_properties.title = title
    document.core_properties.author = ""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    def paragraph(
        text: str,
        *,
        align=None,
        indent: bool = True,
        font: str = "body",
        size: float = 16,
        bold: bool = False,
    ):
        para = document.add_paragraph()
        fmt = para.paragraph_format
        fmt.line_spacing = Pt(28)
        fmt.space_after = Pt(0)
        fmt.space_before = Pt(0)
        if indent:
            fmt.first_line_indent = Pt(size * 2)
        if align is not None:
            para.alignment = align
        _set_font(para.add_run(text), fonts[font], size, bold)
        return para

    for kind, group in _groups(blocks):
        if kind == "table":
            width = max(len(b.cells) if b.kind != "field" else 2 for b in group)
            table = document.add_table(rows=0, cols=width)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for block in group:
                cells = list(block.cells)
                if block.kind == "field":
                    cells = [cells[0], " | ".join(cells[1:])]
                row = table.add_row().cells
                for index, text in enumerate(cells[:width]):
                    para = row[index].paragraphs[0]
                    _set_font(para.add_run(text), fonts["body"], 14, block.kind == "header")
            continue
        if kind == "signs":
            for block in group:
                if block.kind != "seal":
                    paragraph(block.text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
            continue
        block = group[0]
        if block.kind in ("caption", "title"):
            paragraph(
                block.text, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, font="title", size=22
            )
        elif block.kind == "number":
            paragraph(block.text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        elif block.kind in ("to", "plain"):
            paragraph(block.text, indent=False)
        elif block.kind == "heading":
            paragraph(block.text, font="heading")
        elif block.kind == "note":
            paragraph(block.text, indent=False, size=12)
        elif block.kind == "space":
            paragraph("", indent=False)
        elif block.kind == "pagebreak":
            document.add_page_break()
        elif block.kind == "compact":
            continue
        else:
            paragraph(block.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
