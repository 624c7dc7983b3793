from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhongcai.monitoring import figures


class Command(BaseCommand):
    help = (
        "Recompute the dashboards' stored figures from the cases (after an import; Celery beat "
        "runs it every night in production)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = figures.rebuild()
        self.stdout.write(
            _(
                "Figures rebuilt: %(cases)d arbitration case(s), %(mediation_cases)d mediation "
                "case(s), %(days)d organisation-day(s)."
            )
            % counts
        )
