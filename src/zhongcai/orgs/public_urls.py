"""The public arbitrator roster, included under /roster/ (app_name "roster"); no login."""

from django.urls import path

from .views import roster

app_name = "roster"
urlpatterns = [
    path("", roster.roster_page, name="roster"),
    path("export.xlsx", roster.roster_export, name="roster-export"),
]
