"""The project's URLs plus the institutions pages and the public roster, for tests, until the
project's URL configuration includes them (then this adds nothing)."""

from django.urls import include, path

from zhongcai.urls import urlpatterns as project

_namespaces = {getattr(p, "namespace", None) for p in project}
urlpatterns = list(project)
if "institutions" not in _namespaces:
    urlpatterns.append(path("staff/institutions/", include("zhongcai.orgs.urls")))
if "roster" not in _namespaces:
    urlpatterns.append(path("roster/", include("zhongcai.orgs.public_urls")))
