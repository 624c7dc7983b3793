import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from zhongcai.monitoring import synthetic

MAX_CASES = 200_000  # beyond that, the bench (bench/dashboard.py) on its own database


class Command(BaseCommand):
    help = (
        "Add years of synthetic cases over the whole province to a demo database, to see the "
        "dashboards full (embedded default only). The cases carry their figures but no parties, "
        "events or clocks: they are for looking at the monitoring pages, not for working on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=20_000)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                _("Synthetic cases may not be loaded under these settings (production refuses it).")
            )
        cases, years = options["cases"], options["years"]
        if not 1 <= cases <= MAX_CASES:
            raise CommandError(_("--cases must be between 1 and %(max)d.") % {"max": MAX_CASES})
        if not 1 <= years <= 10:
            raise CommandError(_("--years must be between 1 and 10."))
        with transaction.atomic():  # all the cases, or none
            province = synthetic.build_province(
                cases,
                seed=options["seed"],
                years=years,
                progress=lambda line: print(line, file=sys.stderr),
            )
        self.stdout.write(
            _("%(cases)d synthetic cases added over %(days)d organisation-days.")
            % {"cases": province.cases, "days": province.days}
        )
