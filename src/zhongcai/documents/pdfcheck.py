"""Checks on a rendered PDF: are its fonts embedded, did any character fall back to .notdef?

WeasyPrint writes text with Type 0 (CID) fonts and Identity-H encoding: every two bytes of a
shown string are a glyph id, and glyph 0 is .notdef — the empty box a reader sees when the font
lacked the character. ``missing_glyphs`` counts those; production refuses such a PDF rather than
issue a document with boxes where names should be.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject


@dataclass(frozen=True)
class FontInfo:
    name: str
    subtype: str
    embedded: bool


def _descendant(font: DictionaryObject) -> DictionaryObject:
    if font.get("/Subtype") == "/Type0":
        return font["/DescendantFonts"][0].get_object()
    return font


def _embedded(font: DictionaryObject) -> bool:
    descriptor = _descendant(font).get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def fonts(pdf: bytes) -> list[FontInfo]:
    """Every font the pages use, and whether its program is embedded."""
    seen: dict[str, FontInfo] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources")
        font_dict = resources.get_object().get("/Font") if resources else None
        for ref in (font_dict or {}).values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", ""))
            seen[name] = FontInfo(name, str(font.get("/Subtype", "")), _embedded(font))
    return list(seen.values())


def _glyph_ids(operand: object) -> list[int]:
    data = operand.original_bytes if hasattr(operand, "original_bytes") else bytes(operand)  # type: ignore[arg-type]
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2)]


_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _to_unicode(font: DictionaryObject) -> dict[int, str]:
    """CID → text from the font's ToUnicode CMap (bfchar and bfrange sections)."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    data = stream.get_object().get_data()
    mapping: dict[int, str] = {}
    for section in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        values = _HEX.findall(section)
        for source, target in zip(values[::2], values[1::2], strict=False):
            mapping[int(source, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be", "replace")
    for section in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for line in section.splitlines():
            values = _HEX.findall(line)
            if len(values) == 3:
                low, high, start = (int(v, 16) for v in values)
                for offset in range(high - low + 1):
                    mapping[low + offset] = chr(start + offset)
    return mapping


def _font_characters(font: DictionaryObject) -> set[int]:
    """The code points the embedded font program has glyphs for."""
    descriptor = _descendant(font).get("/FontDescriptor")
    program = None
    if descriptor is not None:
        descriptor = descriptor.get_object()
        for key in ("/FontFile2", "/FontFile3", "/FontFile"):
            if key in descriptor:
                program = descriptor[key].get_object().get_data()
                break
    if program is None:
        return set()
    from fontTools.ttLib import TTFont

    try:
        return set(TTFont(io.BytesIO(program)).getBestCmap() or {})
    except Exception:
        return set()


def missing_glyphs(pdf: bytes) -> list[str]:
    """The characters shown with a font that has no glyph for them (drawn as .notdef boxes).

    Each glyph shown with a Type 0 font is mapped back to its text through the font's ToUnicode
    CMap; the character must be in the embedded font program's own character map. Glyph 0 and
    glyphs with no text at all are .notdef.
    """
    reader = PdfReader(io.BytesIO(pdf))
    missing: list[str] = []
    cache: dict[int, tuple[dict[int, str], set[int]]] = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        font_dict = (resources.get_object().get("/Font") if resources else None) or {}
        contents = page.get_contents()
        if contents is None:
            continue
        current: tuple[dict[int, str], set[int]] | None = None
        for operands, operator in ContentStream(contents, reader).operations:
            if operator == b"Tf":
                ref = font_dict.get(operands[0])
                font = ref.get_object() if ref is not None else None
                if font is None or font.get("/Subtype") != "/Type0":
                    current = None
                    continue
                key = id(font)
                if key not in cache:
                    cache[key] = (_to_unicode(font), _font_characters(font))
                current = cache[key]
                continue
            if current is None or operator not in (b"Tj", b"TJ"):
                continue
            parts = [operands[0]] if operator == b"Tj" else list(operands[0])
            to_text, known = current
            for part in parts:
                if isinstance(part, (int, float)) or hasattr(part, "as_numeric"):
                    continue
                for gid in _glyph_ids(part):
                    text = to_text.get(gid, "")
                    if gid == 0 or not text:
                        missing.append(text or f"<glyph {gid}>")
                        continue
                    if len(text) > 1:
                        # A ligature (ff, fi in a digest or a Latin name): its own glyph drawn
                        # for several characters, which the subset's map need not list.
                        continue
                    missing.extend(c for c in text if not c.isspace() and ord(c) not in known)
    return missing
