from django.urls import path

from . import agents_views, apply_views, info_views, mycases_views, views
from .calculator_views import calculator_urlpatterns

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    *calculator_urlpatterns,
    *apply_views.urlpatterns,  # /apply/…: the guided online application
    *mycases_views.urlpatterns,  # /my/cases/…, /query/: following a case
    *agents_views.urlpatterns,  # /my/cases/<pk>/agents/: agents authorised per case
    *info_views.urlpatterns,  # /commissions/, /how-it-works/: public information
]
