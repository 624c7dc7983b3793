from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from zhongcai.knowledge.importer import SHIPPED_LAWS, LawImportError, import_laws


class Command(BaseCommand):
    help = (
        "Import law texts: a directory with MANIFEST.tsv and Markdown files in the LawRefBook "
        "format (see knowledge/data/laws/SOURCE.md). All or nothing; running it again changes "
        "nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory",
            nargs="?",
            default=str(SHIPPED_LAWS),
            help="Directory with MANIFEST.tsv; defaults to the texts shipped with the project.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        directory = Path(options["directory"])
        if not directory.is_dir():
            raise CommandError(_("Not a directory: %(path)s") % {"path": directory})
        try:
            result = import_laws(directory)
        except LawImportError as exc:
            raise CommandError(
                _("Nothing was imported. Problems found:") + "\n" + "\n".join(exc.errors)
            ) from None
        self.stdout.write(
            _(
                "Laws: %(laws_created)d created, %(laws_updated)d updated. Versions: "
                "%(created)d new, %(replaced)d replaced, %(unchanged)d unchanged; "
                "%(articles)d articles written."
            )
            % {
                "laws_created": result.laws_created,
                "laws_updated": result.laws_updated,
                "created": result.versions_created,
                "replaced": result.versions_replaced,
                "unchanged": result.versions_unchanged,
                "articles": result.articles_written,
            }
        )
