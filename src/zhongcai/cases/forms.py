"""The shape of the intake pages' input. Every rule is in ``application.clean_application`` and
the services; these forms only collect what was typed, so that the service can list every problem
at once and the page can put each message next to its field.

Fields are deliberately lenient (text, not typed fields): a form that refused a date or an
amount by itself would hide the service's other findings until the next round trip.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhongcai.orgs.models import Division

from .industries import industry_choices
from .models import Agent, Channel, Party
from .taxonomy import Category, Cause, ClaimType, NotLaborDispute, PersonnelSubtype, RefusalGround

Choices = list[tuple[str, Any]]

TEXTAREA = {"rows": 4}


def division_choices(province: str) -> Choices:
    """The divisions of one province for a select, grouped by city (one query)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name, level in Division.objects.filter(code__startswith=province[:2]).values_list(
        "code", "name", "level"
    ):
        if level == Division.Level.PROVINCE:
            continue
        group = groups.setdefault(code[:4], [])
        group.append((code, name))
    choices: Choices = [("", _("— not known —"))]
    for options in groups.values():
        # The city itself opens its group and names it.
        choices.append((options[0][1], options))
    return choices


def _text(label: Any, *, area: bool = False, help_text: Any = "", **attrs: Any) -> forms.Field:
    widget = forms.Textarea(attrs={**TEXTAREA, **attrs}) if area else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=False, widget=widget, help_text=help_text)


