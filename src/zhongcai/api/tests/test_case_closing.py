"""The closing stage through the API: clocks, closings, transfer links, the archived file."""

from datetime import date, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from zhongcai.cases import archive, closing, services
from zhongcai.cases.models import Case, Status, SuspensionReason
from zhongcai.cases.tests import factories
from zhongcai.core.calendar import add_calendar_days
from zhongcai.core.events import events_of

pytestmark = pytest.mark.django_db

D = date(2026, 3, 2)


def at(day: date, hour: int = 10) -> str:
    return f"{day.isoformat()} {hour:02d}:00 +0800"


def _post(client, case, step, body=None):
    return client.post(f"/api/v1/cases/{case.pk}/{step}/", body or {}, format="json")


def _get(client, case, what):
    return client.get(f"/api/v1/cases/{case.pk}/{what}/")


def _kinds(case):
    return [e.kind for e in events_of(case)]


@pytest.fixture(autouse=True)
def _after_d():
    with time_machine.travel(at(D + timedelta(days=5)), tick=False):
        yield


@pytest.fixture
def case(lixia_intake, lixia_head):
    with time_machine.travel(at(D), tick=False):
        return factories.accepted(lixia_intake, lixia_head)


def test_suspend_and_resume_show_in_the_clock_with_its_derivation(case, lixia_head):
    # Days apart: a session-like client, since an API token lives a day.
    client = APIClient()
    client.force_authenticate(lixia_head)
    with time_machine.travel(at(D + timedelta(days=10)), tick=False):
        suspended = _post(client, case, "suspend", {"reason": "force_majeure", "note": "洪水"})
    assert suspended.status_code == 200
    assert "resume" in [a["action"] for a in suspended.json()["available_actions"]]
    clock = _get(client, case, "clock").json()
    assert clock["suspended"] is True
    assert clock["award"]["state"] == "paused"

    with time_machine.travel(at(D + timedelta(days=20)), tick=False):
        assert _post(client, case, "resume").status_code == 200
    clock = _get(client, case, "clock").json()
    assert clock["suspended"] is False
    award = clock["award"]
    assert award["excluded_days"] == 10
    assert award["counted_days"] == 55
    assert award["due_on"] == add_calendar_days(D, 55).due.isoformat()
    assert award["adjustments"][0]["kind"] == "suspension"
    assert "2026-03-12" in award["derivation"]
    assert "2026-03-22" in award["derivation"]


def test_the_clock_is_null_before_acceptance(api, lixia_intake):
    received = factories.received(lixia_intake)
    assert _get(api(lixia_intake), received, "clock").json() == {
        "suspended": False,
        "award": None,
    }


def test_an_extension_after_expiry_is_400_and_writes_nothing(api, case, lixia_head):
    before = _kinds(case)
    with time_machine.travel(at(D + timedelta(days=60)), tick=False):
        late = _post(api(lixia_head), case, "extend", {"days": 5, "reasons": "案情复杂"})
    assert late.status_code == 400
    assert "days" in late.json()
    assert _kinds(case) == before


def test_an_extension_while_suspended_is_409(api, case, lixia_head):
    closing.case_suspend(by=lixia_head, case=case, reason=SuspensionReason.FORCE_MAJEURE)
    refused = _post(api(lixia_head), case, "extend", {"days": 5, "reasons": "案情复杂"})
    assert refused.status_code == 409


def test_bad_input_is_400_and_writes_nothing(api, case, lixia_head):
    client = api(lixia_head)
    before = _kinds(case)
    assert _post(client, case, "suspend", {"reason": "bored"}).status_code == 400
    assert _post(client, case, "extend", {"days": 0, "reasons": "x"}).status_code == 400
    assert _post(client, case, "revoke", {"ground": "repeated", "reasons": "x"}).status_code == 400
    assert _post(client, case, "transfer", {"to": 999999, "reasons": "x"}).status_code == 400
    assert (
        _post(client, case, "transfer", {"to": case.commission_id, "reasons": "x"}).status_code
        == 400
    )
    assert _kinds(case) == before


@pytest.mark.parametrize(
    ("step", "body"),
    [
        ("suspend", {"reason": "force_majeure"}),
        ("extend", {"days": 5, "reasons": "x"}),
        ("revoke", {"ground": "out_of_scope", "reasons": "x"}),
        ("transfer", {"to": 1, "reasons": "x"}),
        ("approve-closing", {}),
    ],
)
def test_a_clerk_or_the_city_may_not_take_the_heads_steps(
    api, case, lixia_clerk, jinan_admin, step, body
):
    for user in (lixia_clerk, jinan_admin):
        assert _post(api(user), case, step, body).status_code == 403


