"""Digital signatures on issued PDFs (PAdES), and checking an issued file against the event log.

Each commission signs its documents with its own certificate and key (``certificates``).
``verify_document`` answers "is this file what the commission issued?": the PDF's signature must
verify and cover the whole file, and the file's SHA-256 must be the one that the case's
``document.produced`` event recorded, in an event chain that is intact.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from asn1crypto import cms as asn1_cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from zhongcai.orgs.models import Organisation

from . import der as der_checks
from .certificates import (
    certificates,
    common_name,
    demo_ca,
    identity_for,
    private_key,
    subject_of,
    trust_roots,
)

__all__ = [
    "Report",
    "Verification",
    "demo_ca",
    "identity_for",
    "sign_pdf",
    "verify_document",
    "verify_pdf",
]

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "CommissionSignature"
# Either usage makes a document-signing certificate; CAs issue one or both.
SIGNING_KEY_USAGES = frozenset({"digital_signature", "non_repudiation"})


# --- Signing ----------------------------------------------------------------------------------


T = TypeVar("T")


def _outside_event_loop(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call one of pyHanko's synchronous entry points, which run their own event loop.

    Called from a thread that already runs a loop (an ASGI view, a Playwright-driven test), it
    runs in a worker thread instead, where ``asyncio.run`` is allowed.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def sign_pdf(
    pdf: bytes, commission: Organisation, *, reason: str = "", location: str = ""
) -> bytes:
    """Sign ``pdf`` as ``commission``: PAdES baseline B-B, an invisible signature field.

    SubFilter ETSI.CAdES.detached, SHA-256, the signer's certificate and its chain up to (not
    including) the root embedded. Nothing is fetched from the network: no timestamp, no OCSP or
    CRL. B-T and the long-term levels (B-LT, B-LTA) need a timestamp authority (TSA) that the
    province provides; until then the time of signing is proved by the case's event log, which
    records the file's SHA-256 when it is produced.
    """
    identity = identity_for(commission)
    cert, *chain = certificates(identity)
    key = private_key(identity)
    signer = signers.SimpleSigner(
        signing_cert=_asn1_cert(cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in chain]),
        # The root comes from the verifier's trust store, never from the file.
        embed_roots=False,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        name=common_name(cert),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    output = _outside_event_loop(
        signers.sign_pdf,
        writer,
        meta,
        signer=signer,
        new_field_spec=fields.SigFieldSpec(sig_field_name=SIGNATURE_FIELD),
    )
    return output.getvalue()


# --- Verifying --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What a PDF's signature says, with the problems in words a clerk can act on."""

    signed: bool
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    signed_at: dt.datetime | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.signed
            and self.intact
            and self.valid
            and self.trusted
            and self.whole_file
            and not self.problems
        )


def _contents_as_written(data: bytes, embedded: EmbeddedPdfSignature) -> bool:
    """Whether the /Contents hole holds exactly one strict CMS value, zero-padded, in hex.

    The byte range digest leaves the hole out, a CMS parser stops at the end of the structure,
    and the signature covers only the signed attributes: without this, a changed padding byte,
    length or version would go unnoticed (see ``der``).
    """
    try:
        _, start_len, end_start, _ = (int(v) for v in embedded.byte_range)
        raw = embedded.pkcs7_content
        content = asn1_cms.ContentInfo.load(raw)
        der = content.dump()
    except (TypeError, ValueError):
        return False
    if raw[: len(der)] != der or raw[len(der) :].strip(b"\x00"):
        return False
    if not (der_checks.strict_der(der) and der_checks.conforms(content)):
        return False
    hole = data[start_len:end_start]
    return hole in (b"<" + raw.hex().encode() + b">", b"<" + raw.hex().upper().encode() + b">")


def _subject_text(cert: asn1_x509.Certificate) -> str:
    try:
        return subject_of(x509.load_der_x509_certificate(cert.dump()))
    except ValueError:  # cryptography is stricter than asn1crypto about some old certificates
        return str(cert.subject.human_friendly)


def _signed_at(status: PdfSignatureStatus) -> dt.datetime | None:
    value = getattr(status, "signer_reported_dt", None)
    return value if isinstance(value, dt.datetime) else None


