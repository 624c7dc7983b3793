"""After the award (spec §12): what became of it, driven by timers and by the courts' notices.

``Case.post_award`` is orthogonal to the status and keeps moving after the file is archived:

* made — EFFECTIVE when every item is final (LDMAL art. 47: effective on the day it is made),
  else PENDING_EFFECT;
* served — each party's windows open from its own deemed service date (spec §11.1(8)): on final
  items the worker may sue within 15 days (art. 48) and the employer may apply to the
  intermediate court to set them aside within 30 days (art. 49); on non-final items every party
  may sue within 15 days (art. 50);
* no suit when every party's suit window has elapsed → EFFECTIVE (``settle_pending_effects``, the
  periodic task);
* court notices recorded by the office with the court's document (``court_notice_record``) move it
  on as the table in ``court_notice_move`` says, and refuse what makes no sense.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.core.events import record_event

from . import serving
from .deadlines import close_deadlines, open_deadline
from .documents import document_issue
from .models import (
    Award,
    Case,
    CaseDeadline,
    CourtNotice,
    DocumentKind,
    Finality,
    Party,
    PostAward,
    ServiceRecord,
)
from .workflow import TransitionError, ensure_may_act, transition

SUIT_FINAL = "suit_final_award"  # LDMAL art. 48: the worker, 15 days
SET_ASIDE = "set_aside_final_award"  # LDMAL art. 49: the employer, 30 days
SUIT_NON_FINAL = "suit_non_final_award"  # LDMAL art. 50: any party, 15 days
WINDOW_CODES = (SUIT_FINAL, SET_ASIDE, SUIT_NON_FINAL)
# The award waits for these to elapse before it takes effect; an application to set final items
# aside does not stop the non-final part from taking effect.
SUIT_CODES = (SUIT_FINAL, SUIT_NON_FINAL)

P = PostAward
K = CourtNotice.Kind
# States in which a court can tell us of a suit: the award is pending, effective, set aside (the
# parties may then sue, LDMAL art. 49), challenged by the employer (the worker's suit stops that,
# 解释(一) art. 21) or already sued by another party.
SUABLE = frozenset(
    {P.PENDING_EFFECT, P.EFFECTIVE, P.SET_ASIDE, P.SET_ASIDE_PENDING, P.IN_LITIGATION}
)


def post_award_on_making(finality: Finality | str) -> PostAward:
    """LDMAL art. 47: a final award is effective on the day it is made; any other waits."""
    return P.EFFECTIVE if finality == Finality.FINAL else P.PENDING_EFFECT


def windows_for(party_kind: str, finality: Finality | str) -> list[str]:
    """The windows that open for a party of ``party_kind`` when served an award."""
    codes = []
    if finality in (Finality.FINAL, Finality.MIXED):
        codes.append(SUIT_FINAL if party_kind == Party.Kind.WORKER else SET_ASIDE)
    if finality in (Finality.NON_FINAL, Finality.MIXED):
        codes.append(SUIT_NON_FINAL)
    return codes


def closing_award(case: Case) -> Award | None:
    """The award that closed the case (not a partial or advance-execution one)."""
    return case.awards.filter(kind=Award.Kind.FULL).order_by("-made_at").first()


@serving.on_served(DocumentKind.AWARD)
def _open_windows(record: ServiceRecord) -> dict[str, Any]:
    """Periods "from receipt" run per party from its own deemed service date."""
    award = Award.objects.filter(document=record.document_id).first()
    if award is None or award.kind != Award.Kind.FULL or record.deemed_served_on is None:
        return {}
    party = record.party
    codes = windows_for(party.kind, award.finality)
    # Served again (a second method, a re-service): the first receipt counts.
    running = set(
        CaseDeadline.objects.filter(case=record.case_id, party=party, code__in=codes).values_list(
            "code", flat=True
        )
    )
    opened = []
    for code in codes:
        if code in running:
            continue
        deadline = open_deadline(record.case, code, record.deemed_served_on, party=party)
        opened.append({"code": code, "due_on": deadline.due_on.isoformat()})
    return {"windows": opened} if opened else {}


# --- Court notices ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    after: PostAward
    notes: list[str] = field(default_factory=list)
    # Payload flags for the event: e.g. a mixed award sued is treated as non-final (解释(一) 20).
    flags: dict[str, Any] = field(default_factory=dict)


class NoticeRefused(Exception):
    """The notice makes no sense for this award now; ``field`` says where the problem is."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def court_notice_move(
    state: str,
    kind: str,
    *,
    finality: str,
    party_kind: str | None,
    before_set_aside: str = "",
    enforcement_refused: bool = False,
) -> Move:
    """Where a court notice of ``kind`` takes an award in post-award ``state`` (spec §12.2, §8.2).

    ``before_set_aside`` is the state the award was in when the pending set-aside application was
    made; ``enforcement_refused`` whether the court refused to enforce it (解释(一) art. 24).
    Raises ``NoticeRefused`` with the reason when the notice makes no sense.
    """
    worker = party_kind == Party.Kind.WORKER
    employer = party_kind == Party.Kind.EMPLOYER
    has_final = finality in (Finality.FINAL, Finality.MIXED)
    labels = dict(P.choices)
    not_now = _("The award is “%(state)s”: a notice of this kind makes no sense now.") % {
        "state": labels.get(state, state) or _("not yet made")
    }

    if kind == K.SUIT_FILED:
        if party_kind is None:
            raise NoticeRefused(_("Say which party sued."), "party")
        if state == P.SET_ASIDE_PENDING and not worker:
            # 解释(一) art. 21: it is the worker's suit that stops the set-aside application.
            raise NoticeRefused(
                _(
                    "While its application to set aside is pending, only the worker's suit "
                    "can be recorded."
                ),
                "party",
            )
        if state not in SUABLE:
            raise NoticeRefused(not_now)
        if (
            finality == Finality.FINAL
            and employer
            and state != P.SET_ASIDE
            and not enforcement_refused
        ):
            raise NoticeRefused(
                _(
                    "An employer cannot sue against a final award: it may apply to the "
                    "intermediate court to set it aside (LDMAL art. 49)."
                ),
                "party",
            )
        notes, flags = [], {}
        if finality == Finality.MIXED:
            notes.append(
                _(
                    "A mixed award that is sued is treated as non-final as a whole "
                    "(解释(一) art. 20)."
                )
            )
            flags["treated_as_non_final"] = True
        if finality != Finality.FINAL:
            notes.append(
                _(
                    "A suit against part of the award stops the whole from taking effect "
                    "(解释(一) art. 16)."
                )
            )
        return Move(P.IN_LITIGATION, notes, flags)

    if kind in (K.SUIT_ENDED, K.JUDGMENT):
        if state != P.IN_LITIGATION:
            raise NoticeRefused(not_now)
        if kind == K.JUDGMENT:
            # The court's judgment decides the dispute; the award is not what takes effect.
            return Move(P.IN_LITIGATION, [_("The court's judgment decides the dispute.")])
        notes = [_("The suit was dismissed or withdrawn: the award takes effect.")]
        flags = {}
        if finality == Finality.FINAL:
            notes.append(
                _(
                    "The employer may apply to set the award aside within 30 days of receiving "
                    "the court's ruling (解释(一) art. 21)."
                )
            )
            flags["set_aside_window_reopened"] = True
        return Move(P.EFFECTIVE, notes, flags)

    if kind == K.SET_ASIDE_APPLIED:
        if not has_final:
            raise NoticeRefused(
                _("Only a final award, or its final items, can be set aside (LDMAL art. 49).")
            )
        if not employer:
            raise NoticeRefused(
                _("Only the employer applies to set a final award aside (LDMAL art. 49)."), "party"
            )
        if state == P.IN_LITIGATION:
            raise NoticeRefused(
                _(
                    "The worker has sued: the application to set aside is refused "
                    "(解释(一) art. 21)."
                )
            )
        if state not in (P.EFFECTIVE, P.PENDING_EFFECT, P.IN_ENFORCEMENT):
            raise NoticeRefused(not_now)
        notes = []
        if state == P.IN_ENFORCEMENT:
            notes.append(
                _("Enforcement is suspended while the application is pending (解释(一) art. 25).")
            )
        return Move(P.SET_ASIDE_PENDING, notes)

    if kind in (K.SET_ASIDE_GRANTED, K.SET_ASIDE_REFUSED):
        if state != P.SET_ASIDE_PENDING:
            raise NoticeRefused(not_now)
        if kind == K.SET_ASIDE_GRANTED:
            return Move(
                P.SET_ASIDE,
                [_("The parties may sue within 15 days of receiving the ruling (LDMAL art. 49).")],
            )
        return Move(P(before_set_aside or P.EFFECTIVE))

    if kind == K.ENFORCEMENT_FILED:
        if state != P.EFFECTIVE:
            raise NoticeRefused(_("Only an effective award can be enforced (LDMAL art. 51)."))
        return Move(P.IN_ENFORCEMENT)

    if kind == K.ENFORCEMENT_REFUSED:
        if state != P.IN_ENFORCEMENT:
            raise NoticeRefused(not_now)
        return Move(
            P.EFFECTIVE,
            [_("The parties may sue within 30 days of receiving the ruling (解释(一) art. 24).")],
            {"enforcement_refused": True},
        )
    raise NoticeRefused(_("Choose the kind of court notice."), "kind")


