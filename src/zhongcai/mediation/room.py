"""The case room: messages, calls and meetings, shared files and settlement proposals.

Who sees what is decided here once (``visible_*``) and used by every page and download: staff of
the case's organisation see everything; a party sees what is joint and its own caucus (背靠背)
only; anyone else nothing. What a party says or offers to reach agreement is settlement talk
(人民法院在线调解规则, spec §9.2): marked ``settlement_talk`` and never carried into a later
arbitration file. Event payloads name ids, audience and party only, never what was said.
"""

from __future__ import annotations

import mimetypes
from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.cases.documents import sha256_of
from zhongcai.cases.serving import upload_problems

from .models import (
    Audience,
    MediationCase,
    MediationParty,
    Meeting,
    Message,
    Proposal,
    ProposalResponse,
    SharedFile,
)
from .models.room import Side
from .parties import parties_acted_for, party_for
from .services import _agreed_items
from .workflow import STAFF_ROLES, transition

MAX_BODY = 5000
MAX_NOTE = 2000
MIN_MINUTES, MAX_MINUTES = 15, 480
NOTICE_KIND = "mediation_room"


def _refuse(field: str, message: str, code: str) -> ValidationError:
    """A refusal on ``field`` that tests and callers can tell by its code."""
    return ValidationError({field: ValidationError(message, code=code)})


# --- Who is who in the room ------------------------------------------------------------------


def is_room_staff(user: User, case: MediationCase) -> bool:
    """A mediator or the head of the case's own organisation (supervisors above it follow the
    case, not its room)."""
    return (
        user.is_authenticated
        and user.role in STAFF_ROLES
        and user.organisation_id == case.organisation_id
    )


def own_parties(user: User, case: MediationCase) -> list[MediationParty]:
    """The parties whose caucus ``user`` reads: those it acts for, all on one side. A user
    acting for both sides (it should not happen) reads no caucus at all, so none can leak."""
    parties = parties_acted_for(user, case)
    return parties if len({p.role for p in parties}) == 1 else []


def _visible(queryset: QuerySet[Any], user: User, case: MediationCase) -> QuerySet[Any]:
    queryset = queryset.filter(case=case)
    if is_room_staff(user, case):
        return queryset
    if not user.is_authenticated or not user.is_public:
        return queryset.none()
    if not parties_acted_for(user, case):
        return queryset.none()
    return queryset.filter(Q(audience=Audience.JOINT) | Q(party__in=own_parties(user, case)))


def visible_messages(user: User, case: MediationCase) -> QuerySet[Message]:
    return _visible(Message.objects.select_related("party", "author"), user, case)


def visible_meetings(user: User, case: MediationCase) -> QuerySet[Meeting]:
    return _visible(Meeting.objects.select_related("party"), user, case)


def visible_files(user: User, case: MediationCase) -> QuerySet[SharedFile]:
    return _visible(SharedFile.objects.select_related("party"), user, case)


def visible_proposals(user: User, case: MediationCase) -> QuerySet[Proposal]:
    """Proposals are put to both parties: everyone in the room sees them, nobody else."""
    proposals = Proposal.objects.filter(case=case).prefetch_related("responses__party")
    if is_room_staff(user, case):
        return proposals
    if user.is_authenticated and user.is_public and own_parties(user, case):
        return proposals
    return proposals.none()


def _speaker(
    by: User, case: MediationCase, audience: str, party: MediationParty | None
) -> tuple[str, MediationParty | None]:
    """The side ``by`` speaks for and the caucus party, checked: staff name the party of a
    caucus; a party's caucus is its own."""
    if audience not in Audience.values:
        raise _refuse("audience", _("Choose who sees it."), "audience")
    if is_room_staff(by, case):
        if audience == Audience.JOINT:
            return Side.MEDIATOR, None
        if party is None or party.case_id != case.pk:
            raise _refuse("party", _("Choose the party of this case to talk with."), "party")
        return Side.MEDIATOR, party
    own = party_for(by, case)  # PermissionDenied for anyone not in the case
    return own.role, (own if audience == Audience.CAUCUS else None)


# --- Notices ---------------------------------------------------------------------------------


