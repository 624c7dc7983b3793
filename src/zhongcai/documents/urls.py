"""The documents pages, included under /staff/documents/ (app_name "documents")."""

from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("templates/", views.template_list, name="template-list"),
    path("templates/<slug:code>/", views.template_detail, name="template-detail"),
    path("templates/<slug:code>/new/", views.version_create, name="version-create"),
    path(
        "templates/<slug:code>/versions/<int:pk>/",
        views.version_preview,
        name="version-preview",
    ),
    path(
        "templates/<slug:code>/versions/<int:pk>/preview.pdf",
        views.version_preview_pdf,
        name="version-preview-pdf",
    ),
    path("settings/", views.settings_index, name="settings"),
    path("settings/<int:pk>/", views.settings_edit, name="settings-edit"),
    path("settings/<int:pk>/seal.png", views.seal_image, name="seal-image"),
    path("<int:pk>.pdf", views.document_file, {"fmt": "pdf"}, name="document-pdf"),
    path("<int:pk>.docx", views.document_file, {"fmt": "docx"}, name="document-docx"),
]
