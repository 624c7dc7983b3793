"""The public claim calculator page: pick an item, fill in a short form, read the result.

Nothing is stored, so the form is a GET and a result can be bookmarked or shared.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from zhongcai.core.forms import describe_errors
from zhongcai.orgs.models import Division

from . import calculator
from .average_wages import NoAverageWage, city_code, divisions

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _wage_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )


class _CalculatorForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        try:
            self.result = self.compute(data)
        except (calculator.CalculatorError, NoAverageWage) as exc:
            field = exc.field if exc.field in self.fields else None
            self.add_error(field, exc.message)
        return data

    def compute(self, data: dict[str, Any]) -> calculator.Result:
        raise NotImplementedError


def city_choices() -> list[tuple[str, str]]:
    """Every city of the loaded province, then places that only the wage data knows.

    A city without its own figure stays selectable: the calculator then uses the province's
    figure and says so.
    """
    choices = {
        city_code(code): name
        for code, name in Division.objects.filter(level=Division.Level.PREFECTURE)
        .order_by("code")
        .values_list("code", "name")
    }
    for code, name in divisions():
        choices.setdefault(code, name)
    return list(choices.items())


class CompensationForm(_CalculatorForm):
    division = forms.ChoiceField(
        label=_("City where the employer is"),
        choices=(),
        help_text=_("Its average wage of the year before the contract ended sets the cap."),
    )
    start = forms.DateField(label=_("First day of work"), widget=DATE)
    end = forms.DateField(label=_("Last day of the contract"), widget=DATE)
    monthly_wage = _wage_field(_("Average monthly wage of the last 12 months (yuan, before tax)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = city_choices()

    def compute(self, data: dict[str, Any]) -> calculator.Result:
        return calculator.economic_compensation(
            start=data["start"],
            end=data["end"],
            monthly_wage=data["monthly_wage"],
            division_code=data["division"],
        )


class DamagesForm(CompensationForm):
    def compute(self, data: dict[str, Any]) -> calculator.Result:
        return calculator.unlawful_termination_damages(
            start=data["start"],
            end=data["end"],
            monthly_wage=data["monthly_wage"],
            division_code=data["division"],
        )


class DoubleWagesForm(_CalculatorForm):
    start = forms.DateField(label=_("First day of work"), widget=DATE)
    contract_signed_on = forms.DateField(
        label=_("Day a written contract was signed"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty if no written contract was ever signed."),
    )
    last_day = forms.DateField(
        label=_("Last day of work (or today if you still work there)"), widget=DATE
    )
    monthly_wage = _wage_field(_("Monthly wage (yuan, before tax)"))

    def compute(self, data: dict[str, Any]) -> calculator.Result:
        return calculator.double_wages(
            start=data["start"],
            last_day=data["last_day"],
            monthly_wage=data["monthly_wage"],
            contract_signed_on=data.get("contract_signed_on"),
        )


class AnnualLeaveForm(_CalculatorForm):
    monthly_wage = _wage_field(_("Average monthly wage without overtime pay (yuan)"))
    cumulative_years = forms.DecimalField(
        label=_("Years you have worked in total, with all employers"),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1", "min": "0"}),
    )
    period_start = forms.DateField(
        label=_("From"),
        widget=DATE,
        help_text=_("1 January, or the day you joined if you joined during the year."),
    )
    period_end = forms.DateField(
        label=_("To"),
        widget=DATE,
        help_text=_("31 December, or the day the contract ended. Same year as above."),
    )
    days_taken = forms.IntegerField(
        label=_("Leave days already taken in that year"),
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
    )

    def compute(self, data: dict[str, Any]) -> calculator.Result:
        return calculator.annual_leave(
            monthly_wage=data["monthly_wage"],
            cumulative_years=data["cumulative_years"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            days_taken=data["days_taken"],
        )


def _hours_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=7,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5", "min": "0"}),
    )


class OvertimeForm(_CalculatorForm):
    monthly_wage = _wage_field(_("Monthly wage (yuan, before tax)"))
    workday_hours = _hours_field(_("Hours worked after normal hours on workdays"))
    rest_day_hours = _hours_field(_("Hours worked on rest days without time off in return"))
    holiday_hours = _hours_field(_("Hours worked on statutory holidays"))

    def compute(self, data: dict[str, Any]) -> calculator.Result:
        return calculator.overtime_pay(
            monthly_wage=data["monthly_wage"],
            workday_hours=data.get("workday_hours") or Decimal(0),
            rest_day_hours=data.get("rest_day_hours") or Decimal(0),
            holiday_hours=data.get("holiday_hours") or Decimal(0),
        )


ITEMS: dict[str, tuple[Any, type[_CalculatorForm]]] = {
    "compensation": (_("Economic compensation (N)"), CompensationForm),
    "damages": (_("Unlawful termination (2N)"), DamagesForm),
    "double_wages": (_("No written contract (double wages)"), DoubleWagesForm),
    "annual_leave": (_("Unused annual leave"), AnnualLeaveForm),
    "overtime": (_("Overtime pay"), OvertimeForm),
}


def calculator_page(request: HttpRequest) -> HttpResponse:
    item = request.GET.get("item", "compensation")
    if item not in ITEMS:
        item = "compensation"
    title, form_class = ITEMS[item]
    result = None
    if "calculate" in request.GET:
        form = form_class(request.GET)
        if form.is_valid():
            result = form.result
        else:
            describe_errors(form)
    else:
        form = form_class()
    return render(
        request,
        "portal/calculator.html",
        {
            "items": [(key, label) for key, (label, _form) in ITEMS.items()],
            "item": item,
            "item_title": title,
            "form": form,
            "result": result,
        },
    )


calculator_urlpatterns: list[Any] = [
    path("calculator/", calculator_page, name="calculator"),
]
