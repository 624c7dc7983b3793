"""The knowledge endpoints, to be included under ``/api/``: ``path("", include(...))``."""

from django.urls import URLPattern, URLResolver, path

from .api import KnowledgeSearchView

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/knowledge/search", KnowledgeSearchView.as_view(), name="knowledge-search"),
]
