"""WebSocket routes of every app, gathered in one place."""

from django.urls import URLPattern

websocket_urlpatterns: list[URLPattern] = []
