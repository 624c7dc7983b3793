"""Bulk imports of people from a spreadsheet, with their row-by-row report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tree import Organisation


class PersonImport(models.Model):
    """One uploaded sheet: kept with the report of every row, whether or not it was imported."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        CHECKING = "checking", _("Checking rows")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        REJECTED = "rejected", _("Nothing imported: some rows are wrong")
        FAILED = "failed", _("Nothing imported: the file cannot be read")

    FINISHED = frozenset({Status.IMPORTED, Status.REJECTED, Status.FAILED})

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="person_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=200)
    content = models.BinaryField(editable=False)
    good_rows_only = models.BooleanField(
        default=False, help_text=_("Import the good rows even if others are wrong.")
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    report = models.JSONField(
        default=list, blank=True, help_text=_("Each bad row: its number, name and reasons.")
    )
    file_errors = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    SCOPE_ORG_FIELD = "organisation"

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0

    @property
    def bad_rows(self) -> int:
        return len(self.report)

    @property
    def good_rows(self) -> int:
        return max(0, self.total_rows - len(self.report))
