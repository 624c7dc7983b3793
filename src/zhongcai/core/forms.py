"""What every form shares: errors tied to their inputs, and a service's errors on the fields.

Templates render each error as ``<auto_id>-error`` and the help as ``<auto_id>_helptext``; the
input then points at both (``aria-describedby``), so a screen reader reads the error with the
field it belongs to.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def describe_errors(form: forms.Form) -> None:
    """Mark each field in error ``aria-invalid`` and tie it to its error and help texts."""
    for name in form.errors:
        if name not in form.fields:
            continue
        field, bound = form.fields[name], form[name]
        ids = [f"{bound.auto_id}-error"]
        if field.help_text:
            ids.append(f"{bound.auto_id}_helptext")
        field.widget.attrs["aria-invalid"] = "true"
        field.widget.attrs["aria-describedby"] = " ".join(ids)


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's ``ValidationError``: each message next to its field, or on top of the form
    when the form has no such field."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
    describe_errors(form)


class DescribedErrorsForm(forms.Form):
    """A form whose errors are tied to their inputs as soon as it is validated."""

    def full_clean(self) -> None:
        super().full_clean()
        describe_errors(self)

    def add_service_errors(self, exc: ValidationError) -> None:
        add_service_errors(self, exc)
