"""The shape of the tribunal stage's input. The rules (who may sit, when a reason is needed, when
a recusal is too late) are in ``cases.tribunal``; these forms collect what was chosen and typed,
so the service can say what is wrong next to the field it concerns.

Choices list every appointed person of the commission, each excluded one with the reason: an
officer sees why someone is missing rather than wondering, and the service refuses them anyway.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import (
    Party,
    RecusalApplication,
    RecusalGround,
    TribunalKind,
    TribunalMember,
)
from ..tribunal import Exclusion, Mode, Pool

TEXTAREA = {"rows": 3}
Choices = list[tuple[Any, Any]]


def _reason(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs=TEXTAREA))


def person_choices(pool: Pool) -> Choices:
    choices: Choices = []
    for person in pool.people:
        why = pool.excluded.get(person.pk)
        label = f"{person.name} — {Exclusion(why).label}" if why else person.name
        choices.append((person.pk, label))
    return choices


def seat_label(member: TribunalMember) -> str:
    label = f"{member.get_seat_display()}: {member.person.name}"
    if member.ended_at is not None:
        return _("%(seat)s (left the tribunal: to be filled)") % {"seat": label}
    return label


class TribunalForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Tribunal"), choices=TribunalKind.choices, widget=forms.RadioSelect
    )
    mode = forms.ChoiceField(
        label=_("How the arbitrators are chosen"),
        choices=Mode.choices,
        widget=forms.RadioSelect,
        initial=Mode.DRAW,
    )
    designated = forms.TypedMultipleChoiceField(
        label=_("Designated arbitrators"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a designation only: one arbitrator, or three."),
    )
    presiding = forms.TypedChoiceField(
        label=_("Presiding arbitrator"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_(
            "Three arbitrators: designated here (with a reason), or else the first drawn or "
            "designated presides."
        ),
    )
    recorder = forms.TypedChoiceField(label=_("Recorder"), coerce=int, empty_value=None)
    reason = _reason(_("Reason for the designation"))

    def __init__(
        self, data: Any = None, *, arbitrators: Pool, recorders: Pool, three_required: bool
    ) -> None:
        super().__init__(data, prefix="tribunal")
        choices = person_choices(arbitrators)
        self.fields["designated"].choices = choices  # type: ignore[attr-defined]
        self.fields["presiding"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]
        self.fields["recorder"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *person_choices(recorders),
        ]
        self.fields["kind"].initial = TribunalKind.THREE if three_required else TribunalKind.SOLE
        if three_required:
            self.fields["kind"].help_text = _(
                "A collective or major case is heard by three arbitrators (LDMAL art. 31)."
            )


class ReplaceForm(forms.Form):
    member = forms.TypedChoiceField(label=pgettext_lazy("tribunal seat", "Seat"), coerce=int)
    mode = forms.ChoiceField(
        label=_("How the new member is chosen"),
        choices=Mode.choices,
        widget=forms.RadioSelect,
        initial=Mode.DRAW,
    )
    person = forms.TypedChoiceField(
        label=_("Designated person"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("For a designation, and always for the recorder."),
    )
    reason = _reason(_("Reason for the replacement"))

    def __init__(
        self,
        data: Any = None,
        *,
        seats: list[TribunalMember],
        arbitrators: Pool,
        recorders: Pool,
    ) -> None:
        super().__init__(data, prefix="replace")
        self.fields["member"].choices = [(m.pk, seat_label(m)) for m in seats]  # type: ignore[attr-defined]
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            (_("Arbitrators"), person_choices(arbitrators)),
            (_("Recorders"), person_choices(recorders)),
        ]


class RecusalApplyForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Member challenged"), coerce=int)
    applicant = forms.TypedChoiceField(
        label=_("Applicant"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    ground = forms.ChoiceField(label=_("Ground (LDMAL art. 33)"), choices=RecusalGround.choices)
    reasons = _reason(_("Facts and reasons"))
    learned_later = forms.BooleanField(
        label=_("The ground became known only after the hearing began"), required=False
    )

    def __init__(
        self, data: Any = None, *, seats: list[TribunalMember], parties: list[Party]
    ) -> None:
        super().__init__(data, prefix="recusal")
        self.fields["member"].choices = [(m.pk, seat_label(m)) for m in seats]  # type: ignore[attr-defined]
        self.fields["applicant"].choices = [  # type: ignore[attr-defined]
            ("", _("None: the member withdraws of their own accord")),
            *[(p.pk, f"{p.get_role_display()}: {p.name}") for p in parties],
        ]


class RecusalDecideForm(forms.Form):
    application = forms.TypedChoiceField(label=_("Application"), coerce=int)
    upheld = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Upheld: the member withdraws")), ("no", _("Rejected"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reasons = _reason(_("Reasons"))

    def __init__(self, data: Any = None, *, pending: list[RecusalApplication]) -> None:
        super().__init__(data, prefix="decide")
        self.fields["application"].choices = [  # type: ignore[attr-defined]
            (
                a.pk,
                f"{a.member.person.name} · {a.get_ground_display()} · {a.filed_at:%Y-%m-%d}",
            )
            for a in pending
        ]


class RelationForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the person or unit"),
        required=False,
        max_length=100,
        help_text=_("Exactly as it would appear in an application."),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        required=False,
        max_length=18,
        help_text=_("Optional: matches any party or agent with this number."),
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        required=False,
        max_length=18,
        help_text=_("Optional: matches an employer with this code."),
    )
    relation = forms.CharField(label=_("Relation"), required=False, max_length=200)

    def __init__(self, data: Any = None, *, person_pk: int) -> None:
        super().__init__(data, prefix=f"person{person_pk}")
