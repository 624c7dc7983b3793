"""Agents a party authorises online for one case (委托代理, LDMAL art. 24).

The party's side (the applicant, its linked account, its employer's staff) invites a registered
agent account by mobile number (``agent_authorise``): a pending ``AgentAuthorisation`` and the
event ``case.agent_invited``. Nothing takes effect until the agent accepts
(``agent_authorisation_accept``): then, in one transaction, the ``Agent`` row that puts the agent
on the case's documents, and the event. From then on ``representation`` lets the agent see the
case and act for the party. The agent may decline instead; the party may revoke at any time.
The power of attorney is given online, so it counts as received once accepted.

The ``Agent`` row is part of the application content (``checks.application_snapshot``): every
event that changes it records the new digest, so ``integrity`` knows the change was legitimate.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import AgentProfile, Role, User
from zhongcai.core.events import record_event
from zhongcai.core.identifiers import validate_mobile

from . import checks
from .models import Agent, AgentAuthorisation, Case, Party, Status
from .representation import ensure_acts_for

AGENT_KIND = {
    AgentProfile.Kind.LAWYER: Agent.Kind.LAWYER,
    AgentProfile.Kind.LEGAL_WORKER: Agent.Kind.LEGAL_WORKER,
    AgentProfile.Kind.CITIZEN: Agent.Kind.RELATIVE,
}

# A draft is its owner's alone; an archived file is closed for good.
NO_AGENTS_IN = frozenset({Status.DRAFT, Status.ARCHIVED})


def _party_side(user: User) -> bool:
    # An agent may not appoint another in the party's place (转委托 needs the party).
    return user.is_public and user.role != Role.AGENT


def may_authorise_agents(user: User, case: Case) -> bool:
    """Whether the page should offer to invite and revoke agents: the party's side, in a state
    that allows it (the services check the party itself)."""
    return _party_side(user) and case.status not in NO_AGENTS_IN


def _ensure_party_side(by: User) -> None:
    if not _party_side(by):
        raise PermissionDenied(_("Only the party itself authorises or revokes its agents."))


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("institute").get(pk=case.pk)


def _content(case: Case) -> dict[str, Any]:
    snapshot = checks.application_snapshot(case)
    return {"application": snapshot, "digest": checks.digest_of(snapshot)}


def _case_link(case: Case) -> str:
    try:
        return reverse("portal:my-case", args=[case.pk])
    except NoReverseMatch:  # "My cases" is built by another part of issue 6
        return reverse("portal:case-agents", args=[case.pk])


def _duplicate() -> ValidationError:
    return ValidationError(
        {"mobile": [_("This agent is already authorised or invited for this party.")]}
    )


def _lock_authorisation(authorisation: AgentAuthorisation) -> tuple[Case, AgentAuthorisation]:
    locked = _lock(authorisation.case)
    fresh = (
        AgentAuthorisation.objects.select_for_update()
        .select_related("party", "agent_user", "granted_by")
        .get(pk=authorisation.pk)
    )
    return locked, fresh


def agent_authorise(
    *, by: User, case: Case, party: Party, mobile: str, authority: str
) -> AgentAuthorisation:
    """授权委托 given online: ``by`` acts for ``party`` and invites the agent account registered
    with ``mobile`` (an agent account with its agent details filled in). The authorisation
    takes effect only when the agent accepts it (``agent_authorisation_accept``).

    Side effects: the event ``case.agent_invited``, and a notification to the agent with a link
    to its invitations (in-app, then SMS and e-mail after the commit).
    """
    _ensure_party_side(by)
    with transaction.atomic():
        locked = _lock(case)
        if party.case_id != locked.pk:
            raise ValidationError({"party": [_("This party is not in this case.")]})
        if locked.status in NO_AGENTS_IN:
            raise ValidationError(
                _("Agents can be authorised once the application is submitted.")
                if locked.status == Status.DRAFT
                else _("The case is archived: no agent can be authorised any more.")
            )
        ensure_acts_for(by, party)
        errors: dict[str, list[str]] = {}
        if authority not in Agent.Authority.values:
            errors["authority"] = [_("Choose general or special authority.")]
        agent_user = None
        try:
            mobile = validate_mobile(mobile)
        except ValidationError as exc:
            errors["mobile"] = exc.messages
        else:
            # One answer for "no account" and "not an agent": the form does not tell who
            # registered with which number.
            agent_user = (
                User.objects.filter(mobile=mobile, role=Role.AGENT, is_active=True)
                .select_related("agent_profile")
                .first()
            )
            if agent_user is None:
                errors["mobile"] = [
                    _(
                        "No agent account uses this number. Ask your agent to register on this "
                        "platform as an agent first."
                    )
                ]
            elif not hasattr(agent_user, "agent_profile"):
                errors["mobile"] = [
                    _(
                        "Your agent has not filled in the agent details yet (lawyer's licence or "
                        "citizen agent). Ask them to do it first."
                    )
                ]
        if errors or agent_user is None:
            raise ValidationError(errors)
        if AgentAuthorisation.objects.filter(
            party=party, agent_user=agent_user, revoked_at__isnull=True, declined_at__isnull=True
        ).exists():
            raise _duplicate()
        try:
            with transaction.atomic():
                authorisation = AgentAuthorisation.objects.create(
                    case=locked,
                    party=party,
                    agent_user=agent_user,
                    authority=authority,
                    granted_by=by,
                    granted_at=timezone.now(),
                )
        except IntegrityError:
            raise _duplicate() from None
        _record(locked, "case.agent_invited", by, authorisation, authority=authority)
        _notify(
            agent_user,
            locked,
            "agent_invited",
            _("You are asked to act as agent of %(party)s") % {"party": party.name},
            key=f"agent-invited:{authorisation.pk}",
            link=_invitations_link(),
        )
    return authorisation


def _record(
    locked: Case, kind: str, by: User, authorisation: AgentAuthorisation, **payload: Any
) -> None:
    """The case event of a step on an authorisation: who, for which party, and ``payload``."""
    record_event(
        locked,
        kind,
        actor=by,
        organisation=locked.institute,
        payload={
            "authorisation": authorisation.pk,
            "party": authorisation.party_id,
            "agent_user": authorisation.agent_user_id,
            **payload,
        },
    )


def _ensure_answerable(by: User, case: Case, authorisation: AgentAuthorisation) -> None:
    # "Not yours" is a refusal; the page turns it into 404 before it gets here.
    if authorisation.agent_user_id != by.pk:
        raise PermissionDenied(_("Only the invited agent answers this invitation."))
    if authorisation.revoked_at is not None:
        raise ValidationError(_("The party withdrew this invitation."))
    if authorisation.declined_at is not None:
        raise ValidationError(_("You already declined this invitation."))
    if authorisation.accepted_at is not None:
        raise ValidationError(_("You already accepted this invitation."))
    if case.status in NO_AGENTS_IN:
        raise ValidationError(_("The case is archived: no agent can be authorised any more."))


def agent_authorisation_accept(
    *, by: User, authorisation: AgentAuthorisation
) -> AgentAuthorisation:
    """The invited agent accepts: the authorisation takes effect (LDMAL art. 24).

    Preconditions: ``by`` is the invited agent; the invitation is pending (not accepted,
    declined or revoked); the case is not archived.
    Side effects: the ``Agent`` row on the party (power of attorney received), the event
    ``case.agent_authorised`` with the new application digest, and a notification to the
    party's user who gave the authorisation.
    """
    with transaction.atomic():
        locked, fresh = _lock_authorisation(authorisation)
        _ensure_answerable(by, locked, fresh)
        agent_user = fresh.agent_user
        profile = AgentProfile.objects.filter(user=agent_user).first()
        if profile is None:
            raise ValidationError(
                _("Fill in your agent details (lawyer's licence or citizen agent) first.")
            )
        agent = Agent.objects.create(
            party=fresh.party,
            name=agent_user.real_name or str(agent_user),
            kind=AGENT_KIND[AgentProfile.Kind(profile.kind)],
            authority=fresh.authority,
            id_number=agent_user.id_number or "",
            phone=agent_user.mobile or "",
            firm=profile.firm,
            power_of_attorney_received=True,
        )
        fresh.agent = agent
        fresh.accepted_at = timezone.now()
        fresh.save(update_fields=["agent", "accepted_at"])
        _record(
            locked,
            "case.agent_authorised",
            by,
            fresh,
            agent=agent.pk,
            authority=fresh.authority,
            **_content(locked),
        )
        _notify(
            fresh.granted_by,
            locked,
            "agent_accepted",
            _("%(agent)s accepted to act for %(party)s")
            % {"agent": agent.name, "party": fresh.party.name},
            key=f"agent-accepted:{fresh.pk}",
            link=reverse("portal:case-agents", args=[locked.pk]),
        )
    return fresh


def agent_authorisation_decline(
    *, by: User, authorisation: AgentAuthorisation
) -> AgentAuthorisation:
    """The invited agent declines: the invitation ends and never takes effect; the party may
    invite the same agent again later.

    Preconditions: as for ``agent_authorisation_accept``.
    Side effects: the event ``case.agent_declined``; the party's user who invited is told.
    """
    with transaction.atomic():
        locked, fresh = _lock_authorisation(authorisation)
        _ensure_answerable(by, locked, fresh)
        fresh.declined_at = timezone.now()
        fresh.save(update_fields=["declined_at"])
        _record(locked, "case.agent_declined", by, fresh)
        _notify(
            fresh.granted_by,
            locked,
            "agent_declined",
            _("%(agent)s declined to act for %(party)s")
            % {"agent": fresh.agent_user.real_name or fresh.agent_user, "party": fresh.party.name},
            key=f"agent-declined:{fresh.pk}",
            link=reverse("portal:case-agents", args=[locked.pk]),
        )
    return fresh


def agent_authorisation_revoke(
    *, by: User, authorisation: AgentAuthorisation
) -> AgentAuthorisation:
    """The party's side ends an authorisation, or withdraws an invitation not yet answered:
    the agent no longer sees the case (or never will).

    The ``Agent`` row leaves the case's party list unless something already refers to it (a
    hearing record the agent signed): then it stays, as the record of who acted.
    Side effects: the event ``case.agent_revoked``; the agent is told.
    """
    _ensure_party_side(by)
    with transaction.atomic():
        locked, fresh = _lock_authorisation(authorisation)
        ensure_acts_for(by, fresh.party)
        if fresh.revoked_at is not None:
            raise ValidationError(_("This authorisation was already revoked."))
        if fresh.declined_at is not None:
            raise ValidationError(
                _("The agent declined this invitation: there is nothing to revoke.")
            )
        was_pending = fresh.accepted_at is None
        fresh.revoked_at = timezone.now()
        fresh.save(update_fields=["revoked_at"])
        agent_id, agent_removed = fresh.agent_id, False
        if agent_id is not None:
            try:
                with transaction.atomic():
                    Agent.objects.filter(pk=agent_id).delete()
                agent_removed = True
            except ProtectedError:
                pass
        _record(
            locked,
            "case.agent_revoked",
            by,
            fresh,
            agent=agent_id,
            agent_removed=agent_removed,
            was_pending=was_pending,
            **_content(locked),
        )
        _notify(
            fresh.agent_user,
            locked,
            "agent_revoked",
            (
                _("The invitation to act for %(party)s was withdrawn")
                if was_pending
                else _("Your authorisation as agent of %(party)s was revoked")
            )
            % {"party": fresh.party.name},
            key=f"agent-revoked:{fresh.pk}",
            link="",
        )
    fresh.refresh_from_db()
    return fresh


def _invitations_link() -> str:
    try:
        return reverse("portal:agent-invitations")
    except NoReverseMatch:
        return ""


def _notify(
    user: User, case: Case, kind: str, title: str, *, key: str, link: str | None = None
) -> None:
    # Imported here: notifications depends on cases, not the other way round.
    from zhongcai.notifications.services import notify

    body = _("Case %(number)s") % {"number": case.case_number} if case.case_number else ""
    link = _case_link(case) if link is None else link
    notify(user, kind, title, body=body, link=link, case=case, key=key)