def _party_users(case: MediationCase, parties: list[MediationParty]) -> set[User]:
    from zhongcai.accounts.models import EmployerMember

    users: set[User] = set()
    for party in parties:
        if party.user_id:
            users.add(party.user)  # type: ignore[arg-type]
        if party.role == MediationParty.Role.APPLICANT and case.owner_id:
            users.add(case.owner)  # type: ignore[arg-type]
        if party.kind == MediationParty.Kind.EMPLOYER and party.credit_code:
            members = EmployerMember.objects.filter(
                employer__credit_code=party.credit_code,
                employer__verified_at__isnull=False,
                removed_at__isnull=True,
            ).select_related("user")
            users.update(m.user for m in members)
    return users


def _tell(
    case: MediationCase,
    *,
    by: User,
    staff: bool,
    parties: list[MediationParty],
    title: str,
    key: str,
) -> None:
    """An in-app notice (no SMS or e-mail: the room is read on the platform). The title says
    that something happened, never what was said."""
    from zhongcai.notifications.services import notify

    recipients: list[tuple[User, str]] = []
    if staff and case.mediator_id and case.mediator.user_id:
        link = reverse("mediation:room-case", args=[case.pk])
        recipients.append((case.mediator.user, link))  # type: ignore[arg-type]
    party_link = reverse("mediation-portal:room-case", args=[case.pk])
    recipients += [(user, party_link) for user in _party_users(case, parties)]
    for user, link in recipients:
        if user.pk != by.pk:
            notify(user, NOTICE_KIND, title, link=link, channels=(), key=f"{key}:{user.pk}")


def _others(case: MediationCase, side: str) -> list[MediationParty]:
    return [p for p in case.parties.all() if p.role != side]


def _audience_of(side: str, party: MediationParty | None, case: MediationCase) -> dict[str, Any]:
    """Who is told of an item: a caucus item the mediator and its party only; a joint one the
    mediator and every party on the other side(s)."""
    if party is not None:
        return {"staff": side != Side.MEDIATOR, "parties": [party] if side == Side.MEDIATOR else []}
    return {"staff": side != Side.MEDIATOR, "parties": _others(case, side)}


# --- Messages --------------------------------------------------------------------------------


def message_post(
    *,
    by: User,
    case: MediationCase,
    body: str,
    audience: str,
    party: MediationParty | None = None,
) -> Message:
    """Say something in the room, to everyone or in a caucus. Settlement talk (spec §9.2)."""
    text = (body or "").strip()
    if not text:
        raise _refuse("body", _("Write the message."), "empty")
    if len(text) > MAX_BODY:
        raise _refuse("body", _("Keep the message under 5,000 characters."), "too_long")
    holder: dict[str, Message] = {}

    def apply(locked: MediationCase) -> dict[str, Any]:
        side, caucus = _speaker(by, locked, audience, party)
        message = Message.objects.create(
            case=locked,
            audience=audience,
            party=caucus,
            side=side,
            author=by,
            body=text,
            settlement_talk=True,
        )
        holder["message"] = message
        _tell(
            locked,
            by=by,
            title=_("New message in your mediation"),
            key=f"mediation-message:{message.pk}",
            **_audience_of(side, caucus, locked),
        )
        return {"message": message.pk, "audience": audience, "party": message.party_id}

    transition(case, "post_message", by=by, apply=apply)
    return holder["message"]


# --- Meetings --------------------------------------------------------------------------------


def meeting_schedule(
    *,
    by: User,
    case: MediationCase,
    mode: str,
    starts_at: datetime | None,
    minutes: int | None,
    place: str = "",
    audience: str = Audience.JOINT,
    party: MediationParty | None = None,
) -> Meeting:
    """The mediator schedules a call or a meeting, together or in caucus with one party."""
    errors: dict[str, list[str]] = {}
    if mode not in Meeting.Mode.values:
        errors["mode"] = [_("Choose how you will meet.")]
    if starts_at is None or timezone.is_naive(starts_at):
        errors["starts_at"] = [_("Enter when it starts.")]
    elif starts_at <= timezone.now():
        errors["starts_at"] = [_("Choose a time in the future.")]
    if not isinstance(minutes, int) or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        errors["minutes"] = [_("It lasts 15 to 480 minutes.")]
    place = (place or "").strip()
    if len(place) > 200:
        errors["place"] = [_("Keep the place or link under 200 characters.")]
    if errors:
        raise ValidationError(errors)
    holder: dict[str, Meeting] = {}

    def apply(locked: MediationCase) -> dict[str, Any]:
        _side, caucus = _speaker(by, locked, audience, party)
        meeting = Meeting.objects.create(
            case=locked,
            audience=audience,
            party=caucus,
            mode=mode,
            starts_at=starts_at,
            minutes=minutes,
            place=place,
            created_by=by,
        )
        holder["meeting"] = meeting
        _tell(
            locked,
            by=by,
            staff=False,
            parties=[caucus] if caucus else list(locked.parties.all()),
            title=_("A call or meeting was scheduled in your mediation"),
            key=f"mediation-meeting:{meeting.pk}",
        )
        return {
            "meeting": meeting.pk,
            "audience": audience,
            "party": meeting.party_id,
            "mode": mode,
            "starts_at": starts_at.isoformat(),  # type: ignore[union-attr]
            "minutes": minutes,
        }

    transition(case, "schedule_meeting", by=by, apply=apply)
    return holder["meeting"]


