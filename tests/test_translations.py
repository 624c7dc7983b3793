"""The Chinese catalogue is complete and the compiled one is what the source says.

Run `make messages` after changing user-facing strings, then translate the new entries.
"""

import gettext
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "src" / "zhongcai" / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.mo"


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO))


def test_every_string_has_a_chinese_translation(catalogue):
    missing = [entry.msgid for entry in catalogue if not entry.translated()]
    assert missing == []


def test_no_translation_is_left_fuzzy(catalogue):
    assert [entry.msgid for entry in catalogue if "fuzzy" in entry.flags] == []


def test_the_compiled_catalogue_matches_the_source(catalogue):
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            got = compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
            want = entry.msgstr_plural[0]
        elif entry.msgctxt:
            got, want = compiled.pgettext(entry.msgctxt, entry.msgid), entry.msgstr
        else:
            got, want = compiled.gettext(entry.msgid), entry.msgstr
        if got != want:
            stale.append(entry.msgid)
    assert stale == []


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext is not installed")
def test_gnu_gettext_accepts_the_catalogue():
    # `make messages` runs GNU gettext over this file; it must stay well-formed for it.
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check-format", "-o", "/dev/null", str(PO)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_placeholders_survive_translation(catalogue):
    import re

    pattern = re.compile(r"%\(\w+\)[sd]")
    broken = [
        entry.msgid
        for entry in catalogue.translated_entries()
        if not entry.msgid_plural
        and sorted(pattern.findall(entry.msgid)) != sorted(pattern.findall(entry.msgstr))
    ]
    assert broken == []
