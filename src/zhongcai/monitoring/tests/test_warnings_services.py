"""Acknowledging and assigning warnings: who may, within whose scope, and what is recorded."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from zhongcai.cases.tests import factories
from zhongcai.core.events import events_of
from zhongcai.monitoring import warning_services, warnings
from zhongcai.monitoring.models import EarlyWarning
from zhongcai.notifications.models import Notification

D = date(2026, 3, 2)

pytestmark = pytest.mark.django_db


@pytest.fixture
def warning(lixia_intake, lixia_head):
    """The Lixia head's warning that the tribunal-notice clock of a new case falls due."""
    with time_machine.travel(f"{D.isoformat()} 10:00 +0800", tick=False):
        factories.accepted(lixia_intake, lixia_head)
        warnings.run_rules()
    return EarlyWarning.objects.get(
        kind=EarlyWarning.Kind.DEADLINE_DUE, reason__code="tribunal_notice"
    )


def test_the_head_acknowledges_once(warning, lixia_head):
    warning_services.warning_acknowledge(by=lixia_head, warning=warning)
    warning_services.warning_acknowledge(by=lixia_head, warning=warning)
    warning.refresh_from_db()
    assert warning.status == EarlyWarning.Status.ACKNOWLEDGED
    assert warning.acknowledged_by == lixia_head
    assert warning.acknowledged_at is not None
    assert [e.kind for e in events_of(warning)] == ["warning.raised", "warning.acknowledged"]
    assert events_of(warning).last().actor == lixia_head


def test_another_county_gets_404(warning, licheng_intake, licheng_arbitrator):
    with pytest.raises(Http404):
        warning_services.warning_acknowledge(by=licheng_intake, warning=warning)
    with pytest.raises(Http404):
        warning_services.warning_assign(by=licheng_intake, warning=warning, to=licheng_arbitrator)
    with pytest.raises(Http404):
        warning_services.get_warning_for(licheng_intake, warning.pk)
    assert not warning_services.warnings_visible_to(licheng_intake).exists()
    warning.refresh_from_db()
    assert warning.status == EarlyWarning.Status.OPEN


def test_the_city_and_province_see_it(warning, jinan_admin, province_admin, worker_demo):
    assert warning_services.get_warning_for(jinan_admin, warning.pk) == warning
    assert warning_services.get_warning_for(province_admin, warning.pk) == warning
    assert not warning_services.warnings_visible_to(worker_demo).exists()


def test_staff_who_are_not_managers_nor_assignees_get_403(warning, lixia_clerk):
    with pytest.raises(PermissionDenied):
        warning_services.warning_acknowledge(by=lixia_clerk, warning=warning)
    with pytest.raises(PermissionDenied):
        warning_services.warning_assign(by=lixia_clerk, warning=warning, to=lixia_clerk)


def test_the_head_assigns_to_a_clerk_who_then_acknowledges(warning, lixia_head, lixia_clerk):
    warning_services.warning_assign(by=lixia_head, warning=warning, to=lixia_clerk)
    warning.refresh_from_db()
    assert warning.assigned_to == lixia_clerk
    assigned = events_of(warning).last()
    assert (assigned.kind, assigned.payload) == (
        "warning.assigned",
        {"from": lixia_head.pk, "to": lixia_clerk.pk},
    )
    assert Notification.objects.filter(
        recipient=lixia_clerk, kind=warnings.NOTIFICATION_KIND
    ).exists()
    warning_services.warning_acknowledge(by=lixia_clerk, warning=warning)
    warning.refresh_from_db()
    assert warning.acknowledged_by == lixia_clerk


def test_it_refuses_an_assignee_who_cannot_see_the_warning(
    warning, lixia_head, licheng_intake, worker_demo
):
    for stranger in (licheng_intake, worker_demo):
        with pytest.raises(ValidationError):
            warning_services.warning_assign(by=lixia_head, warning=warning, to=stranger)
    warning.refresh_from_db()
    assert warning.assigned_to == lixia_head
    assert [e.kind for e in events_of(warning)] == ["warning.raised"]


def test_a_resolved_warning_cannot_be_acknowledged(warning, lixia_head):
    warning_services.warning_resolve(by=lixia_head, warning=warning)
    with pytest.raises(ValidationError):
        warning_services.warning_acknowledge(by=lixia_head, warning=warning)
    # Running the rules again does not reopen it.
    with time_machine.travel(f"{D.isoformat()} 11:00 +0800", tick=False):
        warnings.run_rules()
    warning.refresh_from_db()
    assert warning.status == EarlyWarning.Status.RESOLVED
