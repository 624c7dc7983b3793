"""The tribunal (组庭), the arbitrators' declared relations, and recusal (回避).

* Who may sit: an arbitrator of the case's commission with an appointment running today, and no
  ground for recusal that the system can see (LDMAL art. 33): a relation the arbitrator declared
  with a party or an agent, a case in the last years with the same party, or an earlier seat in
  this case that ended. One case, one tribunal (组织规则 art. 12).
* A sole arbitrator, or three with a presiding arbitrator; three for collective and major cases
  (LDMAL art. 31; 组织规则 art. 13; 办案规则 art. 65). The recorder is never one of the tribunal
  (组织规则 art. 14). The composition is notified within 5 working days of acceptance (LDMAL
  art. 32; 办案规则 art. 37): the ``tribunal_notice`` clock closes when the notice is served.
* The draw is public: the seed (from ``secrets``), the candidates in order and the exclusions are
  in the event, so anyone can replay it with ``replay_draw``. A designation needs a reason, and
  the designated arbitrator must pass the same filter.
* Recusal: before the hearing begins, or until the end of debate when the ground became known
  later; decided within 3 working days by a 决定书 (办案规则 arts. 11–12). The challenged member
  stops participating until it is decided.

Each service checks who may act before reading the input, then runs one ``workflow.transition``
that writes the rows, the documents and the event together.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongcai.accounts.models import Role, User
from zhongcai.core.events import events_of, record_event
from zhongcai.core.identifiers import validate_credit_code, validate_id_number
from zhongcai.orgs.models import Appointment, Organisation, Person

from .deadlines import close_deadlines, open_deadline
from .documents import document_issue
from .models import (
    ArbitratorRelation,
    Case,
    CaseDeadline,
    CaseDocument,
    DecisionKind,
    DocumentKind,
    Party,
    RecusalApplication,
    RecusalGround,
    ServiceRecord,
    TribunalKind,
    TribunalMember,
)
from .serving import on_served
from .workflow import ensure_may_act, transition

Seat = TribunalMember.Seat
Method = TribunalMember.Method
K = Person.Kind


class Mode(models.TextChoices):
    DRAW = "draw", gettext_lazy("Draw at random")
    DESIGNATE = "designate", gettext_lazy("Designate, with a written reason")


class Exclusion(models.TextChoices):
    """Why an appointed arbitrator could not be drawn or designated for this case."""

    SEATED = "seated", gettext_lazy("Already sits on this tribunal")
    RECUSED = "recused", gettext_lazy("Withdrew from this case after a recusal")
    REMOVED = "removed", gettext_lazy("Was replaced on this tribunal")
    DECLARED_RELATION = (
        "declared_relation",
        gettext_lazy("Declared a relation with a party or an agent"),
    )
    PAST_CASE = "past_case", gettext_lazy("Sat in a recent case with the same party")
    DESIGNATED = "designated", gettext_lazy("Designated as presiding arbitrator")


RECUSED = "recused"  # end_reason of a seat whose recusal was upheld
REPLACED = "replaced"  # end_reason of a seat the head replaced
SEAT_ORDER = {Seat.SOLE: 0, Seat.PRESIDING: 1, Seat.MEMBER: 2, Seat.RECORDER: 3}
SEATS_OF = {
    TribunalKind.SOLE: [Seat.SOLE],
    TribunalKind.THREE: [Seat.PRESIDING, Seat.MEMBER, Seat.MEMBER],
}
DRAW_EVENTS = ("case.tribunal_formed", "case.tribunal_member_replaced")


def lookback_years() -> int:
    # [D] How far back a case with the same party bars an arbitrator: the law names no period
    # (LDMAL art. 33(3) "other relations"), so a deployment sets it; two years by default.
    return int(getattr(settings, "CASES_RECUSAL_LOOKBACK_YEARS", 2))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _required(errors: dict[str, list[str]], key: str, value: str, message: str) -> None:
    if not (value or "").strip():
        errors[key] = [message]


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# --- Who may sit --------------------------------------------------------------------------------


def appointed(commission_id: int, kinds: Iterable[str], today: date) -> QuerySet[Person]:
    """People of the commission of these kinds whose appointment runs today, by pk."""
    running = Appointment.objects.filter(
        status=Appointment.Status.ACTIVE, starts_on__lte=today
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return Person.objects.filter(
        organisation_id=commission_id,
        kind__in=list(kinds),
        pk__in=running.values("person_id"),
    ).order_by("pk")


@dataclass
class Pool:
    """The appointed people of one kind for a case, and why some of them may not sit."""

    people: list[Person]
    excluded: dict[int, str] = field(default_factory=dict)

    @property
    def candidate_ids(self) -> list[int]:
        """Who may sit, by pk: the order the draw samples from."""
        return [p.pk for p in self.people if p.pk not in self.excluded]

    def person(self, pk: int) -> Person | None:
        return next((p for p in self.people if p.pk == pk), None)

    def eligible(self, pk: int | None, key: str) -> Person:
        """The person with ``pk`` if they may sit; otherwise ``ValidationError`` under ``key``."""
        if pk is None:
            raise ValidationError({key: [_("Choose a person.")]})
        person, refusal = self.person(pk), self.refusal(pk)
        if person is None or refusal:
            raise ValidationError({key: [refusal]})
        return person

    def refusal(self, pk: int) -> str | None:
        """Why the person with ``pk`` may not sit, for the user; None if they may."""
        person = self.person(pk)
        if person is None:
            return _("This person is not an appointed member of this commission's staff.")
        if pk in self.excluded:
            return _("%(name)s may not sit in this case: %(reason)s.") % {
                "name": person.name,
                "reason": Exclusion(self.excluded[pk]).label,
            }
        return None


@dataclass(frozen=True)
class _Identities:
    id_numbers: frozenset[str]
    credit_codes: frozenset[str]
    names: frozenset[str]
    party_ids: frozenset[str]


def _identities(case: Case) -> _Identities:
    # From the parties and agents the case page has already loaded, if it has.
    prefetch_related_objects([case], "parties__agents")
    parties = list(case.parties.all())
    agents = [agent for party in parties for agent in party.agents.all()]
    return _Identities(
        id_numbers=frozenset(
            {p.id_number for p in parties if p.id_number}
            | {a.id_number for a in agents if a.id_number}
        ),
        credit_codes=frozenset({p.credit_code for p in parties if p.credit_code}),
        names=frozenset({p.name for p in parties if p.name} | {a.name for a in agents if a.name}),
        party_ids=frozenset(
            {p.id_number for p in parties if p.id_number}
            | {p.credit_code for p in parties if p.credit_code}
        ),
    )


def _exclusions(
    case: Case,
    people: list[Person],
    *,
    now: datetime,
    seats: Iterable[TribunalMember] | None = None,
) -> dict[int, str]:
    ids = [p.pk for p in people]
    arbitrators = [p.pk for p in people if p.kind == K.ARBITRATOR]
    excluded: dict[int, str] = {}
    found = _identities(case)
    # LDMAL art. 33(1)–(3): a relation the person declared with a party or an agent.
    related = ArbitratorRelation.objects.filter(
        person_id__in=ids, withdrawn_at__isnull=True
    ).filter(
        Q(id_number__in=found.id_numbers)
        | Q(credit_code__in=found.credit_codes)
        | Q(name__in=found.names)
    )
    for pk in related.order_by().values_list("person_id", flat=True):
        excluded[pk] = Exclusion.DECLARED_RELATION
    if arbitrators and found.party_ids:
        # An arbitrator who sat in a case of the same party lately (any commission).
        first_day = _years_before(timezone.localdate(now), lookback_years())
        cutoff = timezone.make_aware(datetime.combine(first_day, time.min))
        sat = (
            TribunalMember.objects.filter(person_id__in=arbitrators)
            .exclude(case=case)
            .exclude(seat=Seat.RECORDER)
            .filter(
                Q(appointed_at__gte=cutoff)
                | Q(case__closed_at__isnull=True)
                | Q(case__closed_at__gte=cutoff)
            )
            .filter(
                Q(case__parties__id_number__in=found.party_ids)
                | Q(case__parties__credit_code__in=found.party_ids)
            )
        )
        for pk in sat.order_by().values_list("person_id", flat=True).distinct():
            excluded.setdefault(pk, Exclusion.PAST_CASE)
    # Earlier seats in this case: a sitting member is not drawn twice; one who withdrew or was
    # replaced does not come back.
    if seats is None:
        seats = case.tribunal.filter(person_id__in=ids).only("person_id", "ended_at", "end_reason")
    for seat in seats:
        if seat.ended_at is None:
            excluded[seat.person_id] = Exclusion.SEATED
        elif excluded.get(seat.person_id) != Exclusion.SEATED:
            reason = Exclusion.RECUSED if seat.end_reason == RECUSED else Exclusion.REMOVED
            excluded[seat.person_id] = reason
    return excluded


def pools(
    case: Case, *, now: datetime | None = None, seats: Iterable[TribunalMember] | None = None
) -> tuple[Pool, Pool]:
    """Who may sit for ``case``: the arbitrators, and the recorders and case assistants.

    A fixed number of queries whatever the number of people; ``seats`` are the case's tribunal
    rows when the caller already has them.
    """
    now = now or timezone.now()
    people = list(
        appointed(
            case.commission_id,
            [K.ARBITRATOR, K.RECORDER, K.CASE_ASSISTANT],
            timezone.localdate(now),
        )
    )
    excluded = _exclusions(case, people, now=now, seats=seats)

    def pool(members: list[Person]) -> Pool:
        ids = {p.pk for p in members}
        return Pool(members, {pk: why for pk, why in excluded.items() if pk in ids})

    return (
        pool([p for p in people if p.kind == K.ARBITRATOR]),
        pool([p for p in people if p.kind != K.ARBITRATOR]),
    )


def arbitrator_pool(case: Case, *, now: datetime | None = None) -> Pool:
    """The commission's appointed arbitrators and the exclusions for ``case``."""
    return pools(case, now=now)[0]


