"""The shape of the defence and evidence steps' input on the case page. Rules live in
``cases.evidence``; these forms collect what was typed and name objects of this case only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from ..forms import RespondentForm, division_choices
from ..models import (
    Case,
    ClaimChange,
    CounterApplication,
    CrossExamination,
    EvidenceItem,
    Party,
)
from ..models.evidence import Decision
from ..taxonomy import ClaimType
from .serving_forms import PartiesChoice, PartyChoice, case_parties, case_rows, offer, parties_of

TEXTAREA = {"rows": 4}
CLAIM_ROWS = 3


def respondents_of(case: Case) -> QuerySet[Party]:
    return case.parties.filter(role=Party.Role.RESPONDENT).order_by("pk")


def case_respondents(case: Case) -> list[Party]:
    return [p for p in case_parties(case) if p.role == Party.Role.RESPONDENT]


def case_evidence(case: Case) -> list[EvidenceItem]:
    return case_rows(
        case,
        "evidence",
        lambda: list(
            EvidenceItem.objects.filter(case=case)
            .select_related("party")
            .prefetch_related(
                Prefetch(
                    "examinations",
                    queryset=CrossExamination.objects.select_related("party").order_by(
                        "recorded_at", "pk"
                    ),
                )
            )
            .order_by("number")
        ),
    )


def case_claim_changes(case: Case) -> list[ClaimChange]:
    return case_rows(
        case,
        "claim_changes",
        lambda: list(
            ClaimChange.objects.filter(case=case)
            .select_related("decided_by")
            .order_by("filed_at", "pk")
        ),
    )


def case_counter_applications(case: Case) -> list[CounterApplication]:
    return case_rows(
        case,
        "counter_applications",
        lambda: list(
            CounterApplication.objects.filter(case=case)
            .select_related("party", "decided_by")
            .order_by("filed_at", "pk")
        ),
    )


def _text(label: Any, *, area: bool = False, help_text: Any = "") -> forms.CharField:
    widget = forms.Textarea(attrs=TEXTAREA) if area else forms.TextInput()
    return forms.CharField(label=label, required=False, widget=widget, help_text=help_text)


def _file(label: Any, help_text: Any = "") -> forms.FileField:
    # Empty and too large files are refused by the service, with its own message.
    return forms.FileField(label=label, required=False, allow_empty_file=True, help_text=help_text)


class _CaseForm(forms.Form):
    def __init__(self, *args: Any, case: Case, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.case = case
        self.setup(case)

    def setup(self, case: Case) -> None:
        pass


class DefenceForm(_CaseForm):
    party = PartyChoice(label=_("Respondent"), queryset=Party.objects.none())
    text = _text(_("Defence"), area=True)
    file = _file(_("Defence document (scan or file)"), _("Optional when the text is given."))

    def setup(self, case: Case) -> None:
        offer(self.fields["party"], case_respondents(case), respondents_of(case))


class WaiveDefenceForm(_CaseForm):
    party = PartyChoice(label=_("Respondent"), queryset=Party.objects.none())
    respondent_consent = forms.BooleanField(
        label=_("The respondent consents to waiving its defence period"), required=False
    )
    note = _text(_("How the consent was given"), area=True)

    def setup(self, case: Case) -> None:
        offer(self.fields["party"], case_respondents(case), respondents_of(case))


class EvidencePeriodForm(_CaseForm):
    days = forms.IntegerField(
        label=_("Evidence period (days from today)"),
        help_text=_("Replaces the period now running (办案规则 art. 15)."),
        error_messages={"required": _("Give the number of days.")},
    )


class EvidenceForm(_CaseForm):
    party = PartyChoice(
        label=_("Submitted by"),
        queryset=Party.objects.none(),
        required=False,
        empty_label=_("— collected by the commission —"),
    )
    title = _text(_("Title"))
    purpose = _text(_("What it is offered to prove"), area=True)
    file = _file(_("File"))

    def setup(self, case: Case) -> None:
        offer(self.fields["party"], case_parties(case), parties_of(case))


class EvidenceItemChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number}. {obj.title}"


OPINIONS = [("", "—"), *CrossExamination.Opinion.choices]


class CrossExaminationForm(_CaseForm):
    evidence = EvidenceItemChoice(label=_("Evidence"), queryset=EvidenceItem.objects.none())
    party = PartyChoice(label=_("Opinion of"), queryset=Party.objects.none())
    authenticity = forms.ChoiceField(label=_("Authenticity"), choices=OPINIONS, required=False)
    legality = forms.ChoiceField(label=_("Legality"), choices=OPINIONS, required=False)
    relevance = forms.ChoiceField(label=_("Relevance"), choices=OPINIONS, required=False)
    note = _text(_("Note"), area=True)

    def setup(self, case: Case) -> None:
        offer(self.fields["evidence"], case_evidence(case), case.evidence.all())
        offer(self.fields["party"], case_parties(case), parties_of(case))


class _ClaimRowsForm(_CaseForm):
    """A few claim rows, each number, type, description and amount; blank rows are skipped."""

    with_number = False

    def setup(self, case: Case) -> None:
        for i in range(1, CLAIM_ROWS + 1):
            if self.with_number:
                self.fields[f"claim_{i}_number"] = forms.IntegerField(
                    label=_("Claim %(n)d: number of the claim to change") % {"n": i},
                    required=False,
                )
            self.fields[f"claim_{i}_type"] = forms.ChoiceField(
                label=_("Claim %(n)d: type") % {"n": i},
                choices=[("", "—"), *ClaimType.choices],
                required=False,
            )
            self.fields[f"claim_{i}_description"] = _text(
                _("Claim %(n)d: what is claimed") % {"n": i}
            )
            self.fields[f"claim_{i}_amount"] = _text(_("Claim %(n)d: amount (yuan)") % {"n": i})

    def claim_items(self) -> list[dict[str, Any]]:
        items = []
        for i in range(1, CLAIM_ROWS + 1):
            row = {
                "number": self.cleaned_data.get(f"claim_{i}_number"),
                "type": self.cleaned_data.get(f"claim_{i}_type") or "",
                "description": self.cleaned_data.get(f"claim_{i}_description") or "",
                "amount": self.cleaned_data.get(f"claim_{i}_amount") or "",
            }
            if row["type"] or row["description"].strip() or str(row["amount"]).strip():
                items.append(row)
        return items


class ClaimChangeForm(_ClaimRowsForm):
    kind = forms.ChoiceField(
        label=_("Added or changed claims"),
        choices=ClaimChange.Kind.choices,
        initial=ClaimChange.Kind.ADD,
        widget=forms.RadioSelect,
    )
    reasons = _text(_("Reasons"), area=True)
    with_number = True

    field_order = ["kind"]


class PendingChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        who = f"{obj.party.name} · " if hasattr(obj, "party") else ""
        return f"{who}{obj.filed_at:%Y-%m-%d %H:%M}"


class ClaimChangeDecisionForm(_CaseForm):
    change = PendingChoice(label=_("Application"), queryset=ClaimChange.objects.none())
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(d.value, d.label) for d in (Decision.ACCEPTED, Decision.REFUSED)],
        widget=forms.RadioSelect,
    )
    reasons = _text(_("Reasons"), area=True)
    waived_by = PartiesChoice(
        label=_("Respondents who expressly waived a new defence period"),
        queryset=Party.objects.none(),
        required=False,
    )

    def setup(self, case: Case) -> None:
        pending = [c for c in case_claim_changes(case) if c.decision == Decision.PENDING]
        offer(self.fields["change"], pending, case.claim_changes.filter(decision=Decision.PENDING))
        offer(self.fields["waived_by"], case_respondents(case), respondents_of(case))


class CounterApplicationForm(_ClaimRowsForm):
    party = PartyChoice(label=_("Respondent"), queryset=Party.objects.none())
    facts_and_reasons = _text(_("Facts and reasons"), area=True)

    field_order = ["party"]

    def setup(self, case: Case) -> None:
        super().setup(case)
        offer(self.fields["party"], case_respondents(case), respondents_of(case))


class CounterDecisionForm(_CaseForm):
    counter = PendingChoice(
        label=_("Counter-application"), queryset=CounterApplication.objects.none()
    )
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (o.value, o.label)
            for o in (
                CounterApplication.Outcome.JOINED,
                CounterApplication.Outcome.SEPARATE,
                CounterApplication.Outcome.REFUSED,
            )
        ],
        widget=forms.RadioSelect,
    )
    reasons = _text(_("Reasons"), area=True, help_text=_("Required unless it is joined."))

    def setup(self, case: Case) -> None:
        Outcome = CounterApplication.Outcome
        pending = [c for c in case_counter_applications(case) if c.outcome == Outcome.PENDING]
        offer(
            self.fields["counter"],
            pending,
            case.counter_applications.filter(outcome=Outcome.PENDING).select_related("party"),
        )


class AddPartyForm(RespondentForm):
    """The application's party form, with the role and the reasons for adding."""

    role = forms.ChoiceField(
        label=_("Added as"),
        choices=[
            (Party.Role.THIRD_PARTY.value, Party.Role.THIRD_PARTY.label),
            (Party.Role.RESPONDENT.value, Party.Role.RESPONDENT.label),
            (Party.Role.APPLICANT.value, Party.Role.APPLICANT.label),
        ],
        initial=Party.Role.THIRD_PARTY,
    )
    reasons = _text(_("Why the party is added"), area=True)

    field_order = ["role", "kind", "name"]

    def __init__(self, *args: Any, case: Case, **kwargs: Any):
        kwargs.setdefault("prefix", "added")
        super().__init__(*args, divisions=division_choices(case.commission.division_id), **kwargs)

    def to_party(self) -> dict[str, Any]:
        data = self.to_data()
        data.pop("reasons", None)
        return data
