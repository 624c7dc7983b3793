from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from zhongcai.core.events import consistency_problems, verify_chains
from zhongcai.core.models import Event


class Command(BaseCommand):
    help = "Recompute every event chain and report each broken link (exit status 1 if any)."

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        broken = list(verify_chains())
        problems = list(consistency_problems())
        for problem in problems:
            self.stderr.write(
                _("Rows disagree with their events: %(problem)s") % {"problem": problem}
            )
        if broken or problems:
            for link in broken:
                self.stderr.write(
                    _("Broken link: event %(id)s (subject %(subject)s, no. %(seq)s): %(reason)s")
                    % {
                        "id": link.event_id,
                        "subject": link.subject,
                        "seq": link.seq,
                        "reason": link.reason,
                    }
                )
            raise CommandError(
                _("%(n)d broken link(s) and %(m)d disagreement(s) in the event log.")
                % {"n": len(broken), "m": len(problems)}
            )
        self.stdout.write(
            _("All %(n)d events verified; every chain is intact.") % {"n": Event.objects.count()}
        )
