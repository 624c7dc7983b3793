"""The knowledge endpoints, to be included under ``/api/``: ``path("", include(...))``."""

from django.urls import URLPattern, URLResolver, path

from .api import KnowledgeSearchView, KnowledgeSimilarView

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/knowledge/search", KnowledgeSearchView.as_view(), name="knowledge-search"),
    path("v1/knowledge/similar", KnowledgeSimilarView.as_view(), name="knowledge-similar"),
]
