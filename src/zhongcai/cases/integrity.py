"""Does every case row say what its events say? Run by ``manage.py verify_events``.

The status is the target of the last status-setting event; the commission and institute, the
receipt time, the acceptance date, the case number and the redirection are what the events
recorded; the application content matches the digest recorded when it was last legitimately
changed. A row edited behind the services' back fails one of these.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from zhongcai.core.models import Event

from .checks import application_digest
from .models import Case
from .workflow import STATUS_EVENTS

CHUNK = 1000


def expected_from_events(events: list[Event]) -> dict[str, Any]:
    expected: dict[str, Any] = {
        "status": "",
        "case_number": "",
        "digest": "",
        "commission_id": None,
        "institute_id": None,
        "received_at": None,
        "accepted_on": None,
        "redirected_to_id": None,
    }
    for event in events:
        payload = event.payload
        if event.kind in STATUS_EVENTS:
            expected["status"] = STATUS_EVENTS[event.kind]
        elif "to" in payload:  # an import, or a step that moved the case from this state
            expected["status"] = payload["to"]
        if event.kind == "case.imported":
            expected["accepted_on"] = payload.get("claimed_accepted_on")
        for key in ("case_number", "digest", "accepted_on", "received_at"):
            if key in payload:
                expected[key] = payload[key]
        if "commission" in payload:
            expected["commission_id"] = payload["commission"]
            expected["institute_id"] = payload["institute"]
        if "redirected_to" in payload:
            expected["redirected_to_id"] = payload["redirected_to"]
    return expected


def problems_of(case: Case, events: list[Event]) -> list[str]:
    expected = expected_from_events(events)
    actual = {
        "status": case.status,
        "case_number": case.case_number,
        "commission_id": case.commission_id,
        "institute_id": case.institute_id,
        "received_at": case.received_at.isoformat() if case.received_at else None,
        "accepted_on": case.accepted_on.isoformat() if case.accepted_on else None,
        "redirected_to_id": case.redirected_to_id,
    }
    label = _("application no. %(id)s") % {"id": case.pk}
    problems = [
        _("%(case)s: %(field)s is “%(row)s” but its events say “%(events)s”")
        % {"case": label, "field": field, "row": value, "events": expected[field]}
        for field, value in actual.items()
        if value != expected[field]
    ]
    if expected["digest"] and application_digest(case) != expected["digest"]:
        problems.append(
            _("%(case)s: the application was changed without a recorded event") % {"case": label}
        )
    return problems


def check_cases() -> Iterator[str]:
    """Every case against its events, a chunk of cases at a time."""
    case_type = ContentType.objects.get_for_model(Case)
    last_pk = 0
    while True:
        cases = list(Case.objects.filter(pk__gt=last_pk).order_by("pk")[:CHUNK])
        if not cases:
            return
        last_pk = cases[-1].pk
        events_by_case: dict[str, list[Event]] = {}
        for event in Event.objects.filter(
            subject_type=case_type, subject_id__in=[str(c.pk) for c in cases]
        ).order_by("subject_id", "seq"):
            events_by_case.setdefault(event.subject_id, []).append(event)
        for case in cases:
            yield from problems_of(case, events_by_case.get(str(case.pk), []))
