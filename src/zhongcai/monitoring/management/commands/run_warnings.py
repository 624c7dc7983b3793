from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhongcai.monitoring.tasks import run_warnings


class Command(BaseCommand):
    help = (
        "Run the deadline and risk warning rules (run it from cron in the embedded default, "
        "next to run_case_timers; Celery beat runs it in production)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = run_warnings()
        self.stdout.write(
            _("%(raised)d warning(s) raised, %(updated)d updated, %(resolved)d resolved.") % counts
        )
