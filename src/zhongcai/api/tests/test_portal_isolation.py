"""Through the API, a public user never sees another person's case or document (issue 6)."""

from __future__ import annotations

import pytest

from zhongcai.accounts.models import Role, User
from zhongcai.cases.tests.factories import accepted, draft, id_number

pytestmark = pytest.mark.django_db


def _public(username, role=Role.WORKER, body="37010219800101001"):
    return User.objects.create_user(
        username=username,
        password="x",
        role=role,
        mobile="13900000077",
        id_number=id_number(body),
        real_name=username,
    )


def test_through_the_api_a_worker_never_sees_another_persons_case(
    api, province, worker_demo, lixia_intake, lixia_head
):
    mine = draft(worker_demo)
    theirs = accepted(lixia_intake, lixia_head)
    stranger = _public("stranger")
    document = theirs.documents.first()
    assert api(worker_demo).get(f"/api/v1/cases/{mine.pk}/").status_code == 200
    for user, case in ((stranger, mine), (worker_demo, theirs)):
        client = api(user)
        assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
        assert client.get(f"/api/v1/cases/{case.pk}/documents/").status_code == 404
        assert client.post(f"/api/v1/cases/{case.pk}/submit/", {}, format="json").status_code == 404
    assert (
        api(worker_demo).get(f"/api/v1/cases/{theirs.pk}/documents/{document.pk}/pdf/").status_code
        == 404
    )
    listed = api(stranger).get("/api/v1/cases/").json()
    assert listed.get("count", len(listed.get("results", []))) == 0
