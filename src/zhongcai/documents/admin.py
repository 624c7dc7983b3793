"""Read-only views for support staff. Template versions are added through the registry pages
(``registry.template_version_create``: checked, numbered, with an event); renditions and
signing identities are written by the services only, and a private key is never shown."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Rendition, SigningIdentity, TemplateVersion


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TemplateVersion)
class TemplateVersionAdmin(ReadOnlyAdmin):
    list_display = ["code", "province", "version", "effective_from", "created_by", "created_at"]
    list_filter = ["code", "effective_from"]
    search_fields = ["code", "note", "province__name"]
    raw_id_fields = ["province", "created_by"]


@admin.register(Rendition)
class RenditionAdmin(ReadOnlyAdmin):
    list_display = ["document", "case", "code", "template", "signed", "produced_at"]
    list_filter = ["code", "signed"]
    search_fields = ["case__case_number", "pdf_sha256", "content_sha256"]
    raw_id_fields = ["case", "document", "template"]
    exclude = ["content"]


@admin.register(SigningIdentity)
class SigningIdentityAdmin(ReadOnlyAdmin):
    list_display = ["subject", "organisation", "is_ca", "serial", "not_after", "active"]
    list_filter = ["is_ca", "active"]
    search_fields = ["subject", "serial"]
    exclude = ["key_pem"]
