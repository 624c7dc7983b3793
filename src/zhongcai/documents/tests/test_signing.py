"""Digital signatures on issued PDFs, and checking a file against the case's event log."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfWriter

from zhongcai.cases.models import CaseDocument, DocumentKind
from zhongcai.cases.tests import factories
from zhongcai.core.events import events_of, record_event
from zhongcai.core.models import Event
from zhongcai.documents import certificates as certs
from zhongcai.documents import der, signing
from zhongcai.documents.models import SigningIdentity


@pytest.fixture(scope="module")
def blank_pdf() -> bytes:
    """A one-page PDF, made without rendering (fast)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def lixia(province):
    return factories.commission("370102")


@pytest.fixture
def signed(blank_pdf, lixia) -> bytes:
    return signing.sign_pdf(blank_pdf, lixia, reason="受理通知书 测试")


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def contents_hole(data: bytes) -> tuple[int, int]:
    """Where the signature's /Contents hex string lies in the file."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    embedded = PdfFileReader(io.BytesIO(data)).embedded_regular_signatures[0]
    _, start_len, end_start, _ = (int(v) for v in embedded.byte_range)
    return start_len, end_start


def cms_of(data: bytes):
    from asn1crypto import cms
    from pyhanko.pdf_utils.reader import PdfFileReader

    embedded = PdfFileReader(io.BytesIO(data)).embedded_regular_signatures[0]
    return cms.ContentInfo.load(embedded.pkcs7_content)


# --- Certificates -----------------------------------------------------------------------------


def make_ca(name: str = "Other Root CA") -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = timezone.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def make_signer(
    ca: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    *,
    name: str = "济南市历下区劳动人事争议仲裁委员会",
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    ca_flag: bool = False,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = timezone.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - dt.timedelta(days=1))
        .not_valid_after(not_after or now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca_flag, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca_flag,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


# --- Signing ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_signed_pdf_verifies(signed, lixia):
    result = signing.verify_pdf(signed)

    assert result.ok, result.problems
    assert (result.signed, result.intact, result.valid, result.trusted, result.whole_file) == (
        True,
        True,
        True,
        True,
        True,
    )
    assert certs.commission_name(lixia) in result.signer
    assert result.signed_at is not None
    assert abs(result.signed_at - timezone.now()) < dt.timedelta(minutes=5)
    assert b"/ETSI.CAdES.detached" in signed
    assert result.problems == []


@pytest.mark.django_db
def test_the_signature_field_is_invisible(signed):
    from pyhanko.pdf_utils.reader import PdfFileReader

    embedded = PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures[0]
    assert embedded.field_name == signing.SIGNATURE_FIELD
    widget = embedded.sig_field
    rect = [float(v) for v in widget.get("/Rect", [0, 0, 0, 0])]
    assert rect[2] - rect[0] == 0 and rect[3] - rect[1] == 0


@pytest.mark.django_db
def test_it_makes_the_demo_ca_and_one_signer_per_commission(blank_pdf, lixia):
    signing.sign_pdf(blank_pdf, lixia)
    signing.sign_pdf(blank_pdf, lixia)

    ca = signing.demo_ca()
    assert ca.is_ca and ca.organisation is None
    assert certs.DEMO_CA_NAME in ca.subject
    signer = signing.identity_for(lixia)
    assert SigningIdentity.objects.filter(organisation=lixia, is_ca=False).count() == 1
    assert SigningIdentity.objects.filter(organisation=None, is_ca=True).count() == 1
    cert, ca_cert = certs.certificates(signer)
    assert ca_cert.subject == cert.issuer
    name = certs.commission_name(lixia)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == name
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == name
    assert cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "CN"
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert dt.timedelta(days=365 * 3) <= lifetime <= dt.timedelta(days=365 * 3 + 2)
    ca_lifetime = ca_cert.not_valid_after_utc - ca_cert.not_valid_before_utc
    assert ca_lifetime >= dt.timedelta(days=3650)
    # The keys are kept encrypted with DOCUMENTS_KEY_PASSPHRASE.
    assert "ENCRYPTED PRIVATE KEY" in signer.key_pem
    assert "ENCRYPTED PRIVATE KEY" in ca.key_pem


@pytest.mark.django_db
def test_an_expired_signer_is_replaced(blank_pdf, lixia):
    first = signing.identity_for(lixia)
    with time_machine.travel(first.not_after + dt.timedelta(days=1), tick=False):
        second = signing.identity_for(lixia)
        assert second.pk != first.pk
        assert signing.verify_pdf(signing.sign_pdf(blank_pdf, lixia)).ok
    first.refresh_from_db()
    assert not first.active
    assert second.active


@pytest.mark.django_db
def test_without_the_demo_ca_it_asks_for_an_imported_certificate(blank_pdf, lixia, settings):
    settings.DOCUMENTS_DEMO_CA = False

    with pytest.raises(ImproperlyConfigured, match="import_signing_certificate"):
        signing.sign_pdf(blank_pdf, lixia)
    assert not SigningIdentity.objects.exists()


@pytest.mark.django_db
def test_the_demo_ca_is_not_trusted_once_it_is_off(signed, settings):
    settings.DOCUMENTS_DEMO_CA = False

    result = signing.verify_pdf(signed)

    assert result.intact and result.valid and not result.trusted
    assert not result.ok


# --- Tampering --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "where",
    ["start", "middle", "contents_start", "contents_middle", "contents_padding", "near_end"],
)
def test_any_flipped_byte_fails(signed, where):
    start, _ = contents_hole(signed)
    der_length = len(cms_of(signed).dump())
    position = {
        "start": 20,
        "middle": start // 2,
        "contents_start": start + 1 + 10,
        "contents_middle": start + 1 + der_length,  # hex digits: the middle of the DER
        "contents_padding": start + 1 + 2 * der_length + 40,
        "near_end": len(signed) - 30,
    }[where]

    result = signing.verify_pdf(flip(signed, position))

    assert not result.ok
    assert result.problems


@pytest.mark.django_db
def test_the_parts_of_the_signature_no_digest_covers_are_checked(signed):
    """Lengths, versions and the digest algorithm list of the CMS: RFC 5652 and DER hold them."""
    start, _ = contents_hole(signed)
    content = cms_of(signed)
    der = content.dump()
    info = content["content"]["signer_infos"][0]
    regions = [
        (0, 45),  # ContentInfo and SignedData headers, version, digestAlgorithms
        (der.index(info.dump()), 6),  # SignerInfo header and version
        (der.index(info["digest_algorithm"].dump()), 15),  # its digest algorithm
    ]
    for offset, length in regions:
        for byte in range(offset, offset + length):
            for digit in (0, 1):
                position = start + 1 + 2 * byte + digit
                assert not signing.verify_pdf(flip(signed, position)).ok, (byte, digit)


def test_strict_der_refuses_padding_and_long_lengths():
    assert der.strict_der(bytes.fromhex("3003020101"))
    assert not der.strict_der(bytes.fromhex("30050201010000"))  # zeros swallowed by a length
    assert not der.strict_der(bytes.fromhex("308103020101"))  # a length longer than needed
    assert not der.strict_der(bytes.fromhex("3080020101 0000".replace(" ", "")))  # indefinite
    assert not der.strict_der(bytes.fromhex("3003020101 00".replace(" ", "")))  # trailing


@pytest.mark.django_db
def test_appended_bytes_fail_whole_file(signed):
    result = signing.verify_pdf(signed + b"\n%% appended after signing\n")

    assert not result.whole_file
    assert not result.ok


@pytest.mark.django_db
def test_an_incremental_update_fails_whole_file(signed):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/ZhongcaiNote"] = generic.TextStringObject("changed after signing")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)

    result = signing.verify_pdf(out.getvalue())

    assert result.intact  # the signed revision itself is untouched ...
    assert not result.whole_file  # ... but something was added after it
    assert not result.ok


@pytest.mark.django_db
def test_a_certificate_from_another_ca_is_not_trusted(blank_pdf, lixia):
    other_ca, other_key = make_ca()
    cert, key = make_signer(other_ca, other_key)
    certs.identity_row(cert, chain=[other_ca], key=key, organisation=lixia, is_ca=False).save()

    result = signing.verify_pdf(signing.sign_pdf(blank_pdf, lixia))

    assert result.intact and result.valid and result.whole_file
    assert not result.trusted
    assert not result.ok


@pytest.mark.django_db
def test_an_unsigned_pdf_and_a_non_pdf_fail(blank_pdf):
    unsigned = signing.verify_pdf(blank_pdf)
    assert not unsigned.signed and not unsigned.ok
    not_pdf = signing.verify_pdf(b"PK\x03\x04 a zip file")
    assert not not_pdf.signed and not not_pdf.ok
    broken = signing.verify_pdf(b"%PDF-1.7\n garbage")
    assert not broken.ok


# --- Against the event log --------------------------------------------------------------------


def issue(case, pdf: bytes, *, signed: bool = True) -> CaseDocument:
    """A document of ``case`` whose production the event log records with ``pdf``'s digest."""
    document = CaseDocument.objects.create(
        case=case,
        kind=DocumentKind.ACCEPTANCE_NOTICE,
        title="受理通知书",
        number=case.case_number or "历下劳人仲案字〔2026〕第1号",
        issued_at=timezone.now(),
    )
    with transaction.atomic():
        record_event(
            case,
            "document.produced",
            actor=None,
            organisation=case.commission,
            payload={
                "document": document.pk,
                "template": "acceptance_notice",
                "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
                "signed": signed,
            },
        )
    return document