@transaction.atomic
def court_notice_record(
    *,
    by: User,
    case: Case,
    kind: str,
    party: Party | None,
    court_name: str,
    court_case_number: str,
    court_date: date,
    file: UploadedFile | None,
    note: str = "",
) -> CourtNotice:
    """Record what a court told the commission, with its document, and move the award on.

    Allowed after the award and after archiving (the court outlives the file). Refused with the
    reason when the notice makes no sense in the award's present state.
    """
    ensure_may_act(by, case, "record_court_notice")
    errors: dict[str, list[str]] = {}
    if kind not in K.values:
        errors["kind"] = [_("Choose the kind of court notice.")]
    if party is not None and party.case_id != case.pk:
        errors["party"] = [_("This party is not in this case.")]
    if not court_name.strip():
        errors["court_name"] = [_("Name the court.")]
    if court_date > timezone.localdate():
        errors["court_date"] = [_("The court's document cannot be dated in the future.")]
    if file is None:
        errors["file"] = [_("Upload the court's document.")]
    if errors:
        raise ValidationError(errors)
    holder: dict[str, CourtNotice] = {}

    def apply(locked: Case) -> dict[str, Any]:
        award = closing_award(locked)
        if award is None or not locked.post_award:
            raise TransitionError(
                _("This case was not closed by an award: there is nothing to follow.")
            )
        state = locked.post_award
        earlier = list(locked.court_notices.order_by("recorded_at", "pk"))
        applied = [n for n in earlier if n.kind == K.SET_ASIDE_APPLIED]
        try:
            move = court_notice_move(
                state,
                kind,
                finality=award.finality,
                party_kind=party.kind if party else None,
                before_set_aside=applied[-1].post_award_before if applied else "",
                enforcement_refused=bool(earlier) and earlier[-1].kind == K.ENFORCEMENT_REFUSED,
            )
        except NoticeRefused as refused:
            if refused.field:
                raise ValidationError({refused.field: [str(refused)]}) from None
            raise TransitionError(str(refused)) from None
        now = timezone.now()
        document = document_issue(
            case=locked,
            kind=DocumentKind.COURT_DOCUMENT,
            title=_("%(court)s: %(kind)s") % {"court": court_name, "kind": K(kind).label},
            by=by,
            data={"court_name": court_name, "court_case_number": court_case_number},
            file=file,
        )
        notice = CourtNotice.objects.create(
            case=locked,
            kind=kind,
            party=party,
            court_name=court_name.strip(),
            court_case_number=court_case_number.strip(),
            court_date=court_date,
            document=document,
            post_award_before=state,
            post_award_after=move.after,
            note=note,
            recorded_at=now,
            recorded_by=by,
        )
        holder["notice"] = notice
        payload: dict[str, Any] = {
            "court_notice": notice.pk,
            "court_notice_kind": kind,
            "document": document.pk,
            "party": party.pk if party else None,
            "court_name": notice.court_name,
            "court_case_number": notice.court_case_number,
            "court_date": court_date.isoformat(),
            "post_award_before": state,
            "post_award_after": move.after,
            "items": move.notes,
            **move.flags,
        }
        late = _close_windows_on_notice(locked, kind, party, court_date)
        if late:
            payload["after_window"] = late
        if move.flags.get("set_aside_window_reopened"):
            for employer in locked.parties.filter(kind=Party.Kind.EMPLOYER).exclude(
                role=Party.Role.THIRD_PARTY
            ):
                open_deadline(locked, SET_ASIDE, court_date, party=employer)
        locked.post_award = move.after
        return payload

    transition(case, "record_court_notice", by=by, apply=apply)
    return holder["notice"]


