"""Staff appointment pages; the project includes them at ``staff/appointments/``."""

from django.urls import path

from . import staff_views

app_name = "appointments-staff"
urlpatterns = [
    path("", staff_views.day, name="day"),
    path("publish/", staff_views.publish, name="publish"),
]
