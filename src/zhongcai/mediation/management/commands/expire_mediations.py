from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhongcai.mediation.tasks import expire_due_mediations


class Command(BaseCommand):
    help = (
        "Deem failed the mediations past their time limit without agreement (run it from cron "
        "in the embedded default, next to run_case_timers; Celery beat runs it in production)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        moved = expire_due_mediations()
        self.stdout.write(
            _("%(count)d mediation(s) deemed failed for want of agreement in time.")
            % {"count": moved}
        )