@pytest.fixture
def case(lixia_intake):
    return factories.draft(lixia_intake)


@pytest.mark.django_db
def test_a_produced_document_verifies_against_its_event(case):
    """The real path: frozen content, rendered, sealed, signed, recorded (one PDF render)."""
    from zhongcai.documents.compose import freeze
    from zhongcai.documents.services import produce

    document = CaseDocument.objects.create(
        case=case,
        kind=DocumentKind.ACCEPTANCE_NOTICE,
        title="受理通知书",
        number="历下劳人仲案字〔2026〕第9号",
        data={"evidence_days": 15, "accepted_on": timezone.localdate().isoformat()},
        issued_at=timezone.now(),
    )
    rendition = produce(freeze(document, "acceptance_notice").pk)
    pdf = rendition.pdf.open("rb").read()
    assert rendition.signed

    report = signing.verify_document(pdf)

    assert report.ok, report.problems
    assert report.document == document.pk
    assert report.template == "acceptance_notice"
    assert report.case == case.pk
    assert report.signature.trusted and report.signature.whole_file
    assert not signing.verify_document(flip(pdf, len(pdf) // 2)).ok


@pytest.mark.django_db
def test_verify_document_finds_the_case_and_document(case, signed):
    document = issue(case, signed)

    report = signing.verify_document(signed)

    assert report.ok, report.problems
    assert (report.document, report.case, report.template) == (
        document.pk,
        case.pk,
        "acceptance_notice",
    )
    assert report.case_number == case.case_number
    assert report.document_number == document.number
    assert report.sha256 == hashlib.sha256(signed).hexdigest()


@pytest.mark.django_db
def test_a_file_the_log_does_not_know_fails(case, signed):
    issue(case, signed)

    report = signing.verify_document(signed + b"\n")

    assert not report.ok
    assert _("No issued document has this file's SHA-256 in the event log.") in report.problems


@pytest.mark.django_db
def test_a_broken_event_chain_fails(case, signed):
    issue(case, signed)
    first = events_of(case).first()
    Event.objects.filter(pk=first.pk).update(payload={"rewritten": True})

    report = signing.verify_document(signed)

    assert not report.ok
    assert (
        _("The event log of the case is broken: the record cannot be trusted.") in report.problems
    )


@pytest.mark.django_db
def test_an_unsigned_document_verifies_by_its_digest(case, blank_pdf):
    issue(case, blank_pdf, signed=False)

    report = signing.verify_document(blank_pdf)

    assert report.ok, report.problems
    assert not report.signature.signed


# --- manage.py verify_document ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_reports_ok_for_an_issued_file(case, signed, tmp_path):
    document = issue(case, signed)
    path = tmp_path / "notice.pdf"
    path.write_bytes(signed)
    out = io.StringIO()

    call_command("verify_document", str(path), stdout=out)

    text = out.getvalue()
    assert str(path) in text
    assert _("OK %(file)s") % {"file": path} in text
    assert document.number in text
    assert certs.commission_name(case.commission) in text


@pytest.mark.django_db
def test_the_command_fails_a_tampered_file(case, signed, tmp_path):
    issue(case, signed)
    good = tmp_path / "good.pdf"
    good.write_bytes(signed)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(flip(signed, 200))  # in the page tree, before the signature
    out = io.StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("verify_document", str(good), str(bad), stdout=out)

    text = out.getvalue()
    assert _("OK %(file)s") % {"file": good} in text
    assert _("FAILED %(file)s") % {"file": bad} in text
    assert _("The file was changed after it was signed.") in text
    assert str(failure.value) == _("%(failed)d of %(total)d file(s) failed verification.") % {
        "failed": 1,
        "total": 2,
    }


@pytest.mark.django_db
def test_the_command_explains_a_missing_file_and_a_non_pdf(tmp_path):
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a pdf")
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("verify_document", str(tmp_path / "missing.pdf"), str(text_file), stdout=out)

    text = out.getvalue()
    assert _("No such file.") in text
    assert _("The file is not a PDF.") in text


@pytest.mark.django_db
def test_the_command_exits_non_zero(case, signed, tmp_path):
    """Run as an operator would: the exit status says whether the file passed."""
    from django.core.management import execute_from_command_line

    issue(case, signed)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(signed[:-40] + b"%%EOF\n")
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "verify_document", str(bad)])
    assert exited.value.code != 0