def _close_windows_on_notice(
    case: Case, kind: str, party: Party | None, court_date: date
) -> list[str]:
    """The party acted: its windows are met (late if the court dated the filing after them)."""
    codes = {K.SUIT_FILED: list(SUIT_CODES), K.SET_ASIDE_APPLIED: [SET_ASIDE]}.get(kind)
    if not codes or party is None:
        return []
    late = []
    running = [CaseDeadline.State.OPEN, CaseDeadline.State.PAUSED]
    for window in case.deadlines.filter(party=party, code__in=codes, state__in=running):
        window.state = CaseDeadline.State.MET
        window.closed_at = timezone.now()
        window.met_late = court_date > window.due_on
        if window.met_late:
            late.append(window.code)
        window.save(update_fields=["state", "closed_at", "met_late"])
    return late


# --- The periodic task --------------------------------------------------------------------------


def _ready(today: date, pks: Iterable[int]) -> dict[int, date]:
    """The pending awards whose every party was served and whose suit windows all elapsed."""
    pks = list(pks)
    needed: dict[int, set[int]] = defaultdict(set)
    for case_id, party_id in Party.objects.filter(
        case_id__in=pks, role__in=[Party.Role.APPLICANT, Party.Role.RESPONDENT]
    ).values_list("case_id", "pk"):
        needed[case_id].add(party_id)
    windows: dict[int, list[tuple[int | None, date]]] = defaultdict(list)
    for case_id, party_id, due_on in CaseDeadline.objects.filter(
        case_id__in=pks, code__in=SUIT_CODES
    ).values_list("case_id", "party_id", "due_on"):
        windows[case_id].append((party_id, due_on))
    ready = {}
    for pk in pks:
        served = {party_id for party_id, _due in windows[pk]}
        if not windows[pk] or not needed[pk] <= served:
            continue  # a party not yet served: its window has not even started
        last = max(due for _party, due in windows[pk])
        if last < today:
            ready[pk] = last
    return ready


