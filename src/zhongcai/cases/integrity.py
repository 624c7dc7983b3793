"""Does every case row say what its events say? Run by ``manage.py verify_events``.

The status is the target of the last status-setting event; the case number is the one the
acceptance event gave; the application content matches the digest recorded when it was last
legitimately changed. A row edited behind the services' back fails one of these.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from zhongcai.core.models import Event

from .checks import application_digest
from .models import Case
from .workflow import STATUS_EVENTS


def expected_from_events(events: list[Event]) -> dict[str, str]:
    expected = {"status": "", "case_number": "", "digest": ""}
    for event in events:
        if event.kind in STATUS_EVENTS:
            expected["status"] = STATUS_EVENTS[event.kind]
        elif event.kind == "case.imported":
            expected["status"] = event.payload["to"]
        if "case_number" in event.payload:
            expected["case_number"] = event.payload["case_number"]
        if "digest" in event.payload:
            expected["digest"] = event.payload["digest"]
    return expected


def problems_of(case: Case, events: list[Event]) -> list[str]:
    expected = expected_from_events(events)
    problems = []
    label = _("application no. %(id)s") % {"id": case.pk}
    if case.status != expected["status"]:
        problems.append(
            _("%(case)s: status is “%(row)s” but its events say “%(events)s”")
            % {"case": label, "row": case.status, "events": expected["status"]}
        )
    if case.case_number != expected["case_number"]:
        problems.append(
            _("%(case)s: case number “%(row)s” was not given by its acceptance (“%(events)s”)")
            % {"case": label, "row": case.case_number, "events": expected["case_number"]}
        )
    if expected["digest"] and application_digest(case) != expected["digest"]:
        problems.append(
            _("%(case)s: the application was changed without a recorded event") % {"case": label}
        )
    return problems


def check_cases() -> Iterator[str]:
    case_type = ContentType.objects.get_for_model(Case)
    events_by_case: dict[str, list[Event]] = {}
    for event in (
        Event.objects.filter(subject_type=case_type).order_by("subject_id", "seq").iterator()
    ):
        events_by_case.setdefault(event.subject_id, []).append(event)
    for case in Case.objects.iterator():
        yield from problems_of(case, events_by_case.get(str(case.pk), []))
