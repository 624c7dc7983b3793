"""The agents of a case on the portal: who the user's parties authorised or invited, invite one
more, revoke one; and the agent's own invitations, to accept or decline. The rules are in
``cases.agents``; the case comes through the public scope (404 for anyone else), a user who acts
for no party of the case gets 404 too, and an invitation is found only among the user's own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from zhongcai.accounts.forms import DescribedErrorsMixin
from zhongcai.accounts.models import Role, User
from zhongcai.cases.agents import (
    NO_AGENTS_IN,
    agent_authorisation_accept,
    agent_authorisation_decline,
    agent_authorisation_revoke,
    agent_authorise,
    may_authorise_agents,
)
from zhongcai.cases.models import Agent, AgentAuthorisation, Case, Party
from zhongcai.cases.representation import parties_represented_by
from zhongcai.cases.selectors import get_case_for


class AgentAuthoriseForm(DescribedErrorsMixin):
    """The shape only; the rules are in ``cases.agents.agent_authorise``."""

    party = forms.TypedChoiceField(label=gettext_lazy("Agent for"), coerce=int)
    mobile = forms.CharField(
        label=gettext_lazy("Agent's mobile number"),
        max_length=20,
        help_text=gettext_lazy("The number your agent registered with on this platform."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    authority = forms.ChoiceField(
        label=gettext_lazy("Authority"),
        choices=Agent.Authority.choices,
        initial=Agent.Authority.GENERAL,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "General: the agent takes part in the case for you. Special: the agent may also "
            "admit facts, give up or change your claims and agree a settlement in your name."
        ),
    )

    def __init__(self, *args: Any, parties: list[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["party"]
        field.choices = [(p.pk, f"{p.get_role_display()}: {p.name}") for p in parties]
        if len(parties) == 1:
            field.initial = parties[0].pk
            field.widget = forms.HiddenInput()


def _case_and_parties(user: User, pk: int) -> tuple[Case, list[Party]]:
    case = get_case_for(user, pk)
    parties = parties_represented_by(user, case)
    if not parties:
        raise Http404
    return case, parties


@login_required
@require_http_methods(["GET", "POST"])
def case_agents(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case, parties = _case_and_parties(user, pk)
    may_change = may_authorise_agents(user, case)
    if request.method == "POST" and not may_change:
        raise PermissionDenied(_("Only the party itself authorises its agents."))
    form = AgentAuthoriseForm(request.POST or None, parties=parties) if may_change else None
    if form is not None and request.method == "POST" and form.is_valid():
        party = next(p for p in parties if p.pk == form.cleaned_data["party"])
        try:
            authorisation = agent_authorise(
                by=user,
                case=case,
                party=party,
                mobile=form.cleaned_data["mobile"],
                authority=form.cleaned_data["authority"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("%(agent)s is invited to act for %(party)s. It takes effect once they accept.")
                % {"agent": authorisation.agent_user, "party": party.name},
            )
            return redirect("portal:case-agents", pk=case.pk)
    # Every state, newest first within a party: the party sees who was invited, who accepted,
    # who declined and whom it revoked.
    authorisations = (
        AgentAuthorisation.objects.filter(party__in=parties)
        .select_related("party", "agent_user__agent_profile")
        .order_by("party__role", "party__pk", "-granted_at", "-pk")
    )
    return render(
        request,
        "portal/agents/case_agents.html",
        {
            "case": case,
            "parties": parties,
            "authorisations": authorisations,
            "form": form,
            "may_change": may_change,
        },
    )


@login_required
@require_POST
def case_agent_revoke(request: HttpRequest, pk: int, authorisation_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case, parties = _case_and_parties(user, pk)
    authorisation = get_object_or_404(
        AgentAuthorisation, pk=authorisation_pk, case=case, party__in=parties
    )
    if user.role == Role.AGENT:
        raise PermissionDenied(_("Only the party itself revokes its agents."))
    try:
        agent_authorisation_revoke(by=user, authorisation=authorisation)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(agent)s no longer acts for %(party)s in this case.")
            % {"agent": authorisation.agent_user, "party": authorisation.party.name},
        )
    return redirect("portal:case-agents", pk=case.pk)


def _ensure_agent(user: User) -> None:
    if not user.is_public or user.role != Role.AGENT:
        raise Http404


@login_required
@require_http_methods(["GET"])
def agent_invitations(request: HttpRequest) -> HttpResponse:
    """The invitations an agent has not answered yet."""
    user: User = request.user  # type: ignore[assignment]
    _ensure_agent(user)
    invitations = (
        AgentAuthorisation.objects.pending()
        .filter(agent_user=user)
        .exclude(case__status__in=NO_AGENTS_IN)
        .select_related("case__commission", "party", "granted_by")
        .order_by("-granted_at", "-pk")
    )
    return render(request, "portal/agents/invitations.html", {"invitations": invitations})


def _my_invitation(user: User, pk: int) -> AgentAuthorisation:
    _ensure_agent(user)
    return get_object_or_404(
        AgentAuthorisation.objects.select_related("case", "party"), pk=pk, agent_user=user
    )


@login_required
@require_POST
def agent_invitation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    invitation = _my_invitation(user, pk)
    try:
        agent_authorisation_accept(by=user, authorisation=invitation)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect("portal:agent-invitations")
    messages.success(
        request,
        _("You now act for %(party)s in this case.") % {"party": invitation.party.name},
    )
    return redirect("portal:my-case", pk=invitation.case_id)


@login_required
@require_POST
def agent_invitation_decline(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    invitation = _my_invitation(user, pk)
    try:
        agent_authorisation_decline(by=user, authorisation=invitation)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(
            request,
            _("You declined to act for %(party)s. The party has been told.")
            % {"party": invitation.party.name},
        )
    return redirect("portal:agent-invitations")


urlpatterns: list[URLPattern] = [
    path("my/cases/<int:pk>/agents/", case_agents, name="case-agents"),
    path(
        "my/cases/<int:pk>/agents/<int:authorisation_pk>/revoke/",
        case_agent_revoke,
        name="case-agent-revoke",
    ),
    path("my/invitations/", agent_invitations, name="agent-invitations"),
    path(
        "my/invitations/<int:pk>/accept/", agent_invitation_accept, name="agent-invitation-accept"
    ),
    path(
        "my/invitations/<int:pk>/decline/",
        agent_invitation_decline,
        name="agent-invitation-decline",
    ),
]
