"""Hearings (开庭): scheduling with its notice, postponement, attendance and default, the hearing
record (笔录) with corrections and signatures, closing a session, and deemed withdrawal.

* A hearing is booked in a room of the commission, at another place (办案规则 art. 67) or online;
  the room, every arbitrator and the recorder are checked against the other hearings that hold
  them at the same time. The 开庭通知书 is issued and served on every party in the same step, and
  the hearing day must leave the notice period clear (LDMAL art. 35; 办案规则 art. 38).
* A party may ask for a postponement at least 3 (working) days before; the commission decides,
  and a granted postponement books the new hearing in the same step (LDMAL art. 35).
* Absence: the respondent's does not stop the hearing (default, 缺席); the applicant's, after a
  proven written notice, lets the tribunal deem the application withdrawn, and re-application
  is not accepted (LDMAL art. 36; 办案规则 arts. 39, 59).
* The record is never edited: a correction is a new version with its reason and who asked for
  it, each version hashed, issued to the main volume and signed on its own (LDMAL art. 40;
  办案规则 art. 42).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhongcai.accounts.models import User
from zhongcai.orgs.models import HearingRoom, Person

from . import selectors
from .deadlines import all_periods, close_deadlines, period
from .documents import document_issue
from .models import (
    Agent,
    AgentAuthorisation,
    Attendance,
    Case,
    CaseDeadline,
    CaseDocument,
    DecisionKind,
    DocumentKind,
    Hearing,
    HearingRecord,
    Party,
    PostponementRequest,
    RecordSignature,
    ServiceMethod,
    ServiceRecord,
    Status,
    TribunalMember,
)
from .representation import ensure_acts_for
from .serving import THEN, proven_notice, run_then, serve_record
from .workflow import TransitionError, ensure_may_act, transition

# Hearings that hold their room and people.
BOOKED = (Hearing.State.SCHEDULED, Hearing.State.OPEN)
# How a hearing notice may be served in the scheduling step. Posting and public notice need a
# photo or a notice period of their own: they go through the service step afterwards.
NOTICE_METHODS = (
    ServiceMethod.ELECTRONIC,
    ServiceMethod.IN_PERSON,
    ServiceMethod.POST,
    ServiceMethod.SMS,
    ServiceMethod.PHONE,
)
LONGEST_SESSION = timedelta(hours=12)
DEFAULT_SESSION = timedelta(hours=2)
# A party who does not attend, or leaves, without a justified reason (LDMAL art. 36).
NOT_ATTENDING = (Attendance.Presence.ABSENT, Attendance.Presence.LEFT)


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _case_label(case: Case) -> str:
    return case.case_number or _("application no. %(id)s") % {"id": case.pk}


# --- The rules as functions of dates, for the forms' help and the tests ------------------------


def earliest_hearing_date(today: date) -> date:
    """The first day a hearing notified today may be held: the notice period must end before
    the hearing day ("at least 5 clear days", spec §11.2 row 20)."""
    return period("hearing_notice").due(today).due + timedelta(days=1)


def postponement_in_time(hearing_on: date, today: date) -> bool:
    """LDMAL art. 35: asked at least 3 (working) days before the hearing."""
    return period("postponement_request").due(today).due <= hearing_on


@dataclass(frozen=True)
class Venue:
    """Where the hearing is held: a room, another place (办案规则 art. 67), or online."""

    room: HearingRoom | None = None
    place: str = ""
    online: bool = False

    def describe(self) -> str:
        parts = []
        if self.room is not None:
            parts.append(
                f"{self.room.name}（{self.room.address}）" if self.room.address else self.room.name
            )
        if self.place:
            parts.append(self.place)
        if self.online:
            parts.append(_("online hearing"))
        return pgettext("between names", ", ").join(parts)


def _venue_errors(case: Case, venue: Venue) -> dict[str, list[str]]:
    room = venue.room
    if room is not None and (room.commission_id != case.commission_id or not room.is_active):
        return {"room": [_("Choose a hearing room of this commission that is in use.")]}
    if room is not None and venue.place:
        return {"place": [_("Give a hearing room or another place, not both.")]}
    if room is None and not venue.place and not venue.online:
        return {
            "room": [
                _(
                    "Choose a hearing room, another place such as the employer's premises "
                    "(办案规则 art. 67), or an online hearing."
                )
            ]
        }
    if room is not None and venue.online and not room.has_online_hearing:
        return {"online": [_("This room is not equipped for online hearings.")]}
    return {}


def _span_errors(starts_at: datetime | None, ends_at: datetime | None) -> dict[str, list[str]]:
    if starts_at is None:
        return {"starts_at": [_("Give the date and time of the hearing.")]}
    if ends_at is None or ends_at <= starts_at:
        return {"ends_at": [_("The hearing must end after it starts.")]}
    if ends_at - starts_at > LONGEST_SESSION:
        return {"ends_at": [_("A session lasts at most 12 hours; book another session.")]}
    return {}


def _notice_errors(starts_at: datetime, today: date) -> dict[str, list[str]]:
    # LDMAL art. 35; 办案规则 art. 38: the parties are told at least 5 days before the hearing.
    notice = period("hearing_notice")
    hearing_on = timezone.localdate(starts_at)
    earliest = earliest_hearing_date(today)
    if hearing_on >= earliest:
        return {}
    return {
        "starts_at": [
            _(
                "The hearing notice must reach the parties at least %(days)d %(unit)s before "
                "the hearing (LDMAL art. 35): notified today, the hearing can be held on "
                "%(earliest)s at the earliest, not on %(date)s."
            )
            % {
                "days": notice.days,
                "unit": notice.unit.label,
                "earliest": earliest.isoformat(),
                "date": hearing_on.isoformat(),
            }
        ]
    }


def seated(case: Case) -> list[TribunalMember]:
    """The tribunal as it sits now: arbitrators first, then the recorder."""
    members = case.tribunal.filter(ended_at__isnull=True).select_related("person")
    return sorted(members, key=lambda m: (not m.is_arbitrator, m.pk))


def conflicts(
    *,
    starts_at: datetime,
    ends_at: datetime,
    room: HearingRoom | None,
    people: Iterable[Person],
    exclude: Iterable[int] = (),
) -> dict[str, list[str]]:
    """Other hearings holding the room or one of ``people`` during the span, as messages that
    name the other case and its time."""
    wanted = {person.pk: person for person in people}
    holds = Q(people__in=list(wanted))
    if room is not None:
        holds |= Q(room=room)
    overlapping = (
        Hearing.objects.filter(
            holds, state__in=BOOKED, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .exclude(pk__in=list(exclude))
        .select_related("case", "room")
        .prefetch_related("people")
        .distinct()
        .order_by("starts_at", "pk")
    )
    errors: dict[str, list[str]] = {}
    for other in overlapping:
        span = {
            "case": _case_label(other.case),
            "from": _when(other.starts_at),
            "until": timezone.localtime(other.ends_at).strftime("%H:%M"),
        }
        if room is not None and other.room_id == room.pk:
            errors.setdefault("room", []).append(
                _("%(room)s is booked for case %(case)s from %(from)s to %(until)s.")
                % {"room": room.name, **span}
            )
        for person in other.people.all():
            if person.pk not in wanted:
                continue
            message = (
                _("The arbitrator %(name)s sits in case %(case)s from %(from)s to %(until)s.")
                if person.kind == Person.Kind.ARBITRATOR
                else _("The recorder %(name)s records case %(case)s from %(from)s to %(until)s.")
            )
            errors.setdefault("starts_at", []).append(message % {"name": person.name, **span})
    return errors


def _merge(errors: dict[str, list[str]], more: dict[str, list[str]]) -> None:
    for key, messages in more.items():
        errors.setdefault(key, []).extend(messages)


def _pop_then(payload: dict[str, Any], then: list[Any]) -> dict[str, Any]:
    then.extend(payload.pop(THEN, []))
    return payload


def _serve_all(
    case: Case, document: CaseDocument, method: str, by: User, then: list[Any]
) -> list[dict[str, Any]]:
    """Serve ``document`` on every party by ``method``. In person means the party signed the
    receipt there and then (the date is often fixed at the counter with the parties present)."""
    entries = []
    for party in case.parties.all():
        try:
            _record, payload = serve_record(
                case=case,
                document=document,
                party=party,
                method=method,
                by=by,
                signed_by_name=party.name if method == ServiceMethod.IN_PERSON else "",
            )
        except ValidationError as exc:
            # The form's field is the notice method; a party without e-service consent, say.
            raise ValidationError(
                {"notice_method": exc.messages} if hasattr(exc, "error_dict") else exc
            ) from exc
        entries.append(_pop_then(payload, then))
    return entries


def _next_session(case: Case) -> int:
    return case.hearings.filter(state=Hearing.State.HELD).count() + 1


def _book(
    case: Case,
    *,
    by: User,
    starts_at: datetime | None,
    ends_at: datetime | None,
    venue: Venue,
    notice_method: str,
    session: int,
    then: list[Any],
    replaces: Hearing | None = None,
) -> tuple[Hearing, dict[str, Any]]:
    """Check and book a hearing, issue its notice and serve it on every party.

    Runs inside a step, with the case locked. The room and the people are locked too, so that two
    cases booking the same arbitrator at once are serialized and the second one sees the first.
    """
    errors: dict[str, list[str]] = {}
    members = seated(case)
    arbitrators = [m for m in members if m.is_arbitrator]
    recorders = [m for m in members if not m.is_arbitrator]
    if not arbitrators or not recorders:
        errors["starts_at"] = [_("Form the tribunal, with its recorder, before scheduling.")]
    _merge(errors, _venue_errors(case, venue))
    _merge(errors, _span_errors(starts_at, ends_at))
    if notice_method not in NOTICE_METHODS:
        errors["notice_method"] = [_("Choose how the hearing notice is served.")]
    if errors or starts_at is None or ends_at is None:
        raise ValidationError(errors)
    _merge(errors, _notice_errors(starts_at, timezone.localdate()))
    people = [m.person for m in members]
    if venue.room is not None:
        list(HearingRoom.objects.select_for_update().filter(pk=venue.room.pk))
    list(Person.objects.select_for_update().filter(pk__in=[p.pk for p in people]))
    exclude = [replaces.pk] if replaces else []
    _merge(
        errors,
        conflicts(
            starts_at=starts_at, ends_at=ends_at, room=venue.room, people=people, exclude=exclude
        ),
    )
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    hearing = Hearing.objects.create(
        case=case,
        session=session,
        room=venue.room,
        place=venue.place,
        online=venue.online,
        starts_at=starts_at,
        ends_at=ends_at,
        scheduled_at=now,
        scheduled_by=by,
        replaces=replaces,
    )
    hearing.people.set(people)
    tribunal = [
        {"seat": m.seat, "seat_label": str(m.get_seat_display()), "name": m.person.name}
        for m in members
    ]
    where = venue.describe()
    body = "\n".join(
        [
            _("Case %(case)s") % {"case": _case_label(case)},
            _("Session %(session)d of the hearing") % {"session": session},
            _("Time: %(from)s to %(until)s")
            % {"from": _when(starts_at), "until": timezone.localtime(ends_at).strftime("%H:%M")},
            _("Place: %(place)s") % {"place": where},
            *(f"{row['seat_label']}: {row['name']}" for row in tribunal),
            _(
                "An applicant who does not appear without a justified reason, or leaves without "
                "permission, may be deemed to withdraw the application; for a respondent the "
                "tribunal may award by default (LDMAL art. 36)."
            ),
            _(
                "A party with a justified reason may ask for a postponement at least %(days)d "
                "%(unit)s before the hearing (LDMAL art. 35)."
            )
            % {
                "days": period("postponement_request").days,
                "unit": period("postponement_request").unit.label,
            },
        ]
    )
    notice = document_issue(
        case=case,
        kind=DocumentKind.HEARING_NOTICE,
        title=_("Hearing notice"),
        by=by,
        body=body,
        data={
            "hearing": hearing.pk,
            "session": session,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "room": venue.room.pk if venue.room else None,
            "place": where,
            "online": venue.online,
            "tribunal": tribunal,
        },
    )
    hearing.notice = notice
    hearing.save(update_fields=["notice"])
    services = _serve_all(case, notice, notice_method, by, then)
    return hearing, {
        "hearing": hearing.pk,
        "session": session,
        "starts_at": starts_at.isoformat(),
        "ends_at": ends_at.isoformat(),
        "room": venue.room.pk if venue.room else None,
        "place": venue.place,
        "online": venue.online,
        "people": [p.pk for p in people],
        "document": notice.pk,
        "services": services,
        "items": [
            _("Session %(session)d on %(from)s at %(place)s")
            % {"session": session, "from": _when(starts_at), "place": where}
        ],
    }


def _end(
    starts_at: datetime | None, ends_at: datetime | None, duration: timedelta | None
) -> datetime | None:
    if ends_at is not None or starts_at is None:
        return ends_at
    return starts_at + (duration if duration is not None else DEFAULT_SESSION)


# --- Steps ----------------------------------------------------------------------------------


@transaction.atomic
def hearing_schedule(
    *,
    by: User,
    case: Case,
    starts_at: datetime | None,
    ends_at: datetime | None = None,
    duration: timedelta | None = None,
    room: HearingRoom | None = None,
    place: str = "",
    online: bool = False,
    notice_method: str,
) -> Hearing:
    """PANEL_FORMED / DEFENCE_PERIOD / DELIBERATION (adjourned) → HEARING_SCHEDULED.

    Preconditions: a seated tribunal with its recorder; the case not suspended; the room, the
    arbitrators and the recorder free for the span; the hearing day after the notice period
    counted from today (LDMAL art. 35; 办案规则 art. 38). Side effects: the 开庭通知书 issued and
    served on every party by ``notice_method``; in a collective case this one-time notice
    closes the 5-day clock of 办案规则 art. 64.
    """
    ensure_may_act(by, case, "schedule_hearing")
    holder: dict[str, Hearing] = {}
    then: list[Any] = []

    def apply(locked: Case) -> dict[str, Any]:
        hearing, payload = _book(
            locked,
            by=by,
            starts_at=starts_at,
            ends_at=_end(starts_at, ends_at, duration),
            venue=Venue(room=room, place=place.strip(), online=online),
            notice_method=notice_method,
            session=_next_session(locked),
            then=then,
        )
        if locked.collective:
            late = close_deadlines(locked, ["collective_notice"], state=CaseDeadline.State.MET)
            payload["collective_notice_met"] = True
            payload["late"] = bool(late)
        holder["hearing"] = hearing
        return payload

    transition(case, "schedule_hearing", by=by, apply=apply)
    run_then({THEN: then})
    return holder["hearing"]


@transaction.atomic
def postponement_request(
    *, by: User, case: Case, hearing: Hearing, party: Party, reasons: str
) -> PostponementRequest:
    """延期开庭申请 of a party, recorded by the office (LDMAL art. 35; 办案规则 art. 38).

    Refused unless filed at least 3 (working) days before the hearing: counted from today, the
    period must end on or before the hearing day.
    """
    ensure_may_act(by, case, "request_postponement")
    if hearing.case_id != case.pk:
        raise ValidationError({"hearing": [_("This hearing is not in this case.")]})
    if party.case_id != case.pk:
        raise ValidationError({"party": [_("This party is not in this case.")]})
    if not reasons.strip():
        raise ValidationError({"reasons": [_("Give the party's reasons.")]})
    holder: dict[str, PostponementRequest] = {}

    def apply(locked: Case) -> dict[str, Any]:
        fresh = Hearing.objects.select_for_update().get(pk=hearing.pk)
        if fresh.state != Hearing.State.SCHEDULED:
            raise ValidationError({"hearing": [_("Only a scheduled hearing can be postponed.")]})
        today = timezone.localdate()
        hearing_on = timezone.localdate(fresh.starts_at)
        if not postponement_in_time(hearing_on, today):
            rule = period("postponement_request")
            raise ValidationError(
                {
                    "reasons": [
                        _(
                            "A postponement must be asked for at least %(days)d %(unit)s before "
                            "the hearing (LDMAL art. 35). Counted from today that period ends "
                            "on %(due)s, after the hearing on %(date)s: the request is too late."
                        )
                        % {
                            "days": rule.days,
                            "unit": rule.unit.label,
                            "due": rule.due(today).due.isoformat(),
                            "date": hearing_on.isoformat(),
                        }
                    ]
                }
            )
        holder["request"] = PostponementRequest.objects.create(
            hearing=fresh,
            party=party,
            reasons=reasons.strip(),
            filed_at=timezone.now(),
            recorded_by=by,
        )
        return {
            "hearing": fresh.pk,
            "postponement": holder["request"].pk,
            "party": party.pk,
            "reasons": reasons.strip(),
        }

    transition(case, "request_postponement", by=by, apply=apply)
    return holder["request"]


@transaction.atomic
def postponement_decide(
    *,
    by: User,
    case: Case,
    request: PostponementRequest,
    granted: bool,
    reasons: str = "",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    duration: timedelta | None = None,
    room: HearingRoom | None = None,
    place: str = "",
    online: bool = False,
    notice_method: str = "",
) -> PostponementRequest:
    """The commission decides a postponement request (LDMAL art. 35).

    Granted: the hearing is postponed and the new one booked with the same checks as any
    hearing; the 延期开庭通知书 and the new 开庭通知书 are served on every party, all in one step.
    Refused: the reasons are recorded and the hearing stands.
    """
    ensure_may_act(by, case, "decide_postponement")
    if request.hearing.case_id != case.pk:
        raise ValidationError({"request": [_("This request is not in this case.")]})
    if not granted and not reasons.strip():
        raise ValidationError({"reasons": [_("Give the reasons for refusing.")]})
    holder: dict[str, PostponementRequest] = {}
    then: list[Any] = []

    def apply(locked: Case) -> dict[str, Any]:
        fresh = PostponementRequest.objects.select_for_update().get(pk=request.pk)
        old = Hearing.objects.select_for_update().get(pk=fresh.hearing_id)
        if fresh.decision != PostponementRequest.Decision.PENDING:
            raise ValidationError({"request": [_("This request was already decided.")]})
        if old.state != Hearing.State.SCHEDULED or old.starts_at <= timezone.now():
            raise ValidationError(
                {"request": [_("The hearing is no longer ahead: it cannot be postponed.")]}
            )
        now = timezone.now()
        payload: dict[str, Any] = {
            "postponement": fresh.pk,
            "hearing": old.pk,
            "granted": granted,
            "reasons": reasons.strip(),
        }
        fresh.decided_at, fresh.decided_by = now, by
        fresh.decision_reasons = reasons.strip()
        if not granted:
            fresh.decision = PostponementRequest.Decision.REFUSED
            fresh.save()
            holder["request"] = fresh
            return payload
        old.state = Hearing.State.POSTPONED
        old.save(update_fields=["state"])
        new, booked = _book(
            locked,
            by=by,
            starts_at=starts_at,
            ends_at=_end(starts_at, ends_at, duration),
            venue=Venue(room=room, place=place.strip(), online=online),
            notice_method=notice_method,
            session=old.session,
            then=then,
            replaces=old,
        )
        notice = document_issue(
            case=locked,
            kind=DocumentKind.POSTPONEMENT_NOTICE,
            title=_("Notice of postponement"),
            by=by,
            body="\n".join(
                [
                    _("Case %(case)s") % {"case": _case_label(locked)},
                    _("The hearing set for %(old)s is postponed at the request of %(party)s.")
                    % {"old": _when(old.starts_at), "party": fresh.party.name},
                    _("It will be held on %(new)s at %(place)s.")
                    % {"new": _when(new.starts_at), "place": booked["items"][0]},
                ]
            ),
            data={"hearing": old.pk, "new_hearing": new.pk, "postponement": fresh.pk},
        )
        fresh.decision = PostponementRequest.Decision.GRANTED
        fresh.notice, fresh.new_hearing = notice, new
        fresh.save()
        # The hearing they asked to move has moved: the other pending requests are answered too.
        old.postponements.filter(decision=PostponementRequest.Decision.PENDING).update(
            decision=PostponementRequest.Decision.GRANTED,
            decided_at=now,
            decided_by=by,
            new_hearing=new,
            notice=notice,
        )
        holder["request"] = fresh
        booked.pop("hearing")
        return payload | {
            "new_hearing": new.pk,
            "postponement_notice": notice.pk,
            "postponement_services": _serve_all(locked, notice, notice_method, by, then),
            **booked,
        }

    transition(case, "decide_postponement", by=by, apply=apply)
    run_then({THEN: then})
    return holder["request"]


def _scheduled(case: Case) -> Hearing | None:
    return (
        case.hearings.select_for_update()
        .filter(state=Hearing.State.SCHEDULED)
        .order_by("starts_at", "pk")
        .first()
    )


def _open(case: Case) -> Hearing | None:
    return case.hearings.select_for_update().filter(state=Hearing.State.OPEN).first()


@transaction.atomic
def hearing_open(*, by: User, case: Case) -> Hearing:
    """HEARING_SCHEDULED → HEARING: an arbitrator of the tribunal opens the session on its day
    (办案规则 art. 41)."""
    ensure_may_act(by, case, "open_hearing")
    holder: dict[str, Hearing] = {}

    def apply(locked: Case) -> dict[str, Any]:
        hearing = _scheduled(locked)
        if hearing is None:
            raise TransitionError(_("No hearing is scheduled."))
        hearing_on = timezone.localdate(hearing.starts_at)
        if timezone.localdate() < hearing_on:
            raise ValidationError(
                _("The hearing is set for %(date)s: it opens on that day.")
                % {"date": hearing_on.isoformat()}
            )
        hearing.state, hearing.opened_at = Hearing.State.OPEN, timezone.now()
        hearing.save(update_fields=["state", "opened_at"])
        holder["hearing"] = hearing
        return {"hearing": hearing.pk, "session": hearing.session}

    transition(case, "open_hearing", by=by, apply=apply)
    return holder["hearing"]


def _defaults(
    case: Case, hearing: Hearing, party: Party, presence: str, justified: bool
) -> dict[str, Any]:
    """LDMAL art. 36: what an absence means, and whether the notice can carry it (办案规则 59)."""
    if presence not in NOT_ATTENDING or justified:
        return {}
    proven = hearing.notice is not None and proven_notice(case, party, hearing.notice)
    if party.role == Party.Role.RESPONDENT:
        return {"default": True, "default_award_possible": proven}
    if party.role == Party.Role.APPLICANT:
        return {"applicant_absent": True, "deemed_withdrawal_possible": proven}
    return {}


@transaction.atomic
def attendance_record(
    *,
    by: User,
    case: Case,
    party: Party,
    presence: str,
    justified: bool = False,
    note: str = "",
) -> Attendance:
    """The recorder checks attendance (办案规则 art. 41); a later entry for the same party (who
    left, say) replaces the earlier one, which stays in the event log.

    A respondent absent without a justified reason: the hearing continues and the event says
    "default" (缺席, LDMAL art. 36; 办案规则 art. 39).
    """
    ensure_may_act(by, case, "record_attendance")
    if party.case_id != case.pk:
        raise ValidationError({"party": [_("This party is not in this case.")]})
    if presence not in Attendance.Presence.values:
        raise ValidationError({"presence": [_("Say whether the party is present.")]})
    holder: dict[str, Attendance] = {}

    def apply(locked: Case) -> dict[str, Any]:
        hearing = _open(locked)
        if hearing is None:
            raise TransitionError(_("No hearing is in session."))
        previous = Attendance.objects.filter(hearing=hearing, party=party).first()
        attendance, _created = Attendance.objects.update_or_create(
            hearing=hearing,
            party=party,
            defaults={
                "presence": presence,
                "justified": justified,
                "note": note.strip(),
                "recorded_at": timezone.now(),
                "recorded_by": by,
            },
        )
        holder["attendance"] = attendance
        consequences = _defaults(locked, hearing, party, presence, justified)
        items = [f"{party.name}: {Attendance.Presence(presence).label}"]
        if consequences.get("default"):
            items.append(_("Default (缺席): the hearing continues (LDMAL art. 36)."))
        return {
            "hearing": hearing.pk,
            "party": party.pk,
            "presence": presence,
            "justified": justified,
            "note": note.strip(),
            "previous": previous.presence if previous else None,
            "items": items,
            **consequences,
        }

    transition(case, "record_attendance", by=by, apply=apply)
    return holder["attendance"]


def _withdrawal_grounds(locked: Case) -> tuple[Hearing, list[Party]]:
    """The hearing the applicant missed and the applicants whose absence grounds it."""
    applicants = list(locked.parties.filter(role=Party.Role.APPLICANT))
    if locked.status == Status.HEARING_SCHEDULED:
        hearing = _scheduled(locked)
        if hearing is None:
            raise TransitionError(_("No hearing is scheduled."))
        if hearing.starts_at > timezone.now():
            raise TransitionError(
                _("The hearing starts at %(time)s: nobody is absent yet.")
                % {"time": _when(hearing.starts_at)}
            )
        return hearing, applicants
    hearing = _open(locked)
    if hearing is None:
        raise TransitionError(_("No hearing is in session."))
    rows = {a.party_id: a for a in hearing.attendance.all()}
    missing = [
        p
        for p in applicants
        if p.pk in rows and rows[p.pk].presence in NOT_ATTENDING and not rows[p.pk].justified
    ]
    others = [p for p in applicants if p.pk in rows and p not in missing]
    if others:
        raise ValidationError(
            _(
                "%(party)s attends or has a justified reason: the application cannot be deemed "
                "withdrawn."
            )
            % {"party": others[0].name}
        )
    if not missing:
        raise ValidationError(
            _(
                "Record the applicant's absence, or departure without permission, without a "
                "justified reason first."
            )
        )
    return hearing, missing


@transaction.atomic
def case_deem_withdrawn(*, by: User, case: Case, reasons: str) -> Case:
    """HEARING (or HEARING_SCHEDULED once the start time passed) → CLOSED_DEEMED_WITHDRAWN.

    LDMAL art. 36; 办案规则 art. 39: an applicant served with written notice who does not appear
    without a justified reason, or leaves without permission. Not when the notice went by SMS or
    telephone unconfirmed, or has no proof of receipt (办案规则 art. 59). Side effects: the
    决定书; every running clock of the case cancelled; re-application is not accepted.
    """
    ensure_may_act(by, case, "deem_withdrawn")
    if not reasons.strip():
        raise ValidationError({"reasons": [_("Give the reasons of the decision.")]})

    def apply(locked: Case) -> dict[str, Any]:
        hearing, applicants = _withdrawal_grounds(locked)
        unproven = [
            p
            for p in applicants
            if hearing.notice is None or not proven_notice(locked, p, hearing.notice)
        ]
        if unproven:
            raise ValidationError(
                _(
                    "The hearing notice was not served on %(party)s in a proven way (by SMS or "
                    "telephone without confirmation, or without proof of receipt): the absence "
                    "cannot ground a deemed withdrawal (办案规则 art. 59)."
                )
                % {"party": unproven[0].name}
            )
        now = timezone.now()
        decision = document_issue(
            case=locked,
            kind=DocumentKind.DECISION,
            decision_kind=DecisionKind.DEEMED_WITHDRAWAL,
            title=_("Decision: application deemed withdrawn"),
            by=by,
            body="\n".join(
                [
                    _("Case %(case)s") % {"case": _case_label(locked)},
                    _(
                        "Served with written notice of the hearing on %(date)s, %(parties)s did "
                        "not appear, or left without permission, without a justified reason."
                    )
                    % {
                        "date": _when(hearing.starts_at),
                        "parties": pgettext("between names", ", ").join(p.name for p in applicants),
                    },
                    reasons.strip(),
                    _(
                        "The application is deemed withdrawn (LDMAL art. 36; 办案规则 art. 39). "
                        "A new application on the same facts, reasons and claims is not accepted."
                    ),
                ]
            ),
            data={"hearing": hearing.pk, "applicants": [p.pk for p in applicants]},
        )
        if hearing.state == Hearing.State.OPEN:
            hearing.state, hearing.closed_at = Hearing.State.HELD, now
        else:
            hearing.state = Hearing.State.CANCELLED
        hearing.save(update_fields=["state", "closed_at"])
        locked.hearings.filter(state=Hearing.State.SCHEDULED).update(state=Hearing.State.CANCELLED)
        running = set(
            locked.deadlines.filter(
                state__in=[CaseDeadline.State.OPEN, CaseDeadline.State.PAUSED]
            ).values_list("code", flat=True)
        )
        codes = sorted(running | {p.code for p in all_periods()})
        close_deadlines(locked, codes, state=CaseDeadline.State.CANCELLED)
        locked.closed_at = now
        return {
            "hearing": hearing.pk,
            "document": decision.pk,
            "applicants": [p.pk for p in applicants],
            "reasons": reasons.strip(),
            "reapplication_accepted": False,
            "cancelled_clocks": sorted(running),
            "items": [_("A new application on the same matter is not accepted (办案规则 39).")],
        }

    return transition(case, "deem_withdrawn", by=by, apply=apply)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def hearing_record_write(
    *,
    by: User,
    case: Case,
    hearing: Hearing,
    text: str,
    correction_reason: str = "",
    requested_by: Party | None = None,
) -> HearingRecord:
    """庭审笔录: version 1, or a correction as the next version with its reason and the party
    who asked for it (LDMAL art. 40; 办案规则 art. 42). A version is never edited; each one is
    hashed and issued to the main volume as a document, so the file keeps every version."""
    ensure_may_act(by, case, "write_hearing_record")
    if hearing.case_id != case.pk:
        raise ValidationError({"hearing": [_("This hearing is not in this case.")]})
    if requested_by is not None and requested_by.case_id != case.pk:
        raise ValidationError({"requested_by": [_("This party is not in this case.")]})
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write the record.")]})
    holder: dict[str, HearingRecord] = {}

    def apply(locked: Case) -> dict[str, Any]:
        fresh = Hearing.objects.select_for_update().get(pk=hearing.pk)
        if fresh.state not in (Hearing.State.OPEN, Hearing.State.HELD):
            raise ValidationError(
                {"hearing": [_("A record is written for a session that was opened.")]}
            )
        last = fresh.records.order_by("-version").first()
        if last is None and (correction_reason.strip() or requested_by is not None):
            raise ValidationError(
                {"correction_reason": [_("There is no earlier version to correct.")]}
            )
        if last is not None and not correction_reason.strip():
            raise ValidationError(
                {
                    "correction_reason": [
                        _("Version %(version)d exists: say what is corrected and why.")
                        % {"version": last.version}
                    ]
                }
            )
        if last is not None and last.text == text:
            raise ValidationError({"text": [_("The correction changes nothing.")]})
        version = last.version + 1 if last else 1
        digest = _sha256(text)
        document = document_issue(
            case=locked,
            kind=DocumentKind.HEARING_RECORD,
            title=_("Hearing record, session %(session)d, version %(version)d")
            % {"session": fresh.session, "version": version},
            by=by,
            body=text,
            data={
                "hearing": fresh.pk,
                "session": fresh.session,
                "version": version,
                "correction_reason": correction_reason.strip(),
                "requested_by": requested_by.pk if requested_by else None,
            },
        )
        record = HearingRecord.objects.create(
            hearing=fresh,
            version=version,
            text=text,
            sha256=digest,
            correction_reason=correction_reason.strip(),
            requested_by=requested_by,
            written_at=timezone.now(),
            written_by=by,
            document=document,
        )
        holder["record"] = record
        payload: dict[str, Any] = {
            "hearing": fresh.pk,
            "record": record.pk,
            "version": version,
            "sha256": digest,
            "document": document.pk,
        }
        if last is not None:
            payload |= {
                "reasons": correction_reason.strip(),
                "requested_by": requested_by.pk if requested_by else None,
                "corrects": last.version,
            }
        return payload

    transition(case, "write_hearing_record", by=by, apply=apply)
    return holder["record"]


def _signer(
    case: Case,
    hearing: Hearing,
    *,
    person: Person | None,
    party: Party | None,
    agent: Agent | None,
) -> tuple[str, str, Party | None]:
    """(role, name, party) of who signs, checked against the case and the session."""
    if sum(x is not None for x in (person, party, agent)) != 1:
        raise ValidationError({"signer": [_("Choose who signs.")]})
    if person is not None:
        if not hearing.people.filter(pk=person.pk).exists():
            raise ValidationError({"signer": [_("This person did not sit in this session.")]})
        role = (
            RecordSignature.SignerRole.ARBITRATOR
            if person.kind == Person.Kind.ARBITRATOR
            else RecordSignature.SignerRole.RECORDER
        )
        return role, person.name, None
    if agent is not None:
        if agent.party.case_id != case.pk:
            raise ValidationError({"signer": [_("This agent is not in this case.")]})
        return RecordSignature.SignerRole.AGENT, agent.name, agent.party
    if party is None or party.case_id != case.pk:
        raise ValidationError({"signer": [_("This party is not in this case.")]})
    return RecordSignature.SignerRole.PARTY, party.name, party


def online_signer(user: User, party: Party | None) -> tuple[Party | None, Agent | None]:
    """Who signs when ``user`` signs online for ``party``: the party itself (its account, its
    online applicant, its employer's staff), or the agent row of the authorisation it gave
    ``user``. PermissionDenied when ``user`` acts for neither."""
    ensure_acts_for(user, party)
    if party is None:  # refused above; for the type checker
        raise PermissionDenied
    authorisation = (
        AgentAuthorisation.objects.filter(
            party=party, agent_user=user, revoked_at__isnull=True, agent__isnull=False
        )
        .select_related("agent")
        .first()
    )
    if authorisation is not None and party.user_id != user.pk:
        return None, authorisation.agent
    return party, None


@transaction.atomic
def hearing_record_sign(
    *,
    by: User,
    case: Case,
    record: HearingRecord,
    method: str,
    person: Person | None = None,
    party: Party | None = None,
    agent: Agent | None = None,
    refused: bool = False,
) -> RecordSignature:
    """A signature on one version of the record, or a party's refusal to sign, which is itself
    recorded (LDMAL art. 40; 办案规则 art. 42). Parties sign on a screen in the room or online."""
    ensure_may_act(by, case, "sign_hearing_record")
    if record.hearing.case_id != case.pk:
        raise ValidationError({"record": [_("This record is not in this case.")]})
    if by.is_public:
        # Online, in one's own name: the party itself, or its agent as agent; a refusal to sign
        # is the tribunal's to record.
        if person is not None or refused or method != RecordSignature.Method.ONLINE:
            raise PermissionDenied(_("Online, a party signs the record in its own name."))
        party, agent = online_signer(by, party or (agent.party if agent else None))
    if method not in RecordSignature.Method.values:
        raise ValidationError({"method": [_("Say how the record is signed.")]})
    if refused and person is not None:
        raise ValidationError({"refused": [_("The arbitrators and the recorder sign the record.")]})
    holder: dict[str, RecordSignature] = {}

    def apply(locked: Case) -> dict[str, Any]:
        hearing = Hearing.objects.select_for_update().get(pk=record.hearing_id)
        latest = hearing.records.order_by("-version").first()
        if latest is not None and latest.pk != record.pk:
            raise ValidationError(
                {
                    "record": [
                        _("Version %(old)d was corrected: sign version %(new)d.")
                        % {"old": record.version, "new": latest.version}
                    ]
                }
            )
        role, name, signing_party = _signer(
            locked, hearing, person=person, party=party, agent=agent
        )
        same = RecordSignature.objects.filter(record=record, signer_role=role)
        if person is not None:
            same = same.filter(person=person)
        elif agent is not None:
            same = same.filter(agent=agent)
        else:
            same = same.filter(party=signing_party)
        if same.exists():
            raise ValidationError(
                {"signer": [_("%(name)s already signed or refused this version.") % {"name": name}]}
            )
        signature = RecordSignature.objects.create(
            record=record,
            signer_role=role,
            party=signing_party,
            agent=agent,
            person=person,
            name=name,
            method=method,
            refused=refused,
            signed_at=timezone.now(),
            recorded_by=by,
        )
        holder["signature"] = signature
        said = (
            _("%(name)s refused to sign version %(version)d.")
            if refused
            else _("%(name)s signed version %(version)d.")
        )
        return {
            "hearing": hearing.pk,
            "record": record.pk,
            "version": record.version,
            "sha256": record.sha256,
            "signer_role": role,
            "name": name,
            "method": method,
            "refused": refused,
            "items": [said % {"name": name, "version": record.version}],
        }

    transition(case, "sign_hearing_record", by=by, apply=apply)
    return holder["signature"]


@transaction.atomic
def hearing_close(*, by: User, case: Case, adjourned: bool = False) -> Hearing:
    """HEARING → DELIBERATION: the session is held. ``adjourned``: another session will be
    scheduled (spec §12.2, HEARING / DELIBERATION → HEARING_SCHEDULED)."""
    ensure_may_act(by, case, "close_hearing")
    holder: dict[str, Hearing] = {}

    def apply(locked: Case) -> dict[str, Any]:
        hearing = _open(locked)
        if hearing is None:
            raise TransitionError(_("No hearing is in session."))
        hearing.state, hearing.closed_at = Hearing.State.HELD, timezone.now()
        hearing.adjourned = adjourned
        hearing.save(update_fields=["state", "closed_at", "adjourned"])
        holder["hearing"] = hearing
        return {"hearing": hearing.pk, "session": hearing.session, "adjourned": adjourned}

    transition(case, "close_hearing", by=by, apply=apply)
    return holder["hearing"]


# --- Reads ----------------------------------------------------------------------------------


def hearings_of(case: Case) -> QuerySet[Hearing]:
    """The sessions of a case with everything the panel and the API show, in a fixed number of
    queries whatever the number of sessions, parties or versions."""
    return (
        Hearing.objects.filter(case=case)
        .select_related("room", "notice")
        .prefetch_related(
            Prefetch("people", queryset=Person.objects.order_by("kind", "pk")),
            Prefetch("attendance", queryset=Attendance.objects.select_related("party")),
            Prefetch(
                "postponements",
                queryset=PostponementRequest.objects.select_related("party", "new_hearing"),
            ),
            Prefetch(
                "records",
                queryset=HearingRecord.objects.select_related("requested_by").prefetch_related(
                    Prefetch("signatures", queryset=RecordSignature.objects.order_by("pk"))
                ),
            ),
            Prefetch(
                "notice__services",
                queryset=ServiceRecord.objects.select_related("party").order_by("pk"),
            ),
        )
        .order_by("starts_at", "pk")
    )


def upcoming_hearings(user: User, *, start: datetime, days: int) -> QuerySet[Hearing]:
    """The hearing calendar: booked hearings of the cases ``user`` may see, by room and time."""
    return (
        Hearing.objects.filter(
            case__in=selectors.cases_visible_to(user).values("pk"),
            state__in=BOOKED,
            starts_at__gte=start,
            starts_at__lt=start + timedelta(days=days),
        )
        .select_related("case", "room")
        .prefetch_related(Prefetch("people", queryset=Person.objects.order_by("kind", "pk")))
        .order_by("room__name", "starts_at", "pk")
    )
