"""The shape of the closing stage's input; every rule is in ``closing`` and ``archive``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..closing import REVOCATION_GROUNDS, transfer_targets
from ..deadlines import MAX_EXTENSION_DAYS
from ..models import Case, SuspensionReason

TEXTAREA = {"rows": 3}


def _text(label: Any, *, required: bool = False, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=help_text,
    )


class SuspendForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason (办案规则 art. 47)"), choices=[("", "—"), *SuspensionReason.choices]
    )
    note = _text(_("Details"), help_text=_("Required for another reason provided by law."))


class ResumeForm(forms.Form):
    note = _text(_("Why the cause of the suspension ended"))


class ExtendForm(forms.Form):
    days = forms.IntegerField(
        label=_("Days"),
        min_value=1,
        max_value=MAX_EXTENSION_DAYS,
        help_text=_("At most 15 days in all, approved before the time limit runs out."),
    )
    reasons = _text(_("Reasons"), required=True)


class WithdrawForm(forms.Form):
    reasons = _text(
        _("The applicant's withdrawal"),
        help_text=_(
            "What the applicant's written withdrawal says. A new application on the same matter "
            "must be accepted (办案规则 art. 35)."
        ),
    )


class RevokeForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Condition of acceptance that fails"),
        choices=[("", "—"), *((g.value, g.label) for g in REVOCATION_GROUNDS)],
    )
    reasons = _text(_("Reasons"), required=True)


class TransferForm(forms.Form):
    to = forms.ChoiceField(label=_("Competent commission"))
    reasons = _text(_("Why it is competent"), required=True)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {str(org.pk): org for org in transfer_targets(case)}
        self.fields["to"].choices = [("", "—")] + [
            (pk, org.name) for pk, org in self.targets.items()
        ]

    def clean_to(self) -> Any:
        return self.targets.get(self.cleaned_data["to"])


class ApproveClosingForm(forms.Form):
    note = _text(_("Note"))


class ArchiveForm(forms.Form):
    """Nothing to type: the file's contents are taken as they stand."""


def form_for(action: str, case: Case, data: Any = None, files: Any = None) -> forms.Form:
    # Several forms share the case page: their field ids must not collide.
    auto_id = f"id_{action}_%s"
    if action == "transfer":
        return TransferForm(data, case=case, auto_id=auto_id)
    form_class: type[forms.Form] = {
        "suspend": SuspendForm,
        "resume": ResumeForm,
        "extend": ExtendForm,
        "withdraw": WithdrawForm,
        "revoke": RevokeForm,
        "approve_closing": ApproveClosingForm,
        "archive": ArchiveForm,
    }[action]
    return form_class(data, files, auto_id=auto_id)
