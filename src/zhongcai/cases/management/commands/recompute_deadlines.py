from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from zhongcai.cases.deadlines import recompute_open_deadlines


class Command(BaseCommand):
    help = "Recompute every running statutory clock after the holiday table changed."

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        moved = recompute_open_deadlines()
        for deadline, previous in moved:
            self.stdout.write(
                _("Case %(case)s, %(code)s: %(before)s → %(after)s")
                % {
                    "case": deadline.case,
                    "code": deadline.code,
                    "before": previous,
                    "after": deadline.due_on,
                }
            )
        self.stdout.write(_("%(n)d running clock(s) moved.") % {"n": len(moved)})
