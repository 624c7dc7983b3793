"""The mediator pool (调解员库): the filtered draw, the parties' choice, conflicts, requests for
another mediator and party feedback (profiles and training: ``profiles``).

The parties may choose their mediator or have one drawn; a mediator discloses a conflict and
steps aside; a party may ask for another mediator (人民法院在线调解规则, spec §9.2 court
analogue; 企业劳动争议协商调解规定 art. 6: mediation is voluntary and fair).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongcai.accounts.models import Role, User
from zhongcai.cases.tribunal import appointed, replay_draw
from zhongcai.orgs.models import Person

from .models import (
    ConflictDeclaration,
    Feedback,
    MediationCase,
    MediatorChangeRequest,
    MediatorProfile,
    Status,
)
from .parties import party_for
from .profiles import is_available, loads, profile_of
from .workflow import TransitionError, transition

MAX_REASON = 2000
# Exclusion reasons, stored in the draw (codes, so that the record reads the same in any language).
PARTY, CONFLICT, REPLACED, CURRENT, UNAVAILABLE, FULL = (
    "party", "conflict", "replaced", "current", "unavailable", "full",
)  # fmt: skip
EXCLUSION_LABELS = {
    PARTY: gettext_lazy("is a party"),
    CONFLICT: gettext_lazy("declared a conflict in this case"),
    REPLACED: gettext_lazy("was replaced in this case"),
    CURRENT: gettext_lazy("is the mediator being replaced"),
    UNAVAILABLE: gettext_lazy("unavailable today"),
    FULL: gettext_lazy("at the most running cases"),
}
# Feedback is given once the mediation ended; a declined case had none (no mediator).
FEEDBACK_STATES = (
    frozenset(Status) - {Status.APPLIED, Status.ACCEPTED, Status.MEDIATING} - {Status.DECLINED}
)


def _text(value: Any, key: str, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({key: [_("Give the reason.")]})
    if len(text) > MAX_REASON:
        raise ValidationError({key: [_("Keep it under 2,000 characters.")]})
    return text


# The pool and the draw ----------------------------------------------------------------------


@dataclass
class Pool:
    """The organisation's mediators appointed today, and why some of them may not take a case."""

    people: list[Person]
    profiles: dict[int, MediatorProfile]
    loads: dict[int, int]
    excluded: dict[int, str] = field(default_factory=dict)

    @property
    def eligible(self) -> list[Person]:
        return [p for p in self.people if p.pk not in self.excluded]


def _party_ids(case: MediationCase) -> set[str]:
    return set(case.parties.exclude(id_number="").values_list("id_number", flat=True))


def stepped_aside(case: MediationCase) -> dict[int, str]:
    """Mediators out for good in this case: those who declared a conflict or were replaced."""
    replaced = case.change_requests.filter(granted=True).values_list("person_id", flat=True)
    out = dict.fromkeys(replaced, REPLACED)
    out.update(dict.fromkeys(case.conflicts.values_list("person_id", flat=True), CONFLICT))
    return out


def pool_for(case: MediationCase, today: date) -> Pool:
    people = list(
        appointed(case.organisation_id, [Person.Kind.MEDIATOR], today).select_related(
            "mediator_profile"
        )
    )
    ids = [p.pk for p in people]
    pool = Pool(people, {p.pk: profile_of(p) for p in people}, loads(ids))
    parties = _party_ids(case)
    aside = stepped_aside(case)
    for person in people:
        profile = pool.profiles[person.pk]
        if person.id_number and person.id_number in parties:
            pool.excluded[person.pk] = PARTY
        elif person.pk in aside:
            pool.excluded[person.pk] = aside[person.pk]
        elif person.pk == case.mediator_id:
            pool.excluded[person.pk] = CURRENT
        elif not is_available(profile, today):
            pool.excluded[person.pk] = UNAVAILABLE
        elif pool.loads[person.pk] >= profile.max_load:
            pool.excluded[person.pk] = FULL
    return pool


def _narrow(
    pool: Pool, people: list[Person], wanted: set[str], attribute: str
) -> tuple[list[Person], bool]:
    """Those of ``people`` whose profile lists one of ``wanted``; all of them if nobody does."""
    if not wanted:
        return people, False
    matching = [
        p
        for p in people
        if wanted & {v.casefold() for v in getattr(pool.profiles[p.pk], attribute)}
    ]
    return (matching, True) if matching else (people, False)


