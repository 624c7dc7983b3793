"""The dashboard pages of monitoring (included by ``monitoring.urls``)."""

from django.urls import path

from . import views_dashboard as views

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("figures/", views.dashboard_figures, name="dashboard-figures"),
    path("data.json", views.dashboard_data, name="dashboard-data"),
    path("map/shandong.geojson", views.province_map, name="province-map"),
    path("cases/", views.cases_page, name="cases"),
    path("breakdowns/", views.breakdowns_page, name="breakdowns"),
]
