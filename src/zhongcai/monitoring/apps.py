from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "zhongcai.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring, indicators and warnings")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from zhongcai.core.models import Event

        from .figures import on_event

        # The dashboards' stored figures follow every committed event of a case (ADR 0012).
        post_save.connect(on_event, sender=Event, dispatch_uid="monitoring-figures")
