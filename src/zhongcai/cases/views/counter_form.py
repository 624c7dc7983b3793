"""The counter form as one page: the case form and the party, agent and claim formsets together.

``ApplicationForms.data()`` gives the dict ``clean_application`` reads; ``add_errors`` puts the
service's ``ValidationError`` back on the forms (``parties.0.id_number`` → that party's field),
so every problem shows next to its field and in one list at the top.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext_lazy as _

from ..application import MAX_CLAIMS, MAX_PARTIES
from ..forms import (
    PARTY_TEXT,
    AgentForm,
    CaseForm,
    Choices,
    ClaimForm,
    PartyForm,
    RespondentForm,
    ThirdPartyForm,
)
from ..models import Case, Party
from ..taxonomy import Category


def _formset(form: type[forms.Form], extra: int, max_num: int) -> type[BaseFormSet]:
    return formset_factory(
        form, extra=extra, can_delete=True, max_num=max_num, validate_max=True, absolute_max=max_num
    )


@dataclass(frozen=True)
class PartySection:
    prefix: str
    role: Party.Role
    form: type[PartyForm]
    title: Any  # e.g. "Applicant %(n)d"
    heading: Any
    add_label: Any


PARTY_SECTIONS = (
    PartySection(
        "applicants",
        Party.Role.APPLICANT,
        PartyForm,
        _("Applicant %(n)d"),
        _("Applicants"),
        _("Add an applicant"),
    ),
    PartySection(
        "respondents",
        Party.Role.RESPONDENT,
        RespondentForm,
        _("Respondent %(n)d"),
        _("Respondents"),
        _("Add a respondent"),
    ),
    PartySection(
        "third_parties",
        Party.Role.THIRD_PARTY,
        ThirdPartyForm,
        _("Third party %(n)d"),
        _("Third parties"),
        _("Add a third party"),
    ),
)
ROW_PREFIXES = ("applicants", "respondents", "third_parties", "agents", "claims")


@dataclass(frozen=True)
class ErrorEntry:
    anchor: str
    where: str
    message: str


class ApplicationForms:
    """The whole application page: the case form and the party, agent and claim formsets.

    ``data()`` gives the dict ``clean_application`` reads; ``add_errors`` puts its
    ``ValidationError`` back on the forms (``parties.0.id_number`` → that party's field).
    """

    def __init__(
        self,
        data: Any = None,
        *,
        divisions: Choices,
        with_channel: bool,
        initial: dict[str, Any] | None = None,
    ) -> None:
        initial = initial or {}
        editing = bool(initial)
        self.case = CaseForm(
            data, divisions=divisions, with_channel=with_channel, initial=initial.get("case")
        )
        self.parties: list[tuple[PartySection, BaseFormSet]] = []
        for section in PARTY_SECTIONS:
            extra = 0 if editing or section.role == Party.Role.THIRD_PARTY else 1
            formset = _formset(section.form, extra, MAX_PARTIES)(
                data,
                prefix=section.prefix,
                initial=initial.get(section.prefix),
                form_kwargs={"divisions": divisions},
            )
            for i, form in enumerate(formset.forms):
                form.title = section.title % {"n": i + 1}
            self.parties.append((section, formset))
        self.agents = _formset(AgentForm, 0, MAX_PARTIES)(
            data,
            prefix="agents",
            initial=initial.get("agents"),
            form_kwargs={"parties": self._party_choices()},
        )
        claims_extra = 0 if initial.get("claims") else 1
        self.claims = _formset(ClaimForm, claims_extra, MAX_CLAIMS)(
            data, prefix="claims", initial=initial.get("claims")
        )
        for i, form in enumerate(self.agents.forms):
            form.title = _("Agent %(n)d") % {"n": i + 1}
        for i, form in enumerate(self.claims.forms):
            form.title = _("Claim %(n)d") % {"n": i + 1}
        self.top_errors: list[str] = []
        self._party_at: list[forms.Form] = []
        self._agent_at: dict[tuple[int, int], forms.Form] = {}
        self._claim_at: list[forms.Form] = []

    def _party_choices(self) -> Choices:
        choices = []
        for _section, formset in self.parties:
            for i, form in enumerate(formset.forms):
                name = (form.data.get(form.add_prefix("name")) if form.is_bound else None) or (
                    form.initial.get("name", "")
                )
                label = f"{form.title} {name}".strip()
                choices.append((f"{formset.prefix}-{i}", label))
        return choices

    def formsets(self) -> list[BaseFormSet]:
        return [formset for _s, formset in self.parties] + [self.agents, self.claims]

    def is_valid(self) -> bool:
        results = [self.case.is_valid()] + [formset.is_valid() for formset in self.formsets()]
        return all(results)

    def data(self) -> dict[str, Any]:
        """What was typed, in the shape ``clean_application`` reads; blank rows left out."""
        data: dict[str, Any] = dict(self.case.cleaned_data)
        data.setdefault("category", Category.LABOR)
        parties: list[dict[str, Any]] = []
        index_of: dict[str, int] = {}
        self._party_at, self._agent_at, self._claim_at = [], {}, []
        for section, formset in self.parties:
            for i, form in enumerate(formset.forms):
                if form.is_blank() or form.is_deleted():
                    continue
                index_of[f"{formset.prefix}-{i}"] = len(parties)
                parties.append({"role": section.role, **form.to_data(), "agents": []})
                self._party_at.append(form)
        for form in self.agents.forms:
            if form.is_blank() or form.is_deleted():
                continue
            index = index_of.get(form.cleaned_data.get("party", ""))
            if index is None:
                form.add_error("party", _("Choose a party entered above."))
                continue
            agents = parties[index]["agents"]
            self._agent_at[(index, len(agents))] = form
            agents.append(form.to_data())
        claims = []
        for form in self.claims.forms:
            if form.is_blank() or form.is_deleted():
                continue
            self._claim_at.append(form)
            claims.append(form.to_data())
        data["parties"] = parties
        data["claims"] = claims
        return data

    def has_errors(self) -> bool:
        return (
            bool(self.top_errors)
            or any(form.errors for form in [self.case, *self._row_forms()])
            or any(formset.non_form_errors() for formset in self.formsets())
        )

    def _row_forms(self) -> list[forms.Form]:
        return [form for formset in self.formsets() for form in formset.forms]

    def _locate(self, key: str) -> tuple[forms.Form | None, str | None]:
        parts = key.split(".")
        try:
            if parts[0] == "parties" and len(parts) >= 4 and parts[2] == "agents":
                form = self._agent_at.get((int(parts[1]), int(parts[3])))
                return form, parts[4] if len(parts) > 4 else None
            if parts[0] == "parties" and len(parts) >= 2:
                return self._party_at[int(parts[1])], parts[2] if len(parts) > 2 else None
            if parts[0] == "claims" and len(parts) >= 2:
                return self._claim_at[int(parts[1])], parts[2] if len(parts) > 2 else None
        except (IndexError, ValueError):
            return None, None
        if key in self.case.fields:
            return self.case, key
        return None, None

    def add_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.top_errors += error.messages
            return
        for key, messages in error.message_dict.items():
            form, field = self._locate(key)
            for message in messages:
                if form is None:
                    self.top_errors.append(message)
                else:
                    form.add_error(field if field in form.fields else None, message)

    def summary(self) -> list[ErrorEntry]:
        """Every problem in page order, each linking to its field."""
        entries = [ErrorEntry("", "", message) for message in self.top_errors]
        for formset in self.formsets():
            entries += [ErrorEntry("", "", str(m)) for m in formset.non_form_errors()]
        for form in [self.case, *self._row_forms()]:
            for name, messages in form.errors.items():
                title = getattr(form, "title", "")
                if name in form.fields:
                    anchor = form[name].auto_id
                    label = str(form.fields[name].label)
                    where = f"{title} · {label}" if title else label
                else:
                    anchor, where = form.prefix or "", title
                entries += [ErrorEntry(anchor, where, str(m)) for m in messages]
        return entries


def initial_from_case(case: Case) -> dict[str, Any]:
    """The page's initial values for an application being edited."""
    initial: dict[str, Any] = {
        "case": {
            "category": case.category,
            "personnel_subtype": case.personnel_subtype,
            "causes": case.causes,
            "facts_and_reasons": case.facts_and_reasons,
            "evidence_summary": case.evidence_summary,
            "workplace_division": case.workplace_division_id or "",
            "collective": case.collective,
            "simplified": case.simplified,
            "public_hearing": case.public_hearing,
            "not_labor_flags": case.not_labor_flags,
        },
        "agents": [],
        "claims": [
            {
                "type": c.type,
                "description": c.description,
                "amount": "" if c.amount is None else c.amount,
            }
            for c in case.claims.all()
        ],
    }
    for section in PARTY_SECTIONS:
        rows = initial.setdefault(section.prefix, [])
        for party in case.parties.all():
            if party.role != section.role:
                continue
            key = f"{section.prefix}-{len(rows)}"
            rows.append(
                {
                    "kind": party.kind,
                    "birth_date": party.birth_date.isoformat() if party.birth_date else "",
                    "domicile_division": party.domicile_division_id or "",
                    **{
                        name: getattr(party, name)
                        for name in (
                            *PARTY_TEXT,
                            "sex",
                            "dispatch_role",
                            "industry",
                            "registration_type",
                            "is_representative",
                        )
                        if name not in ("birth_date",)
                    },
                }
            )
            initial["agents"] += [
                {
                    "party": key,
                    **{
                        name: getattr(agent, name)
                        for name in AgentForm.base_fields
                        if name != "party"
                    },
                }
                for agent in party.agents.all()
            ]
    return initial
