from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from zhongcai.cases.timers import run_case_timers


class Command(BaseCommand):
    help = (
        "Flag overdue statutory clocks, warn before they fall due and settle post-award "
        "windows (run it from cron in the embedded default; Celery beat runs it in production)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        report = run_case_timers()
        self.stdout.write(
            _("%(overdue)d clock(s) flagged overdue, %(warned)d warning(s) given.")
            % {"overdue": len(report.overdue), "warned": len(report.warned)}
        )
        if report.settled is not None:
            self.stdout.write(_("Post-award settlement: %(result)s") % {"result": report.settled})
