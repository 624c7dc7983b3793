"""The walk-in form: the arbitration counter form's parties and claims, without what only
arbitration has (third parties, agents, handling options). Its rules are the service's
(``services._clean`` → ``cases.application.clean_application``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext as _

from zhongcai.cases.application import MAX_CLAIMS, MAX_PARTIES
from zhongcai.cases.forms import AgentForm, CaseForm, Choices, ClaimForm
from zhongcai.cases.views.counter_form import PARTY_SECTIONS, ApplicationForms, _formset
from zhongcai.core.forms import describe_errors

# Applicants and respondents: a mediation has no third party.
SECTIONS = tuple(s for s in PARTY_SECTIONS if s.prefix in ("applicants", "respondents"))
ROW_PREFIXES = ("applicants", "respondents", "claims")
CASE_FIELDS = ("category", "personnel_subtype", "causes", "facts_and_reasons", "workplace_division")


class WalkInCaseForm(CaseForm):
    def __init__(self, *args: Any, divisions: Choices, **kwargs: Any):
        super().__init__(*args, divisions=divisions, with_channel=False, **kwargs)
        for name in list(self.fields):
            if name not in CASE_FIELDS:
                del self.fields[name]

    def full_clean(self) -> None:
        super().full_clean()
        describe_errors(self)


class WalkInForms(ApplicationForms):
    """The page's forms; ``data()``, ``add_errors`` and ``summary`` are the counter form's."""

    def __init__(
        self, data: Any = None, *, divisions: Choices, workplace: str | None = None
    ) -> None:
        self.case = WalkInCaseForm(
            data, divisions=divisions, initial={"workplace_division": workplace or ""}
        )
        self.parties: list[tuple[Any, BaseFormSet]] = []
        for section in SECTIONS:
            formset = _formset(section.form, 1, MAX_PARTIES)(
                data, prefix=section.prefix, form_kwargs={"divisions": divisions}
            )
            for i, form in enumerate(formset.forms):
                form.title = section.title % {"n": i + 1}
                # Either side may be a worker (姓名) or an employer (名称).
                form.fields["name"].label = _("Name of the person or organisation")
            self.parties.append((section, formset))
        # Never shown nor bound: ``data()`` reads it and finds no agent.
        self.agents = _formset(AgentForm, 0, 0)(prefix="agents", form_kwargs={"parties": []})
        self.claims = _formset(ClaimForm, 1, MAX_CLAIMS)(data, prefix="claims")
        for i, form in enumerate(self.claims.forms):
            form.title = _("Claim %(n)d") % {"n": i + 1}
        self.top_errors: list[str] = []
        self._party_at: list[forms.Form] = []
        self._agent_at: dict[tuple[int, int], forms.Form] = {}
        self._claim_at: list[forms.Form] = []

    def formsets(self) -> list[BaseFormSet]:
        return [formset for _s, formset in self.parties] + [self.claims]

    @staticmethod
    def with_added_row(post: Any) -> Any:
        """The posted data with one more row in the formset the mediator asked to grow."""
        prefix = post.get("add_row", "")
        data = post.copy()
        if prefix not in ROW_PREFIXES:
            return data
        try:
            count = int(data.get(f"{prefix}-TOTAL_FORMS", "0"))
        except ValueError:
            return data
        data[f"{prefix}-TOTAL_FORMS"] = str(count + 1)
        section = next((s for s in SECTIONS if s.prefix == prefix), None)
        if section is not None:
            data[f"{prefix}-{count}-kind"] = section.form.default_kind
        return data
