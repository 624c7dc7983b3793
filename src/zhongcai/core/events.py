"""The append-only, hash-chained event log.

Services call ``record_event`` inside their transaction, after locking the subject row, so two
writers on one subject are serialized; the unique (subject, seq) constraint refuses a fork if a
caller forgets the lock. There is deliberately no way to pass the time of an event: it is the
server clock at the moment of writing (关闭"事后补录", DESIGN.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from .models import Event

if TYPE_CHECKING:
    from zhongcai.accounts.models import User
    from zhongcai.orgs.models import Organisation


class EventLogError(Exception):
    pass


def canonical_bytes(
    *,
    subject: str,
    seq: int,
    kind: str,
    actor_id: int | None,
    organisation_id: int | None,
    at: Any,
    payload: dict[str, Any],
    prev_hash: str,
) -> bytes:
    """The exact bytes that an event's hash covers: sorted-key compact JSON, UTC microseconds."""
    document = {
        "actor": actor_id,
        "at": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "kind": kind,
        "organisation": organisation_id,
        "payload": payload,
        "prev": prev_hash,
        "seq": seq,
        "subject": subject,
    }
    return json.dumps(
        document, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def _subject_key(subject_type_id: int, subject_id: str) -> str:
    # By model name, not the content type's numeric id: the chains survive a move of the data
    # to another database, where ids are given anew.
    content_type = ContentType.objects.get_for_id(subject_type_id)
    return f"{content_type.app_label}.{content_type.model}:{subject_id}"


def compute_hash(event: Event) -> str:
    return hashlib.sha256(
        canonical_bytes(
            subject=_subject_key(event.subject_type_id, event.subject_id),
            seq=event.seq,
            kind=event.kind,
            actor_id=event.actor_id,
            organisation_id=event.organisation_id,
            at=event.at,
            payload=event.payload,
            prev_hash=event.prev_hash,
        )
    ).hexdigest()


def _json_roundtrip(payload: dict[str, Any]) -> dict[str, Any]:
    # Hash what the database will give back, not the caller's Python objects.
    try:
        result: dict[str, Any] = json.loads(
            json.dumps(payload, ensure_ascii=False, allow_nan=False)
        )
    except (TypeError, ValueError) as exc:
        raise EventLogError(f"Event payload must be plain JSON: {exc}") from exc
    return result


def record_event(
    subject: models.Model,
    kind: str,
    *,
    actor: User | None,
    organisation: Organisation | None = None,
    payload: dict[str, Any] | None = None,
) -> Event:
    """Append an event to ``subject``'s chain. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise EventLogError("record_event must be called inside the service's transaction.")
    if subject.pk is None:
        raise EventLogError("Save the subject before recording its events.")
    subject_type = ContentType.objects.get_for_model(subject)
    subject_id = str(subject.pk)
    last = (
        Event.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .order_by("-seq")
        .values("seq", "hash")
        .first()
    )
    # Microsecond precision is what every supported database stores.
    at = timezone.now()
    event = Event(
        subject_type=subject_type,
        subject_id=subject_id,
        seq=(last["seq"] + 1) if last else 1,
        kind=kind,
        actor=actor,
        organisation=organisation,
        at=at,
        payload=_json_roundtrip(payload or {}),
        prev_hash=last["hash"] if last else "",
    )
    event.hash = compute_hash(event)
    event.save(force_insert=True)
    return event


def events_of(subject: models.Model) -> models.QuerySet[Event]:
    return Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
    ).order_by("seq")


# Apps register functions that compare their rows with what their events say; verify_events
# runs them after the chains. Each yields human-readable problems.
ConsistencyCheck = Callable[[], Iterator[str]]
_CONSISTENCY_CHECKS: list[ConsistencyCheck] = []


def register_consistency_check(check: ConsistencyCheck) -> None:
    if check not in _CONSISTENCY_CHECKS:
        _CONSISTENCY_CHECKS.append(check)


def consistency_problems() -> Iterator[str]:
    for check in _CONSISTENCY_CHECKS:
        yield from check()


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    subject: str
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"event {self.event_id} (subject {self.subject}, seq {self.seq}): {self.reason}"


def verify_chains(queryset: models.QuerySet[Event] | None = None) -> Iterator[BrokenLink]:
    """Walk every chain in order and yield each broken link: wrong hash, wrong prev, gap."""
    events = (queryset if queryset is not None else Event.objects.all()).order_by(
        "subject_type_id", "subject_id", "seq"
    )
    current: str | None = None
    expected_seq = 1
    prev_hash = ""
    for event in events.iterator(chunk_size=2000):
        subject = _subject_key(event.subject_type_id, event.subject_id)
        if subject != current:
            current, expected_seq, prev_hash = subject, 1, ""
        if event.seq != expected_seq:
            yield BrokenLink(event.pk, subject, event.seq, f"expected seq {expected_seq}")
        elif event.prev_hash != prev_hash:
            yield BrokenLink(
                event.pk, subject, event.seq, "prev_hash does not match the event before"
            )
        elif compute_hash(event) != event.hash:
            yield BrokenLink(event.pk, subject, event.seq, "content does not match its hash")
        expected_seq = event.seq + 1
        prev_hash = event.hash
