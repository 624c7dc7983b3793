from django.urls import URLPattern, URLResolver, path

from zhongcai.documents.efile_views import efile_urlpatterns

from .views import actions, detail, intake
from .views.detail import STAGES

app_name = "cases"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", intake.queue, name="queue"),
    path("new/", intake.case_create, name="case-create"),
    path("<int:pk>/", detail.case_detail, name="case-detail"),
    path("<int:pk>/edit/", intake.case_edit, name="case-edit"),
    path("<int:pk>/receipts/<int:receipt_pk>/", detail.receipt_detail, name="receipt-detail"),
    path("<int:pk>/submit/", actions.case_submit, name="case-submit"),
    path(
        "<int:pk>/issue-correction-notice/",
        actions.case_issue_correction_notice,
        name="case-issue-correction-notice",
    ),
    path(
        "<int:pk>/submit-corrections/",
        actions.case_submit_corrections,
        name="case-submit-corrections",
    ),
    path("<int:pk>/accept/", actions.case_accept, name="case-accept"),
    path("<int:pk>/employer-class/", detail.employer_classify, name="case-employer-classify"),
    path("<int:pk>/refuse/", actions.case_refuse, name="case-refuse"),
    path("<int:pk>/redirect/", actions.case_redirect, name="case-redirect"),
    *(pattern for stage in STAGES for pattern in stage.urlpatterns),
    # The electronic case file (电子卷宗), one PDF per volume.
    *efile_urlpatterns,
]
