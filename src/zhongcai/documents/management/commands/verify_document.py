"""``manage.py verify_document FILE [FILE...]``: is each file a document the platform issued?"""

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhongcai.documents.signing import verify_document


class Command(BaseCommand):
    help = (
        "Check issued PDFs: the digital signature, that nothing was changed or added after "
        "signing, and that the file is the one the case's event log recorded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="PDF files to check.")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        if options["verbosity"] < 2:
            # The problems are reported below in words; pyhanko's tracebacks are for debugging.
            logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
            logging.getLogger("zhongcai.documents.signing").setLevel(logging.WARNING)
        failed = 0
        for name in options["files"]:
            if not self.check_file(Path(name)):
                failed += 1
        if failed:
            raise CommandError(
                _("%(failed)d of %(total)d file(s) failed verification.")
                % {"failed": failed, "total": len(options["files"])}
            )

    def check_file(self, path: Path) -> bool:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return self.failed(path, [_("No such file.")])
        except OSError as exc:
            return self.failed(path, [_("The file cannot be read: %(error)s") % {"error": exc}])
        if not data.startswith(b"%PDF-"):
            return self.failed(path, [_("The file is not a PDF.")])
        report = verify_document(data)
        if not report.ok:
            return self.failed(path, report.problems)
        signature = report.signature
        lines = [
            _("OK %(file)s") % {"file": path},
            _("  case %(case)s, document %(document)s (%(template)s)")
            % {
                "case": report.case_number or report.case,
                "document": " ".join(
                    part for part in (report.document_title, report.document_number) if part
                )
                or report.document,
                "template": report.template,
            },
        ]
        if signature.signed:
            signed_at = (
                timezone.localtime(signature.signed_at).strftime("%Y-%m-%d %H:%M:%S %Z")
                if signature.signed_at
                else "-"
            )
            lines.append(
                _("  signed by %(signer)s at %(at)s")
                % {"signer": signature.signer, "at": signed_at}
            )
        else:
            lines.append(_("  not signed (its template is not sealed)"))
        lines.append(_("  SHA-256 %(sha)s") % {"sha": report.sha256})
        for line in lines:
            self.stdout.write(line)
        return True

    def failed(self, path: Path, problems: list[str]) -> bool:
        self.stdout.write(self.style.ERROR(_("FAILED %(file)s") % {"file": path}))
        for problem in problems:
            self.stdout.write(f"  - {problem}")
        return False
