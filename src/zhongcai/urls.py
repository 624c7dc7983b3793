from django.contrib import admin
from django.urls import include, path

from zhongcai.core.views import healthz

urlpatterns = [
    path("", include("zhongcai.portal.urls")),
    path("accounts/", include("zhongcai.accounts.urls")),
    path("staff/", include("zhongcai.workspace.urls")),
    path("staff/cases/", include("zhongcai.cases.urls")),
    path("staff/institutions/", include("zhongcai.orgs.urls")),
    path("staff/documents/", include("zhongcai.documents.urls")),
    path("roster/", include("zhongcai.orgs.public_urls")),
    path("appointments/", include("zhongcai.appointments.urls")),
    path("staff/appointments/", include("zhongcai.appointments.staff_urls")),
    path("staff/employers/", include("zhongcai.accounts.staff_views")),
    path("staff/mediation/", include("zhongcai.mediation.urls")),
    path("mediation/", include("zhongcai.mediation.portal_urls")),
    path("staff/monitoring/", include("zhongcai.monitoring.urls")),
    path("notifications/", include("zhongcai.notifications.urls")),
    path("api/", include("zhongcai.api.urls")),
    path("knowledge/", include("zhongcai.knowledge.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