def recorder_pool(case: Case, *, now: datetime | None = None) -> Pool:
    """Recorders and case assistants who may keep the record of ``case``."""
    return pools(case, now=now)[1]


def _same_human(one: Person, other: Person) -> bool:
    # One human may be on the roster twice (as arbitrator and as recorder): 组织规则 art. 14.
    return bool(
        (one.id_number and one.id_number == other.id_number)
        or (one.user_id and one.user_id == other.user_id)
    )


# --- The draw -----------------------------------------------------------------------------------


def replay_draw(seed: str, candidate_ids: Sequence[int], k: int) -> list[int]:
    """The draw for ``seed``: the same seed and candidates give the same arbitrators, anywhere."""
    # Not for secrecy: the seed comes from ``secrets`` and is published once drawn.
    return random.Random(seed).sample(list(candidate_ids), k)  # noqa: S311


def _draw(pool: Pool, k: int, *, also_excluded: dict[int, str] | None = None) -> dict[str, Any]:
    excluded = {**pool.excluded, **(also_excluded or {})}
    candidates = [p.pk for p in pool.people if p.pk not in excluded]
    if len(candidates) < k:
        raise ValidationError(
            {
                "mode": [
                    _(
                        "Only %(n)d arbitrators may sit in this case and %(k)d are needed: "
                        "the case page shows who is excluded and why."
                    )
                    % {"n": len(candidates), "k": k}
                ]
            }
        )
    seed = secrets.token_hex(16)
    return {
        "seed": seed,
        "candidates": candidates,
        "excluded": {str(pk): reason for pk, reason in sorted(excluded.items())},
        "k": k,
        "drawn": replay_draw(seed, candidates, k),
    }


