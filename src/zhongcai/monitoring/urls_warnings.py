"""The warnings pages of monitoring (included by ``monitoring.urls``)."""

from django.urls import path

from . import views_warnings as views

urlpatterns = [
    path("", views.warning_list, name="warning-list"),
    path("<int:pk>/", views.warning_detail, name="warning-detail"),
    path("<int:pk>/acknowledge/", views.warning_acknowledge, name="warning-acknowledge"),
    path("<int:pk>/assign/", views.warning_assign, name="warning-assign"),
    path("<int:pk>/resolve/", views.warning_resolve, name="warning-resolve"),
]
