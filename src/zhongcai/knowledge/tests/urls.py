"""The platform's URLs plus the knowledge API, as the API's urls.py will include it."""

from django.urls import include, path

from zhongcai.urls import urlpatterns as platform

urlpatterns = [path("api/", include("zhongcai.knowledge.api_urls")), *platform]
