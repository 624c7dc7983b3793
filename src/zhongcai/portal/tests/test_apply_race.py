"""The same application submitted from two devices at the same moment: one case, one receipt."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from zhongcai.cases.models import Case
from zhongcai.cases.tests.factories import commission
from zhongcai.portal import applying
from zhongcai.portal.models import ApplicationDraft

from .test_apply import _complete, _fresh, _start


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="needs a server database with row locks (CI: PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_make_one_case(login, worker_demo):
    client = login(worker_demo)
    draft = _start(client)
    _complete(client, draft)
    version = _fresh(draft).version
    lixia = commission("370102")
    barrier = threading.Barrier(2)
    cases: list[int] = []

    def submit():
        try:
            barrier.wait(timeout=10)
            case = applying.draft_submit(
                by=worker_demo,
                draft=ApplicationDraft.objects.get(pk=draft.pk),
                version=version,
                commission=lixia,
            )
            cases.append(case.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(cases) == 2 and cases[0] == cases[1]
    assert Case.objects.filter(owner=worker_demo).count() == 1
    assert Case.objects.get(owner=worker_demo).receipts.count() == 1
