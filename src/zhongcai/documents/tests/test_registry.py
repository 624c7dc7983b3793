"""The template registry's rules (documents.registry) and the commission's document settings
(documents.commission_settings).

A province overrides a template with numbered versions effective from today or later, checked
against a sample before they are stored; a version never changes a document issued before it.
"""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from zhongcai.cases.models import CommissionProfile
from zhongcai.cases.numbering import profile_of
from zhongcai.cases.tests import factories
from zhongcai.core.events import events_of
from zhongcai.documents import catalogue, registry
from zhongcai.documents.commission_settings import commission_settings_update
from zhongcai.documents.compose import version_for
from zhongcai.documents.context import document_context
from zhongcai.documents.markup import plain_text
from zhongcai.documents.models import TemplateVersion
from zhongcai.documents.sample import sample_context
from zhongcai.documents.services import blocks_of, produce

from .registry_helpers import (
    MARKER,
    OVERRIDE,
    image_bytes,
    issue_notice,
    other_province,
    upload,
)


@pytest.fixture
def shandong(province_admin):
    return province_admin.organisation


@pytest.fixture
def case(institutions, lixia_intake, lixia_head):
    return factories.accepted(lixia_intake, lixia_head)


def _add(by, province, *, text=OVERRIDE, days=0, code="acceptance_notice", note="修订"):
    return registry.template_version_create(
        by=by,
        province=province,
        code=code,
        text=text,
        effective_from=timezone.localdate() + timedelta(days=days),
        note=note,
    )


def _errors(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


# --- Who may change the texts -------------------------------------------------------------------


def test_the_province_department_is_the_root_and_only_its_admins_edit(
    shandong, province_admin, jinan_admin, lixia_admin, lixia_clerk
):
    assert shandong.parent_id is None
    assert registry.may_edit_templates(province_admin, shandong)
    for user in (jinan_admin, lixia_admin, lixia_clerk):
        assert registry.province_for(user) == shandong
        assert not registry.may_edit_templates(user, shandong)
    assert registry.may_view_registry(lixia_admin)
    assert not registry.may_view_registry(lixia_clerk)


@pytest.mark.parametrize("who", ["jinan_admin", "lixia_admin", "lixia_head"])
def test_it_refuses_a_version_from_anyone_but_the_province(who, request, shandong):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        _add(user, shandong)
    assert not TemplateVersion.objects.filter(province=shandong).exists()


def test_another_province_neither_edits_nor_reaches_shandong(shandong, case, lixia_head):
    jiangsu, jiangsu_admin = other_province()
    with pytest.raises(PermissionDenied):
        _add(jiangsu_admin, shandong)
    # Jiangsu's own version applies in Jiangsu only.
    own = _add(jiangsu_admin, jiangsu)
    assert own.province == jiangsu and own.version == 1
    document = issue_notice(case, lixia_head)
    assert document.rendition.template.province_id is None
    assert MARKER not in plain_text(blocks_of(document.rendition))
    codes = {row.entry.code: row for row in registry.registry_rows(shandong)}
    assert codes["acceptance_notice"].current.province_id is None
    assert own not in registry.versions_of("acceptance_notice", shandong)


# --- The rules of a new version -----------------------------------------------------------------


def test_a_version_is_numbered_per_province_and_template_and_writes_an_event(
    shandong, province_admin
):
    first = _add(province_admin, shandong, days=3)
    second = _add(province_admin, shandong, days=5, note="再次修订")
    other = _add(province_admin, shandong, code="receipt", text="@title 收件回执\n本委已收到。\n")
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert second.created_by == province_admin and second.sha256
    events = list(events_of(shandong).filter(kind="document.template_version"))
    assert [e.payload["version"] for e in events] == [1, 2, 1]
    assert events[1].payload == {
        "template": "acceptance_notice",
        "version": 2,
        "version_id": second.pk,
        "effective_from": second.effective_from.isoformat(),
        "sha256": second.sha256,
        "note": "再次修订",
    }
    assert events[1].actor == province_admin


def test_it_refuses_a_back_dated_version(shandong, province_admin):
    with pytest.raises(ValidationError) as refused:
        _add(province_admin, shandong, days=-1)
    assert list(_errors(refused)) == ["effective_from"]
    assert not TemplateVersion.objects.filter(province=shandong).exists()
    assert not events_of(shandong).filter(kind="document.template_version").exists()


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("@title 受理通知书\n{% if case.number %}\n@plain {{ case.number }}\n", 2),  # unclosed
        ("@title 受理通知书\n@plain {{ case.number|nosuchfilter }}\n", 2),
        ("@title 受理通知书\n{% nosuchtag %}\n", 2),
        ("@title 受理通知书\n\n@stamp 本委\n", 3),  # unknown directive
        ("@title 受理通知书\n{% if doc.data.x %}\n@signature 李四\n{% endif %}\n", 3),
    ],
)
def test_it_refuses_a_broken_text_and_says_which_line(text, line, shandong, province_admin):
    problem = registry.text_problem(text, code="acceptance_notice", province=shandong)
    assert problem is not None and problem.line == line
    with pytest.raises(ValidationError) as refused:
        _add(province_admin, shandong, text=text)
    assert list(_errors(refused)) == ["text"]
    assert not TemplateVersion.objects.filter(province=shandong).exists()