@dataclass(frozen=True)
class Draw:
    """One draw as its event recorded it."""

    at: datetime
    event_kind: str
    seed: str
    candidates: list[int]
    excluded: dict[str, str]
    k: int
    drawn: list[int]

    @property
    def replays(self) -> bool:
        return replay_draw(self.seed, self.candidates, self.k) == self.drawn


def draws_of(case: Case) -> list[Draw]:
    """Every draw of the case's tribunal, oldest first (one query)."""
    draws = []
    for event in events_of(case).filter(kind__in=DRAW_EVENTS):
        draw = event.payload.get("draw")
        if not draw:
            continue
        draws.append(
            Draw(
                at=event.at,
                event_kind=event.kind,
                seed=draw["seed"],
                candidates=list(draw["candidates"]),
                excluded=dict(draw.get("excluded") or {}),
                k=int(draw["k"]),
                drawn=list(draw["drawn"]),
            )
        )
    return draws


def draw_replays(case: Case) -> bool:
    """Whether every draw of the case gives again what it gave (True when nothing was drawn)."""
    return all(draw.replays for draw in draws_of(case))


# --- Forming the tribunal -----------------------------------------------------------------------


def _seat_entry(member: TribunalMember) -> dict[str, Any]:
    return {
        "member": member.pk,
        "seat": member.seat,
        "person": member.person_id,
        "name": member.person.name,
        "method": member.method,
    }


