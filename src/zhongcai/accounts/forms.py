from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from zhongcai.core.forms import DescribedErrorsForm

from .models import AgentProfile, Role


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("User name or mobile number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "The user name or password is wrong. After %(limit)s failed attempts the account "
            "is locked for a while."
        ),
        "inactive": _("This account is disabled."),
    }

    def get_invalid_login_error(self) -> forms.ValidationError:
        from django.conf import settings

        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )


class RegistrationForm(DescribedErrorsForm):
    """The shape of a registration; the rules are in ``services.public_user_register``."""

    role = forms.ChoiceField(
        label=_("I am"),
        choices=[(r.value, r.label) for r in (Role.WORKER, Role.EMPLOYER, Role.AGENT)],
        initial=Role.WORKER,
        widget=forms.RadioSelect,
    )
    real_name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=18,
        min_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}),
    )
    mobile_code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=6,
        required=False,
        help_text=_("Press “Send me a code”; the SMS arrives within a minute."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


# Errors tied to their inputs (``accounts/_fields.html`` renders the ids).
DescribedErrorsMixin = DescribedErrorsForm


class EmployerRegistrationForm(DescribedErrorsMixin):
    """The shape only; the rules are in ``services.employer_register``."""

    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        help_text=_("18 characters, on the business licence."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    name = forms.CharField(
        label=_("Employer name"),
        max_length=100,
        help_text=_("As on the business licence."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    proof = forms.FileField(
        label=_("Business licence and letter of authorisation"),
        required=False,
        help_text=_(
            "One PDF or photo of the business licence and of the letter, stamped by the "
            "employer, that authorises you to act for it. The commission checks them before you "
            "see any case; you may also show them at its counter."
        ),
    )


class EmployerMemberAddForm(DescribedErrorsMixin):
    mobile = forms.CharField(
        label=_("Colleague's mobile number"),
        max_length=20,
        help_text=_("The number your colleague registered with as an employer."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    is_admin = forms.BooleanField(
        label=_("May also add and remove staff (administrator)"), required=False
    )


class AgentProfileForm(DescribedErrorsMixin):
    kind = forms.ChoiceField(
        label=_("I act as"),
        choices=AgentProfile.Kind.choices,
        widget=forms.RadioSelect,
    )
    licence_number = forms.CharField(
        label=_("Practising licence number"),
        max_length=30,
        required=False,
        help_text=_("Lawyers: the 17 digits of the practising licence."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    firm = forms.CharField(
        label=_("Law firm or organisation"),
        max_length=100,
        required=False,
        help_text=_("Lawyers: the law firm. Others: the legal service office or union, if any."),
    )
