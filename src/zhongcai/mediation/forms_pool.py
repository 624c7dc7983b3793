"""The shape of the pool's inputs; the rules live in ``pool`` and ``guides``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongcai.cases.taxonomy import Cause
from zhongcai.core.forms import DescribedErrorsForm
from zhongcai.orgs.forms import PeriodForm, TrainingForm

from .models import Guide

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _reason(label: Any, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProfileForm(DescribedErrorsForm):
    specialties = forms.MultipleChoiceField(
        label=_("Specialties"),
        choices=Cause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Causes of dispute the mediator knows best; the draw prefers them."),
    )
    languages = forms.CharField(
        label=_("Languages and dialects"),
        required=False,
        max_length=300,
        help_text=_("Besides Mandarin, separated by commas, e.g. 粤语, English, 手语."),
    )
    available = forms.BooleanField(label=_("Takes new cases"), required=False)
    unavailable_until = forms.DateField(
        label=_("Away until (inclusive)"),
        required=False,
        widget=DATE,
        help_text=_("Leave, training or illness: not drawn until the day after."),
    )
    max_load = forms.IntegerField(label=_("Most running cases at once"), min_value=1, max_value=100)


class DrawForm(DescribedErrorsForm):
    language = forms.CharField(
        label=_("Language or dialect needed (optional)"),
        required=False,
        max_length=30,
        help_text=_("The draw prefers mediators who speak it, if any does."),
    )


class ChooseForm(DescribedErrorsForm):
    person = forms.TypedChoiceField(label=_("The mediator the parties chose"), coerce=int)
    applicant_consents = forms.BooleanField(
        label=_("The applicant chose this mediator"), required=False
    )
    respondent_consents = forms.BooleanField(
        label=_("The other side chose this mediator"), required=False
    )

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "—"), *((p.pk, p.name) for p in people)]


class ConflictForm(DescribedErrorsForm):
    reason = _reason(_("The conflict of interest"))


class DecideForm(DescribedErrorsForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant: draw another mediator")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = _reason(_("Note to the party (required when refusing)"), required=False)


class ChangeRequestForm(DescribedErrorsForm):
    reason = _reason(_("Why you ask for another mediator"))


class FeedbackForm(DescribedErrorsForm):
    score = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[
            (5, _("5 – very satisfied")),
            (4, _("4 – satisfied")),
            (3, _("3 – acceptable")),
            (2, _("2 – unsatisfied")),
            (1, _("1 – very unsatisfied")),
        ],
        widget=forms.RadioSelect,
    )
    comment = _reason(_("Comment (optional)"), required=False)


class GuideForm(DescribedErrorsForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Guide.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    causes = forms.MultipleChoiceField(
        label=_("Causes of dispute"),
        choices=Cause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    body = forms.CharField(
        label=_("Text"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 16})
    )


class GuideFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *Guide.Kind.choices], required=False
    )
    cause = forms.ChoiceField(
        label=_("Cause of dispute"), choices=[("", _("All")), *Cause.choices], required=False
    )


__all__ = [
    "ChangeRequestForm",
    "ChooseForm",
    "ConflictForm",
    "DecideForm",
    "DrawForm",
    "FeedbackForm",
    "GuideFilterForm",
    "GuideForm",
    "PeriodForm",
    "ProfileForm",
    "TrainingForm",
]
