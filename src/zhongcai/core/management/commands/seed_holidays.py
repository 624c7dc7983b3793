from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from zhongcai.core.holiday_seed import SeedDay, seed_holidays
from zhongcai.core.models import Holiday, HolidayYear


def _days(days: tuple[SeedDay, ...]) -> str:
    return ", ".join(f"{d.date} {d.kind} {d.name}" for d in days) or "-"


class Command(BaseCommand):
    help = (
        "Add the holiday arrangements of the years the installed chinesecalendar package knows "
        "and the table does not have yet. Safe to run again; never changes a year already there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", type=int, action="append", help="Only this year (repeatable)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = set(options["year"]) if options["year"] else None
        with transaction.atomic():
            report = seed_holidays(HolidayYear, Holiday, years=years)
        if report.years_created:
            self.stdout.write(
                _("Added %(count)d years (%(years)s), %(days)d days.")
                % {
                    "count": len(report.years_created),
                    "years": ", ".join(map(str, report.years_created)),
                    "days": report.days_created,
                }
            )
        else:
            self.stdout.write(_("No year to add."))
        for difference in report.differences:
            self.stderr.write(
                _(
                    "%(year)d differs from the package and was left as it is; check it against "
                    "the State Council notice. Only in the table: %(table)s. "
                    "Only in the package: %(package)s."
                )
                % {
                    "year": difference.year,
                    "table": _days(difference.only_in_table),
                    "package": _days(difference.only_in_package),
                }
            )
