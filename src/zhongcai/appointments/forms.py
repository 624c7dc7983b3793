"""The shape of appointment input; the rules live in ``services``."""

from __future__ import annotations

from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Purpose


class BookingForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    note = forms.CharField(
        label=_("What it is about (optional)"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _parse_times(value: str) -> list[tuple[time, time]]:
    """``09:00-10:00, 10:00-11:00`` into pairs of times."""
    pairs: list[tuple[time, time]] = []
    for part in value.replace("，", ",").replace("–", "-").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            start, end = (time.fromisoformat(p.strip()) for p in part.split("-"))
        except ValueError:
            raise forms.ValidationError(
                _("Write times as 09:00-10:00, separated by commas."), code="times_format"
            ) from None
        pairs.append((start, end))
    return pairs


class PublishForm(forms.Form):
    start_date = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    days = forms.IntegerField(
        label=_("Number of days"),
        min_value=1,
        initial=5,
        help_text=_("Rest days and public holidays are skipped."),
    )
    times = forms.CharField(
        label=_("Counter times"),
        initial="09:00-10:00, 10:00-11:00, 14:00-15:00, 15:00-16:00",
        help_text=_("For example 09:00-10:00, 14:00-15:00"),
    )
    capacity = forms.IntegerField(label=_("Places per time"), min_value=1, initial=5)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)

    def clean_times(self) -> list[tuple[time, time]]:
        return _parse_times(self.cleaned_data["times"])


class DayForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
