"""The fields of each step of the online application.

Nothing is required at a step: a worker saves what they know and comes back. What is typed must
make sense though (a real ID number, an amount that is not negative, dates in order); each
problem is shown on its field, and what is valid is kept. Completeness is checked on the review
page, where every gap links back to its step.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongcai.cases.application import MAX_AMOUNT, MAX_CLAIMS
from zhongcai.cases.forms import division_choices
from zhongcai.cases.taxonomy import ClaimType
from zhongcai.core.forms import describe_errors
from zhongcai.core.identifiers import validate_credit_code, validate_id_number, validate_mobile
from zhongcai.core.uploads import ACCEPTED_EXTENSIONS
from zhongcai.orgs.models import Division, Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label: Any, *, max_length: int = 100, help_text: Any = "", **attrs: Any) -> Any:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


def province_divisions() -> list[tuple[str, Any]]:
    """Every county-level division of the province, grouped by city, for a <select>."""
    province = Division.objects.filter(level=Division.Level.PROVINCE).order_by("code").first()
    return division_choices(province.code if province else "")


class StepForm(forms.Form):
    """A step: ``values()`` is what is kept — the valid fields, as JSON-ready values.
    ``for_mediation``: the draft asks for mediation first, which some wording must say."""

    def __init__(self, *args: Any, for_mediation: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.for_mediation = for_mediation

    def values(self, previous: dict[str, Any]) -> dict[str, Any]:
        self.is_valid()
        kept = dict(previous)
        for name in self.fields:
            if name in self.errors:
                continue
            value = self.cleaned_data.get(name)
            kept[name] = value.isoformat() if isinstance(value, date) else (value or "")
        return kept

    def describe_errors(self) -> None:
        describe_errors(self)


class YouForm(StepForm):
    name = _text(_("Your full name"), max_length=50, autocomplete="name")
    id_number = _text(
        _("Resident ID number"),
        max_length=18,
        help_text=_("18 characters, as on your ID card."),
        autocomplete="off",
    )
    phone = _text(_("Mobile number"), max_length=11, inputmode="tel", autocomplete="tel-national")
    domicile = _text(
        _("Your address"),
        max_length=200,
        help_text=_("Where you live now."),
        autocomplete="street-address",
    )
    domicile_division = forms.ChoiceField(
        label=_("District or county of your address"), required=False, choices=()
    )
    mailing_address = _text(
        _("Address for letters"),
        max_length=200,
        help_text=_("Leave empty if it is the address above."),
    )
    occupation = _text(_("Your job"), max_length=50, help_text=_("e.g. cashier, driver."))
    # 送达地址确认书: confirmed with the application, so the commission's first documents (the
    # acceptance notice) reach the worker online at once (民诉法 art. 90).
    electronic_service = forms.BooleanField(
        label=_("Send me the commission's documents online"),
        required=False,
        help_text=_(
            "They arrive in your account here, announced by SMS to the mobile number above. A "
            "document sent this way counts as delivered once it reaches your account. Without "
            "this, documents come by post to the address for letters."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domicile_division"].choices = province_divisions()
        if self.for_mediation:  # the commission writes only if mediation fails
            self.fields["electronic_service"].help_text = _(
                "Only if mediation fails and you apply for arbitration: the commission's "
                "documents then arrive in your account here, announced by SMS to the mobile "
                "number above. A document sent this way counts as delivered once it reaches "
                "your account. Without this, documents come by post to the address for letters."
            )

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip()
        return validate_id_number(value) if value else ""

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return validate_mobile(value) if value else ""


class EmployerForm(StepForm):
    name = _text(_("Employer's full name"), max_length=100, help_text=_("As on its licence."))
    credit_code = _text(
        _("Unified social credit code"),
        max_length=18,
        help_text=_("18 characters; on the business licence. Leave empty if you do not know it."),
    )
    domicile = _text(
        _("Employer's address"), max_length=200, help_text=_("Where it is registered.")
    )
    domicile_division = forms.ChoiceField(
        label=_("District or county where the employer is"), required=False, choices=()
    )
    legal_representative = _text(
        _("Legal representative or person in charge"),
        max_length=50,
        help_text=_("Printed on the business licence."),
    )
    legal_representative_title = _text(
        _("Their position"), max_length=50, help_text=_("e.g. 执行董事, 总经理, 经营者.")
    )
    phone = _text(_("Employer's phone"), max_length=20, inputmode="tel")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domicile_division"].choices = province_divisions()

    def clean_credit_code(self) -> str:
        value = self.cleaned_data["credit_code"].strip()
        return validate_credit_code(value) if value else ""

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if value and not all(c.isdigit() or c in "-+ ()" for c in value):
            raise ValidationError(_("Enter a phone number of digits."))
        return value


class WorkForm(StepForm):
    started_on = forms.DateField(label=_("First day of work"), required=False, widget=DATE)
    still_employed = forms.ChoiceField(
        label=_("Do you still work there?"),
        required=False,
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
    )
    ended_on = forms.DateField(
        label=_("Last day of work"),
        required=False,
        widget=DATE,
        help_text=_("If you no longer work there."),
    )
    knew_on = forms.DateField(
        label=_("When did you learn that your rights were infringed?"),
        required=False,
        widget=DATE,
        help_text=_("e.g. the day wages were not paid, or the day you were dismissed."),
    )
    workplace_division = forms.ChoiceField(
        label=_("Where did you work?"),
        required=False,
        choices=(),
        help_text=_("The district or county of your workplace."),
    )
    facts = forms.CharField(
        label=_("What happened, in your own words"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("When you started, your job and wage, what the employer did, what you ask."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workplace_division"].choices = province_divisions()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        today = timezone.localdate()
        for name in ("started_on", "ended_on", "knew_on"):
            if data.get(name) and data[name] > today:
                self.add_error(name, _("This date is in the future."))
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started and "ended_on" not in self.errors:
            self.add_error("ended_on", _("The last day of work is before the first."))
        if data.get("still_employed") == "yes" and ended and "ended_on" not in self.errors:
            self.add_error(
                "ended_on", _("You said you still work there: leave the last day empty.")
            )
        return data


class ClaimForm(forms.Form):
    type = forms.ChoiceField(
        label=_("What you claim"),
        required=False,
        choices=[("", _("— choose —")), *ClaimType.choices],
    )
    amount = forms.CharField(
        label=_("Amount (yuan)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Leave empty if the claim is not about money."),
    )
    description = forms.CharField(
        label=_("Describe the claim"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. 支付 2026 年 6 月至 8 月拖欠工资."),
    )

    def __init__(self, *args: Any, for_mediation: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if for_mediation:  # what is asked of the other side, not of the commission
            self.fields["type"].label = _("Type of claim")

    def clean_amount(self) -> str:
        raw = self.cleaned_data["amount"].strip().replace(",", "").replace("，", "")
        if not raw:
            return ""
        try:
            amount = Decimal(raw)
            if not amount.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise ValidationError(_("Enter the amount as a number of yuan, e.g. 12000.")) from None
        if amount < 0:
            raise ValidationError(_("The amount cannot be negative."))
        if amount > MAX_AMOUNT:
            raise ValidationError(_("The amount is too large."))
        return str(amount.quantize(Decimal("0.01")))

    def is_blank(self) -> bool:
        return not any(str(self.data.get(self.add_prefix(n), "")).strip() for n in self.fields)


class BaseClaimFormSet(forms.BaseFormSet):
    def values(self) -> list[dict[str, Any]]:
        """The rows kept: every row not blank and not removed, with its valid fields.

        A post without the formset's own fields (a tampered or truncated form) is refused
        whole: it must not save "no claims" over the worker's claims."""
        if not self.management_form.is_valid():
            raise ValidationError(_("The form was incomplete; nothing was saved. Try again."))
        self.is_valid()
        kept = []
        for form in self.forms:
            if form.is_blank() or (self.can_delete and self._should_delete_form(form)):
                continue
            kept.append(
                {
                    name: (form.cleaned_data.get(name) or "")
                    for name in ("type", "amount", "description")
                    if name not in form.errors
                }
            )
        return kept

    def describe_errors(self) -> None:
        for form in self.forms:
            StepForm.describe_errors(form)  # type: ignore[arg-type]


ClaimFormSet = forms.formset_factory(
    ClaimForm,
    formset=BaseClaimFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_CLAIMS,
    absolute_max=MAX_CLAIMS,
)


class AttachmentForm(forms.Form):
    title = forms.CharField(
        label=_("What the file shows"),
        max_length=200,
        required=False,
        help_text=_("e.g. pay slips for May, the labour contract, chat messages."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, photo, Word or Excel, text, sound or video; at most %(max)d MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )

    def __init__(self, *args: Any, max_mb: int = 20, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text % {"max": max_mb}


def commission_choices() -> list[tuple[str, Any]]:
    """Every active commission, grouped by city, when none was found competent."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for pk, name, code in (
        Organisation.objects.filter(type=Organisation.Type.COMMISSION, is_active=True)
        .order_by("division_id", "name")
        .values_list("pk", "name", "division_id")
    ):
        groups.setdefault(code[:4], []).append((str(pk), name))
    cities = dict(
        Division.objects.filter(code__in=[f"{c}00" for c in groups]).values_list("code", "name")
    )
    return [("", _("— choose —"))] + [
        (cities.get(f"{city}00", city), options) for city, options in groups.items()
    ]