def _issue_notice(case: Case, by: User) -> CaseDocument:
    """仲裁庭组成通知书: who sits, in which seat, and the recorder (LDMAL art. 32)."""
    sitting = sorted(
        case.tribunal.filter(ended_at__isnull=True).select_related("person"),
        key=lambda m: (SEAT_ORDER[Seat(m.seat)], m.pk),
    )
    lines = [f"{Seat(m.seat).label}: {m.person.name}" for m in sitting]
    return document_issue(
        case=case,
        kind=DocumentKind.TRIBUNAL_NOTICE,
        title=_("Notice of the tribunal's composition"),
        by=by,
        body="\n".join(lines),
        data={"seats": [_seat_entry(m) for m in sitting]},
    )


def _check_recorder(pool: Pool, recorder: int | None, arbitrators: list[Person]) -> Person:
    if recorder is None:
        raise ValidationError({"recorder": [_("Choose the recorder.")]})
    person = pool.eligible(recorder, "recorder")
    for arbitrator in arbitrators:
        if _same_human(person, arbitrator):
            raise ValidationError(
                {
                    "recorder": [
                        _("The recorder may not be one of the arbitrators (组织规则 art. 14).")
                    ]
                }
            )
    return person


def _designated_people(
    pool: Pool, ids: Sequence[int], k: int, presiding: int | None
) -> list[Person]:
    if len(set(ids)) != len(ids) or len(ids) != k:
        raise ValidationError(
            {
                "designated": [
                    _("Designate %(k)d different arbitrators for this tribunal.") % {"k": k}
                ]
            }
        )
    problems = [refusal for pk in ids if (refusal := pool.refusal(pk))]
    if problems:
        raise ValidationError({"designated": problems})
    if presiding is not None and presiding not in ids:
        raise ValidationError(
            {"presiding": [_("The presiding arbitrator must be one of those designated.")]}
        )
    ordered = [presiding, *[pk for pk in ids if pk != presiding]] if presiding else list(ids)
    return [p for pk in ordered if (p := pool.person(pk)) is not None]


def tribunal_form(
    *,
    by: User,
    case: Case,
    kind: str,
    mode: str,
    designated: Sequence[int] = (),
    presiding: int | None = None,
    recorder: int | None,
    reason: str = "",
) -> list[TribunalMember]:
    """Form the tribunal and issue the 仲裁庭组成通知书.

    Preconditions: the case is open and has no tribunal yet (a seat is changed by
    ``tribunal_member_replace``); three arbitrators for a collective or major case (LDMAL art. 31;
    组织规则 art. 13; 办案规则 art. 65). ``draw`` samples the candidates with a fresh seed; for
    three, a ``presiding`` arbitrator may be designated and the two others drawn, otherwise the
    first drawn presides [D]. ``designate`` needs a written reason and persons who pass the same
    filter. The recorder is never one of the arbitrators (组织规则 art. 14).

    Side effects: the seats, ``case.tribunal_kind``, the notice (served by the service stage;
    serving it on every party closes the ``tribunal_notice`` clock), ACCEPTED → PANEL_FORMED.
    """
    ensure_may_act(by, case, "form_tribunal")
    errors: dict[str, list[str]] = {}
    if kind not in TribunalKind.values:
        errors["kind"] = [_("Choose a sole arbitrator or three arbitrators.")]
    if mode not in Mode.values:
        errors["mode"] = [_("Choose whether the arbitrators are drawn or designated.")]
    if mode == Mode.DESIGNATE or (mode == Mode.DRAW and presiding is not None):
        _required(errors, "reason", reason, _("Give the reason for the designation in writing."))
    if kind == TribunalKind.SOLE and presiding is not None:
        errors["presiding"] = [_("A sole arbitrator has no presiding arbitrator.")]
    _raise(errors)
    seats: list[TribunalMember] = []

    def apply(locked: Case) -> dict[str, Any]:
        if kind == TribunalKind.SOLE and (locked.collective or locked.major):
            raise ValidationError(
                {
                    "kind": [
                        _(
                            "A collective or major case is heard by three arbitrators (LDMAL "
                            "art. 31; 组织规则 art. 13; 办案规则 art. 65)."
                        )
                    ]
                }
            )
        now = timezone.now()
        pool, writers = pools(locked, now=now)
        places = SEATS_OF[TribunalKind(kind)]
        draw: dict[str, Any] | None = None
        if mode == Mode.DESIGNATE:
            chosen = _designated_people(pool, designated, len(places), presiding)
            methods = [Method.DESIGNATED] * len(chosen)
        else:
            head: list[Person] = []
            if presiding is not None:
                head = [pool.eligible(presiding, "presiding")]
            draw = _draw(
                pool,
                len(places) - len(head),
                also_excluded={p.pk: Exclusion.DESIGNATED for p in head},
            )
            chosen = head + [pool.eligible(pk, "mode") for pk in draw["drawn"]]
            methods = [Method.DESIGNATED] * len(head) + [Method.DRAWN] * len(draw["drawn"])
        writer = _check_recorder(writers, recorder, chosen)
        note = reason.strip()
        for person, seat, method in zip(chosen, places, methods, strict=True):
            seats.append(
                TribunalMember.objects.create(
                    case=locked,
                    person=person,
                    seat=seat,
                    method=method,
                    reason=note if method == Method.DESIGNATED else "",
                    appointed_at=now,
                    appointed_by=by,
                )
            )
        seats.append(
            TribunalMember.objects.create(
                case=locked,
                person=writer,
                seat=Seat.RECORDER,
                method=Method.DESIGNATED,
                reason=note,
                appointed_at=now,
                appointed_by=by,
            )
        )
        locked.tribunal_kind = kind
        notice = _issue_notice(locked, by)
        return {
            "tribunal_kind": kind,
            "mode": mode,
            "seats": [_seat_entry(m) for m in seats],
            "designation_reason": note,
            "document": notice.pk,
            **({"draw": draw} if draw else {}),
        }

    transition(case, "form_tribunal", by=by, apply=apply)
    return seats


