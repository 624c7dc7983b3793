"""Two officers acting on the same application at the same moment: exactly one succeeds."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections

from zhongcai.cases import services
from zhongcai.cases.models import Case, CaseNumberCounter, Status
from zhongcai.cases.workflow import TransitionError
from zhongcai.core.events import events_of, verify_chains

from .factories import received


def _race(*actions):
    barrier = threading.Barrier(len(actions))
    outcomes = []

    def run(action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes.append("ok")
        except (TransitionError, PermissionDenied) as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="needs a server database with row locks (CI: PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_heads_accepting_at_once_give_one_acceptance_and_one_number(lixia_intake, lixia_head):
    from zhongcai.accounts.models import User

    case = received(lixia_intake)
    services.delegation_grant(by=lixia_head, user=lixia_intake, commission=case.commission)
    intake = User.objects.get(pk=lixia_intake.pk)

    def accept_as(user):
        return lambda: services.case_accept(
            by=user, case=Case.objects.get(pk=case.pk), warnings_acknowledged=True
        )

    assert _race(accept_as(lixia_head), accept_as(intake)) == ["TransitionError", "ok"]
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert [e.kind for e in events_of(case)].count("case.accepted") == 1
    assert CaseNumberCounter.objects.get(commission=case.commission).last == 1
    assert list(verify_chains()) == []


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="needs a server database with row locks (CI: PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_accepting_and_refusing_at_once_leave_one_decision(lixia_intake, lixia_head):
    case = received(lixia_intake)
    services.delegation_grant(by=lixia_head, user=lixia_intake, commission=case.commission)

    def accept():
        services.case_accept(
            by=lixia_head, case=Case.objects.get(pk=case.pk), warnings_acknowledged=True
        )

    def refuse():
        services.case_refuse(
            by=lixia_intake,
            case=Case.objects.get(pk=case.pk),
            ground="out_of_scope",
            reasons="理由",
            legal_basis="依据",
        )

    assert _race(accept, refuse) == ["TransitionError", "ok"]
    kinds = [e.kind for e in events_of(case)]
    assert ("case.accepted" in kinds) != ("case.refused" in kinds)


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="needs a server database with row locks (CI: PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_cases_accepted_at_once_get_two_consecutive_numbers(lixia_intake, lixia_head):
    from zhongcai.accounts.models import User

    first, second = received(lixia_intake), received(lixia_intake)
    services.delegation_grant(by=lixia_head, user=lixia_intake, commission=first.commission)
    intake = User.objects.get(pk=lixia_intake.pk)

    def accept(case, user):
        return lambda: services.case_accept(
            by=user, case=Case.objects.get(pk=case.pk), warnings_acknowledged=True
        )

    assert _race(accept(first, lixia_head), accept(second, intake)) == ["ok", "ok"]
    numbers = sorted(
        Case.objects.filter(pk__in=[first.pk, second.pk]).values_list("case_seq", flat=True)
    )
    assert numbers == [1, 2]
