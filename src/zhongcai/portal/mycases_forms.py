"""The shape of what a party sends from its case page; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongcai.cases.models import Party
from zhongcai.core.identifiers import validate_id_number
from zhongcai.core.uploads import ACCEPTED_EXTENSIONS

# What the file input offers; what is taken is judged by its first bytes, for every upload in
# the product, by ``cases.serving.upload_problems`` (``core.uploads``).
ACCEPT = ",".join(sorted(ACCEPTED_EXTENSIONS))


class _PartyForm(forms.Form):
    """The party acted for: chosen only when the user acts for several in this case."""

    party = forms.TypedChoiceField(label=_("For"), coerce=int, choices=())

    def __init__(self, *args: Any, parties: list[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parties = {p.pk: p for p in parties}
        field = self.fields["party"]
        field.choices = [(p.pk, p.name) for p in parties]
        if len(parties) == 1:
            field.widget = forms.HiddenInput()
            field.initial = parties[0].pk

    def clean_party(self) -> Party:
        return self.parties[self.cleaned_data["party"]]


class _UploadForm(_PartyForm):
    """A party's upload; the file is judged by the service (size, kind, first bytes)."""


class ServiceAddressForm(_PartyForm):
    """送达地址确认书."""

    prefix = "address"
    electronic_consent = forms.BooleanField(
        label=_("I agree to receive documents online, on this platform and by SMS or e-mail"),
        required=False,
        help_text=_("A document then counts as received the day it reaches you here."),
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("E-mail (optional)"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    postal_address = forms.CharField(
        label=_("Postal address"),
        max_length=200,
        required=False,
        help_text=_("Where letters reach you."),
    )


class DefenceForm(_UploadForm):
    """答辩书: text, or an uploaded file, or both."""

    prefix = "defence"
    text = forms.CharField(
        label=_("Your answer to the application"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say which claims you accept or dispute, and why."),
    )
    file = forms.FileField(
        label=_("Or upload the signed defence"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class EvidenceForm(_UploadForm):
    prefix = "evidence"
    title = forms.CharField(
        label=_("What is it?"),
        max_length=200,
        help_text=_("For example: pay slips for June to August 2026."),
    )
    purpose = forms.CharField(
        label=_("What does it prove? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class QueryForm(forms.Form):
    receipt_number = forms.CharField(
        label=_("Receipt number"),
        max_length=40,
        help_text=_("It is printed on the receipt you got at the counter."),
    )
    id_number = forms.CharField(
        label=_("The applicant's ID number"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )

    def clean_id_number(self) -> str:
        return validate_id_number(self.cleaned_data["id_number"])