def tribunal_member_replace(
    *,
    by: User,
    case: Case,
    member: TribunalMember,
    mode: str,
    person: int | None = None,
    reason: str,
) -> TribunalMember:
    """End a seat (or take one whose recusal was upheld) and fill it, with a new notice.

    An arbitrator's seat is filled by draw (its seed and candidates in the event) or by
    designation with a reason; the recorder's seat by designation. A member whose recusal is
    pending is replaced only after the decision (办案规则 art. 12).
    """
    ensure_may_act(by, case, "replace_tribunal_member")
    errors: dict[str, list[str]] = {}
    if mode not in Mode.values:
        errors["mode"] = [_("Choose whether the new member is drawn or designated.")]
    _required(errors, "reason", reason, _("Give the reason for the replacement in writing."))
    if mode == Mode.DESIGNATE and person is None:
        errors["person"] = [_("Choose who takes the seat.")]
    if member.case_id != case.pk:
        errors["member"] = [_("This seat is not on this case's tribunal.")]
    _raise(errors)
    holder: dict[str, TribunalMember] = {}

    def apply(locked: Case) -> dict[str, Any]:
        seat = TribunalMember.objects.select_for_update().select_related("person").get(pk=member.pk)
        if TribunalMember.objects.filter(replaces=seat).exists():
            raise ValidationError({"member": [_("This seat was already filled again.")]})
        if seat.recusals.filter(decision=RecusalApplication.Decision.PENDING).exists():
            raise ValidationError(
                {"member": [_("A recusal application on this member waits: decide it first.")]}
            )
        now = timezone.now()
        if seat.ended_at is None:
            seat.ended_at, seat.end_reason = now, REPLACED
            seat.save(update_fields=["ended_at", "end_reason"])
        sitting = [
            m.person for m in locked.tribunal.filter(ended_at__isnull=True).select_related("person")
        ]
        draw: dict[str, Any] | None = None
        if seat.seat == Seat.RECORDER:
            if mode != Mode.DESIGNATE:
                raise ValidationError({"mode": [_("The recorder is designated, not drawn.")]})
            arbitrators = [p for p in sitting if p.kind == K.ARBITRATOR]
            chosen = _check_recorder(recorder_pool(locked, now=now), person, arbitrators)
            method = Method.DESIGNATED
        else:
            pool = arbitrator_pool(locked, now=now)
            if mode == Mode.DESIGNATE:
                chosen, method = pool.eligible(person, "person"), Method.DESIGNATED
            else:
                draw = _draw(pool, 1)
                chosen, method = pool.eligible(draw["drawn"][0], "person"), Method.DRAWN
            writer = next((p for p in sitting if p.kind != K.ARBITRATOR), None)
            if writer is not None and _same_human(writer, chosen):
                raise ValidationError(
                    {"person": [_("The recorder may not be one of the arbitrators.")]}
                )
        holder["member"] = TribunalMember.objects.create(
            case=locked,
            person=chosen,
            seat=seat.seat,
            method=method,
            reason=reason.strip() if method == Method.DESIGNATED else "",
            appointed_at=now,
            appointed_by=by,
            replaces=seat,
        )
        notice = _issue_notice(locked, by)
        return {
            "ended": _seat_entry(seat) | {"end_reason": seat.end_reason},
            "seat": _seat_entry(holder["member"]),
            "mode": mode,
            "reasons": reason.strip(),
            "document": notice.pk,
            **({"draw": draw} if draw else {}),
        }

    transition(case, "replace_tribunal_member", by=by, apply=apply)
    return holder["member"]


