"""The shape of the hearing steps' input on the case page; the rules are in ``cases.hearings``.

Choices come from ``Options``, computed once per page from rows already loaded, so the forms
add no query of their own when the panel is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..hearings import NOTICE_METHODS
from ..models import Attendance, Hearing, Party, RecordSignature

Choices = list[tuple[str, Any]]
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def _text(label: Any, *, required: bool = False, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


@dataclass
class Options:
    """What the hearing forms of one case offer."""

    rooms: Choices = field(default_factory=list)
    parties: Choices = field(default_factory=list)
    hearings: Choices = field(default_factory=list)  # scheduled: may be postponed
    sessions: Choices = field(default_factory=list)  # opened: have a record
    requests: Choices = field(default_factory=list)
    records: Choices = field(default_factory=list)
    signers: Choices = field(default_factory=list)
    earliest: str = ""


NOTICE_CHOICES: Choices = [("", "—")] + [(m.value, m.label) for m in NOTICE_METHODS]


class BookingFields(forms.Form):
    """When and where: shared by scheduling and by a granted postponement."""

    starts_at = _datetime(_("Starts at"), required=False)
    duration = forms.IntegerField(
        label=_("Duration in minutes"), min_value=15, max_value=720, initial=120, required=False
    )
    room = forms.ChoiceField(label=_("Hearing room"), choices=[], required=False)
    place = forms.CharField(
        label=_("Or another place"),
        required=False,
        max_length=200,
        help_text=_("e.g. the employer's premises in a collective case (办案规则 art. 67)."),
    )
    online = forms.BooleanField(label=_("Online hearing"), required=False)
    notice_method = forms.ChoiceField(
        label=_("Serve the notice on every party by"),
        choices=NOTICE_CHOICES,
        required=False,
        help_text=_(
            "In person: each party signs the notice's receipt now. SMS or telephone only in "
            "simplified handling, and it grounds no default unless the party confirms it."
        ),
    )

    def __init__(self, *args: Any, options: Options, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["room"].choices = [("", "—"), *options.rooms]
        if options.earliest:
            self.fields["starts_at"].help_text = _(
                "Notified today, the hearing can be held on %(date)s at the earliest "
                "(LDMAL art. 35)."
            ) % {"date": options.earliest}


class ScheduleHearingForm(BookingFields):
    pass


class RequestPostponementForm(forms.Form):
    hearing = forms.ChoiceField(label=_("Hearing"), choices=[])
    party = forms.ChoiceField(label=_("Requested by"), choices=[])
    reasons = _text(_("Reasons"), required=False)

    def __init__(self, *args: Any, options: Options, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["hearing"].choices = options.hearings
        self.fields["party"].choices = options.parties


class DecidePostponementForm(BookingFields):
    request = forms.ChoiceField(label=_("Request"), choices=[])
    granted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Grant: postpone to the date below")), ("no", _("Refuse"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reasons = _text(_("Reasons"))

    field_order = ["request", "granted", "reasons"]

    def __init__(self, *args: Any, options: Options, **kwargs: Any):
        super().__init__(*args, options=options, **kwargs)
        self.fields["request"].choices = options.requests


class OpenHearingForm(forms.Form):
    pass


class RecordAttendanceForm(forms.Form):
    party = forms.ChoiceField(label=_("Party"), choices=[])
    presence = forms.ChoiceField(
        label=_("Attendance"), choices=Attendance.Presence.choices, widget=forms.RadioSelect
    )
    justified = forms.BooleanField(label=_("A justified reason was shown"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args: Any, options: Options, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = options.parties


class WriteHearingRecordForm(forms.Form):
    hearing = forms.ChoiceField(label=_("Session"), choices=[])
    text = _text(_("Record"), rows=12)
    correction_reason = _text(_("For a correction: what is corrected and why"))
    requested_by = forms.ChoiceField(label=_("Correction requested by"), choices=[], required=False)

    def __init__(self, *args: Any, options: Options, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["hearing"].choices = options.sessions
        self.fields["requested_by"].choices = [("", _("— the tribunal itself —")), *options.parties]


class SignHearingRecordForm(forms.Form):
    record = forms.ChoiceField(label=_("Version"), choices=[])
    signer = forms.ChoiceField(label=_("Signer"), choices=[])
    method = forms.ChoiceField(
        label=_("How"), choices=RecordSignature.Method.choices, widget=forms.RadioSelect
    )
    refused = forms.BooleanField(
        label=_("Refused to sign (the refusal is recorded)"), required=False
    )

    def __init__(self, *args: Any, options: Options, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = options.records
        self.fields["signer"].choices = options.signers


class CloseHearingForm(forms.Form):
    adjourned = forms.BooleanField(
        label=_("Adjourned: another session will be scheduled"), required=False
    )


class DeemWithdrawnForm(forms.Form):
    reasons = _text(_("Reasons of the decision"))


FORMS: dict[str, type[forms.Form]] = {
    "schedule_hearing": ScheduleHearingForm,
    "request_postponement": RequestPostponementForm,
    "decide_postponement": DecidePostponementForm,
    "open_hearing": OpenHearingForm,
    "record_attendance": RecordAttendanceForm,
    "write_hearing_record": WriteHearingRecordForm,
    "sign_hearing_record": SignHearingRecordForm,
    "close_hearing": CloseHearingForm,
    "deem_withdrawn": DeemWithdrawnForm,
}
TAKES_OPTIONS = frozenset(FORMS) - {"open_hearing", "close_hearing", "deem_withdrawn"}


def make_form(action: str, options: Options, data: Any = None) -> forms.Form:
    form_class = FORMS[action]
    if action in TAKES_OPTIONS:
        return form_class(data, options=options)  # type: ignore[call-arg]
    return form_class(data)


def session_label(hearing: Hearing) -> str:
    return str(_("Session %(session)d, %(time)s")) % {
        "session": hearing.session,
        "time": timezone.localtime(hearing.starts_at).strftime("%Y-%m-%d %H:%M"),
    }


def party_choices(parties: list[Party]) -> Choices:
    return [(str(p.pk), f"{p.name} ({p.get_role_display()})") for p in parties]
