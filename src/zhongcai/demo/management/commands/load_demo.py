from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from zhongcai.demo.appointments import load_demo_appointments
from zhongcai.demo.cases import load_demo_cases
from zhongcai.demo.institutions import load_demo_institutions
from zhongcai.demo.loader import load_demo
from zhongcai.demo.mediation import load_demo_mediation
from zhongcai.demo.portal import load_demo_portal


class Command(BaseCommand):
    help = "Load the demo province and accounts (embedded default only; runs once)."

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        try:
            loaded = load_demo()
        except ImproperlyConfigured:
            raise CommandError(
                _("Demo data may not be loaded under these settings (production refuses it).")
            ) from None
        institutions_loaded = load_demo_institutions()
        cases_loaded = load_demo_cases()
        appointments_loaded = load_demo_appointments()
        portal_loaded = load_demo_portal()
        mediation_loaded = load_demo_mediation()
        if any(
            (
                loaded,
                institutions_loaded,
                cases_loaded,
                appointments_loaded,
                portal_loaded,
                mediation_loaded,
            )
        ):
            self.stdout.write(
                _(
                    "Demo data loaded. Log in as province_admin, lixia_intake, worker_demo … "
                    "with the password %(password)s."
                )
                % {"password": settings.DEMO_PASSWORD}
            )
        else:
            self.stdout.write(_("Demo data is already loaded; nothing changed."))
