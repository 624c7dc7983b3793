"""The report pages of monitoring (included by ``monitoring.urls``)."""

from django.urls import path

from . import views_report

urlpatterns: list = [
    path("", views_report.report_page, name="report"),
    path("submit/", views_report.report_submit, name="report-submit"),
    path("correct/", views_report.report_correct, name="report-correct"),
    path("export.xlsx", views_report.report_xlsx, name="report-xlsx"),
    path("export.json", views_report.report_json, name="report-json"),
    path("data-quality/", views_report.data_quality, name="data-quality"),
]
