"""The institutions pages, included under /staff/institutions/ (app_name "institutions")."""

from django.urls import path

from .views import imports, institutions, people, performance, verification

app_name = "institutions"
urlpatterns = [
    path("", institutions.commission_list, name="commission-list"),
    path("commissions/<int:pk>/", institutions.commission_detail, name="commission-detail"),
    path("commissions/<int:pk>/edit/", institutions.commission_edit, name="commission-edit"),
    path("commissions/<int:pk>/members/add/", institutions.member_add, name="member-add"),
    path("members/<int:pk>/edit/", institutions.member_edit, name="member-edit"),
    path("members/<int:pk>/end/", institutions.member_end, name="member-end"),
    path("commissions/<int:pk>/tribunals/add/", institutions.tribunal_add, name="tribunal-add"),
    path("tribunals/<int:pk>/edit/", institutions.tribunal_edit, name="tribunal-edit"),
    path("commissions/<int:pk>/rooms/add/", institutions.room_add, name="room-add"),
    path("rooms/<int:pk>/edit/", institutions.room_edit, name="room-edit"),
    path("mediation/", institutions.mediation_list, name="mediation-list"),
    path("mediation/add/", institutions.mediation_create, name="mediation-create"),
    path("mediation/<int:pk>/", institutions.mediation_detail, name="mediation-detail"),
    path("mediation/<int:pk>/edit/", institutions.mediation_edit, name="mediation-edit"),
    path("people/", people.person_list, name="person-list"),
    path("organisations/<int:pk>/people/add/", people.person_create, name="person-create"),
    path("people/<int:pk>/", people.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person-edit"),
    path("people/<int:pk>/appoint/", people.appointment_create, name="appointment-create"),
    path("people/<int:pk>/training/add/", people.training_add, name="training-add"),
    path("people/<int:pk>/assessments/add/", people.assessment_add, name="assessment-add"),
    path("people/<int:pk>/document/", people.qualification_document, name="person-document"),
    path("appointments/<int:pk>/end/", people.appointment_end, name="appointment-end"),
    path("people/import/", imports.import_start, name="import-start"),
    path("people/import/template.xlsx", imports.import_template, name="import-template"),
    path("people/import/<int:pk>/", imports.import_detail, name="import-detail"),
    path("people/import/<int:pk>/good-rows/", imports.import_good_rows, name="import-good-rows"),
    path("verification/", verification.dashboard, name="verification"),
    path(
        "commissions/<int:pk>/verification/submit/",
        verification.submission_create,
        name="submission-create",
    ),
    path("verification/<int:pk>/", verification.submission_detail, name="submission-detail"),
    path("verification/<int:pk>/decide/", verification.submission_decide, name="submission-decide"),
    path("performance/", performance.performance_page, name="performance"),
    path("performance/export.xlsx", performance.performance_export, name="performance-export"),
]
