"""The commissions' signing certificates and keys, kept on the server (``SigningIdentity``).

A production deployment imports each commission's certificate from a lawful electronic
certification service provider (``manage.py import_signing_certificate``; 电子签名法 arts. 13,
16-17: only such a certificate makes a reliable electronic signature). The embedded default
(``DOCUMENTS_DEMO_CA``) makes a demo root CA on first use and issues each commission a
certificate from it; the CA says in its name that it has no legal effect. Private keys are stored
encrypted with ``DOCUMENTS_KEY_PASSPHRASE``.
"""

from __future__ import annotations

import datetime as dt
import logging
import zlib
from collections.abc import Iterable, Sequence

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhongcai.orgs.models import Organisation

from .models import SigningIdentity

logger = logging.getLogger(__name__)

DEMO_CA_NAME = "Zhongcai Demo CA (演示用，不具法律效力)"
# ECDSA P-256 with SHA-256: a PAdES baseline algorithm that common PDF readers check, and quick
# to make (a key per commission on first use).
KEY_CURVE = ec.SECP256R1()
CA_YEARS = 10
SIGNER_YEARS = 3


# --- Keys and certificates ------------------------------------------------------------------


def _passphrase() -> bytes:
    passphrase = settings.DOCUMENTS_KEY_PASSPHRASE
    if not passphrase:
        raise ImproperlyConfigured("DOCUMENTS_KEY_PASSPHRASE (or SECRET_KEY) must be set.")
    return str(passphrase).encode("utf-8")


def encrypt_key(key: CertificateIssuerPrivateKeyTypes) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_passphrase()),
    ).decode("ascii")


def private_key(identity: SigningIdentity) -> CertificateIssuerPrivateKeyTypes:
    if not identity.key_pem:
        raise ImproperlyConfigured(f"The certificate {identity} has no private key on this server.")
    try:
        key = serialization.load_pem_private_key(identity.key_pem.encode(), password=_passphrase())
    except (ValueError, TypeError) as exc:
        # Most likely DOCUMENTS_KEY_PASSPHRASE (or SECRET_KEY) changed since the key was stored.
        raise ImproperlyConfigured(
            f"The private key of {identity} cannot be decrypted with DOCUMENTS_KEY_PASSPHRASE."
        ) from exc
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ImproperlyConfigured(f"The key of {identity} is neither RSA nor EC.")
    return key


def certificates(identity: SigningIdentity) -> list[x509.Certificate]:
    """The identity's certificate first, then the rest of its chain as stored."""
    return x509.load_pem_x509_certificates(identity.certificate_pem.encode())


def pem_of(certs: Iterable[x509.Certificate]) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in certs)


def subject_of(cert: x509.Certificate) -> str:
    return cert.subject.rfc4514_string()


def common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else subject_of(cert)


def is_self_signed(cert: x509.Certificate) -> bool:
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def identity_row(
    cert: x509.Certificate,
    *,
    chain: Sequence[x509.Certificate] = (),
    key: CertificateIssuerPrivateKeyTypes | None,
    organisation: Organisation | None,
    is_ca: bool,
) -> SigningIdentity:
    """An unsaved row for ``cert`` (followed by ``chain`` in its PEM)."""
    return SigningIdentity(
        organisation=organisation,
        is_ca=is_ca,
        subject=subject_of(cert)[:200],
        serial=format(cert.serial_number, "x")[:64],
        certificate_pem=pem_of([cert, *chain]),
        key_pem=encrypt_key(key) if key is not None else "",
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        active=True,
    )


def _now() -> dt.datetime:
    # Certificates carry whole seconds; a not-before in the future by a fraction of a second
    # would make a fresh certificate "not yet valid".
    return timezone.now().replace(microsecond=0)


def _name(common: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, common[:64]),
        ]
    )


def _lock(name: str) -> None:
    """Serialize the creation of one thing across processes for this transaction.

    PostgreSQL: an advisory lock. SQLite (the embedded default) runs each transaction
    IMMEDIATE, so writers are serialized already.
    """
    if connection.vendor == "postgresql":
        key = zlib.crc32(name.encode()) - 2**31
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _usable(rows: QuerySet[SigningIdentity], now: dt.datetime) -> SigningIdentity | None:
    return rows.filter(active=True, not_before__lte=now, not_after__gt=now).order_by("pk").first()


def demo_ca() -> SigningIdentity:
    """The demo root CA, made on first use (and again once it has expired).

    Only with ``DOCUMENTS_DEMO_CA``: a production deployment signs with the certificates that
    its commissions import, and must never fall back to this one.
    """
    if not settings.DOCUMENTS_DEMO_CA:
        raise ImproperlyConfigured(
            "The demo certificate authority is off (DOCUMENTS_DEMO_CA=False): import the "
            "commission's signing certificate with `manage.py import_signing_certificate "
            "--commission ID --pkcs12 FILE`."
        )
    with transaction.atomic():
        _lock("zhongcai.documents.demo_ca")
        now = _now()
        # The oldest usable CA wins, so two processes never disagree on which one signs.
        found = _usable(SigningIdentity.objects.filter(organisation=None, is_ca=True), now)
        if found is not None:
            return found
        key = ec.generate_private_key(KEY_CURVE)
        name = _name(DEMO_CA_NAME, "Zhongcai")
        public = key.public_key()
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS + CA_YEARS // 4))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(cert_sign=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(key, hashes.SHA256())
        )
        ca = identity_row(cert, key=key, organisation=None, is_ca=True)
        ca.save()
        logger.warning("Created the demo signing CA %s: documents signed with it are demos.", ca)
        return ca


def _key_usage(*, cert_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def commission_name(commission: Organisation) -> str:
    from zhongcai.cases.numbering import profile_of

    return profile_of(commission).document_name or commission.name


def identity_for(commission: Organisation) -> SigningIdentity:
    """The commission's active, unexpired signing certificate; from the demo CA on first use.

    One active signer per commission: the commission's row is locked while it is looked up and
    made, and a new one deactivates those before it.
    """
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=commission.pk)
        now = _now()
        signers_of = SigningIdentity.objects.filter(organisation=commission, is_ca=False)
        # The newest imported or issued certificate is the one in force.
        found = (
            signers_of.filter(active=True, not_before__lte=now, not_after__gt=now)
            .order_by("-not_before", "-pk")
            .first()
        )
        if found is not None:
            return found
        ca = demo_ca()
        ca_cert = certificates(ca)[0]
        ca_key = private_key(ca)
        key = ec.generate_private_key(KEY_CURVE)
        name = commission_name(commission)
        public = key.public_key()
        not_after = min(
            now + dt.timedelta(days=365 * SIGNER_YEARS + 1), ca_cert.not_valid_after_utc
        )
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(name, name))
            .issuer_name(ca_cert.subject)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        signers_of.filter(active=True).update(active=False)
        identity = identity_row(
            cert, chain=[ca_cert], key=key, organisation=commission, is_ca=False
        )
        identity.save()
        return identity


def trust_roots() -> list[x509.Certificate]:
    """The CA certificates this server trusts: the demo CA (while it is on) and imported roots.

    A CA row that is no longer active still vouches for what it signed while it was.
    """
    rows = SigningIdentity.objects.filter(is_ca=True)
    if not settings.DOCUMENTS_DEMO_CA:
        rows = rows.exclude(organisation=None)
    roots: list[x509.Certificate] = []
    for row in rows.order_by("pk"):
        roots.extend(certificates(row)[:1])
    return roots
