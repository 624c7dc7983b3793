"""Two deciders pressing "accept" through the API at the same moment: one 200, one 409."""

import threading

import pytest
from django.db import connection, connections
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhongcai.cases import services
from zhongcai.cases.models import CaseNumberCounter
from zhongcai.cases.tests.factories import received
from zhongcai.core.events import events_of


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="needs a server database with row locks (CI: PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_deciders_accepting_at_once_get_one_200_and_one_409(lixia_intake, lixia_head):
    case = received(lixia_intake)
    services.delegation_grant(by=lixia_head, user=lixia_intake, commission=case.commission)
    keys = [Token.objects.get_or_create(user=user)[0].key for user in (lixia_head, lixia_intake)]
    barrier = threading.Barrier(len(keys))
    statuses = []

    def accept(key):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        try:
            barrier.wait(timeout=10)
            url = f"/api/v1/cases/{case.pk}/accept/"
            statuses.append(client.post(url, {"warnings_acknowledged": True}, format="json"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(response.status_code for response in statuses) == [200, 409]
    assert [e.kind for e in events_of(case)].count("case.accepted") == 1
    assert CaseNumberCounter.objects.get(commission=case.commission).last == 1