def candidates(case: MediationCase, today: date, *, language: str = "") -> dict[str, Any]:
    """The draw's candidates and how they were found: the eligible pool, narrowed to a
    requested language and then to the case's causes where somebody matches (never to none)."""
    pool = pool_for(case, today)
    people = pool.eligible
    language = (language or "").strip()
    wanted = {language.casefold()} if language else set()
    people, by_language = _narrow(pool, people, wanted, "languages")
    causes = {c.casefold() for c in case.causes}
    people, by_cause = _narrow(pool, people, causes, "specialties")
    return {
        "candidates": [p.pk for p in people],
        "eligible": [p.pk for p in pool.eligible],
        "excluded": [{"person": pk, "reason": why} for pk, why in pool.excluded.items()],
        "filters": {
            "language": language,
            "language_applied": by_language,
            "causes": list(case.causes),
            "specialty_applied": by_cause,
        },
        "on": today.isoformat(),
    }


def _draw(locked: MediationCase, language: str = "") -> dict[str, Any]:
    found = candidates(locked, timezone.localdate(), language=language)
    if not found["candidates"]:
        raise ValidationError(
            {"mediator": [_("No appointed mediator of this organisation can be drawn.")]}
        )
    seed = secrets.token_hex(16)
    drawn = replay_draw(seed, found["candidates"], 1)
    return {"seed": seed, "k": 1, "drawn": drawn, **found}


def mediator_draw(*, by: User, case: MediationCase, language: str = "") -> MediationCase:
    """Draw the mediator at random among the filtered candidates; the seed, candidates and
    filters are stored so that anyone can replay the draw. Mediation begins."""
    if len((language or "").strip()) > 30:
        raise ValidationError({"language": [_("Name one language in a word.")]})

    def apply(locked: MediationCase) -> dict[str, Any]:
        draw = _draw(locked, language)
        locked.draw = draw
        locked.mediator_id = draw["drawn"][0]
        return {"mediator": locked.mediator_id, "draw": draw}

    return transition(case, "draw_mediator", by=by, apply=apply)


def choosable(case: MediationCase, today: date | None = None) -> list[Person]:
    """The mediators the parties may choose from: appointed, available, with room for a case,
    not a party (name, specialties and languages are all the parties see of them)."""
    return pool_for(case, today or timezone.localdate()).eligible


def mediator_choose(
    *,
    by: User,
    case: MediationCase,
    person: Person | None,
    applicant_consents: bool,
    respondent_consents: bool,
) -> MediationCase:
    """Appoint the mediator both parties chose (voluntary mediation: 企业劳动争议协商调解规定
    art. 6). Preconditions: ACCEPTED; both parties' consent recorded by the staff."""
    errors: dict[str, list[str]] = {}
    if not (applicant_consents and respondent_consents):
        errors["consent"] = [_("Both parties must have chosen this mediator.")]
    if person is None:
        errors["person"] = [_("Choose a mediator.")]
    if errors or person is None:
        raise ValidationError(errors)

    def apply(locked: MediationCase) -> dict[str, Any]:
        pool = pool_for(locked, timezone.localdate())
        if person.pk not in {p.pk for p in pool.people}:
            raise ValidationError(
                {"person": [_("Choose an appointed mediator of this organisation.")]}
            )
        if person.pk in pool.excluded:
            raise ValidationError(
                {"person": [_("This mediator cannot take the case: %(why)s.")
                            % {"why": EXCLUSION_LABELS[pool.excluded[person.pk]]}]}
            )  # fmt: skip
        locked.mediator_id = person.pk
        return {"mediator": person.pk, "consent": {"applicant": True, "respondent": True}}

    return transition(case, "choose_mediator", by=by, apply=apply)


# Conflicts and replacement ------------------------------------------------------------------


def _replace(case: MediationCase, *, by: User, cause: str) -> MediationCase:
    """Draw another mediator among the rest (the one leaving and anyone out for good are
    excluded); pending requests about the one leaving are closed as granted."""
    leaving = case.mediator_id

    def apply(locked: MediationCase) -> dict[str, Any]:
        draw = _draw(locked)
        locked.draw = draw
        locked.mediator_id = draw["drawn"][0]
        closed = list(
            locked.change_requests.filter(granted__isnull=True, person_id=leaving).values_list(
                "pk", flat=True
            )
        )
        locked.change_requests.filter(pk__in=closed).update(
            granted=True,
            decided_by=by,
            decided_at=timezone.now(),
            decision_note=_("Another mediator took over."),
        )
        return {
            "replaced": leaving,
            "mediator": locked.mediator_id,
            "cause": cause,
            "draw": draw,
            "requests_closed": closed,
        }

    return transition(case, "replace_mediator", by=by, apply=apply)


