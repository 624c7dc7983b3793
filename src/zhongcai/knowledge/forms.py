"""The shape of the library's query strings; the rules are in search.py and selectors.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Law
from .search import MAX_QUERY_LENGTH


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Words or an article"),
        required=False,
        strip=True,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. 经济补偿 工作年限, 劳动合同法第47条")}
        ),
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Law.Level.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            (Law.Status.IN_FORCE, _("In force")),
            (Law.Status.REPEALED, _("Repealed")),
        ],
    )
    on = forms.DateField(
        label=_("In force on"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
        help_text=_("The date of the facts: each law in the text then in force."),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )

    def clean_q(self) -> str:
        query: str = self.cleaned_data["q"]
        if len(query) > MAX_QUERY_LENGTH:
            raise forms.ValidationError(
                _("The query is too long: at most %(max)d characters, found %(n)d.")
                % {"max": MAX_QUERY_LENGTH, "n": len(query)}
            )
        return query


class VersionDateForm(forms.Form):
    on = forms.DateField(
        label=_("Text in force on"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    part = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


SIMILAR_MAX_LENGTH = 1000


class SimilarForm(forms.Form):
    q = forms.CharField(
        label=_("Describe the dispute"),
        max_length=SIMILAR_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "placeholder": _(
                    "e.g. 我2020年1月入职，每周工作6天，公司不支付加班费，"
                    "我辞职后要求支付加班费1万元"
                ),
            }
        ),
        error_messages={
            "required": _("Describe the dispute in a few sentences."),
            "max_length": _("At most %(limit_value)d characters, please."),
        },
    )


class FeedbackForm(forms.Form):
    """A staff member's "not similar" on one result of the case page's push."""

    case = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    library_case = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[("mark", _("Not similar")), ("withdraw", _("Withdraw"))], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Why (optional)"), max_length=200, required=False, strip=True)
