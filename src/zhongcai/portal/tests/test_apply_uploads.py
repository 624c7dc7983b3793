"""core.uploads: an upload's content must be what its name says, and never a program."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhongcai.cases.serving import upload_problems
from zhongcai.core.uploads import content_problems


def office_zip(main_part: str, *extra: str) -> bytes:
    """A minimal Office Open XML package: its content types, its main part, and ``extra``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("[Content_Types].xml", main_part, *extra):
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


GOOD = {
    "a.pdf": b"%PDF-1.7\n",
    "a.jpg": b"\xff\xd8\xff\xe0JFIF",
    "a.JPEG": b"\xff\xd8\xff\xe1Exif",
    "a.png": b"\x89PNG\r\n\x1a\n....",
    "a.gif": b"GIF89a....",
    "a.webp": b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    "a.heic": b"\x00\x00\x00\x18ftypheic",
    "a.bmp": b"BM\x00\x00",
    "a.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00",
    "a.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00",
    "a.wps": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00",
    "a.docx": office_zip("word/document.xml"),
    "a.xlsx": office_zip("xl/workbook.xml"),
    "a.txt": "工资：5000 元\n".encode(),
    "b.txt": "工资：5000 元\n".encode("gb18030"),
    "a.mp3": b"ID3\x04\x00",
    "b.mp3": b"\xff\xfb\x90\x00",
    "a.m4a": b"\x00\x00\x00\x20ftypM4A ",
    "a.amr": b"#!AMR\n",
    "a.wav": b"RIFF\x00\x00\x00\x00WAVEfmt ",
    "a.mp4": b"\x00\x00\x00\x20ftypisom",
    "a.mov": b"\x00\x00\x00\x14ftypqt  ",
}


def _file(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(("name", "content"), GOOD.items())
def test_evidence_files_are_accepted(name, content):
    file = _file(name, content)
    assert content_problems(file, "file") == {}
    assert file.tell() == 0  # left at the start for storage


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00",
        b"\x7fELF\x02\x01",
        b"\xcf\xfa\xed\xfe\x07\x00",
        b"#!/bin/sh\nrm -rf /\n",
    ],
)
@pytest.mark.parametrize("name", ["工资条.pdf", "photo.jpg", "notes.txt", "setup.exe"])
def test_programs_are_refused_whatever_their_name(name, content):
    [message] = content_problems(_file(name, content), "file")["file"]
    assert name in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.pdf", b"<html><script>"),
        ("a.png", b"\xff\xd8\xff\xe0"),  # a JPEG called .png
        ("a.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
        ("a.txt", b"\x00\x01\x02binary"),
        ("a.mp4", b"not a video"),
        ("a.wav", b"RIFF\x00\x00\x00\x00WEBP"),
    ],
)
def test_content_must_match_the_extension(name, content):
    [message] = content_problems(_file(name, content), "file")["file"]
    assert name in message


@pytest.mark.parametrize("name", ["a.html", "a.svg", "a.js", "a.zip", "noextension"])
def test_other_kinds_are_refused(name):
    assert content_problems(_file(name, b"hello"), "file")["file"]


def test_a_long_text_cut_in_a_character_is_still_text():
    content = ("工" * 5000).encode()  # 3 bytes each: 4096 cuts one in two
    assert content_problems(_file("a.txt", content), "file") == {}


def test_upload_problems_checks_size_first_then_content(settings):
    settings.CASES_MAX_UPLOAD_MB = 1
    empty = upload_problems(_file("a.pdf", b""), "f")["f"]
    # Too large is said before anything is read of it.
    too_large = upload_problems(_file("a.pdf", b"MZ" + b"\x00" * (1024 * 1024)), "f")["f"]
    program = upload_problems(_file("a.pdf", b"MZ\x00"), "f")["f"]
    assert len({empty[0], too_large[0], program[0]}) == 3
    assert "1 MB" in too_large[0]
    assert upload_problems(_file("a.pdf", b"%PDF-1.4"), "f") == {}


def test_a_plain_file_object_works_too():
    handle = io.BytesIO(b"%PDF-1.4")
    handle.name = "x.pdf"
    assert content_problems(handle, "file") == {}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("macros.docx", office_zip("word/document.xml", "word/vbaProject.bin")),
        ("macros.xlsx", office_zip("xl/workbook.xml", "xl/vbaProject.bin")),
        ("macros.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Macros".encode("utf-16-le")),
        ("macros.xls", _OLE_WITH_VBA := b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 5000
         + "_VBA_PROJECT_CUR".encode("utf-16-le")),
    ],
)  # fmt: skip
def test_documents_with_macros_are_refused(name, content):
    [message] = content_problems(_file(name, content), "file")["file"]
    assert name in message


def test_a_zip_renamed_docx_is_not_a_word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("setup.exe", b"MZ")
    assert "file" in content_problems(_file("contract.docx", buffer.getvalue()), "file")
    assert "file" in content_problems(_file("broken.docx", b"PK\x03\x04 broken"), "file")