def verify_pdf(data: bytes, *, at: dt.datetime | None = None) -> Verification:
    """Check the signature(s) of a PDF: intact, valid, from a trusted CA, covering every byte.

    ``at``: the moment at which the certificates must have been valid — the time the event log
    recorded for the file when there is one (a B-B signature carries no trusted time of its
    own); otherwise now.
    """
    if not data.startswith(b"%PDF-"):
        return Verification(signed=False, problems=[_("The file is not a PDF.")])
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except Exception as exc:  # a damaged file may fail anywhere in the parser
        logger.info("Unreadable PDF: %s", exc)
        return Verification(signed=False, problems=[_("The file is damaged: it cannot be read.")])
    if not embedded:
        return Verification(signed=False, problems=[_("The file has no digital signature.")])

    roots = [_asn1_cert(c) for c in trust_roots()]
    problems: list[str] = []
    intact = valid = trusted = True
    signer = ""
    signed_at: dt.datetime | None = None
    for index, signature in enumerate(embedded):
        context = ValidationContext(
            trust_roots=roots,
            allow_fetching=False,
            revocation_mode="soft-fail",
            moment=at,
        )
        try:
            status = _outside_event_loop(
                validate_pdf_signature,
                signature,
                signer_validation_context=context,
                key_usage_settings=KeyUsageConstraints(key_usage=set(SIGNING_KEY_USAGES)),
                skip_diff=True,
            )
        except Exception as exc:  # a damaged signature may fail anywhere in the parser
            logger.info("Unreadable signature: %s", exc)
            problems.append(_("The signature is damaged: it cannot be checked."))
            intact = valid = trusted = False
            continue
        if index == 0:
            signer = _subject_text(status.signing_cert)
            signed_at = _signed_at(status)
        if not status.intact:
            intact = valid = False
            problems.append(_("The file was changed after it was signed."))
        elif not status.valid:
            valid = False
            problems.append(_("The signature does not match the signer's certificate."))
        elif not _contents_as_written(data, signature):
            intact = valid = False
            problems.append(_("The signature was changed after it was made."))
        if not status.trusted:
            trusted = False
        if not status.trusted and status.intact and status.valid:
            problems.append(
                _(
                    "The signer's certificate is not trusted here: it is not issued by a "
                    "certificate authority this server trusts, or it was not valid at the time."
                )
            )
    last = embedded[-1]
    try:
        whole_file = last.evaluate_signature_coverage() == SignatureCoverageLevel.ENTIRE_FILE
    except Exception:  # as above
        whole_file = False
    if not whole_file:
        problems.append(_("The file was changed or added to after it was signed."))
    return Verification(
        signed=True,
        intact=intact,
        valid=valid,
        trusted=trusted,
        whole_file=whole_file,
        signer=signer,
        signed_at=signed_at,
        problems=list(dict.fromkeys(problems)),
    )


@dataclass(frozen=True)
class Report:
    """Whether a file is a document the platform issued, as issued."""

    ok: bool
    sha256: str
    signature: Verification
    document: int | None = None
    document_title: str = ""
    document_number: str = ""
    case: int | None = None
    case_number: str = ""
    template: str = ""
    produced_at: dt.datetime | None = None
    problems: list[str] = field(default_factory=list)


def verify_document(data: bytes) -> Report:
    """Check a file against its signature and the case event log that recorded its SHA-256."""
    from django.contrib.contenttypes.models import ContentType

    from zhongcai.cases.models import Case, CaseDocument
    from zhongcai.core.events import verify_chains
    from zhongcai.core.models import Event

    sha = hashlib.sha256(data).hexdigest()
    event = (
        Event.objects.filter(kind="document.produced", payload__pdf_sha256=sha)
        .order_by("pk")
        .first()
    )
    if event is None:
        signature = verify_pdf(data)
        problems = [
            *signature.problems,
            _("No issued document has this file's SHA-256 in the event log."),
        ]
        return Report(ok=False, sha256=sha, signature=signature, problems=problems)

    payload = event.payload
    expect_signed = bool(payload.get("signed", True))
    signature = verify_pdf(data, at=event.at)
    problems: list[str] = []
    if expect_signed or signature.signed:
        problems.extend(signature.problems)

    chain = Event.objects.filter(subject_type=event.subject_type, subject_id=event.subject_id)
    if any(True for _link in verify_chains(chain)):
        problems.append(_("The event log of the case is broken: the record cannot be trusted."))

    case = None
    if event.subject_type_id == ContentType.objects.get_for_model(Case).pk:
        case = Case.objects.filter(pk=event.subject_id).first()
    document = CaseDocument.objects.filter(pk=payload.get("document")).first()
    if case is None or document is None or document.case_id != case.pk:
        problems.append(_("The case or document that the event log names no longer exists."))
    return Report(
        ok=not problems,
        sha256=sha,
        signature=signature,
        document=payload.get("document"),
        document_title=document.title if document else "",
        document_number=document.number if document else "",
        case=case.pk if case else None,
        case_number=case.case_number if case else "",
        template=str(payload.get("template", "")),
        produced_at=event.at,
        problems=problems,
    )