@on_served(DocumentKind.TRIBUNAL_NOTICE)
def _tribunal_notice_served(record: ServiceRecord) -> dict[str, Any]:
    """LDMAL art. 32: notified once every applicant and respondent has been served a notice."""
    case = record.case
    running = case.deadlines.filter(
        code="tribunal_notice", state__in=[CaseDeadline.State.OPEN, CaseDeadline.State.PAUSED]
    )
    if not running.exists():
        return {}
    parties = set(
        case.parties.filter(role__in=[Party.Role.APPLICANT, Party.Role.RESPONDENT]).values_list(
            "pk", flat=True
        )
    )
    served = set(
        ServiceRecord.objects.filter(
            case=case,
            document__kind=DocumentKind.TRIBUNAL_NOTICE,
            deemed_served_on__isnull=False,
        ).values_list("party_id", flat=True)
    )
    if not parties <= served:
        return {}
    late = close_deadlines(case, ["tribunal_notice"], state=CaseDeadline.State.MET)
    return {"tribunal_notice": {"clock": CaseDeadline.State.MET, "late": bool(late)}}


# --- Recusal (回避) -------------------------------------------------------------------------------


def _close_clock(deadline: CaseDeadline | None) -> bool:
    """Close one application's clock; returns whether it was met late.

    By row, not by code as ``deadlines.close_deadlines`` does: two applications may be pending,
    each with its own 3 days.
    """
    if deadline is None:
        return False
    fresh = CaseDeadline.objects.select_for_update().get(pk=deadline.pk)
    if fresh.state not in (CaseDeadline.State.OPEN, CaseDeadline.State.PAUSED):
        return fresh.met_late
    now = timezone.now()
    fresh.state, fresh.closed_at = CaseDeadline.State.MET, now
    fresh.met_late = timezone.localdate(now) > fresh.due_on
    fresh.save(update_fields=["state", "closed_at", "met_late"])
    return fresh.met_late


def recusal_apply(
    *,
    by: User,
    case: Case,
    member: TribunalMember,
    applicant: Party | None,
    ground: str,
    reasons: str,
    learned_later: bool = False,
) -> RecusalApplication:
    """Record a recusal application (回避申请), or a member's own withdrawal (``applicant`` None).

    Before the hearing begins; afterwards only when the ground became known later, until the
    debate ends: once the case is in deliberation it no longer affects the proceedings (办案规则
    art. 11; workflow guard). Opens the 3-working-day ``recusal_decision`` clock (art. 12). The
    challenged member stops participating until the decision.
    """
    ensure_may_act(by, case, "apply_recusal")
    errors: dict[str, list[str]] = {}
    if member.case_id != case.pk or member.ended_at is not None:
        errors["member"] = [_("Choose a member who sits on this case's tribunal.")]
    if applicant is not None and applicant.case_id != case.pk:
        errors["applicant"] = [_("This party is not in this case.")]
    if ground not in RecusalGround.values:
        errors["ground"] = [_("Choose the ground of LDMAL art. 33.")]
    _required(errors, "reasons", reasons, _("Give the facts and reasons of the application."))
    _raise(errors)
    holder: dict[str, RecusalApplication] = {}

    def apply(locked: Case) -> dict[str, Any]:
        if RecusalApplication.objects.filter(
            member=member, decision=RecusalApplication.Decision.PENDING
        ).exists():
            raise ValidationError(
                {"member": [_("An application on this member already waits for a decision.")]}
            )
        began = locked.hearings.filter(opened_at__isnull=False).exists()
        if began and not learned_later:
            raise ValidationError(
                {
                    "learned_later": [
                        _(
                            "The hearing has begun: an application is possible only if its "
                            "ground became known afterwards (办案规则 art. 11)."
                        )
                    ]
                }
            )
        now = timezone.now()
        clock = open_deadline(locked, "recusal_decision", timezone.localdate(now))
        holder["application"] = RecusalApplication.objects.create(
            case=locked,
            member=member,
            applicant=applicant,
            ground=ground,
            reasons=reasons.strip(),
            learned_later=learned_later,
            filed_at=now,
            recorded_by=by,
            deadline=clock,
        )
        return {
            "recusal": holder["application"].pk,
            "member": member.pk,
            "person": member.person_id,
            "applicant": applicant.pk if applicant else None,
            "self_recusal": applicant is None,
            "recusal_ground": ground,
            "learned_later": learned_later,
            "reasons": reasons.strip(),
            "due_on": clock.due_on.isoformat(),
        }

    transition(case, "apply_recusal", by=by, apply=apply)
    return holder["application"]


