"""The shape of what the agreement panel and the review pages take in; the rules live in
``agreement`` and ``review``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongcai.core.forms import DescribedErrorsForm
from zhongcai.orgs.models import Organisation

from .models import Agreement, MediationCase, MediationParty, Review
from .review import NOT_ACCEPT_GROUNDS, REFUSE_GROUNDS

ITEM_ROWS = 5


class DraftForm(DescribedErrorsForm):
    """From the accepted proposal (``use_proposal``), or terms typed by the mediator."""

    use_proposal = forms.BooleanField(
        required=False, label=_("Use the terms of the proposal both parties accepted")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, ITEM_ROWS + 1):
            self.fields[f"item_{i}"] = forms.CharField(
                label=_("Agreed term %(n)d") % {"n": i}, required=False, max_length=2000
            )
            self.fields[f"amount_{i}"] = forms.DecimalField(
                label=_("Amount of term %(n)d (yuan)") % {"n": i},
                required=False,
                min_value=0,
                decimal_places=2,
            )

    def items(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {"description": data.get(f"item_{i}") or "", "amount": data.get(f"amount_{i}")}
            for i in range(1, ITEM_ROWS + 1)
            if data.get(f"item_{i}") or data.get(f"amount_{i}") is not None
        ]


class SignForm(DescribedErrorsForm):
    confirm_read = forms.BooleanField(
        required=False,
        label=_("I have read the agreement and sign it"),
        help_text=_("Your electronic signature records the text you signed."),
    )
    # The digest of the text on the page: a redraft in between refuses the signature.
    content_sha256 = forms.CharField(max_length=64, widget=forms.HiddenInput)


class PaperSignatureForm(DescribedErrorsForm):
    """A party without an account signed the printed agreement at the organisation."""

    party = forms.ModelChoiceField(
        queryset=MediationParty.objects.none(), label=_("Party who signed on paper")
    )
    scan = forms.FileField(label=_("Scan of the signed page"))

    def __init__(self, *args: Any, case: MediationCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        signed = Agreement.objects.filter(case=case).values_list("signatures__party", flat=True)
        self.fields["party"].queryset = case.parties.exclude(pk__in=[p for p in signed if p])


class CourtForm(DescribedErrorsForm):
    court = forms.CharField(
        label=_("Court"),
        max_length=100,
        help_text=_("Within 30 days of the agreement taking effect, jointly with the other side."),
    )
    consent_applicant = forms.BooleanField(
        required=False, label=_("The applicant applies to the court")
    )
    consent_respondent = forms.BooleanField(
        required=False, label=_("The respondent applies to the court")
    )


class BreachForm(DescribedErrorsForm):
    note = forms.CharField(
        label=_("What was not done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewApplyForm(DescribedErrorsForm):
    commission = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Arbitration commission"),
    )

    def __init__(self, *args: Any, commissions: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["commission"]
        field.queryset = Organisation.objects.filter(pk__in=[c.pk for c in commissions])
        if commissions and not self.is_bound:
            field.initial = commissions[0].pk


def _grounds(allowed: tuple[str, ...]) -> list[tuple[str, Any]]:
    labels = dict(Review.Ground.choices)
    return [(value, labels[value]) for value in allowed]


class NotAcceptForm(DescribedErrorsForm):
    ground = forms.ChoiceField(
        label=_("Ground (art. 75)"), choices=_grounds(NOT_ACCEPT_GROUNDS), widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RefuseForm(DescribedErrorsForm):
    ground = forms.ChoiceField(
        label=_("Ground (art. 78)"), choices=_grounds(REFUSE_GROUNDS), widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Written reasons"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
