from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "zhongcai.cases"
    label = "cases"
    verbose_name = _("Arbitration cases")

    def ready(self) -> None:
        from zhongcai.core.calendar import register_calendar_listener
        from zhongcai.core.events import register_consistency_check

        from .deadlines import recompute_open_deadlines
        from .integrity import check_cases

        register_consistency_check(check_cases)
        register_calendar_listener(recompute_open_deadlines)
        # The stages register what follows the service of their documents (serving.on_served)
        # when imported: import them here so workers and commands have every hook, not only
        # processes that loaded the URLs.
        from . import award, closing, evidence, hearings, postaward, tribunal  # noqa: F401