def test_it_refuses_a_text_that_fails_when_rendered(shandong, province_admin):
    # Compiles, but {% include %} has nothing to include from: fails on the sample.
    problem = registry.text_problem(
        '@title 通知书\n{% include "x.txt" %}\n', code="acceptance_notice", province=shandong
    )
    assert problem is not None
    assert registry.text_problem("{# nothing #}\n", code="acceptance_notice") is not None
    assert registry.text_problem("", code="acceptance_notice") is not None


def test_every_platform_text_renders_the_sample():
    for entry in catalogue.CATALOGUE:
        if entry.path.is_file():
            assert registry.text_problem(entry.default_text(), code=entry.code) is None, entry.code


def test_the_sample_has_every_key_a_real_document_has(case):
    real = document_context(case.documents.filter(rendition__isnull=False).first())
    sample = sample_context("acceptance_notice")

    def same_shape(left, right, where):
        assert set(left) <= set(right), (where, set(left) - set(right))
        for key, value in left.items():
            if isinstance(value, dict) and key != "data":
                same_shape(value, right[key], f"{where}.{key}")
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                assert right[key], (where, key)
                same_shape(value[0], right[key][0], f"{where}.{key}[0]")

    same_shape(real, sample, "context")


# --- In force, and what a version changes -------------------------------------------------------


def test_the_registry_shows_the_version_compose_would_use(shandong, province_admin, case):
    today = timezone.localdate()
    override = _add(province_admin, shandong)
    later = _add(province_admin, shandong, days=10)
    rows = {row.entry.code: row for row in registry.registry_rows(shandong)}
    row = rows["acceptance_notice"]
    assert row.current == override == version_for("acceptance_notice", case.commission, today)
    assert row.overridden and row.scheduled == later
    assert rows["receipt"].current == version_for("receipt", case.commission, today)
    assert not rows["receipt"].overridden


def test_a_template_edited_after_issue_leaves_the_issued_pdf_byte_identical(
    shandong, province_admin, case, lixia_head
):
    issued = issue_notice(case, lixia_head)
    waiting = issue_notice(case, lixia_head)  # issued, its files not made yet
    produced = produce(issued.rendition.pk)
    pdf, sha = produced.pdf.open("rb").read(), produced.pdf_sha256
    assert hashlib.sha256(pdf).hexdigest() == sha

    tomorrow = timezone.localdate() + timedelta(days=1)
    version = _add(province_admin, shandong, days=1)

    again = produce(issued.rendition.pk)
    assert again.pdf.open("rb").read() == pdf and again.pdf_sha256 == sha
    # Frozen at issue: made after the new version, it still reads as issued.
    waiting.rendition.refresh_from_db()
    assert MARKER not in plain_text(blocks_of(waiting.rendition))
    assert waiting.rendition.template.province_id is None
    # Issued today, before the version's date: the old text.
    assert issue_notice(case, lixia_head).rendition.template.province_id is None

    with time_machine.travel(timezone.localtime() + timedelta(days=1)):
        assert timezone.localdate() == tomorrow
        fresh = issue_notice(case, lixia_head)
    assert fresh.rendition.template == version
    assert MARKER in plain_text(blocks_of(fresh.rendition))
    assert produce(issued.rendition.pk).pdf_sha256 == sha


# --- The commission's document settings ---------------------------------------------------------

