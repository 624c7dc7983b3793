"""Public appointment pages; the project includes them at ``appointments/``."""

from django.urls import path

from . import views

app_name = "appointments"
urlpatterns = [
    path("", views.index, name="index"),
    path("slots/<int:slot_pk>/book/", views.book, name="book"),
    path("mine/", views.my_bookings, name="my-bookings"),
    path("mine/<int:pk>/", views.booking_detail, name="booking-detail"),
    path("mine/<int:pk>/change/", views.booking_change, name="booking-change"),
    path("mine/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
]