def meeting_cancel(*, by: User, meeting: Meeting) -> Meeting:
    def apply(locked: MediationCase) -> dict[str, Any]:
        row = Meeting.objects.select_for_update().get(pk=meeting.pk, case=locked)
        if row.cancelled_at is not None:
            raise _refuse("meeting", _("This meeting was already cancelled."), "cancelled")
        row.cancelled_at = timezone.now()
        row.save(update_fields=["cancelled_at"])
        meeting.cancelled_at = row.cancelled_at
        return {"meeting": row.pk, "audience": row.audience, "party": row.party_id}

    transition(meeting.case, "cancel_meeting", by=by, apply=apply)
    return meeting


# --- Files -----------------------------------------------------------------------------------


def file_share(
    *,
    by: User,
    case: MediationCase,
    title: str,
    kind: str,
    audience: str,
    file: UploadedFile | None,
    party: MediationParty | None = None,
) -> SharedFile:
    """Put a document or evidence into the room; the file is checked (size, what it really is,
    no macros) and its SHA-256 kept."""
    title = (title or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Name the file.")]
    elif len(title) > 200:
        errors["title"] = [_("Keep the name under 200 characters.")]
    if kind not in SharedFile.Kind.values:
        errors["kind"] = [_("Choose evidence or another document.")]
    if file is None:
        errors["file"] = [_("Choose the file to upload.")]
    errors |= upload_problems(file, "file")
    if errors or file is None:
        raise ValidationError(errors)
    digest = sha256_of(file)
    holder: dict[str, SharedFile] = {}

    def apply(locked: MediationCase) -> dict[str, Any]:
        side, caucus = _speaker(by, locked, audience, party)
        name = PurePath(file.name or "").name
        shared = SharedFile(
            case=locked,
            audience=audience,
            party=caucus,
            side=side,
            kind=kind,
            title=title,
            sha256=digest,
            size=file.size or 0,
            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
            uploaded_by=by,
        )
        shared.file = file
        shared.save()
        holder["file"] = shared
        return {
            "file": shared.pk,
            "audience": audience,
            "party": shared.party_id,
            "kind": kind,
            "sha256": digest,
            "size": shared.size,
        }

    transition(case, "share_file", by=by, apply=apply)
    return holder["file"]


# --- Proposals -------------------------------------------------------------------------------


def _items(items: Any, key: str) -> list[dict[str, Any]]:
    try:
        return _agreed_items(items)
    except ValidationError as exc:
        raise ValidationError(
            {k.replace("items", key, 1): v for k, v in exc.message_dict.items()}
        ) from None


def _note(note: str) -> str:
    text = (note or "").strip()
    if len(text) > MAX_NOTE:
        raise _refuse("note", _("Keep the note under 2,000 characters."), "too_long")
    return text


def _new_proposal(
    locked: MediationCase,
    by: User,
    side: str,
    items: list[dict[str, Any]],
    note: str,
    replaces: Proposal | None = None,
) -> Proposal:
    if locked.proposals.filter(status=Proposal.Status.OPEN).exists():
        raise _refuse(
            "items",
            _("A proposal is still open: it must be answered or withdrawn first."),
            "open_proposal",
        )
    last = locked.proposals.aggregate(last=Max("number"))["last"] or 0
    proposal = Proposal.objects.create(
        case=locked,
        number=last + 1,
        side=side,
        proposed_by=by,
        items=items,
        note=note,
        replaces=replaces,
        settlement_talk=True,
    )
    staff = side != Side.MEDIATOR
    _tell(
        locked,
        by=by,
        staff=staff,
        parties=_others(locked, side),
        title=_("A settlement proposal was made in your mediation"),
        key=f"mediation-proposal:{proposal.pk}",
    )
    return proposal


def proposal_make(*, by: User, case: MediationCase, items: Any, note: str = "") -> Proposal:
    """Put settlement terms to both parties (the mediator's, or a party's offer). One proposal
    is open at a time: withdraw it before making another."""
    clean, text = _items(items, "items"), _note(note)
    holder: dict[str, Proposal] = {}

    def apply(locked: MediationCase) -> dict[str, Any]:
        side = Side.MEDIATOR if is_room_staff(by, locked) else party_for(by, locked).role
        holder["proposal"] = _new_proposal(locked, by, side, clean, text)
        return {"proposal": holder["proposal"].pk, "number": holder["proposal"].number}

    transition(case, "propose", by=by, apply=apply)
    return holder["proposal"]


def _open(proposal_pk: int, case: MediationCase) -> Proposal:
    # Locked: two parties answering at once see each other's answer.
    row = Proposal.objects.select_for_update().get(pk=proposal_pk, case=case)
    if row.status != Proposal.Status.OPEN:
        raise _refuse("answer", _("This proposal is no longer open."), "not_open")
    return row


def proposal_answer(
    *,
    by: User,
    proposal: Proposal,
    answer: str,
    note: str = "",
    counter_items: Any = None,
) -> Proposal:
    """A party accepts, rejects or counters a proposal, for the parties it acts for. A counter
    closes it (COUNTERED) and opens the party's own offer in its place. When every party of the
    other side(s) has accepted, the proposal is ACCEPTED and the agreement can be drafted from
    it (LDMAL art. 14). Returns the proposal answered (the new one for a counter)."""
    if answer not in ProposalResponse.Answer.values:
        raise _refuse("answer", _("Choose your answer."), "answer")
    text = _note(note)
    counter = _items(counter_items, "counter_items") if answer == "counter" else None
    holder: dict[str, Proposal] = {}

    def apply(locked: MediationCase) -> dict[str, Any]:
        row = _open(proposal.pk, locked)
        own = party_for(by, locked)
        if own.role == row.side:
            raise _refuse(
                "answer", _("This is your own side's offer: you cannot answer it."), "own_proposal"
            )
        mine = [p for p in parties_acted_for(by, locked) if p.role == own.role]
        if row.responses.filter(party__in=mine).exists():
            raise _refuse("answer", _("You have already answered this proposal."), "answered")
        ProposalResponse.objects.bulk_create(
            ProposalResponse(proposal=row, party=p, user=by, answer=answer, note=text) for p in mine
        )
        extra: dict[str, Any] = {}
        if answer == ProposalResponse.Answer.COUNTER:
            row.status, row.closed_at = Proposal.Status.COUNTERED, timezone.now()
            row.save(update_fields=["status", "closed_at"])
            holder["proposal"] = _new_proposal(locked, by, own.role, counter or [], text, row)
            extra["counter"] = holder["proposal"].pk
        else:
            accepted = set(
                row.responses.filter(answer=ProposalResponse.Answer.ACCEPT).values_list(
                    "party_id", flat=True
                )
            )
            if all(p.pk in accepted for p in _others(locked, row.side)):
                row.status, row.closed_at = Proposal.Status.ACCEPTED, timezone.now()
                row.save(update_fields=["status", "closed_at"])
            holder["proposal"] = row
        return {
            "proposal": row.pk,
            "answer": answer,
            "parties": [p.pk for p in mine],
            "status": row.status,
            **extra,
        }

    transition(proposal.case, "answer_proposal", by=by, apply=apply)
    return holder["proposal"]


def proposal_withdraw(*, by: User, proposal: Proposal) -> Proposal:
    """The mediator withdraws any open proposal; a party its own side's offer."""

    def apply(locked: MediationCase) -> dict[str, Any]:
        row = _open(proposal.pk, locked)
        if not is_room_staff(by, locked) and party_for(by, locked).role != row.side:
            raise PermissionDenied(_("Only the mediator or who made it may withdraw it."))
        row.status, row.closed_at = Proposal.Status.WITHDRAWN, timezone.now()
        row.save(update_fields=["status", "closed_at"])
        holder["proposal"] = row
        return {"proposal": row.pk}

    holder: dict[str, Proposal] = {}
    transition(proposal.case, "withdraw_proposal", by=by, apply=apply)
    return holder["proposal"]