SETTINGS = {
    "document_name": "济南市历下区劳动人事争议仲裁委员会",
    "abbreviation": "济历下",
    "case_number_format": "{abbr}劳人仲案字〔{year}〕第{seq}号",
    "address": "济南市历下区解放路 1 号",
    "postcode": "250014",
    "phone": "0531-86000000",
}


def _settings(by, commission, **changes):
    return commission_settings_update(by=by, commission=commission, **{**SETTINGS, **changes})


@pytest.fixture
def lixia(province):
    return factories.commission("370102")


def test_the_commission_admin_sets_its_documents_with_an_event(lixia, lixia_admin):
    profile = _settings(lixia_admin, lixia, seal=upload(image_bytes()))
    assert profile.address == SETTINGS["address"] and profile.postcode == "250014"
    assert profile.seal.name.endswith(".png")
    event = events_of(lixia).get(kind="commission.document_settings_changed")
    assert event.actor == lixia_admin
    assert event.payload["changed"]["address"] == ["", SETTINGS["address"]]
    stored = profile.seal.open("rb").read()
    assert event.payload["changed"]["seal"] == {"sha256": hashlib.sha256(stored).hexdigest()}
    # The same values again change nothing and write nothing.
    _settings(lixia_admin, lixia)
    assert events_of(lixia).filter(kind="commission.document_settings_changed").count() == 1


def test_a_jpeg_seal_is_stored_as_png_with_its_white_made_transparent(lixia, lixia_admin):
    jpeg = image_bytes((600, 560), fmt="JPEG")
    profile = _settings(lixia_admin, lixia, seal=upload(jpeg, "seal.jpg", "image/jpeg"))
    with Image.open(io.BytesIO(profile.seal.open("rb").read())) as stored:
        assert stored.format == "PNG" and stored.mode == "RGBA"
        assert stored.getpixel((2, 2))[3] == 0  # the white corner
        assert stored.getpixel((300, 280))[3] == 255  # the red middle


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"not really a png" * 20, "seal_malformed"),
        (image_bytes()[:300], "seal_malformed"),  # truncated
        (b"GIF89a" + b"\x00" * 200, "seal_malformed"),
        (image_bytes((400, 400), fmt="GIF"), "seal_format"),
        (image_bytes((800, 300)), "seal_shape"),
        (image_bytes((80, 80)), "seal_size"),
        (b"\x89PNG" + b"\x00" * (2 * 1024 * 1024), "seal_too_large"),
    ],
)
def test_a_bad_seal_image_is_refused_and_nothing_is_saved(content, code, lixia, lixia_admin):
    before = profile_of(lixia)
    with pytest.raises(ValidationError) as refused:
        _settings(lixia_admin, lixia, address="改过的地址", seal=upload(content))
    assert [e.code for e in refused.value.error_dict["seal"]] == [code]
    after = CommissionProfile.objects.get(pk=before.pk)
    assert (after.address, after.seal.name) == (before.address, before.seal.name)
    assert not events_of(lixia).filter(kind="commission.document_settings_changed").exists()


def test_it_refuses_a_case_number_format_without_a_sequence(lixia, lixia_admin):
    with pytest.raises(ValidationError) as refused:
        _settings(
            lixia_admin, lixia, case_number_format="{abbr}劳人仲案字〔{year}〕", postcode="12"
        )
    assert set(_errors(refused)) == {"case_number_format", "postcode"}
    assert profile_of(lixia).case_number_format == SETTINGS["case_number_format"]


@pytest.mark.parametrize("who", ["jinan_admin", "lixia_head", "province_admin"])
def test_only_the_maintaining_department_changes_the_settings(who, request, lixia):
    with pytest.raises(PermissionDenied):
        _settings(request.getfixturevalue(who), lixia)


def test_removing_the_seal_brings_back_the_drawn_one(lixia, lixia_admin):
    from zhongcai.documents.seal import drawn_seal, seal_png

    _settings(lixia_admin, lixia, seal=upload(image_bytes()))
    assert seal_png(lixia) != drawn_seal(SETTINGS["document_name"])
    profile = _settings(lixia_admin, lixia, remove_seal=True)
    assert not profile.seal
    assert seal_png(lixia) == drawn_seal(SETTINGS["document_name"])
    changes = [
        e.payload["changed"].get("seal")
        for e in events_of(lixia).filter(kind="commission.document_settings_changed")
    ]
    assert changes[-1] == "removed"
