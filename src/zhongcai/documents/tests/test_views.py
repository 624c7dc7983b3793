"""The registry pages, the commission's document settings, and downloads of issued documents,
through the pages and the API. Production is faked here (no WeasyPrint) except where a PDF's
bytes matter: test_registry renders the real one."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhongcai.cases.models import CaseDocument, CommissionProfile, DocumentKind, Volume
from zhongcai.cases.numbering import profile_of
from zhongcai.cases.tests import factories
from zhongcai.core.events import events_of
from zhongcai.documents import catalogue, registry
from zhongcai.documents.models import Rendition, TemplateVersion
from zhongcai.documents.sample import SAMPLE_COMMISSION

from .registry_helpers import (
    MARKER,
    OVERRIDE,
    fake_render,
    image_bytes,
    issue_notice,
    other_province,
    upload,
)


@pytest.fixture
def case(institutions, lixia_intake, lixia_head):
    return factories.accepted(lixia_intake, lixia_head)


@pytest.fixture
def licheng_case(institutions, licheng_intake):
    case = factories.received(licheng_intake, code="370112", workplace_division="370112")
    return case


@pytest.fixture
def faked(monkeypatch):
    return fake_render(monkeypatch)


def _api(user):
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _url(name, *args):
    return reverse(f"documents:{name}", args=args)


def _tomorrow():
    return (timezone.localdate() + timedelta(days=1)).isoformat()


# --- The registry -------------------------------------------------------------------------------


def test_the_registry_lists_every_template_with_its_basis_and_version(
    login, province_admin, django_assert_max_num_queries
):
    client = login(province_admin)
    client.get(_url("template-list"))  # stores the platform's texts once
    with django_assert_max_num_queries(12):
        page = client.get(_url("template-list"))
    assert page.status_code == 200
    html = page.content.decode()
    for entry in catalogue.CATALOGUE:
        assert _url("template-detail", entry.code) in html
    assert "《劳动争议调解仲裁法》" in html and 'class="citation' in html
    assert "v1" in html


def test_a_county_admin_reads_the_registry_but_cannot_add_a_version(login, lixia_admin):
    client = login(lixia_admin)
    assert client.get(_url("template-list")).status_code == 200
    detail = client.get(_url("template-detail", "acceptance_notice"))
    assert detail.status_code == 200
    assert _url("version-create", "acceptance_notice") not in detail.content.decode()
    assert client.get(_url("version-create", "acceptance_notice")).status_code == 403
    posted = client.post(
        _url("version-create", "acceptance_notice"),
        {"text": OVERRIDE, "effective_from": _tomorrow()},
    )
    assert posted.status_code == 403
    assert not TemplateVersion.objects.filter(province__isnull=False).exists()


@pytest.mark.parametrize("who", ["lixia_clerk", "lixia_head", "worker_demo"])
def test_other_roles_do_not_see_the_registry(who, request, login):
    response = login(request.getfixturevalue(who)).get(_url("template-list"))
    assert response.status_code == 403


def test_an_unknown_template_is_404(login, province_admin):
    assert login(province_admin).get(_url("template-detail", "nothing")).status_code == 404


def test_the_province_adds_a_version_through_the_page(login, province_admin):
    client = login(province_admin)
    form = client.get(_url("version-create", "acceptance_notice"))
    assert form.status_code == 200
    assert "@title 受理通知书" in form.content.decode()  # starts from the text in force
    response = client.post(
        _url("version-create", "acceptance_notice"),
        {"text": OVERRIDE, "effective_from": _tomorrow(), "note": "加一行"},
    )
    assert response.status_code == 302
    version = TemplateVersion.objects.get(province=province_admin.organisation)
    assert version.version == 1 and version.note == "加一行" and MARKER in version.text
    detail = client.get(response.url).content.decode()
    assert MARKER in detail and "加一行" in detail


def test_a_back_dated_or_broken_version_is_shown_again_with_the_reason(login, province_admin):
    client = login(province_admin)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    back_dated = client.post(
        _url("version-create", "acceptance_notice"),
        {"text": OVERRIDE, "effective_from": yesterday},
    )
    assert back_dated.status_code == 400
    assert back_dated.context["form"].errors.keys() == {"effective_from"}
    broken = client.post(
        _url("version-create", "acceptance_notice"),
        {"text": "@title 通知书\n\n@stamp 本委\n", "effective_from": _tomorrow()},
    )
    assert broken.status_code == 400
    assert broken.context["form"].errors.keys() == {"text"}
    assert "@stamp" in broken.content.decode()
    assert not TemplateVersion.objects.filter(province__isnull=False).exists()


def test_the_preview_button_renders_the_sample_and_stores_nothing(login, province_admin):
    client = login(province_admin)
    response = client.post(
        _url("version-create", "acceptance_notice"),
        {"text": OVERRIDE, "effective_from": _tomorrow(), "preview": "1"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="document-preview"' in html
    assert MARKER in html and SAMPLE_COMMISSION in html
    broken = client.post(
        _url("version-create", "acceptance_notice"),
        {"text": "@title 通知书\n{% if x %}\n", "preview": "1"},
    )
    assert broken.status_code == 400 and "template-problem" in broken.content.decode()
    assert not TemplateVersion.objects.filter(province__isnull=False).exists()


def test_a_version_previews_for_a_case_of_the_users_scope(login, lixia_admin, case):
    client = login(lixia_admin)
    platform = registry.versions_of("acceptance_notice", registry.province_for(lixia_admin))[0]
    sample = client.get(_url("version-preview", "acceptance_notice", platform.pk))
    assert sample.status_code == 200
    assert SAMPLE_COMMISSION in sample.content.decode()
    for_case = client.get(
        _url("version-preview", "acceptance_notice", platform.pk), {"case": case.pk}
    )
    assert for_case.status_code == 200
    html = for_case.content.decode()
    assert case.case_number in html and "王秀英" in html


def test_a_preview_of_another_countys_case_is_404(login, lixia_admin, licheng_case):
    platform = registry.versions_of("acceptance_notice", registry.province_for(lixia_admin))[0]
    url = _url("version-preview", "acceptance_notice", platform.pk)
    assert login(lixia_admin).get(url, {"case": licheng_case.pk}).status_code == 404
    pdf = _url("version-preview-pdf", "acceptance_notice", platform.pk)
    assert login(lixia_admin).get(pdf, {"case": licheng_case.pk}).status_code == 404


def test_another_provinces_version_is_404(login, province_admin):
    jiangsu, jiangsu_admin = other_province()
    theirs = registry.template_version_create(
        by=jiangsu_admin,
        province=jiangsu,
        code="acceptance_notice",
        text=OVERRIDE,
        effective_from=timezone.localdate(),
    )
    url = _url("version-preview", "acceptance_notice", theirs.pk)
    assert login(province_admin).get(url).status_code == 404
    assert (
        MARKER
        not in login(province_admin)
        .get(_url("template-detail", "acceptance_notice"))
        .content.decode()
    )


def test_the_pdf_preview_is_a_pdf_with_the_drawn_seal(login, province_admin):
    version = registry.versions_of("receipt", province_admin.organisation)[0]
    response = login(province_admin).get(_url("version-preview-pdf", "receipt", version.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- The commission's document settings ---------------------------------------------------------

FORM = {
    "document_name": "济南市历下区劳动人事争议仲裁委员会",
    "abbreviation": "济历下",
    "case_number_format": "{abbr}劳人仲案字〔{year}〕第{seq}号",
    "address": "济南市历下区解放路 1 号",
    "postcode": "250014",
    "phone": "0531-86000000",
}


def test_the_settings_menu_leads_the_county_admin_to_its_commission(login, lixia_admin):
    lixia = factories.commission("370102")
    response = login(lixia_admin).get(_url("settings"))
    assert response.status_code == 302
    assert response.url == _url("settings-edit", lixia.pk)
    page = login(lixia_admin).get(response.url)
    assert page.status_code == 200
    assert _url("seal-image", lixia.pk) in page.content.decode()


def test_the_commission_admin_uploads_a_seal(login, lixia_admin):
    lixia = factories.commission("370102")
    client = login(lixia_admin)
    response = client.post(_url("settings-edit", lixia.pk), {**FORM, "seal": upload(image_bytes())})
    assert response.status_code == 302
    profile = profile_of(lixia)
    assert profile.seal and profile.address == FORM["address"]
    assert events_of(lixia).filter(kind="commission.document_settings_changed").count() == 1
    seal = client.get(_url("seal-image", lixia.pk))
    assert seal["Content-Type"] == "image/png"
    assert seal.content == profile.seal.open("rb").read()


def test_a_malformed_seal_is_refused_on_the_page_and_nothing_is_saved(login, lixia_admin):
    lixia = factories.commission("370102")
    before = profile_of(lixia)
    response = login(lixia_admin).post(
        _url("settings-edit", lixia.pk),
        {**FORM, "seal": upload(b"\x89PNG\r\n\x1a\n garbage", "seal.png")},
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"seal"}
    after = CommissionProfile.objects.get(pk=before.pk)
    assert (after.address, after.seal.name) == (before.address, before.seal.name)
    assert not events_of(lixia).filter(kind="commission.document_settings_changed").exists()


def test_an_oversized_seal_is_refused_on_the_page(login, lixia_admin):
    lixia = factories.commission("370102")
    response = login(lixia_admin).post(
        _url("settings-edit", lixia.pk),
        {**FORM, "seal": upload(b"\x89PNG" + b"\x00" * (2 * 1024 * 1024 + 1))},
    )
    assert response.status_code == 400
    assert not profile_of(lixia).seal


def test_the_seal_preview_is_the_drawn_seal_until_one_is_uploaded(login, lixia_admin):
    from zhongcai.documents.seal import drawn_seal

    lixia = factories.commission("370102")
    seal = login(lixia_admin).get(_url("seal-image", lixia.pk))
    assert seal.content == drawn_seal(profile_of(lixia).document_name or lixia.name)


def test_a_city_admin_sees_but_does_not_change_a_county_commission(login, jinan_admin):
    lixia = factories.commission("370102")
    client = login(jinan_admin)
    assert client.get(_url("settings-edit", lixia.pk)).status_code == 403
    assert client.post(_url("settings-edit", lixia.pk), FORM).status_code == 403
    assert client.get(_url("seal-image", lixia.pk)).status_code == 403


def test_another_countys_commission_is_404(login, lixia_admin):
    licheng = factories.commission("370112")
    assert login(lixia_admin).get(_url("settings-edit", licheng.pk)).status_code == 404
    assert login(lixia_admin).get(_url("seal-image", licheng.pk)).status_code == 404


def test_case_staff_have_no_document_settings(login, lixia_head):
    assert login(lixia_head).get(_url("settings")).status_code == 403


# --- Downloads ----------------------------------------------------------------------------------


def test_staff_download_the_pdf_and_docx_named_after_the_case(login, lixia_clerk, case, faked):
    document = issue_notice(case, lixia_clerk)
    client = login(lixia_clerk)
    pdf = client.get(_url("document-pdf", document.pk))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    name = f"{case.case_number} 受理通知书"
    assert f"filename*=utf-8''{quote(name + '.pdf')}" in pdf["Content-Disposition"]
    docx = client.get(_url("document-docx", document.pk))
    assert docx["Content-Disposition"].endswith(quote(name + ".docx"))
    rendition = Rendition.objects.get(document=document)
    assert b"".join(pdf.streaming_content) == rendition.pdf.open("rb").read()
    assert b"".join(docx.streaming_content) == rendition.docx.open("rb").read()
    # Produced on the first download, once.
    client.get(_url("document-pdf", document.pk))
    assert faked == [rendition.pk]
    assert events_of(case).filter(kind="document.produced").count() == 1


def test_another_countys_clerk_gets_404(login, licheng_intake, case, lixia_clerk, faked):
    document = issue_notice(case, lixia_clerk)
    client = login(licheng_intake)
    assert client.get(_url("document-pdf", document.pk)).status_code == 404
    assert client.get(_url("document-docx", document.pk)).status_code == 404
    assert faked == []


def test_an_uploaded_document_serves_its_file(login, lixia_clerk, case):
    document = CaseDocument(
        case=case, kind=DocumentKind.DEFENCE, title="答辩书", issued_at=timezone.now()
    )
    document.file.save("defence.pdf", ContentFile(b"%PDF-1.4 the party's own"), save=False)
    document.save()
    client = login(lixia_clerk)
    response = client.get(_url("document-pdf", document.pk))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 the party's own"
    assert quote(f"{case.case_number} 答辩书.pdf") in response["Content-Disposition"]
    assert client.get(_url("document-docx", document.pk)).status_code == 404


def test_the_case_page_links_each_documents_files(login, lixia_clerk, case):
    page = login(lixia_clerk).get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    notice = case.documents.get(kind=DocumentKind.ACCEPTANCE_NOTICE)
    assert _url("document-pdf", notice.pk) in page
    assert _url("document-docx", notice.pk) in page


# --- The API ------------------------------------------------------------------------------------


def _online_case(worker, intake, head):
    from zhongcai.cases import services
    from zhongcai.cases.models import Channel

    draft = services.case_create(
        by=worker,
        commission=factories.commission(),
        channel=Channel.ONLINE,
        data=factories.application(),
    )
    return services.case_accept(
        by=head, case=services.case_submit(by=worker, case=draft), warnings_acknowledged=True
    )


def test_the_api_lists_download_urls_and_a_party_downloads_the_main_volume(
    institutions, worker_demo, lixia_intake, lixia_head, faked
):
    case = _online_case(worker_demo, lixia_intake, lixia_head)
    url = reverse("api:case-documents", args=[case.pk])
    staff = {d["id"]: d for d in _api(lixia_head).get(url).json()}
    party = {d["id"]: d for d in _api(worker_demo).get(url).json()}
    notice = case.documents.get(kind=DocumentKind.ACCEPTANCE_NOTICE)
    secondary = case.documents.filter(volume=Volume.SECONDARY).first()
    assert secondary is not None and secondary.pk in staff and secondary.pk not in party
    assert party[notice.pk]["pdf_url"].endswith(f"/documents/{notice.pk}/pdf/")
    # The Word file is the office's working copy: staff only.
    assert party[notice.pk]["docx_url"] is None
    assert staff[notice.pk]["docx_url"].endswith(f"/documents/{notice.pk}/docx/")
    docx = reverse("api:case-document-file", args=[case.pk, notice.pk, "docx"])
    assert _api(worker_demo).get(docx).status_code == 404

    download = _api(worker_demo).get(party[notice.pk]["pdf_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert quote(f"{case.case_number} ") in download["Content-Disposition"]
    # The secondary volume is not the party's to read (办案规则 art. 23): like a missing one.
    assert _api(worker_demo).get(staff[secondary.pk]["pdf_url"]).status_code == 404
    assert _api(lixia_head).get(staff[secondary.pk]["pdf_url"]).status_code == 200


def test_the_api_download_is_404_for_another_county(
    institutions, worker_demo, lixia_intake, lixia_head, licheng_intake, faked
):
    case = _online_case(worker_demo, lixia_intake, lixia_head)
    notice = case.documents.get(kind=DocumentKind.ACCEPTANCE_NOTICE)
    url = reverse("api:case-document-file", args=[case.pk, notice.pk, "pdf"])
    assert _api(licheng_intake).get(url).status_code == 404
    other = reverse("api:case-document-file", args=[case.pk, notice.pk, "odt"])
    assert _api(lixia_head).get(other).status_code == 404
    assert faked == []
