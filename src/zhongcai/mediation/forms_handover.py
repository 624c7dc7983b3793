"""Input shapes of the hand-over to arbitration and of entrusted mediation; rules in
``handover`` and ``entrusted``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from zhongcai.core.forms import DescribedErrorsForm
from zhongcai.orgs.models import Organisation


class HandoverForm(DescribedErrorsForm):
    commission = forms.ModelChoiceField(
        label=gettext_lazy("Arbitration commission"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "The competent commission: where you worked, or where the employer is (LDMAL art. 21)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            type=Organisation.Type.COMMISSION, is_active=True
        ).order_by("division_id")


class EntrustForm(DescribedErrorsForm):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Mediation organisation"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    consent_applicant = forms.BooleanField(
        label=gettext_lazy("The applicant consents to mediation"), required=False
    )
    consent_respondent = forms.BooleanField(
        label=gettext_lazy("The respondent consents to mediation"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            type=Organisation.Type.MEDIATION_ORGANISATION, is_active=True
        ).order_by("division_id", "name")