# --- manage.py import_signing_certificate -----------------------------------------------------


def pkcs12_file(tmp_path, cert, key, cas=(), passphrase: bytes | None = b"s3cret"):
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    path = tmp_path / "commission.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(b"commission", key, cert, list(cas), encryption)
    )
    return path


@pytest.fixture
def production_ca():
    return make_ca("Shandong Test CA")


def import_command(lixia, path, *extra, stdout=None, stderr=None):
    call_command(
        "import_signing_certificate",
        "--commission",
        str(lixia.pk),
        "--pkcs12",
        str(path),
        "--passphrase-env",
        "ZC_P12_PASSPHRASE",
        *extra,
        stdout=stdout or io.StringIO(),
        stderr=stderr or io.StringIO(),
    )


@pytest.mark.django_db
def test_it_imports_a_commission_certificate(
    blank_pdf, lixia, production_ca, tmp_path, monkeypatch
):
    monkeypatch.setenv("ZC_P12_PASSPHRASE", "s3cret")
    before = signing.sign_pdf(blank_pdf, lixia)  # with the demo CA's certificate
    demo = signing.identity_for(lixia)
    ca, ca_key = production_ca
    cert, key = make_signer(ca, ca_key)
    out = io.StringIO()

    import_command(lixia, pkcs12_file(tmp_path, cert, key, [ca]), stdout=out)

    demo.refresh_from_db()
    assert not demo.active
    imported = signing.identity_for(lixia)
    assert imported.pk != demo.pk
    assert certs.certificates(imported)[0] == cert
    assert "ENCRYPTED PRIVATE KEY" in imported.key_pem
    root = SigningIdentity.objects.get(is_ca=True, organisation=lixia)
    assert certs.certificates(root) == [ca]
    assert root.key_pem == ""
    assert imported.serial in out.getvalue()

    after = signing.verify_pdf(signing.sign_pdf(blank_pdf, lixia))
    assert after.ok, after.problems
    assert "济南市历下区劳动人事争议仲裁委员会" in after.signer
    # What the old certificate signed still verifies.
    assert signing.verify_pdf(before).ok


