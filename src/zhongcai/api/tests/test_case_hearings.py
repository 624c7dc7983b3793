"""Hearings through the API: every step, its refusals (400, 403, 404, 409), and GET hearings/."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from rest_framework.authtoken.models import Token

from zhongcai.cases import integrity
from zhongcai.cases.models import Case, Hearing, Party, Status
from zhongcai.cases.tests.test_hearings import MONDAY, ready, travel
from zhongcai.core.events import events_of
from zhongcai.orgs.models import HearingRoom, Person


@pytest.fixture
def api(api):
    """Tokens expire: a client made after travelling in time gets a fresh one."""

    def _as(user):
        Token.objects.filter(user=user).delete()
        return api(user)

    return _as


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def case(monday, institutions, lixia_intake, lixia_head, lixia_clerk) -> Case:
    return ready(lixia_intake, lixia_head, lixia_clerk)


def _post(client: Any, case: Case, step: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"/api/v1/cases/{case.pk}/{step}/", body or {}, format="json")


def _booking(case: Case, when: str = "2026-03-17T09:00:00+08:00", **changes: Any) -> dict:
    room = HearingRoom.objects.filter(commission=case.commission, is_active=True).first()
    return {"starts_at": when, "room": room.pk, "notice_method": "in_person", **changes}


def _status(case: Case) -> str:
    return Case.objects.values_list("status", flat=True).get(pk=case.pk)


def test_a_hearing_notice_4_days_ahead_is_refused(case, api, lixia_clerk):
    response = _post(
        api(lixia_clerk), case, "schedule-hearing", _booking(case, "2026-03-13T09:00:00+08:00")
    )
    assert response.status_code == 400
    assert "2026-03-17" in response.json()["starts_at"][0]
    assert not Hearing.objects.filter(case=case).exists()
    assert _status(case) == Status.DEFENCE_PERIOD


def test_a_hearing_from_schedule_to_deliberation(case, api, lixia_clerk, lixia_arbitrator):
    clerk = api(lixia_clerk)
    scheduled = _post(clerk, case, "schedule-hearing", _booking(case, duration_minutes=90))
    assert scheduled.status_code == 200
    assert scheduled.json()["status"] == Status.HEARING_SCHEDULED
    sessions = clerk.get(f"/api/v1/cases/{case.pk}/hearings/").json()
    assert len(sessions) == 1
    assert sessions[0]["session"] == 1
    assert sessions[0]["ends_at"].startswith("2026-03-17T10:30")
    assert {s["proven"] for s in sessions[0]["notice_services"]} == {True}
    assert {p["kind"] for p in sessions[0]["people"]} == {"arbitrator", "recorder"}

    applicant = case.parties.get(role=Party.Role.APPLICANT)
    respondent = case.parties.get(role=Party.Role.RESPONDENT)
    with travel(17):
        arbitrator = api(lixia_arbitrator)
        assert _post(arbitrator, case, "open-hearing").json()["status"] == Status.HEARING
        clerk = api(lixia_clerk)
        absent = _post(
            clerk, case, "record-attendance", {"party": respondent.pk, "presence": "absent"}
        )
        assert absent.status_code == 200
        event = events_of(case).get(kind="case.attendance_recorded")
        assert event.payload["default"] is True
        hearing = Hearing.objects.get(case=case)
        written = _post(
            clerk, case, "write-hearing-record", {"hearing": hearing.pk, "text": "开庭。"}
        )
        assert written.status_code == 200
        corrected = _post(
            clerk,
            case,
            "write-hearing-record",
            {
                "hearing": hearing.pk,
                "text": "开庭，申请人到庭。",
                "correction_reason": "遗漏到庭情况",
                "requested_by": applicant.pk,
            },
        )
        assert corrected.status_code == 200
        sessions = clerk.get(f"/api/v1/cases/{case.pk}/hearings/").json()
        versions = sessions[0]["records"]
        assert [v["version"] for v in versions] == [1, 2]
        assert versions[0]["text"] == "开庭。"
        latest = versions[1]["id"]
        arbitrator_person = Person.objects.get(user=lixia_arbitrator)
        signed = _post(
            clerk,
            case,
            "sign-hearing-record",
            {"record": latest, "person": arbitrator_person.pk, "signature_method": "screen"},
        )
        assert signed.status_code == 200
        refused = _post(
            clerk,
            case,
            "sign-hearing-record",
            {
                "record": latest,
                "party": respondent.pk,
                "signature_method": "online",
                "refused": True,
            },
        )
        assert refused.status_code == 200
        closed = _post(api(lixia_arbitrator), case, "close-hearing", {"adjourned": False})
        assert closed.json()["status"] == Status.DELIBERATION
    sessions = api(lixia_clerk).get(f"/api/v1/cases/{case.pk}/hearings/").json()
    assert sessions[0]["state"] == Hearing.State.HELD
    assert sessions[0]["attendance"][0]["presence"] == "absent"
    signatures = sessions[0]["records"][1]["signatures"]
    assert [(s["signer_role"], s["refused"]) for s in signatures] == [
        ("arbitrator", False),
        ("party", True),
    ]
    case.refresh_from_db()
    assert integrity.problems_of(case, list(events_of(case))) == []


def test_postponement_requested_2_days_before_is_refused(case, api, lixia_clerk):
    _post(api(lixia_clerk), case, "schedule-hearing", _booking(case))
    hearing = Hearing.objects.get(case=case)
    party = case.parties.get(role=Party.Role.APPLICANT)
    with travel(15):
        response = _post(
            api(lixia_clerk),
            case,
            "request-postponement",
            {"hearing": hearing.pk, "party": party.pk, "reasons": "住院"},
        )
    assert response.status_code == 400
    assert "reasons" in response.json()


def test_a_postponement_through_the_api(case, api, lixia_clerk, lixia_head):
    _post(api(lixia_clerk), case, "schedule-hearing", _booking(case))
    hearing = Hearing.objects.get(case=case)
    party = case.parties.get(role=Party.Role.RESPONDENT)
    with travel(12):
        requested = _post(
            api(lixia_clerk),
            case,
            "request-postponement",
            {"hearing": hearing.pk, "party": party.pk, "reasons": "法定代表人出差"},
        )
        assert requested.status_code == 200
        request_id = (
            api(lixia_clerk)
            .get(f"/api/v1/cases/{case.pk}/hearings/")
            .json()[0]["postponements"][0]["id"]
        )
        assert (
            _post(
                api(lixia_clerk),
                case,
                "decide-postponement",
                {"request": request_id, "granted": False, "reasons": "x"},
            ).status_code
            == 403
        )
        granted = _post(
            api(lixia_head),
            case,
            "decide-postponement",
            _booking(case, "2026-03-20T09:00:00+08:00", request=request_id, granted=True),
        )
    assert granted.status_code == 200
    states = sorted(Hearing.objects.filter(case=case).values_list("state", flat=True))
    assert states == [Hearing.State.POSTPONED, Hearing.State.SCHEDULED]


def test_an_sms_notice_grounds_no_deemed_withdrawal_but_a_signed_one_does(
    monday, institutions, api, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator
):
    results = {}
    for method in ("sms", "in_person"):
        case = ready(
            lixia_intake, lixia_head, lixia_clerk, simplified=True, facts_and_reasons=method
        )
        start = "2026-03-17T09:00:00+08:00" if method == "sms" else "2026-03-17T14:00:00+08:00"
        assert (
            _post(
                api(lixia_clerk),
                case,
                "schedule-hearing",
                _booking(case, start, notice_method=method),
            ).status_code
            == 200
        )
        applicant = case.parties.get(role=Party.Role.APPLICANT)
        with travel(17, 9 if method == "sms" else 14, 20):
            _post(api(lixia_arbitrator), case, "open-hearing")
            _post(
                api(lixia_clerk),
                case,
                "record-attendance",
                {"party": applicant.pk, "presence": "absent"},
            )
            results[method] = _post(
                api(lixia_arbitrator), case, "deem-withdrawn", {"reasons": "未到庭"}
            )
    assert results["sms"].status_code == 400
    assert "王秀英" in results["sms"].json()["non_field_errors"][0]
    assert results["in_person"].status_code == 200
    assert results["in_person"].json()["status"] == Status.CLOSED_DEEMED_WITHDRAWN


def test_wrong_role_gets_403(case, api, lixia_intake, jinan_admin, lixia_clerk):
    for user in (lixia_intake, jinan_admin):
        assert _post(api(user), case, "schedule-hearing", _booking(case)).status_code == 403
    # Opening and closing belong to the tribunal's arbitrators, not the recorder.
    _post(api(lixia_clerk), case, "schedule-hearing", _booking(case))
    with travel(17):
        assert _post(api(lixia_clerk), case, "open-hearing").status_code == 403
    assert not events_of(case).filter(kind="case.hearing_opened").exists()


def test_other_county_gets_404(case, api, licheng_intake, licheng_arbitrator):
    for user in (licheng_intake, licheng_arbitrator):
        client = api(user)
        assert client.get(f"/api/v1/cases/{case.pk}/hearings/").status_code == 404
        for step in (
            "schedule-hearing", "request-postponement", "decide-postponement", "open-hearing",
            "record-attendance", "write-hearing-record", "sign-hearing-record", "close-hearing",
            "deem-withdrawn",
        ):  # fmt: skip
            assert _post(client, case, step).status_code == 404


def test_wrong_state_gets_409(case, api, lixia_arbitrator, lixia_clerk):
    assert _post(api(lixia_arbitrator), case, "open-hearing").status_code == 409
    assert _post(api(lixia_arbitrator), case, "close-hearing").status_code == 409
    party = case.parties.first()
    response = _post(
        api(lixia_clerk), case, "record-attendance", {"party": party.pk, "presence": "absent"}
    )
    assert response.status_code == 409


def test_ids_of_another_case_are_bad_input(
    case, monday, api, lixia_intake, lixia_head, lixia_clerk
):
    other = ready(lixia_intake, lixia_head, lixia_clerk, facts_and_reasons="另一案")
    _post(api(lixia_clerk), other, "schedule-hearing", _booking(other))
    foreign = Hearing.objects.get(case=other)
    _post(api(lixia_clerk), case, "schedule-hearing", _booking(case, "2026-03-18T09:00:00+08:00"))
    response = _post(
        api(lixia_clerk),
        case,
        "request-postponement",
        {"hearing": foreign.pk, "party": other.parties.first().pk, "reasons": "x"},
    )
    assert response.status_code == 400
    assert set(response.json()) == {"hearing", "party"}
    assert not case.hearings.filter(postponements__isnull=False).exists()