def settle_pending_effects(*, today: date) -> int:
    """Every award pending effect whose suit windows all elapsed with no suit takes effect
    (LDMAL art. 50). Returns how many changed; safe to run from two workers at once."""
    pending = Case.objects.filter(post_award=P.PENDING_EFFECT).values_list("pk", flat=True)
    changed = 0
    for pk, last_due in _ready(today, pending).items():
        if _settle_one(pk, last_due):
            changed += 1
    return changed


@transaction.atomic
def _settle_one(pk: int, last_due: date) -> bool:
    # Claimed with a conditional UPDATE: of two workers (or a court notice recorded at the same
    # moment) only one finds the row still pending.
    claimed = Case.objects.filter(pk=pk, post_award=P.PENDING_EFFECT).update(post_award=P.EFFECTIVE)
    if claimed != 1:
        return False
    case = Case.objects.select_for_update().select_related("institute").get(pk=pk)
    close_deadlines(case, list(SUIT_CODES), state=CaseDeadline.State.CANCELLED)
    record_event(
        case,
        "case.award_took_effect",
        actor=None,
        organisation=case.institute,
        payload={
            "post_award_before": P.PENDING_EFFECT,
            "post_award_after": P.EFFECTIVE,
            "windows_elapsed_on": last_due.isoformat(),
        },
    )
    return True
