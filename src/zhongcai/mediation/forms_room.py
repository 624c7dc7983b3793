"""The shape of what the case page and the room take in; the rules live in ``services`` and
``room``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongcai.core.forms import DescribedErrorsForm
from zhongcai.core.uploads import ACCEPTED_EXTENSIONS

from . import periods
from .models import Audience, MediationCase, MediationParty, Meeting, ProposalResponse, SharedFile

ITEM_ROWS = 5


class _Form(DescribedErrorsForm):
    """Many forms share the case page: each names its inputs' ids (``<name>-<field>``)."""

    name = "form"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.name}-%s")
        super().__init__(*args, **kwargs)


# --- Steps of the case (staff) ---------------------------------------------------------------


class AcceptForm(_Form):
    name = "accept"
    respondent_consent = forms.BooleanField(
        required=False,
        label=_("The other side agrees to mediation"),
        help_text=_("Mediation is voluntary: accept only when the other side has agreed."),
    )


class DeclineForm(_Form):
    name = "decline"
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtendForm(_Form):
    name = "extend"
    days = forms.IntegerField(
        label=_("Days"), min_value=1, max_value=periods.MAX_EXTENSION_DAYS, initial=15
    )
    consent_applicant = forms.BooleanField(required=False, label=_("The applicant agrees"))
    consent_respondent = forms.BooleanField(required=False, label=_("The respondent agrees"))


class FailForm(_Form):
    name = "fail"
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


# --- The room --------------------------------------------------------------------------------


def _party_field(case: MediationCase) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=case.parties.order_by("role", "pk"),
        required=False,
        label=_("Party (for a caucus)"),
        empty_label=_("— everyone —"),
    )


class _RoomForm(_Form):
    """Staff choose the audience and, for a caucus, the party; a party only the audience
    (its caucus is its own)."""

    audience = forms.ChoiceField(
        label=_("Who sees it"), choices=Audience.choices, initial=Audience.JOINT
    )

    def __init__(self, *args: Any, case: MediationCase, staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        if staff:
            self.fields["party"] = _party_field(case)
        else:
            self.fields["audience"].choices = [
                (Audience.JOINT, _("Everyone in the case")),
                (Audience.CAUCUS, _("Only the mediator")),
            ]

    def party(self) -> MediationParty | None:
        return self.cleaned_data.get("party")


class MessageForm(_RoomForm):
    name = "message"
    body = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = ["body", "audience", "party"]


class MeetingForm(_RoomForm):
    name = "meeting"
    mode = forms.ChoiceField(label=_("How"), choices=Meeting.Mode.choices)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    minutes = forms.IntegerField(label=_("Minutes"), initial=60)
    place = forms.CharField(label=_("Place or how to join"), required=False, max_length=200)
    field_order = ["mode", "starts_at", "minutes", "place", "audience", "party"]


class FileForm(_RoomForm):
    name = "file"
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=SharedFile.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )
    field_order = ["title", "kind", "file", "audience", "party"]


class _ItemsForm(_Form):
    """Terms in rows: what is agreed and, if money, how much."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, ITEM_ROWS + 1):
            self.fields[f"item_{i}"] = forms.CharField(
                label=_("Term %(n)d") % {"n": i}, required=False, max_length=2000
            )
            self.fields[f"amount_{i}"] = forms.DecimalField(
                label=_("Amount of term %(n)d (yuan)") % {"n": i},
                required=False,
                min_value=0,
                decimal_places=2,
            )

    def item_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(("item_", "amount_"))]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith(("item_", "amount_"))]

    def items(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {"description": data.get(f"item_{i}") or "", "amount": data.get(f"amount_{i}")}
            for i in range(1, ITEM_ROWS + 1)
            if data.get(f"item_{i}") or data.get(f"amount_{i}") is not None
        ]


class ProposalForm(_ItemsForm):
    name = "proposal"
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnswerForm(_ItemsForm):
    name = "answer"
    answer = forms.ChoiceField(
        label=_("Your answer"),
        # Not the model's labels: "Accept" alone is also accepting a case (受理).
        choices=[
            (ProposalResponse.Answer.ACCEPT, _("I accept the proposal")),
            (ProposalResponse.Answer.COUNTER, _("I make a counter-offer")),
            (ProposalResponse.Answer.REJECT, _("I reject the proposal")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    field_order = ["answer", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, ITEM_ROWS + 1):
            self.fields[f"item_{i}"].label = _("Counter-offer, term %(n)d") % {"n": i}
