"""Notifications: the inbox, the outbox, sending once, retries, and the served-document hook."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from zhongcai.cases import serving
from zhongcai.cases.models import DocumentKind, Party, ServiceMethod
from zhongcai.cases.tests.factories import accepted
from zhongcai.notifications import services, tasks
from zhongcai.notifications.models import Delivery, Notification

MONDAY = "2025-11-03 09:00 +0800"
FAILING = "zhongcai.notifications.tests.test_notifications.FailingGateway"
SMS_LOG = "zhongcai.notifications.sms"


class FailingGateway:
    def send(self, delivery):
        raise ConnectionError("gateway unreachable")


@pytest.fixture
def worker(worker_demo):
    worker_demo.email = "wang@example.com"
    worker_demo.save(update_fields=["email"])
    return worker_demo


def _notify(user, **changes):
    arguments = {"kind": "test", "title": "标题", "body": "正文", "link": "/"} | changes
    return services.notify(user, **arguments)


def test_it_writes_the_inbox_row_and_one_delivery_per_address(worker):
    notification = _notify(worker)
    assert notification.recipient == worker
    assert notification.read_at is None
    deliveries = {d.channel: d for d in notification.deliveries.all()}
    assert set(deliveries) == {"email", "sms"}
    assert deliveries["email"].address == "wang@example.com"
    assert deliveries["sms"].address == worker.mobile
    assert {d.state for d in deliveries.values()} == {Delivery.State.PENDING}


def test_it_makes_no_delivery_for_a_channel_without_address(worker):
    worker.email = ""
    worker.save(update_fields=["email"])
    notification = _notify(worker)
    assert list(notification.deliveries.values_list("channel", flat=True)) == ["sms"]
    notification = _notify(worker, channels=())
    assert not notification.deliveries.exists()


def test_it_sends_after_the_commit_once(worker, django_capture_on_commit_callbacks, caplog):
    caplog.set_level("INFO", logger=SMS_LOG)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = _notify(worker)
        assert len(mail.outbox) == 0  # nothing leaves before the commit
    assert len(callbacks) == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wang@example.com"]
    assert mail.outbox[0].subject == "标题"
    assert len([r for r in caplog.records if r.name == SMS_LOG]) == 1
    states = set(notification.deliveries.values_list("state", "attempts"))
    assert states == {(Delivery.State.SENT, 1)}


def test_running_the_task_twice_sends_once(worker, caplog):
    caplog.set_level("INFO", logger=SMS_LOG)
    notification = _notify(worker)
    for delivery in notification.deliveries.all():
        tasks.send_delivery.delay(delivery.pk)
        tasks.send_delivery.delay(delivery.pk)
    assert len(mail.outbox) == 1
    assert len([r for r in caplog.records if r.name == SMS_LOG]) == 1
    assert set(notification.deliveries.values_list("attempts", flat=True)) == {1}


def test_a_failing_gateway_marks_failed_and_a_later_retry_sends(
    worker, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(MONDAY, tick=False),
        override_settings(NOTIFICATIONS_SMS_GATEWAY=FAILING),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = _notify(worker)
    sms = notification.deliveries.get(channel="sms")
    assert (sms.state, sms.attempts) == (Delivery.State.FAILED, 1)
    assert "gateway unreachable" in sms.last_error
    assert notification.deliveries.get(channel="email").state == Delivery.State.SENT

    with time_machine.travel(MONDAY, tick=False):
        assert tasks.retry_pending.delay().get() == 0  # the backoff is not over yet
    with time_machine.travel("2025-11-03 09:05 +0800", tick=False):
        assert tasks.retry_pending.delay().get() == 1
    sms.refresh_from_db()
    assert (sms.state, sms.attempts, sms.last_error) == (Delivery.State.SENT, 2, "")
    assert len(mail.outbox) == 1  # the e-mail was not sent again


@override_settings(NOTIFICATIONS_SMS_GATEWAY=FAILING, NOTIFICATIONS_MAX_ATTEMPTS=2)
def test_it_gives_up_after_the_maximum_attempts(worker):
    sms = _notify(worker, channels=("sms",)).deliveries.get()
    with time_machine.travel(MONDAY, tick=False):
        services.delivery_send(sms.pk)
    with time_machine.travel("2025-11-04 09:00 +0800", tick=False):
        assert services.deliveries_due() == [sms.pk]
        services.delivery_send(sms.pk)
        services.delivery_send(sms.pk)
        assert services.deliveries_due() == []
    sms.refresh_from_db()
    assert (sms.state, sms.attempts) == (Delivery.State.FAILED, 2)


def test_the_same_key_twice_is_one_notification(worker):
    first = _notify(worker, key="k-1")
    second = _notify(worker, key="k-1", title="另一个")
    assert second.pk == first.pk
    assert Notification.objects.filter(recipient=worker).count() == 1
    assert Delivery.objects.filter(notification=first).count() == 2


# --- The served-document hook --------------------------------------------------------------


@pytest.fixture
def case(institutions, lixia_intake, lixia_head):
    with time_machine.travel(MONDAY, tick=False):
        return accepted(lixia_intake, lixia_head)


def _applicant(case, user):
    party = case.parties.get(role=Party.Role.APPLICANT)
    party.user = user
    party.save(update_fields=["user"])
    return party


def _served(case, clerk, party, method):
    document = case.documents.get(kind=DocumentKind.ACCEPTANCE_NOTICE)
    extra = {"signed_by_name": party.name} if method == ServiceMethod.IN_PERSON else {}
    with time_machine.travel("2025-11-05 10:00 +0800", tick=False):
        return serving.serve(
            by=clerk, case=case, document=document, parties=[party], method=method, **extra
        )


def test_electronic_service_notifies_the_partys_user(case, lixia_clerk, worker):
    party = _applicant(case, worker)
    serving.service_address_confirm(
        by=lixia_clerk, case=case, party=party, electronic_consent=True, mobile=worker.mobile
    )
    before = Notification.objects.filter(recipient=worker).count()
    [record] = _served(case, lixia_clerk, party, ServiceMethod.ELECTRONIC)
    notification = Notification.objects.get(key=f"served:{record.pk}")
    assert notification.recipient == worker
    assert notification.case == case
    assert notification.kind == "document_served"
    assert record.document.title in notification.title
    assert Notification.objects.filter(recipient=worker).count() == before + 1
    assert notification.deliveries.count() == 2


def test_service_in_person_notifies_nobody(case, lixia_clerk, worker):
    party = _applicant(case, worker)
    _served(case, lixia_clerk, party, ServiceMethod.IN_PERSON)
    assert not Notification.objects.filter(recipient=worker).exists()


def test_a_party_without_account_is_not_notified(case, lixia_clerk):
    party = case.parties.get(role=Party.Role.APPLICANT)
    serving.service_address_confirm(
        by=lixia_clerk, case=case, party=party, electronic_consent=True, mobile="13800000009"
    )
    _served(case, lixia_clerk, party, ServiceMethod.ELECTRONIC)
    assert not Notification.objects.filter(case=case).exists()


# --- The pages -----------------------------------------------------------------------------

pages = pytest.mark.django_db


@pages
def test_the_inbox_lists_my_notifications_newest_first(login, worker, employer_demo):
    with time_machine.travel(MONDAY, tick=False):
        _notify(worker, title="较早的通知")
    with time_machine.travel("2025-11-04 09:00 +0800", tick=False):
        _notify(worker, title="较新的通知")
    _notify(employer_demo, title="别人的通知")
    response = login(worker).get(reverse("notifications:list"))
    assert response.status_code == 200
    titles = [n.title for n in response.context["page"].object_list]
    assert titles == ["较新的通知", "较早的通知"]
    assert response.context["unread"] == 2
    assert "别人的通知" not in response.content.decode()


@pages
def test_the_inbox_needs_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pages
def test_another_users_notification_is_404(login, worker, employer_demo):
    theirs = _notify(employer_demo)
    response = login(worker).post(reverse("notifications:read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pages
def test_it_marks_one_and_then_all_as_read(login, worker):
    first, second = _notify(worker), _notify(worker, link="/knowledge/")
    client = login(worker)
    response = client.post(reverse("notifications:read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    response = client.post(reverse("notifications:read", args=[second.pk]), {"open": "1"})
    assert response["Location"] == "/knowledge/"
    third = _notify(worker)
    client.post(reverse("notifications:read-all"))
    assert not Notification.objects.filter(recipient=worker, read_at__isnull=True).exists()
    third.refresh_from_db()
    assert third.read_at is not None


@pages
def test_marking_read_is_post_only(login, worker):
    mine = _notify(worker)
    assert login(worker).get(reverse("notifications:read", args=[mine.pk])).status_code == 405
