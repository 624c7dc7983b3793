"""What an uploaded file really is: its first bytes, not the name it was given.

Evidence is opened by staff on office computers, so a program renamed ``.pdf`` must never get
in. Only the kinds of file people hand in as evidence are taken (documents, photos, sound and
video recordings, plain text), and each must start the way its kind of file starts.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import PurePath
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HEAD_BYTES = 4096

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003, Excel 97–2003, WPS
_ZIP = b"PK\x03\x04"  # docx, xlsx (Office Open XML is a zip)

# Programs and scripts, whatever they are called.
_EXECUTABLE_MAGIC = (
    b"MZ",  # Windows .exe, .dll
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O 32
    b"\xfe\xed\xfa\xcf",  # Mach-O 64
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal (also Java classes)
)


def _starts(*prefixes: bytes) -> Callable[[bytes], bool]:
    return lambda head: head.startswith(prefixes)


def _ftyp(head: bytes) -> bool:
    """ISO base media (mp4, mov, m4a, heic): a box size, then ``ftyp``."""
    return head[4:8] == b"ftyp"


def _mp3(head: bytes) -> bool:
    # An ID3 tag, or straight into an MPEG audio frame (11 bits of sync).
    return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


def _wav(head: bytes) -> bool:
    return head.startswith(b"RIFF") and head[8:12] == b"WAVE"


def _webp(head: bytes) -> bool:
    return head.startswith(b"RIFF") and head[8:12] == b"WEBP"


def _text(head: bytes) -> bool:
    """Plain text in UTF-8 or GB18030 (what Chinese Windows saves), with no NUL byte."""
    if b"\x00" in head:
        return False
    # A full head may cut a multi-byte character in two: also try without its last bytes.
    cuts = range(4) if len(head) >= HEAD_BYTES else range(1)
    for encoding in ("utf-8", "gb18030"):
        for cut in cuts:
            try:
                head[: len(head) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
            return True
    return False


_PDF = _starts(b"%PDF-")
_JPEG = _starts(b"\xff\xd8\xff")
_PNG = _starts(b"\x89PNG\r\n\x1a\n")
_GIF = _starts(b"GIF87a", b"GIF89a")
_BMP = _starts(b"BM")
_OLE_DOC = _starts(_OLE)
_ZIP_DOC = _starts(_ZIP)
_AMR = _starts(b"#!AMR")

# Extension → (what it is called in an error, how its content starts).
KINDS: dict[str, tuple[object, Callable[[bytes], bool]]] = {
    "pdf": (gettext_lazy("a PDF file"), _PDF),
    "jpg": (gettext_lazy("a JPEG picture"), _JPEG),
    "jpeg": (gettext_lazy("a JPEG picture"), _JPEG),
    "png": (gettext_lazy("a PNG picture"), _PNG),
    "gif": (gettext_lazy("a GIF picture"), _GIF),
    "webp": (gettext_lazy("a WebP picture"), _webp),
    "heic": (gettext_lazy("a HEIC photo"), _ftyp),
    "bmp": (gettext_lazy("a BMP picture"), _BMP),
    "doc": (gettext_lazy("a Word document"), _OLE_DOC),
    "docx": (gettext_lazy("a Word document"), _ZIP_DOC),
    "xls": (gettext_lazy("an Excel spreadsheet"), _OLE_DOC),
    "xlsx": (gettext_lazy("an Excel spreadsheet"), _ZIP_DOC),
    "wps": (gettext_lazy("a WPS document"), _OLE_DOC),
    "txt": (gettext_lazy("a text file"), _text),
    "mp3": (gettext_lazy("an MP3 recording"), _mp3),
    "m4a": (gettext_lazy("an M4A recording"), _ftyp),
    "amr": (gettext_lazy("an AMR recording"), _AMR),
    "wav": (gettext_lazy("a WAV recording"), _wav),
    "mp4": (gettext_lazy("an MP4 video"), _ftyp),
    "mov": (gettext_lazy("a MOV video"), _ftyp),
}
ACCEPTED_EXTENSIONS = tuple(f".{ext}" for ext in KINDS)


def _read_head(file: IO[bytes]) -> bytes:
    file.seek(0)
    head = file.read(HEAD_BYTES) or b""
    file.seek(0)
    return head


def is_executable(head: bytes) -> bool:
    return head.startswith(_EXECUTABLE_MAGIC) or (head.startswith(b"#!") and not _AMR(head))


def content_problems(file: object, field: str) -> dict[str, list[str]]:
    """Refuse programs and files whose content is not what their name says, in plain words.

    ``file`` is an uploaded file (anything with ``name``, ``read`` and ``seek``); it is left at
    its start for whoever stores it next.
    """
    name = str(getattr(file, "name", "") or "")
    shown = PurePath(name).name or _("the file")
    head = _read_head(file)  # type: ignore[arg-type]
    if is_executable(head):
        return {
            field: [
                _("“%(name)s” is a program, not a document: it cannot be uploaded.")
                % {"name": shown}
            ]
        }
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in KINDS:
        return {
            field: [
                _(
                    "“%(name)s” cannot be uploaded. Upload a PDF, a photo (JPG, PNG, HEIC), a Word "
                    "or Excel file, a text file, a sound recording or a video."
                )
                % {"name": shown}
            ]
        }
    kind, matches = KINDS[extension]
    if not matches(head):
        return {field: [_("“%(name)s” is not %(kind)s.") % {"name": shown, "kind": kind}]}
    if extension in OFFICE_ZIP and not _clean_office_zip(file, OFFICE_ZIP[extension]):  # type: ignore[arg-type]
        return {field: [_("“%(name)s” is not %(kind)s.") % {"name": shown, "kind": kind}]}
    office = extension in OFFICE_ZIP or _OLE_DOC(head)
    if office and _has_macros(file, zipped=extension in OFFICE_ZIP):  # type: ignore[arg-type]
        return {
            field: [
                _(
                    "“%(name)s” contains macros (small programs) and cannot be uploaded. "
                    "Save it as PDF, or as a document without macros, and upload it again."
                )
                % {"name": shown}
            ]
        }
    return {}


# Office Open XML: the part every real document of the kind has.
OFFICE_ZIP = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
# A zip of more entries than this is not a document someone typed (and not worth opening).
MAX_ZIP_ENTRIES = 10_000
# Names of the storages that hold VBA macros in Office files, as OLE stores them (UTF-16LE).
_OLE_MACRO_NAMES = tuple(name.encode("utf-16-le") for name in ("_VBA_PROJECT", "Macros"))
_ACTIVE_SUFFIXES = (".bin", ".exe", ".dll", ".js", ".vbs", ".bat", ".cmd", ".scr", ".ps1")


def _zip_names(file: IO[bytes]) -> list[str] | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        names = None
    file.seek(0)
    if names is None or len(names) > MAX_ZIP_ENTRIES:
        return None
    return names


def _clean_office_zip(file: IO[bytes], main_part: str) -> bool:
    """A real Word or Excel file: a zip with its content types and its main part."""
    names = _zip_names(file)
    return names is not None and "[Content_Types].xml" in names and main_part in names


def _has_macros(file: IO[bytes], *, zipped: bool) -> bool:
    """VBA macros or embedded programs: a ``vbaProject.bin`` part (or any program) in a zipped
    document, a ``_VBA_PROJECT``/``Macros`` storage in an OLE one (Word/Excel 97–2003, WPS)."""
    if zipped:
        names = _zip_names(file) or []
        return any(name.lower().endswith(_ACTIVE_SUFFIXES) for name in names)
    file.seek(0)
    tail = b""
    found = False
    while chunk := file.read(1024 * 1024):
        window = tail + chunk
        if any(name in window for name in _OLE_MACRO_NAMES):
            found = True
            break
        tail = window[-64:]
    file.seek(0)
    return found