def recusal_decide(
    *,
    by: User,
    case: Case,
    application: RecusalApplication,
    upheld: bool,
    reasons: str,
) -> RecusalApplication:
    """Decide on recusal by a 决定书, either way (办案规则 art. 12), and close its clock.

    Upheld: the member's seat ends ("recused") and the head fills it with
    ``tribunal_member_replace``. The head decides [M: the chair or the 仲裁院 head he authorises;
    the commission when the chair sits].
    """
    ensure_may_act(by, case, "decide_recusal")
    errors: dict[str, list[str]] = {}
    if application.case_id != case.pk:
        errors["application"] = [_("This application is not in this case.")]
    _required(errors, "reasons", reasons, _("Give the reasons for the decision."))
    _raise(errors)
    holder: dict[str, RecusalApplication] = {}

    def apply(locked: Case) -> dict[str, Any]:
        fresh = (
            # Only this row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of
            # the outer join to the deadline.
            RecusalApplication.objects.select_for_update(of=("self",))
            .select_related("member__person", "deadline")
            .get(pk=application.pk)
        )
        if fresh.decision != RecusalApplication.Decision.PENDING:
            raise ValidationError({"application": [_("This application was already decided.")]})
        now = timezone.now()
        seat = fresh.member
        outcome = _("upheld: %(name)s withdraws") if upheld else _("rejected: %(name)s stays")
        document = document_issue(
            case=locked,
            kind=DocumentKind.DECISION,
            decision_kind=DecisionKind.RECUSAL,
            title=_("Decision on the recusal of %(name)s") % {"name": seat.person.name},
            by=by,
            body="\n".join(
                [
                    _("Application on %(seat)s %(name)s (%(ground)s): %(outcome)s.")
                    % {
                        "seat": Seat(seat.seat).label,
                        "name": seat.person.name,
                        "ground": RecusalGround(fresh.ground).label,
                        "outcome": outcome % {"name": seat.person.name},
                    },
                    reasons.strip(),
                ]
            ),
            data={
                "recusal": fresh.pk,
                "member": seat.pk,
                "person": seat.person_id,
                "upheld": upheld,
            },
        )
        fresh.decision = (
            RecusalApplication.Decision.UPHELD if upheld else RecusalApplication.Decision.REJECTED
        )
        fresh.decided_at, fresh.decided_by = now, by
        fresh.decision_reasons, fresh.document = reasons.strip(), document
        fresh.save()
        late = _close_clock(fresh.deadline)
        if upheld and seat.ended_at is None:
            seat.ended_at, seat.end_reason = now, RECUSED
            seat.save(update_fields=["ended_at", "end_reason"])
        holder["application"] = fresh
        return {
            "recusal": fresh.pk,
            "member": seat.pk,
            "person": seat.person_id,
            "upheld": upheld,
            "reasons": reasons.strip(),
            "document": document.pk,
            "late": late,
        }

    transition(case, "decide_recusal", by=by, apply=apply)
    return holder["application"]


# --- Declared relations -------------------------------------------------------------------------


def commission_of(user: User) -> Organisation | None:
    """The commission a staff member works for: their own, or their institute's."""
    organisation = user.organisation
    if organisation is None:
        return None
    if organisation.type == Organisation.Type.COMMISSION:
        return organisation
    if organisation.type == Organisation.Type.ARBITRATION_INSTITUTE and organisation.parent_id:
        parent = organisation.parent
        if parent is not None and parent.type == Organisation.Type.COMMISSION:
            return parent
    return None


def relation_people_for(user: User) -> QuerySet[Person]:
    """Whose declared relations ``user`` keeps: the head, every arbitrator, recorder and case
    assistant of the commission; anyone else, only their own roster entry."""
    commission = commission_of(user) if user.is_authenticated and not user.is_public else None
    if commission is None:
        return Person.objects.none()
    people = Person.objects.filter(
        organisation=commission, kind__in=[K.ARBITRATOR, K.RECORDER, K.CASE_ASSISTANT]
    ).order_by("kind", "name", "pk")
    if user.role == Role.INSTITUTE_HEAD:
        return people
    return people.filter(user=user)


