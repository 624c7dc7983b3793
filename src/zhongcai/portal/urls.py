from django.urls import path

from . import views
from .calculator_views import calculator_urlpatterns

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    *calculator_urlpatterns,
]