@pytest.mark.django_db
def test_a_root_can_be_given_apart(lixia, production_ca, tmp_path, monkeypatch):
    monkeypatch.setenv("ZC_P12_PASSPHRASE", "s3cret")
    ca, ca_key = production_ca
    cert, key = make_signer(ca, ca_key)
    path = pkcs12_file(tmp_path, cert, key)
    err = io.StringIO()

    import_command(lixia, path, stderr=err)
    assert "--ca-certificate" in err.getvalue()  # warned: nothing makes it trusted yet

    root_file = tmp_path / "root.pem"
    root_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    err = io.StringIO()
    import_command(lixia, path, "--ca-certificate", str(root_file), stderr=err)
    assert err.getvalue() == ""
    assert SigningIdentity.objects.filter(is_ca=True, organisation=lixia).count() == 1


def _expired(ca, ca_key):
    now = timezone.now()
    return make_signer(
        ca, ca_key, not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=1)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "problem",
    [
        "wrong_passphrase",
        "not_pkcs12",
        "missing_file",
        "expired",
        "ca_certificate",
        "unknown_commission",
        "not_a_commission",
        "unset_variable",
    ],
)
def test_a_bad_import_writes_nothing(
    problem, lixia, production_ca, tmp_path, monkeypatch, province_admin
):
    monkeypatch.setenv("ZC_P12_PASSPHRASE", "s3cret")
    signing.identity_for(lixia)
    rows = list(SigningIdentity.objects.values_list("pk", "active"))
    ca, ca_key = production_ca
    cert, key = make_signer(ca, ca_key)
    path = pkcs12_file(tmp_path, cert, key, [ca])
    commission_id = lixia.pk
    if problem == "wrong_passphrase":
        monkeypatch.setenv("ZC_P12_PASSPHRASE", "wrong")
    elif problem == "not_pkcs12":
        path.write_bytes(b"-----BEGIN CERTIFICATE-----\nnot really\n")
    elif problem == "missing_file":
        path = tmp_path / "nowhere.p12"
    elif problem == "expired":
        path = pkcs12_file(tmp_path, *_expired(ca, ca_key), [ca])
    elif problem == "ca_certificate":
        path = pkcs12_file(tmp_path, *make_signer(ca, ca_key, ca_flag=True), [ca])
    elif problem == "unknown_commission":
        commission_id = 10**9
    elif problem == "not_a_commission":
        commission_id = province_admin.organisation_id
    elif problem == "unset_variable":
        monkeypatch.delenv("ZC_P12_PASSPHRASE")

    with pytest.raises(CommandError) as failure:
        call_command(
            "import_signing_certificate",
            "--commission",
            str(commission_id),
            "--pkcs12",
            str(path),
            "--passphrase-env",
            "ZC_P12_PASSPHRASE",
            stdout=io.StringIO(),
        )

    assert str(failure.value)
    assert list(SigningIdentity.objects.values_list("pk", "active")) == rows
