from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from zhongcai.knowledge.caselibrary import SHIPPED_CASES, CaseImportError, import_library_cases


class Command(BaseCommand):
    help = (
        "Import library cases: a directory with MANIFEST.tsv, Markdown case texts and an optional "
        "ELEMENTS.json of hand-checked elements (see knowledge/data/cases/SOURCE.md). All or "
        "nothing; running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory",
            nargs="?",
            default=str(SHIPPED_CASES),
            help="Directory with MANIFEST.tsv; defaults to the cases shipped with the project.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        directory = Path(options["directory"])
        if not directory.is_dir():
            raise CommandError(_("Not a directory: %(path)s") % {"path": directory})
        try:
            result = import_library_cases(directory)
        except CaseImportError as exc:
            raise CommandError(
                _("Nothing was imported. Problems found:") + "\n" + "\n".join(exc.errors)
            ) from None
        self.stdout.write(
            _("Library cases: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            }
        )
