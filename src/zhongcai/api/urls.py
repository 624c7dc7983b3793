from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from .calculator import DeadlineCalculatorView
from .docs import DocsView, SchemaView
from .institutions import CommissionViewSet, PersonViewSet, RosterView, SubmissionViewSet
from .token import TokenObtainView
from .views import CaseViewSet

app_name = "api"

# Path converters, not regexes: the routes read like every other URL of the project.
router = SimpleRouter(use_regex_path=False)
router.register("cases", CaseViewSet, basename="case")
router.register("institutions/commissions", CommissionViewSet, basename="commission")
router.register("institutions/people", PersonViewSet, basename="person")
router.register("institutions/verification", SubmissionViewSet, basename="submission")

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/auth/token/", TokenObtainView.as_view(), name="token"),
    path("v1/calendar/deadline", DeadlineCalculatorView.as_view(), name="calendar-deadline"),
    path("v1/", include(router.urls)),
    # Public on purpose: the arbitrator roster is public information (LDMAL art. 20).
    path("v1/roster/", RosterView.as_view(), name="roster"),
    path("", include("zhongcai.knowledge.api_urls")),
    # Public on purpose: see docs.py.
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
]
