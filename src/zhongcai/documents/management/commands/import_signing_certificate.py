"""``manage.py import_signing_certificate``: a commission's production signing certificate.

The commission's CA delivers the certificate and its private key as a PKCS#12 file. The key is
stored encrypted with ``DOCUMENTS_KEY_PASSPHRASE``; the commission's previous certificate stops
signing (documents it signed still verify). Self-signed certificates in the file, and those given
with ``--ca-certificate``, become trust roots for verification. Everything is checked before
anything is written.
"""

import os
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, pkcs12
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhongcai.documents.certificates import identity_row, is_self_signed, trust_roots
from zhongcai.documents.models import SigningIdentity
from zhongcai.orgs.models import Organisation


def _public(key: Any) -> bytes:
    return key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def _reaches_trust_root(cert: x509.Certificate, chain: list[x509.Certificate]) -> bool:
    roots = {root.subject for root in trust_roots()}
    issuers = {c.subject: c for c in chain}
    current = cert
    for _step in range(8):
        if current.issuer in roots:
            return True
        parent = issuers.get(current.issuer)
        if parent is None or parent == current:
            return False
        current = parent
    return False


def _read_certificates(path: Path) -> list[x509.Certificate]:
    data = path.read_bytes()
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


class Command(BaseCommand):
    help = (
        "Import a commission's signing certificate and private key from a PKCS#12 file; "
        "the commission's previous certificate stops signing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commission", type=int, required=True, help="The commission's id.")
        parser.add_argument("--pkcs12", required=True, metavar="FILE", help="A .p12/.pfx file.")
        parser.add_argument(
            "--passphrase-env",
            metavar="VAR",
            help="The environment variable that holds the file's passphrase (none if omitted).",
        )
        parser.add_argument(
            "--ca-certificate",
            action="append",
            default=[],
            metavar="FILE",
            help="A root certificate (PEM or DER) to trust, when the PKCS#12 file lacks it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        commission = Organisation.objects.filter(
            pk=options["commission"], type=Organisation.Type.COMMISSION
        ).first()
        if commission is None:
            raise CommandError(
                _("There is no commission with id %(id)s.") % {"id": options["commission"]}
            )
        passphrase = None
        if options["passphrase_env"]:
            value = os.environ.get(options["passphrase_env"])
            if value is None:
                raise CommandError(
                    _("The environment variable %(var)s is not set.")
                    % {"var": options["passphrase_env"]}
                )
            passphrase = value.encode("utf-8")
        path = Path(options["pkcs12"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("The file %(file)s cannot be read: %(error)s")
                % {"file": path, "error": exc.strerror or exc}
            ) from exc
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase)
        except (ValueError, TypeError) as exc:
            raise CommandError(
                _("%(file)s cannot be opened: it is not a PKCS#12 file or the passphrase is wrong.")
                % {"file": path}
            ) from exc
        if key is None or cert is None:
            raise CommandError(
                _("%(file)s must hold both the certificate and its private key.") % {"file": path}
            )
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise CommandError(_("Only RSA and elliptic-curve keys can sign documents."))
        if _public(key.public_key()) != _public(cert.public_key()):
            raise CommandError(_("The private key does not belong to the certificate."))
        self.check_certificate(cert)
        roots = [c for c in extra if is_self_signed(c)]
        for name in options["ca_certificate"]:
            try:
                roots.extend(_read_certificates(Path(name)))
            except (OSError, ValueError) as exc:
                raise CommandError(
                    _("The CA certificate %(file)s cannot be read.") % {"file": name}
                ) from exc
        chain = [c for c in extra if c != cert]

        with transaction.atomic():
            Organisation.objects.select_for_update().get(pk=commission.pk)
            previous = SigningIdentity.objects.filter(
                organisation=commission, is_ca=False, active=True
            ).update(active=False)
            identity = identity_row(
                cert, chain=chain, key=key, organisation=commission, is_ca=False
            )
            identity.save()
            known = {row.certificate_pem for row in SigningIdentity.objects.filter(is_ca=True)}
            added = 0
            for root in roots:
                row = identity_row(root, key=None, organisation=commission, is_ca=True)
                if row.certificate_pem not in known:
                    row.save()
                    known.add(row.certificate_pem)
                    added += 1

        self.stdout.write(
            _(
                "Imported the signing certificate %(subject)s (serial %(serial)s, valid until "
                "%(until)s) for %(commission)s; %(previous)d previous certificate(s) no longer "
                "sign; %(roots)d new trust root(s)."
            )
            % {
                "subject": identity.subject,
                "serial": identity.serial,
                "until": timezone.localtime(identity.not_after).date().isoformat(),
                "commission": commission.name,
                "previous": previous,
                "roots": added,
            }
        )
        if not _reaches_trust_root(cert, chain):
            self.stderr.write(
                _(
                    "Warning: the certificate's issuer does not lead to a trusted root "
                    "certificate; documents it signs will not verify as trusted until the root "
                    "is imported with --ca-certificate."
                )
            )

    def check_certificate(self, cert: x509.Certificate) -> None:
        now = timezone.now()
        if cert.not_valid_after_utc <= now:
            raise CommandError(
                _("The certificate expired on %(date)s.")
                % {"date": cert.not_valid_after_utc.date().isoformat()}
            )
        if cert.not_valid_before_utc > now:
            raise CommandError(
                _("The certificate is not valid before %(date)s.")
                % {"date": cert.not_valid_before_utc.date().isoformat()}
            )
        try:
            constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        except x509.ExtensionNotFound:
            constraints = None
        if constraints is not None and constraints.ca:
            raise CommandError(
                _("This is a certificate authority's certificate, not a signing certificate.")
            )
        try:
            usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        except x509.ExtensionNotFound:
            return
        if not (usage.digital_signature or usage.content_commitment):
            raise CommandError(
                _(
                    "The certificate's key usage allows neither digital signatures nor "
                    "non-repudiation."
                )
            )
