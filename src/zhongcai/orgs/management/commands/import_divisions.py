from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from zhongcai.orgs.divisions import SHANDONG_CSV, DivisionImportError, import_divisions


class Command(BaseCommand):
    help = "Import administrative divisions (code,name,level,parent_code) and their bodies."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            default=str(SHANDONG_CSV),
            help="CSV file; defaults to the Shandong divisions shipped with the project.",
        )
        parser.add_argument(
            "--divisions-only",
            action="store_true",
            help="Only the divisions, without departments, commissions and institutes.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        path = Path(options["path"])
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(_("File not found: %(path)s") % {"path": path}) from None
        except UnicodeDecodeError:
            raise CommandError(_("%(path)s is not UTF-8 text.") % {"path": path}) from None
        try:
            result = import_divisions(text, with_bodies=not options["divisions_only"])
        except DivisionImportError as exc:
            raise CommandError(
                _("Nothing was imported. Problems found:") + "\n" + "\n".join(exc.errors)
            ) from None
        self.stdout.write(
            _(
                "Divisions: %(created)d created, %(updated)d already present; "
                "%(orgs)d organisations created."
            )
            % {
                "created": result.divisions_created,
                "updated": result.divisions_updated,
                "orgs": result.organisations_created,
            }
        )
