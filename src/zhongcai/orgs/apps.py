from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "zhongcai.orgs"
    label = "orgs"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from zhongcai.core.events import register_consistency_check

        from .snapshots import snapshot_problems

        register_consistency_check(snapshot_problems)
