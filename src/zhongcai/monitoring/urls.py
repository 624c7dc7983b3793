"""The monitoring pages, included under /staff/monitoring/ (app_name "monitoring"):
dashboards, the monthly national report and data quality, early warnings."""

from django.urls import include, path

from . import urls_dashboard, urls_report, urls_warnings

app_name = "monitoring"
urlpatterns = [
    path("", include(urls_dashboard)),
    path("reports/", include(urls_report)),
    path("warnings/", include(urls_warnings)),
]
