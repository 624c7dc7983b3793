"""The shape of the warnings pages' inputs; the rules live in ``warning_services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhongcai.accounts.models import User
from zhongcai.core.forms import DescribedErrorsForm

from .models import EarlyWarning

# The list's status filter: the empty choice (the default) is every warning not yet resolved.
NOT_RESOLVED, ANY_STATUS = "", "all"
STATUS_LABELS = {
    EarlyWarning.Status.OPEN: pgettext_lazy("warning status", "Open"),
    EarlyWarning.Status.ACKNOWLEDGED: pgettext_lazy("warning status", "Acknowledged"),
    EarlyWarning.Status.RESOLVED: pgettext_lazy("warning status", "Resolved"),
}


class WarningFilterForm(DescribedErrorsForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *EarlyWarning.Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (NOT_RESOLVED, _("Not resolved")),
            *STATUS_LABELS.items(),
            (ANY_STATUS, _("All")),
        ],
        required=False,
    )
    severity = forms.ChoiceField(
        label=pgettext_lazy("warning", "Severity"),
        choices=[("", _("All")), *EarlyWarning.Severity.choices],
        required=False,
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    def filter(self, warnings: QuerySet[EarlyWarning], user: User) -> QuerySet[EarlyWarning]:
        """``warnings`` narrowed by the valid filters; an invalid one is ignored (its error is
        shown) and the default applies."""
        self.is_valid()
        data: dict[str, Any] = getattr(self, "cleaned_data", {})
        if data.get("kind"):
            warnings = warnings.filter(kind=data["kind"])
        status = data.get("status", NOT_RESOLVED)
        if status == NOT_RESOLVED:
            warnings = warnings.exclude(status=EarlyWarning.Status.RESOLVED)
        elif status != ANY_STATUS:
            warnings = warnings.filter(status=status)
        if data.get("severity"):
            warnings = warnings.filter(severity=data["severity"])
        if data.get("mine"):
            warnings = warnings.filter(assigned_to=user)
        return warnings


class AssignForm(DescribedErrorsForm):
    to = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": _("That person cannot see this warning.")},
    )

    def __init__(self, *args: Any, assignees: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        field.queryset = assignees  # type: ignore[attr-defined]
        field.label_from_instance = _assignee_label  # type: ignore[attr-defined]


def _assignee_label(user: User) -> str:
    organisation = user.organisation
    where = (organisation.short_name or organisation.name) if organisation else ""
    return f"{user} · {user.get_role_display()} · {where}" if where else str(user)
