"""The shape of the institutions pages' input. Rules live in the services (``institutions``,
``people``, ``verification``, ``person_import``); these forms only collect what was typed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    AnnualAssessment,
    CommissionMember,
    EndReason,
    MediationDetail,
    Person,
    QualificationRoute,
    QuarterDecision,
    Tribunal,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _date(label: Any, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE, **kwargs)


class CommissionDetailForm(forms.Form):
    seat_address = forms.CharField(label=_("Seat"), max_length=200, required=False)
    established_on = _date(_("Established on"), required=False)


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    category = forms.ChoiceField(label=_("Represents"), choices=CommissionMember.Category.choices)
    position = forms.ChoiceField(label=_("Position"), choices=CommissionMember.Position.choices)
    unit = forms.CharField(label=_("Unit and post"), max_length=100, required=False)


class TribunalForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Tribunal.Kind.choices)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    tribunal = forms.ModelChoiceField(
        label=_("Tribunal"), queryset=Tribunal.objects.none(), required=False
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=999, required=False)
    has_recording = forms.BooleanField(label=_("Audio and video recording"), required=False)
    has_online_hearing = forms.BooleanField(label=_("Equipped for online hearings"), required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, commission: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tribunal"].queryset = Tribunal.objects.filter(  # type: ignore[attr-defined]
            commission=commission, is_active=True
        )


class MediationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    short_name = forms.CharField(label=_("Short name"), max_length=30, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=MediationDetail.Kind.choices)
    area = forms.CharField(
        label=_("Area served"),
        max_length=200,
        required=False,
        help_text=_("The streets, parks, industry or enterprise it serves."),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)


class MediationDetailForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MediationDetail.Kind.choices)
    area = forms.CharField(label=_("Area served"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)


class PersonForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Person.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=50)
    sex = forms.ChoiceField(label=_("Sex"), choices=Person.Sex.choices, widget=forms.RadioSelect)
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=18,
        required=False,
        help_text=_("Required for arbitrators. Never published."),
    )
    mobile = forms.CharField(
        label=_("Mobile number"), max_length=11, required=False, help_text=_("Never published.")
    )
    employment = forms.ChoiceField(
        label=_("Full- or part-time"), choices=Person.Employment.choices, widget=forms.RadioSelect
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=100,
        required=False,
        help_text=_("Where a part-timer works; published on the roster."),
    )
    qualification_route = forms.ChoiceField(
        label=_("Qualification (LDMAL art. 20)"),
        choices=[("", "—"), *QualificationRoute.choices],
        required=False,
        help_text=_("Arbitrators only."),
    )
    qualification_evidence = forms.CharField(
        label=_("Supporting document"),
        max_length=200,
        required=False,
        help_text=_("e.g. the title certificate or lawyer's licence and its number."),
    )
    qualification_document = forms.FileField(
        label=_("Scan of the supporting document"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )
    specialties = forms.CharField(label=_("Specialties"), max_length=200, required=False)
    user = forms.ModelChoiceField(
        label=_("Account"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        help_text=_("Link the person's account if they log in."),
    )
    starts_on = _date(_("Appointed from"))
    ends_on = _date(_("Appointed until"), required=False)

    def __init__(
        self, *args: Any, accounts: Any, kinds: Any, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (k.value, k.label) for k in Person.Kind if k.value in kinds
        ]
        if editing:
            for name in ("kind", "starts_on", "ends_on"):
                del self.fields[name]

    def person_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("starts_on", "ends_on", "qualification_document"):
            data.pop(name, None)
        return data


class AppointmentForm(forms.Form):
    starts_on = _date(_("Appointed from"), initial=timezone.localdate)
    ends_on = _date(_("Appointed until"), required=False)


class AppointmentEndForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *EndReason.choices])
    note = forms.CharField(
        label=_("Facts and decision"),
        widget=TEXTAREA,
        required=False,
        help_text=_("Required for a dismissal."),
    )


class TrainingForm(forms.Form):
    completed_on = _date(_("Completed on"))
    hours = forms.DecimalField(
        label=_("Class hours"), max_digits=5, decimal_places=1, min_value=0.5
    )
    course = forms.CharField(label=_("Course"), max_length=200)
    provider = forms.CharField(label=_("Provider"), max_length=100, required=False)


class AssessmentForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    result = forms.ChoiceField(
        label=_("Result"), choices=AnnualAssessment.Result.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class SubmitQuarterForm(forms.Form):
    quarter = forms.ChoiceField(label=_("Quarter"))
    note = forms.CharField(label=_("Note for the reviewer"), widget=TEXTAREA, required=False)

    def __init__(self, *args: Any, quarters: list[tuple[int, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [  # type: ignore[attr-defined]
            (f"{y}-{q}", _("%(year)d Q%(quarter)d") % {"year": y, "quarter": q})
            for y, q in quarters
        ]
        self.fields["quarter"].initial = f"{quarters[-1][0]}-{quarters[-1][1]}"

    def year_quarter(self) -> tuple[int, int]:
        year, quarter = self.cleaned_data["quarter"].split("-")
        return int(year), int(quarter)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comments"),
        widget=TEXTAREA,
        required=False,
        help_text=_("Required when returning: say what must be corrected."),
    )

    def __init__(self, *args: Any, outcomes: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [  # type: ignore[attr-defined]
            (o, QuarterDecision.Outcome(o).label) for o in outcomes
        ]


class ImportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Import into"),
        queryset=None,  # type: ignore[arg-type]
        empty_label=None,
    )
    file = forms.FileField(
        label=_("Sheet (.xlsx)"), help_text=_("Use the template: one person per row.")
    )
    good_rows_only = forms.BooleanField(
        label=_("If some rows are wrong, import the good rows anyway"),
        required=False,
        help_text=_("Left unticked, nothing is imported unless every row is right."),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class PeriodForm(forms.Form):
    start = _date(_("From"))
    end = _date(_("To"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise ValidationError(_("The period ends before it starts."))
            if (end - start).days > 366 * 5:
                raise ValidationError(_("Choose a period of at most five years."))
        return data


def default_period(today: date | None = None) -> tuple[date, date]:
    """This quarter so far."""
    today = today or timezone.localdate()
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
