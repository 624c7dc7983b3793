from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AppointmentsConfig(AppConfig):
    name = "zhongcai.appointments"
    label = "appointments"
    verbose_name = pgettext_lazy("counter booking", "Appointments")
