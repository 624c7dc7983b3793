"""The shape of the mediation, award and court-notice steps' input. Rules live in
``cases.award`` and ``cases.postaward``.

Choices of parties, claims, awards and arbitrators come from the case itself: a number from
another case is "not a valid choice", never a way into it. The award form has one group of fields
per claim still to be ruled on, and a few spare groups for items that answer no claim of the
application (a counter-claim); the service checks every claim is ruled on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhongcai.orgs.models import Person

from ..models import (
    Award,
    AwardDraft,
    AwardItem,
    Case,
    ClaimClass,
    ClaimItem,
    CourtNotice,
    MediationAttempt,
    Party,
    TribunalKind,
    TribunalMember,
)
from ..taxonomy import MONEY_CLAIMS

TEXTAREA = {"rows": 3}
SPARE_ITEMS = 2  # items that answer no claim of the application


class PartyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_role_display()})"


class ClaimChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        amount = f" · {obj.amount}" if obj.amount is not None else ""
        return f"{obj.number}. {obj.get_type_display()}{amount}"


class AwardChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.document.title} · {obj.made_at:%Y-%m-%d}"


def _text(label: Any, *, area: bool = False, help_text: Any = "", rows: int = 3) -> forms.Field:
    widget = forms.Textarea(attrs={"rows": rows}) if area else forms.TextInput()
    return forms.CharField(label=label, required=False, widget=widget, help_text=help_text)


def parties_of(case: Case) -> QuerySet[Party]:
    return case.parties.order_by("role", "pk")


class MediationAttemptForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", "—"), *MediationAttempt.Outcome.choices],
        error_messages={"required": _("Choose the outcome of the mediation.")},
    )
    note = _text(_("Note"), area=True)

    def __init__(self, *args: Any, case: Case, **kwargs: Any):
        super().__init__(*args, **kwargs)


class MediationDocumentForm(forms.Form):
    agreement = _text(
        _("What the parties agreed"),
        area=True,
        rows=5,
        help_text=_("One item a line. The 调解书 takes effect when both sides sign its receipt."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any):
        super().__init__(*args, **kwargs)


class ConfirmForm(forms.Form):
    def __init__(self, *args: Any, case: Case, **kwargs: Any):
        super().__init__(*args, **kwargs)


@dataclass(frozen=True)
class ItemGroup:
    """The fields of one ruling item, for the template to show together."""

    prefix: str
    legend: str
    claim: ClaimItem | None
    fields: list[forms.BoundField]


ITEM_FIELDS = (
    "outcome",
    "ruling",
    "amount",
    "obligor",
    "obligee",
    "perform_within_days",
    "claim_class",
)


class AwardForm(forms.Form):
    """The award or a partial award: a group of fields per claim, then the reasons."""

    facts = _text(_("Facts found (经审理查明)"), area=True, rows=5)
    reasoning = _text(_("The tribunal's reasons (本委认为)"), area=True, rows=5)
    legal_basis = _text(_("Legal basis"), area=True, help_text=_("Law and article, one a line."))
    dissenting = forms.ModelChoiceField(
        label=_("Dissenting arbitrator"), queryset=Person.objects.none(), required=False
    )
    dissent = _text(_("Dissenting opinion (LDMAL art. 45)"), area=True)

    def __init__(self, *args: Any, case: Case, partial: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.case = case
        self.partial = partial
        parties = parties_of(case)
        ruled = set(
            AwardItem.objects.filter(
                award__case=case, award__kind=Award.Kind.PARTIAL, claim__isnull=False
            ).values_list("claim_id", flat=True)
        )
        self.claims = [c for c in case.claims.order_by("number") if c.pk not in ruled]
        respondent = next((p for p in parties if p.role == Party.Role.RESPONDENT), None)
        applicant = next((p for p in parties if p.role == Party.Role.APPLICANT), None)
        self.prefixes: list[tuple[str, ClaimItem | None]] = [
            (f"claim{c.pk}", c) for c in self.claims
        ] + [(f"spare{n}", None) for n in range(1, SPARE_ITEMS + 1)]
        for prefix, claim in self.prefixes:
            self.fields[f"{prefix}_outcome"] = forms.ChoiceField(
                label=_("Outcome"),
                choices=[("", _("— not ruled here —")), *AwardItem.Outcome.choices],
                required=False,
            )
            self.fields[f"{prefix}_ruling"] = _text(_("Ruling"), area=True, rows=2)
            self.fields[f"{prefix}_amount"] = forms.DecimalField(
                label=_("Amount awarded (yuan)"),
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
            )
            for name, label in (("obligor", _("Who performs")), ("obligee", _("For whom"))):
                self.fields[f"{prefix}_{name}"] = PartyChoice(
                    label=label, queryset=parties, required=False
                )
            self.fields[f"{prefix}_perform_within_days"] = forms.IntegerField(
                label=_("Days to perform"), required=False, min_value=0
            )
            self.fields[f"{prefix}_claim_class"] = forms.ChoiceField(
                label=_("Class for the final-award test"),
                choices=[("", _("By the claim's type")), *ClaimClass.choices],
                required=False,
            )
            if claim is not None:
                self.initial.setdefault(f"{prefix}_obligor", respondent.pk if respondent else None)
                self.initial.setdefault(f"{prefix}_obligee", applicant.pk if applicant else None)
        if case.tribunal_kind == TribunalKind.THREE:
            seated = (
                TribunalMember.objects.filter(case=case, ended_at__isnull=True)
                .exclude(seat=TribunalMember.Seat.RECORDER)
                .values("person_id")
            )
            self.fields["dissenting"].queryset = Person.objects.filter(pk__in=seated)  # type: ignore[attr-defined]
        else:
            del self.fields["dissenting"]
            del self.fields["dissent"]

    def item_groups(self) -> list[ItemGroup]:
        groups = []
        for prefix, claim in self.prefixes:
            if claim is not None:
                amount = f" · {claim.amount}" if claim.amount is not None else ""
                legend = f"{claim.number}. {claim.get_type_display()}{amount} — {claim.description}"
            else:
                legend = str(_("Another item (e.g. a counter-claim)"))
            groups.append(
                ItemGroup(prefix, legend, claim, [self[f"{prefix}_{name}"] for name in ITEM_FIELDS])
            )
        return groups

    def other_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in ("facts", "reasoning", "legal_basis", "dissenting", "dissent")
            if name in self.fields
        ]

    def items(self) -> list[dict[str, Any]]:
        """The ruled items, in the order of the form; an untouched group is left out."""
        data = self.cleaned_data
        items = []
        for prefix, claim in self.prefixes:
            values = {name: data.get(f"{prefix}_{name}") for name in ITEM_FIELDS}
            if not values["outcome"] and not (values["ruling"] or "").strip():
                continue
            items.append({"claim": claim, **values})
        return items

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The view hands the service what it takes; the form only knows how its groups map.
        data["arguments"] = self.service_arguments()
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "items": self.items(),
            "facts": data.get("facts", ""),
            "reasoning": data.get("reasoning", ""),
            "legal_basis": data.get("legal_basis", ""),
            "dissent": data.get("dissent", "") or "",
            "dissenting": data.get("dissenting"),
        }


class AdvanceExecutionForm(forms.Form):
    applicant = PartyChoice(label=_("Worker who applied"), queryset=Party.objects.none())
    claim = ClaimChoice(
        label=_("Claim"),
        queryset=ClaimItem.objects.none(),
        help_text=_("Remuneration, work-injury medical costs, compensation or damages only."),
    )
    amount = forms.DecimalField(
        label=_("Amount to pay in advance (yuan)"), min_value=0, max_digits=14, decimal_places=2
    )
    obligor = PartyChoice(label=_("Who pays"), queryset=Party.objects.none())
    ruling = _text(_("Ruling"), area=True, rows=2)
    perform_within_days = forms.IntegerField(
        label=_("Days to perform"), required=False, min_value=0
    )
    grounds = _text(
        _("Grounds"),
        area=True,
        help_text=_(
            "Rights and duties are clear, and waiting would seriously affect the worker's living "
            "(LDMAL art. 44)."
        ),
    )
    legal_basis = _text(_("Legal basis"), area=True, rows=2)

    def __init__(self, *args: Any, case: Case, **kwargs: Any):
        super().__init__(*args, **kwargs)
        parties = parties_of(case)
        self.fields["applicant"].queryset = parties.filter(kind=Party.Kind.WORKER)  # type: ignore[attr-defined]
        self.fields["obligor"].queryset = parties  # type: ignore[attr-defined]
        self.fields["claim"].queryset = case.claims.filter(type__in=MONEY_CLAIMS).order_by("number")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            data["arguments"] = self.service_arguments()
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        applicant = data["applicant"]
        item = {
            "claim": data["claim"],
            "outcome": AwardItem.Outcome.GRANTED,
            "ruling": data.get("ruling", ""),
            "amount": data["amount"],
            "obligor": data["obligor"],
            "obligee": applicant,
            "perform_within_days": data.get("perform_within_days"),
        }
        return {
            "applicant": applicant,
            "items": [item],
            "grounds": data.get("grounds", ""),
            "legal_basis": data.get("legal_basis", ""),
        }


class CorrectAwardForm(forms.Form):
    award = AwardChoice(label=_("Award corrected"), queryset=Award.objects.none())
    corrections = _text(
        _("Corrections"),
        area=True,
        help_text=_(
            "Clerical or calculation errors, or items decided but left out (办案规则 art. 54)."
        ),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = case.awards.select_related("document").order_by("made_at")  # type: ignore[attr-defined]


class CourtNoticeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the court notified"),
        choices=[("", "—"), *CourtNotice.Kind.choices],
        error_messages={"required": _("Choose the kind of court notice.")},
    )
    party = PartyChoice(
        label=_("Party who sued or applied"), queryset=Party.objects.none(), required=False
    )
    court_name = _text(_("Court"))
    court_case_number = _text(_("Court case number"))
    court_date = forms.DateField(
        label=_("Date of the court's document"), widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(
        label=_("The court's document"),
        required=False,
        help_text=_("A scan or the electronic document the court sent."),
    )
    note = _text(_("Note"), area=True, rows=2)

    def __init__(self, *args: Any, case: Case, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties_of(case)  # type: ignore[attr-defined]


# --- The award as a draft (issue 5): written, submitted, reviewed, issued ----------------------


class DraftStepForm(forms.Form):
    """Which draft, and the version the user read (a newer one refuses the step)."""

    kind = forms.ChoiceField(choices=Award.Kind.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, case: Case, **kwargs: Any):
        super().__init__(*args, **kwargs)


class DraftReviewForm(DraftStepForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Approve the draft or return it.")},
    )
    note = _text(_("Note"), area=True, help_text=_("Required when the draft is returned."))


def _draft_initial(draft: AwardDraft | None) -> dict[str, Any]:
    if draft is None:
        return {}
    return {
        "facts": draft.facts,
        "reasoning": draft.reasoning,
        "legal_basis": draft.legal_basis,
        "defence_summary": draft.defence_summary,
        "dissent": draft.dissent,
        "dissenting": draft.dissenting_id,
    }


class AwardDraftForm(AwardForm):
    """The draft of an award or a partial award: the award's fields, none required yet (the
    service checks what is written; submitting checks it is complete), with the defence as the
    award will state it."""

    kind = forms.ChoiceField(choices=Award.Kind.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    defence_summary = _text(
        _("The respondent's defence, as the award states it"),
        area=True,
        help_text=_("Empty: the defence as filed, or that none was filed."),
    )

    def __init__(
        self,
        *args: Any,
        case: Case,
        kind: str = Award.Kind.FULL,
        draft: AwardDraft | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, case=case, partial=kind == Award.Kind.PARTIAL, **kwargs)
        self.initial.update(kind=kind, version=draft.version if draft else 0)
        self.initial.update(_draft_initial(draft))
        spare = [prefix for prefix, claim in self.prefixes if claim is None]
        claims = {claim.pk: prefix for prefix, claim in self.prefixes if claim is not None}
        for item in draft.items if draft else []:
            prefix = claims.get(item.get("claim")) or (spare.pop(0) if spare else None)
            if prefix is None:
                continue
            for name in ITEM_FIELDS:
                self.initial[f"{prefix}_{name}"] = item.get(name)

    def other_fields(self) -> list[forms.BoundField]:
        names = ("defence_summary", "facts", "reasoning", "legal_basis", "dissenting", "dissent")
        return [self[name] for name in names if name in self.fields]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **super().service_arguments(),
            "kind": data.get("kind") or Award.Kind.FULL,
            "version": data.get("version") or 0,
            "defence_summary": data.get("defence_summary", ""),
        }


class AdvanceExecutionDraftForm(AdvanceExecutionForm):
    """The draft of an advance-execution award: one item, on the worker's application."""

    kind = forms.ChoiceField(choices=Award.Kind.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, case: Case, draft: AwardDraft | None = None, **kwargs: Any):
        super().__init__(*args, case=case, **kwargs)
        for name in ("applicant", "claim", "amount", "obligor"):
            self.fields[name].required = False
        self.initial["kind"] = Award.Kind.ADVANCE_EXECUTION
        self.initial["version"] = draft.version if draft else 0
        if draft is not None:
            item = draft.items[0] if draft.items else {}
            self.initial.update(
                applicant=draft.applicant_id,
                claim=item.get("claim"),
                amount=item.get("amount"),
                obligor=item.get("obligor"),
                ruling=item.get("ruling", ""),
                perform_within_days=item.get("perform_within_days"),
                grounds=draft.reasoning,
                legal_basis=draft.legal_basis,
            )

    def item_groups(self) -> list[ItemGroup]:
        return []

    def other_fields(self) -> list[forms.BoundField]:
        return [field for field in self if not field.is_hidden]

    def clean(self) -> dict[str, Any]:
        data = forms.Form.clean(self) or {}
        if not self.errors:
            data["arguments"] = self.service_arguments()
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        applicant = data.get("applicant")
        values = [data.get(name) for name in ("claim", "amount", "obligor", "ruling")]
        items = []
        if any(value not in (None, "") for value in values):
            items.append(
                {
                    "claim": data.get("claim"),
                    "outcome": AwardItem.Outcome.GRANTED,
                    "ruling": data.get("ruling", ""),
                    "amount": data.get("amount"),
                    "obligor": data.get("obligor"),
                    "obligee": applicant,
                    "perform_within_days": data.get("perform_within_days"),
                }
            )
        return {
            "kind": Award.Kind.ADVANCE_EXECUTION,
            "version": data.get("version") or 0,
            "applicant": applicant,
            "items": items,
            "reasoning": data.get("grounds", ""),
            "legal_basis": data.get("legal_basis", ""),
        }


def award_draft_form(
    case: Case, kind: str, draft: AwardDraft | None = None, data: Any = None
) -> forms.Form:
    """The draft editor of ``kind``, filled from the draft (or bound to what was posted)."""
    if kind == Award.Kind.ADVANCE_EXECUTION:
        return AdvanceExecutionDraftForm(data, case=case, draft=draft)
    return AwardDraftForm(data, case=case, kind=kind, draft=draft)
