from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "zhongcai.cases"
    label = "cases"
    verbose_name = _("Arbitration cases")

    def ready(self) -> None:
        from zhongcai.core.events import register_consistency_check

        from .integrity import check_cases

        register_consistency_check(check_cases)