def test_the_city_may_read_but_not_withdraw(api, case, jinan_admin):
    assert _get(api(jinan_admin), case, "clock").status_code == 200
    assert _post(api(jinan_admin), case, "withdraw").status_code == 403


@pytest.mark.parametrize(
    "step",
    ["suspend", "resume", "extend", "withdraw", "revoke", "transfer", "approve-closing", "archive"],
)
def test_another_county_gets_404_on_every_step(api, case, licheng_intake, step):
    assert _post(api(licheng_intake), case, step).status_code == 404


@pytest.mark.parametrize("what", ["clock", "file", "transfers"])
def test_another_county_gets_404_on_every_read(api, case, licheng_intake, what):
    assert _get(api(licheng_intake), case, what).status_code == 404


def test_wrong_states_are_409(api, case, lixia_head, lixia_intake):
    client = api(lixia_head)
    assert _post(client, case, "approve-closing").status_code == 409
    assert _post(client, case, "resume").status_code == 409
    assert _post(client, case, "withdraw").status_code == 200
    assert _post(client, case, "withdraw").status_code == 409
    assert _post(client, case, "archive").status_code == 409  # the closing is not approved
    received = factories.received(lixia_intake)
    assert _post(client, received, "suspend", {"reason": "force_majeure"}).status_code == 409


def test_the_applicant_withdraws_online_and_sees_only_the_main_volume(api, lixia_head, worker_demo):
    case = services.case_submit(by=worker_demo, case=factories.draft(worker_demo))
    case = services.case_accept(by=lixia_head, case=case, warnings_acknowledged=True)
    closing.case_extend(by=lixia_head, case=case, days=5, reasons="案情复杂")
    applicant = api(worker_demo)
    withdrawn = _post(applicant, case, "withdraw", {"reasons": "不再申请"})
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == Status.CLOSED_WITHDRAWN
    assert _post(applicant, case, "approve-closing").status_code == 403

    staff = api(lixia_head)
    assert _post(staff, case, "approve-closing", {"note": "同意结案"}).status_code == 200
    assert _post(staff, case, "archive").status_code == 200

    for_party = _get(applicant, case, "file").json()
    assert for_party["retention_years"] == 5
    assert for_party["entries"]
    assert {e["volume"] for e in for_party["entries"]} == {"main"}
    for_staff = _get(staff, case, "file").json()
    assert {e["volume"] for e in for_staff["entries"]} == {"main", "secondary"}
    assert len(for_party["entries"]) == sum(
        1 for e in for_staff["entries"] if e["volume"] == "main"
    )


def test_transfer_through_the_api_links_both_cases(api, case, lixia_head, licheng_intake):
    licheng = factories.commission("370112")
    moved = _post(api(lixia_head), case, "transfer", {"to": licheng.pk, "reasons": "履行地在历城"})
    assert moved.status_code == 200
    assert moved.json()["status"] == Status.CLOSED_TRANSFERRED
    new = Case.objects.get(transferred_from=case)

    links = _get(api(lixia_head), case, "transfers").json()
    assert links["transferred_from"] is None
    assert links["transferred_to"] == [
        {"id": new.pk, "case_number": "", "commission": licheng.name}
    ]
    # The receiving commission reads the old case's history through the new case only.
    receiving = api(licheng_intake)
    assert receiving.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    links = _get(receiving, new, "transfers").json()
    assert links["transferred_from"]["case_number"] == case.case_number
    assert links["transferred_from"]["commission"] == case.commission.name
    assert [e["kind"] for e in links["transferred_from"]["events"]] == _kinds(case)
    detail = receiving.get(f"/api/v1/cases/{new.pk}/").json()
    assert detail["status"] == Status.RECEIVED


def test_revocation_through_the_api(api, case, lixia_head):
    revoked = _post(api(lixia_head), case, "revoke", {"ground": "out_of_scope", "reasons": "劳务"})
    assert revoked.status_code == 200
    body = revoked.json()
    assert body["status"] == Status.CLOSED_REVOKED
    assert body["next_deadline_code"] == "revocation_notice"


def test_the_file_is_empty_before_archiving(api, case, lixia_head):
    assert _get(api(lixia_head), case, "file").json() == {
        "archived_at": None,
        "retention_years": None,
        "retain_until": None,
        "entries": [],
    }


def test_an_award_case_is_archived_for_10_years(
    api, institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator
):
    case = factories.heard(lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator)
    case = factories.closing_awarded(case, lixia_arbitrator)
    archive.closing_approve(by=lixia_head, case=case)
    assert _post(api(lixia_clerk), case, "archive").status_code == 200
    assert _get(api(lixia_clerk), case, "file").json()["retention_years"] == 10