def relations_for(user: User) -> QuerySet[ArbitratorRelation]:
    return ArbitratorRelation.objects.filter(
        person__in=relation_people_for(user).values("pk")
    ).select_related("person", "declared_by")


def _ensure_keeps(by: User, person: Person) -> None:
    if not relation_people_for(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("You may not keep this person's declared relations."))


@transaction.atomic
def relation_declare(
    *,
    by: User,
    person: Person,
    name: str,
    relation: str,
    id_number: str = "",
    credit_code: str = "",
) -> ArbitratorRelation:
    """An arbitrator (or recorder) declares a relation (LDMAL art. 33): never drawn for it."""
    _ensure_keeps(by, person)
    errors: dict[str, list[str]] = {}
    _required(errors, "name", name, _("Give the name of the person or unit."))
    _required(errors, "relation", relation, _("Say what the relation is."))
    numbers: dict[str, str] = {}
    for key, value, validate in (
        ("id_number", id_number, validate_id_number),
        ("credit_code", credit_code, validate_credit_code),
    ):
        if (value or "").strip():
            try:
                numbers[key] = validate(value)
            except ValidationError as exc:
                errors[key] = list(exc.messages)
    _raise(errors)
    locked = Person.objects.select_for_update().get(pk=person.pk)
    declared = ArbitratorRelation.objects.create(
        person=locked,
        name=name.strip(),
        id_number=numbers.get("id_number", ""),
        credit_code=numbers.get("credit_code", ""),
        relation=relation.strip(),
        declared_by=by,
    )
    record_event(
        locked,
        "person.relation_declared",
        actor=by,
        organisation=locked.organisation,
        # The related person's numbers stay in the row, not in the log.
        payload={"relation": declared.pk, "name": declared.name, "kind": declared.relation},
    )
    return declared


@transaction.atomic
def relation_withdraw(*, by: User, relation: ArbitratorRelation) -> ArbitratorRelation:
    """The relation no longer holds; it stays on record with the time it was withdrawn."""
    _ensure_keeps(by, relation.person)
    locked = Person.objects.select_for_update().get(pk=relation.person_id)
    fresh = ArbitratorRelation.objects.select_for_update().get(pk=relation.pk)
    if fresh.withdrawn_at is not None:
        raise ValidationError({"relation": [_("This relation was already withdrawn.")]})
    fresh.withdrawn_at = timezone.now()
    fresh.save(update_fields=["withdrawn_at"])
    record_event(
        locked,
        "person.relation_withdrawn",
        actor=by,
        organisation=locked.organisation,
        payload={"relation": fresh.pk, "name": fresh.name},
    )
    return fresh


# --- What the page and the API show -------------------------------------------------------------


@dataclass
class Summary:
    """The tribunal of a case for reading: seats, recusals, draws (a fixed number of queries)."""

    kind: str
    sitting: list[TribunalMember]
    past: list[TribunalMember]
    to_replace: list[TribunalMember]
    challenged: set[int]
    recusals: list[RecusalApplication]
    draws: list[Draw]
    names: dict[int, str]

    @property
    def replayable(self) -> bool:
        return all(draw.replays for draw in self.draws)


def tribunal_summary(case: Case) -> Summary:
    seats = sorted(
        case.tribunal.select_related("person"),
        key=lambda m: (m.ended_at is not None, SEAT_ORDER[Seat(m.seat)], m.pk),
    )
    # No seat, no recusal; no drawn seat, no draw: skip the reads that cannot find anything.
    recusals = (
        list(
            case.recusals.select_related(
                "member__person", "applicant", "deadline", "document"
            ).order_by("filed_at", "pk")
        )
        if seats
        else []
    )
    draws = draws_of(case) if any(m.method == Method.DRAWN for m in seats) else []
    replaced = {m.replaces_id for m in seats if m.replaces_id}
    wanted = {pk for draw in draws for pk in [*draw.candidates, *map(int, draw.excluded)]}
    names = dict(Person.objects.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}
    return Summary(
        kind=case.tribunal_kind,
        sitting=[m for m in seats if m.ended_at is None],
        past=[m for m in seats if m.ended_at is not None],
        to_replace=[m for m in seats if m.ended_at is not None and m.pk not in replaced],
        challenged={
            r.member_id for r in recusals if r.decision == RecusalApplication.Decision.PENDING
        },
        recusals=recusals,
        draws=draws,
        names=names,
    )
