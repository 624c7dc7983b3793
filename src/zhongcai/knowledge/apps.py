from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "zhongcai.knowledge"
    label = "knowledge"
    verbose_name = _("Law and case library")