class ChineseOptionsSelect(forms.Select):
    """A select whose option labels are Chinese data in any interface language (the sections
    of GB/T 4754 under the standard's own names): each option is marked lang="zh-Hans"."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if option["value"]:
            option["attrs"]["lang"] = "zh-Hans"
        return option


def _select(label: Any, choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, required=False, **kwargs)


class CaseForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How the application is made"),
        choices=[(c.value, c.label) for c in (Channel.COUNTER, Channel.ORAL)],
        initial=Channel.COUNTER,
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(
        label=_("Kind of dispute"),
        choices=Category.choices,
        initial=Category.LABOR,
        widget=forms.RadioSelect,
    )
    personnel_subtype = _select(
        _("Kind of personnel dispute"), [("", "—"), *PersonnelSubtype.choices]
    )
    causes = forms.MultipleChoiceField(
        label=_("Causes"),
        choices=Cause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The first one ticked is the main cause."),
    )
    facts_and_reasons = _text(_("Facts and reasons"), area=True)
    evidence_summary = _text(
        _("Evidence"),
        area=True,
        help_text=_("Evidence, its sources, witnesses' names and addresses."),
    )
    workplace_division = _select(
        _("Where the work is performed"),
        [],
        help_text=_("Place of performance of the labor contract; decides jurisdiction."),
    )
    collective = forms.BooleanField(
        label=_("Collective dispute (10 or more workers with a common claim)"), required=False
    )
    simplified = forms.BooleanField(label=_("Simplified handling"), required=False)
    public_hearing = forms.BooleanField(label=_("Public hearing"), required=False, initial=True)
    not_labor_flags = forms.MultipleChoiceField(
        label=_("Signs that this is not a labor dispute"),
        choices=NotLaborDispute.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, divisions: Choices, with_channel: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["workplace_division"].choices = divisions
        if not with_channel:
            del self.fields["channel"]


# Which fields belong to which kind of party; the page hides the other kind's with CSS.
WORKER_FIELDS = ("id_number", "sex", "birth_date", "occupation", "is_representative")
# The domicile's division matters for an employer (jurisdiction by its location), not a worker.
EMPLOYER_FIELDS = (
    "credit_code",
    "legal_representative",
    "legal_representative_title",
    "dispatch_role",
    "industry",
    "registration_type",
    "domicile_division",
)
PARTY_TEXT = (
    "name",
    "id_number",
    "birth_date",
    "occupation",
    "credit_code",
    "legal_representative",
    "legal_representative_title",
    "domicile",
    "mailing_address",
    "phone",
)


INDUSTRY_INVALID = _("Choose a section of GB/T 4754 from the list.")
REGISTRATION_TYPE_INVALID = _("Choose a registration type from the list.")


class RowForm(forms.Form):
    """A row of a formset: blank rows are skipped, not refused."""

    text_fields: tuple[str, ...] = ()
    title: str = ""

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(str(data.get(name) or "").strip() for name in self.text_fields)

    def is_deleted(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get("DELETE"))


class PartyForm(RowForm):
    text_fields = PARTY_TEXT
    default_kind = Party.Kind.WORKER

    kind = forms.ChoiceField(
        label=_("Worker or employer"), choices=Party.Kind.choices, widget=forms.RadioSelect
    )
    name = _text(_("Name"), autocomplete="off")
    id_number = _text(_("ID number"), autocomplete="off", maxlength=18)
    sex = _select(_("Sex"), [("", "—"), *Party.Sex.choices])
    birth_date = _text(
        _("Date of birth"), type="date", help_text=_("Filled from the ID number if left empty.")
    )
    occupation = _text(_("Occupation"))
    credit_code = _text(_("Unified social credit code"), autocomplete="off", maxlength=18)
    legal_representative = _text(_("Legal representative or principal"))
    legal_representative_title = _text(_("Position of the legal representative"))
    dispatch_role = _select(_("Labor dispatch"), Party.DispatchRole.choices)
    industry = _select(
        _("Industry (GB/T 4754 section)"),
        [("", "—"), *industry_choices()],
        help_text=_("For the statistics; may be completed at acceptance."),
        error_messages={"invalid_choice": INDUSTRY_INVALID},
        widget=ChineseOptionsSelect,
    )
    registration_type = _select(
        _("Registration type"),
        [("", "—"), *Party.RegistrationType.choices],
        error_messages={"invalid_choice": REGISTRATION_TYPE_INVALID},
    )
    domicile = _text(_("Domicile"))
    domicile_division = _select(
        _("Division of the domicile"),
        [],
        help_text=_("Where the employer is registered or has its principal office."),
    )
    mailing_address = _text(_("Mailing address"))
    phone = _text(_("Phone"), inputmode="tel", autocomplete="off")
    is_representative = forms.BooleanField(
        label=_("Elected representative of the collective case"), required=False
    )

    def __init__(self, *args: Any, divisions: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = self.default_kind
        self.fields["domicile_division"].choices = divisions

    def to_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("DELETE", None)
        kind = data.get("kind") or self.default_kind
        data["kind"] = kind
        # A field of the other kind may still hold what was typed before the kind changed. The
        # division is kept: it is hidden for a worker only because jurisdiction never reads it.
        for name in EMPLOYER_FIELDS if kind == Party.Kind.WORKER else WORKER_FIELDS:
            if name != "domicile_division":
                data[name] = False if name == "is_representative" else ""
        return data

    def worker_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in WORKER_FIELDS]

    def employer_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in EMPLOYER_FIELDS]

    def common_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("domicile", "mailing_address", "phone")]


class RespondentForm(PartyForm):
    default_kind = Party.Kind.EMPLOYER


class ThirdPartyForm(PartyForm):
    default_kind = Party.Kind.EMPLOYER


class AgentForm(RowForm):
    text_fields = ("name", "id_number", "phone", "firm")

    party = forms.ChoiceField(label=_("Acts for"), choices=[])
    name = _text(_("Name of the agent"), autocomplete="off")
    kind = forms.ChoiceField(label=_("Kind of agent"), choices=Agent.Kind.choices)
    authority = forms.ChoiceField(label=_("Authority"), choices=Agent.Authority.choices)
    id_number = _text(_("ID number"), autocomplete="off", maxlength=18)
    phone = _text(_("Phone"), inputmode="tel", autocomplete="off")
    firm = _text(_("Law firm or organisation"))
    power_of_attorney_received = forms.BooleanField(
        label=_("Power of attorney received"), required=False
    )

    def __init__(self, *args: Any, parties: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = parties

    def to_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("DELETE", "party"):
            data.pop(name, None)
        return data


class ClaimForm(RowForm):
    text_fields = ("description", "amount")

    type = forms.ChoiceField(label=_("Type of claim"), choices=ClaimType.choices)
    description = _text(_("What is claimed"), area=True, rows=2)
    amount = _text(_("Amount (yuan)"), inputmode="decimal", autocomplete="off")

    def to_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "DELETE"}


# --- the decision forms on the case page -----------------------------------------------------


class ActionForm(forms.Form):
    def add_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for key, messages in error.message_dict.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)


class SubmitForm(ActionForm):
    allow_incomplete = forms.BooleanField(
        label=_("Receive it although items are missing; the one-time correction notice follows"),
        required=False,
    )
    applicant_confirmed = forms.BooleanField(
        label=_("The applicant confirmed the record by signature, seal or fingerprint"),
        required=False,
    )

    def __init__(self, *args: Any, incomplete: bool, oral: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not incomplete:
            del self.fields["allow_incomplete"]
        if not oral:
            del self.fields["applicant_confirmed"]


class CorrectionNoticeForm(ActionForm):
    items = forms.CharField(
        label=_("What the applicant must complete or correct, one item a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The items the system finds missing are always included."),
    )

    def item_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


def _employer_class_fields(form: forms.Form, employer: Party | None) -> None:
    """The employer's GB/T 4754 section and registration type, for the statistics (spec §7.2
    "by employer"), offered with what was recorded; without an employer, not offered."""
    if employer is None:
        return
    form.fields["employer_industry"] = forms.ChoiceField(
        label=_("Employer's industry (GB/T 4754)"),
        required=False,
        choices=[("", "—"), *industry_choices()],
        widget=ChineseOptionsSelect,
        initial=employer.industry,
    )
    form.fields["employer_registration_type"] = forms.ChoiceField(
        label=_("Employer's registration type"),
        required=False,
        choices=[("", "—"), *Party.RegistrationType.choices],
        initial=employer.registration_type,
    )


class AcceptForm(ActionForm):
    warnings_acknowledged = forms.BooleanField(
        label=_("I have read the warnings above"), required=False
    )

    def __init__(
        self, *args: Any, has_warnings: bool, employer: Party | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        if not has_warnings:
            del self.fields["warnings_acknowledged"]
        # An online application seldom says them; the officer records them when accepting.
        _employer_class_fields(self, employer)

    def add_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict") and "warnings" in error.error_dict:
            # The warnings themselves are already on the page; say what to do about them.
            error = ValidationError(
                {k: v for k, v in error.error_dict.items() if k != "warnings"}
                | {"warnings_acknowledged": [_("Confirm that you have read the warnings.")]}
            )
        super().add_errors(error)


class EmployerClassForm(forms.Form):
    """The employer's class for the statistics, after acceptance (``employer_classify``)."""

    def __init__(self, *args: Any, employer: Party, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _employer_class_fields(self, employer)


class RefuseForm(ActionForm):
    ground = forms.ChoiceField(
        label=_("Ground"), choices=[("", "—"), *RefusalGround.choices], required=False
    )
    reasons = _text(_("Reasons"), area=True)
    legal_basis = _text(_("Legal basis"), help_text=_("The law and its articles."))


class RedirectForm(ActionForm):
    to = forms.ChoiceField(
        label=_("Competent commission"),
        choices=[],
        error_messages={"required": _("Name the competent arbitration commission.")},
    )
    reasons = _text(_("Reasons"), area=True)

    def __init__(self, *args: Any, commissions: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = commissions
