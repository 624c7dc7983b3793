import inspect
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from zhongcai.core.events import EventLogError, events_of, record_event, verify_chains
from zhongcai.core.models import Event
from zhongcai.orgs.models import Organisation
from zhongcai.orgs.services import organisation_rename


@pytest.fixture
def institute(province):
    return Organisation.objects.get(division_id="370102", type="arbitration_institute")


def _rename(org, name, by=None):
    return organisation_rename(by=by, organisation=org, name=name, short_name=org.short_name)


@pytest.mark.django_db
def test_each_change_appends_a_linked_event(institute, lixia_admin):
    _rename(institute, "历下区仲裁院（新址）", by=lixia_admin)
    created, renamed = events_of(institute)
    assert (created.seq, renamed.seq) == (1, 2)
    assert renamed.prev_hash == created.hash
    assert renamed.actor == lixia_admin
    assert renamed.payload["after"]["name"] == "历下区仲裁院（新址）"
    assert list(verify_chains()) == []


@pytest.mark.django_db
def test_event_time_is_the_server_clock(institute):
    moment = datetime(2026, 10, 8, 9, 30, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        _rename(institute, "改名")
    assert events_of(institute).last().at == moment


def test_no_caller_can_supply_an_event_time():
    assert "at" not in inspect.signature(record_event).parameters


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_write_outside_a_transaction(institute):
    with pytest.raises(EventLogError):
        record_event(institute, "organisation.poked", actor=None)


@pytest.mark.django_db
def test_it_refuses_a_payload_that_is_not_plain_json(institute):
    with pytest.raises(EventLogError), transaction.atomic():
        record_event(institute, "organisation.poked", actor=None, payload={"x": object()})


@pytest.mark.django_db
def test_verify_events_passes_on_an_untouched_log(province, capsys):
    call_command("verify_events")
    assert "完好" in capsys.readouterr().out


@pytest.mark.django_db
def test_verify_events_reports_an_edited_payload(institute, capsys):
    _rename(institute, "甲")
    tampered = events_of(institute).last()
    Event.objects.filter(pk=tampered.pk).update(payload={"after": {"name": "乙"}})
    with pytest.raises(CommandError):
        call_command("verify_events")
    err = capsys.readouterr().err
    assert f"{tampered.pk}" in err
    assert err.count("\n") == 1  # exactly the tampered link, not its successors


@pytest.mark.django_db
def test_verify_events_reports_a_backdated_event(institute):
    _rename(institute, "甲")
    event = events_of(institute).last()
    Event.objects.filter(pk=event.pk).update(at=datetime(2020, 1, 1, tzinfo=UTC))
    assert [link.event_id for link in verify_chains()] == [event.pk]


@pytest.mark.django_db
def test_verify_events_reports_a_deleted_event(institute):
    _rename(institute, "甲")
    _rename(institute, "乙")
    _, second, third = events_of(institute)
    Event.objects.filter(pk=second.pk).delete()
    broken = list(verify_chains())
    assert [(link.event_id, link.seq) for link in broken] == [(third.pk, 3)]


@pytest.mark.django_db
def test_verify_events_reports_a_rewritten_chain_link(institute):
    _rename(institute, "甲")
    event = events_of(institute).last()
    Event.objects.filter(pk=event.pk).update(prev_hash="0" * 64)
    assert [link.event_id for link in verify_chains()] == [event.pk]


@pytest.mark.django_db
def test_two_writers_cannot_fork_a_chain(institute):
    from django.db import IntegrityError

    last = events_of(institute).last()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            subject_type=last.subject_type,
            subject_id=last.subject_id,
            seq=last.seq,
            kind="forged",
            hash="f" * 64,
        )
