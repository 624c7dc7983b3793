"""The shape of the registry's and the settings' input; the rules live in ``registry``."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongcai.cases.models import CommissionProfile

PROFILE = CommissionProfile._meta


class TemplateVersionForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 28, "class": "template-text", "spellcheck": "false"}),
        help_text=_(
            "One line, one block: @caption, @title, @number, @to, @heading, @item, @field, "
            "@header, @row, @sign, @date, @seal, @note, @plain, @space, @pagebreak; any other "
            "line is a paragraph. Django template tags and the filters cn_date, date_text, "
            "cn_count, yuan, capitals and stop may be used."
        ),
    )
    effective_from = forms.DateField(
        label=_("Effective from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today or later. Documents issued before this date keep their text."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["effective_from"].initial = timezone.localdate()


class PreviewCaseForm(forms.Form):
    """Which case a preview renders: one of the user's cases, or the sample."""

    case = forms.TypedChoiceField(label=_("Case"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: object, cases: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["case"].choices = [("", _("Sample case")), *cases]  # type: ignore[attr-defined]


def _text(name: str, label: object, **kwargs: object) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=PROFILE.get_field(name).max_length,
        required=False,
        help_text=PROFILE.get_field(name).help_text,
        **kwargs,  # type: ignore[arg-type]
    )


class DocumentSettingsForm(forms.Form):
    document_name = _text("document_name", _("Name on documents"))
    abbreviation = _text("abbreviation", _("Abbreviation"))
    case_number_format = _text("case_number_format", _("Case-number format"))
    address = _text("address", _("Address"))
    postcode = _text("postcode", _("Postcode"))
    phone = _text("phone", _("Phone"))
    office_hours = _text("office_hours", _("Counter hours"))
    seal = forms.FileField(
        label=_("Seal image"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
        help_text=_(
            "PNG (transparent background) or JPEG, at most 2 MB, about square. Empty: "
            "documents carry a seal drawn from the name, marked 样章."
        ),
    )
    remove_seal = forms.BooleanField(
        label=_("Remove the uploaded seal and use the drawn one"), required=False
    )