@transaction.atomic
def conflict_declare(*, by: User, case: MediationCase, reason: str) -> MediationCase:
    """The case's mediator discloses a conflict of interest and steps aside; another is drawn
    at once among the rest, and the conflicted one is never drawn again in this case. The head
    records it for a mediator who has no account."""
    text = _text(reason, "reason")
    declared: list[int] = []

    def apply(locked: MediationCase) -> dict[str, Any]:
        if locked.mediator_id is None:
            raise TransitionError(_("The case has no mediator yet."))
        own = Person.objects.filter(pk=locked.mediator_id, user=by).exists()
        if not own and by.role != Role.INSTITUTE_HEAD:
            raise PermissionDenied(_("Only the case's mediator or the head declares a conflict."))
        row = ConflictDeclaration.objects.create(
            case=locked, person_id=locked.mediator_id, reason=text, declared_by=by
        )
        declared.append(row.pk)
        return {"declaration": row.pk, "person": locked.mediator_id}

    case = transition(case, "declare_conflict", by=by, apply=apply)
    return _replace(case, by=by, cause="conflict")


@transaction.atomic
def mediator_change_request(*, by: User, case: MediationCase, reason: str) -> MediatorChangeRequest:
    """A party asks for another mediator, with its reason; one pending request per party."""
    text = _text(reason, "reason")
    party = party_for(by, case)
    made: list[MediatorChangeRequest] = []

    def apply(locked: MediationCase) -> dict[str, Any]:
        if locked.mediator_id is None:
            raise TransitionError(_("The case has no mediator yet."))
        if locked.change_requests.filter(party=party, granted__isnull=True).exists():
            raise ValidationError(
                {"reason": [_("Your request for another mediator is already waiting.")]}
            )
        row = MediatorChangeRequest.objects.create(
            case=locked, party=party, person_id=locked.mediator_id, user=by, reason=text
        )
        made.append(row)
        return {"request": row.pk, "party": party.pk, "person": locked.mediator_id}

    transition(case, "request_other_mediator", by=by, apply=apply)
    return made[0]


@transaction.atomic
def mediator_change_decide(
    *, by: User, request: MediatorChangeRequest, grant: bool, note: str = ""
) -> MediatorChangeRequest:
    """Grant (another mediator is drawn, the current one excluded) or refuse with a note. The
    mediator the request is about does not decide it."""
    text = _text(note, "note", required=not grant)
    case = request.case

    def apply(locked: MediationCase) -> dict[str, Any]:
        row = MediatorChangeRequest.objects.select_for_update().get(pk=request.pk)
        if row.granted is not None:
            raise ValidationError({"grant": [_("This request was already decided.")]})
        if Person.objects.filter(pk=row.person_id, user=by).exists():
            raise PermissionDenied(_("The mediator concerned does not decide the request."))
        if grant and row.person_id != locked.mediator_id:
            raise ValidationError({"grant": [_("The mediator changed since; refuse it.")]})
        row.granted = bool(grant)
        row.decided_by = by
        row.decided_at = timezone.now()
        row.decision_note = text
        row.save()
        return {"request": row.pk, "granted": row.granted}

    transition(case, "decide_mediator_change", by=by, apply=apply)
    if grant:
        _replace(case, by=by, cause="request")
    request.refresh_from_db()
    return request


# Feedback ---------------------------------------------------------------------------------


@transaction.atomic
def feedback_give(*, by: User, case: MediationCase, score: Any, comment: str = "") -> Feedback:
    """A party rates the mediation 1–5 once it ended, once (for the mediator's assessment)."""
    errors: dict[str, list[str]] = {}
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        errors["score"] = [_("Rate from 1 to 5.")]
    try:
        text = _text(comment, "comment", required=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    party = party_for(by, case)
    given: list[Feedback] = []

    def apply(locked: MediationCase) -> dict[str, Any]:
        if locked.status not in FEEDBACK_STATES:
            raise TransitionError(_("The mediation was declined: there is nothing to rate."))
        if Feedback.objects.filter(case=locked, party=party).exists():
            raise ValidationError({"score": [_("You already rated this mediation.")]})
        try:
            with transaction.atomic():
                row = Feedback.objects.create(
                    case=locked, party=party, user=by, score=score, comment=text
                )
        except IntegrityError:
            raise ValidationError({"score": [_("You already rated this mediation.")]}) from None
        given.append(row)
        return {"feedback": row.pk, "party": party.pk, "score": score}

    transition(case, "give_feedback", by=by, apply=apply)
    return given[0]
