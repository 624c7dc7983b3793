"""The tribunal stage through the API: forming, replacing, recusal, and the tribunal read-back."""

from __future__ import annotations

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from zhongcai.cases import integrity
from zhongcai.cases.models import Case, Party, RecusalApplication, Status, TribunalMember
from zhongcai.cases.tests import factories
from zhongcai.cases.tribunal import recusal_apply, relation_declare, replay_draw
from zhongcai.core.events import events_of

Seat = TribunalMember.Seat


def _post(client, case, step, body=None):
    return client.post(f"/api/v1/cases/{case.pk}/{step}/", body or {}, format="json")


def _get(client, case):
    return client.get(f"/api/v1/cases/{case.pk}/tribunal/")


def _recorder_pk() -> int:
    return factories.tribunal_person("杨静").pk


def _status(case: Case) -> str:
    return Case.objects.values_list("status", flat=True).get(pk=case.pk)


def test_the_head_draws_three_and_anyone_can_replay_it(api, institutions, lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    client = api(lixia_head)
    formed = _post(
        client, case, "form-tribunal", {"kind": "three", "mode": "draw", "recorder": _recorder_pk()}
    )
    assert formed.status_code == 200, formed.json()
    assert formed.json()["status"] == Status.PANEL_FORMED
    assert "replace_tribunal_member" in [a["action"] for a in formed.json()["available_actions"]]

    body = _get(client, case).json()
    assert body["kind"] == "three"
    assert [s["seat"] for s in body["seats"]] == ["presiding", "member", "member", "recorder"]
    assert body["replayable"] is True
    draw = body["draws"][0]
    assert draw["replayable"] is True
    assert replay_draw(draw["seed"], draw["candidates"], draw["k"]) == draw["drawn"]
    assert [s["person"]["id"] for s in body["seats"][:3]] == draw["drawn"]
    case.refresh_from_db()
    assert integrity.problems_of(case, list(events_of(case))) == []


def test_an_unknown_person_is_bad_input_and_nothing_is_written(
    api, institutions, lixia_intake, lixia_head
):
    case = factories.accepted(lixia_intake, lixia_head)
    outsider = factories.tribunal_person("徐峰", "370112")  # Licheng's arbitrator
    for body in (
        {"kind": "sole", "mode": "draw", "recorder": 999999},
        {
            "kind": "sole",
            "mode": "designate",
            "designated": [outsider.pk],
            "recorder": _recorder_pk(),
            "reason": "x",
        },
    ):
        response = _post(api(lixia_head), case, "form-tribunal", body)
        assert response.status_code == 400, response.json()
    assert not case.tribunal.exists()
    assert _status(case) == Status.ACCEPTED


def test_a_designation_needs_a_reason_and_an_unrelated_arbitrator(
    api, institutions, lixia_intake, lixia_head
):
    related = factories.tribunal_person("孙海燕")
    relation_declare(by=lixia_head, person=related, name="济南示例商贸有限公司", relation="顾问")
    case = factories.accepted(lixia_intake, lixia_head)
    client = api(lixia_head)
    free = factories.tribunal_person("陈雪梅")
    no_reason = _post(
        client,
        case,
        "form-tribunal",
        {"kind": "sole", "mode": "designate", "designated": [free.pk], "recorder": _recorder_pk()},
    )
    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()
    related_one = _post(
        client,
        case,
        "form-tribunal",
        {
            "kind": "sole",
            "mode": "designate",
            "designated": [related.pk],
            "recorder": _recorder_pk(),
            "reason": "熟悉该行业",
        },
    )
    assert related_one.status_code == 400
    assert "designated" in related_one.json()
    assert not case.tribunal.exists()


def test_a_collective_case_gets_three(api, institutions, lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head, **factories.tribunal_collective_changes())
    body = {"kind": "sole", "mode": "draw", "recorder": _recorder_pk()}
    response = _post(api(lixia_head), case, "form-tribunal", body)
    assert response.status_code == 400
    assert "kind" in response.json()


def test_who_may_not_act_gets_403(
    api, institutions, lixia_intake, lixia_head, lixia_clerk, jinan_admin
):
    case = factories.accepted(lixia_intake, lixia_head)
    body = {"kind": "sole", "mode": "draw", "recorder": _recorder_pk()}
    assert _post(api(lixia_clerk), case, "form-tribunal", body).status_code == 403
    for step in ("form-tribunal", "replace-tribunal-member", "apply-recusal", "decide-recusal"):
        assert _post(api(jinan_admin), case, step, {}).status_code == 403, step
    assert _get(api(jinan_admin), case).status_code == 200  # the city watches
    assert not case.tribunal.exists()


def test_another_county_gets_404_on_every_endpoint(
    api, institutions, lixia_intake, lixia_head, licheng_intake
):
    case = factories.tribunal_formed(factories.accepted(lixia_intake, lixia_head), lixia_head)
    client = api(licheng_intake)
    for step in ("form-tribunal", "replace-tribunal-member", "apply-recusal", "decide-recusal"):
        assert _post(client, case, step, {}).status_code == 404, step
    assert _get(client, case).status_code == 404


def test_wrong_state_is_a_conflict(api, institutions, lixia_intake, lixia_head):
    received = factories.received(lixia_intake)
    body = {"kind": "sole", "mode": "draw", "recorder": _recorder_pk()}
    assert _post(api(lixia_head), received, "form-tribunal", body).status_code == 409
    formed = factories.tribunal_formed(factories.accepted(lixia_intake, lixia_head), lixia_head)
    assert _post(api(lixia_head), formed, "form-tribunal", body).status_code == 409


def test_a_recusal_upheld_through_the_api_and_the_seat_refilled(
    api, institutions, lixia_intake, lixia_head, lixia_clerk
):
    case = factories.tribunal_formed(factories.accepted(lixia_intake, lixia_head), lixia_head)
    member = case.tribunal.get(seat=Seat.SOLE)
    applicant = case.parties.get(role=Party.Role.RESPONDENT)
    applied = _post(
        api(lixia_clerk),
        case,
        "apply-recusal",
        {
            "member": member.pk,
            "applicant": applicant.pk,
            "ground": "private_contact",
            "reasons": "仲裁员私下会见申请人代理人",
        },
    )
    assert applied.status_code == 200, applied.json()
    body = _get(api(lixia_head), case).json()
    assert body["challenged"] == [member.pk]
    recusal = body["recusals"][0]
    assert recusal["decision"] == "pending" and recusal["due_on"]

    application = RecusalApplication.objects.get(case=case)
    decided = _post(
        api(lixia_head),
        case,
        "decide-recusal",
        {"application": application.pk, "upheld": True, "reasons": "经查属实"},
    )
    assert decided.status_code == 200
    body = _get(api(lixia_head), case).json()
    assert body["to_replace"] == [member.pk]
    assert body["recusals"][0]["document"] is not None
    assert body["recusals"][0]["decided_late"] is False

    refilled = _post(
        api(lixia_head),
        case,
        "replace-tribunal-member",
        {"member": member.pk, "mode": "draw", "reason": "原仲裁员回避"},
    )
    assert refilled.status_code == 200, refilled.json()
    body = _get(api(lixia_head), case).json()
    assert body["to_replace"] == []
    assert body["seats"][0]["replaces"] == member.pk
    assert body["draws"][0]["replayable"] is True


def test_an_id_of_another_case_is_bad_input(api, institutions, lixia_intake, lixia_head):
    one = factories.tribunal_formed(factories.accepted(lixia_intake, lixia_head), lixia_head)
    other = factories.accepted(lixia_intake, lixia_head, **factories.tribunal_fresh_parties(3))
    other = factories.tribunal_formed(other, lixia_head, arbitrator_users=["lixia_arbitrator2"])
    foreign = one.tribunal.get(seat=Seat.SOLE)
    response = _post(
        api(lixia_head),
        other,
        "apply-recusal",
        {"member": foreign.pk, "ground": "relative", "reasons": "亲属"},
    )
    assert response.status_code == 400
    assert "member" in response.json()
    assert not RecusalApplication.objects.exists()


def test_recusal_after_the_debate_is_a_conflict(
    api, institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator
):
    case = factories.heard(lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator)
    member = case.tribunal.get(seat=Seat.SOLE)
    response = _post(
        api(lixia_clerk),
        case,
        "apply-recusal",
        {"member": member.pk, "ground": "relative", "reasons": "亲属", "learned_later": True},
    )
    assert response.status_code == 409
    assert not RecusalApplication.objects.filter(case=case).exists()


def test_the_tribunal_read_back_is_bounded(
    api, institutions, lixia_intake, lixia_head, lixia_clerk, django_assert_max_num_queries
):
    client = api(lixia_head)
    small = factories.accepted(lixia_intake, lixia_head)
    body = {"kind": "sole", "mode": "draw", "recorder": _recorder_pk()}
    assert _post(client, small, "form-tribunal", body).status_code == 200
    recusal_apply(
        by=lixia_clerk, case=small, member=small.tribunal.get(seat=Seat.SOLE), applicant=None,
        ground="relative", reasons="亲属",
    )  # fmt: skip
    # A request empties the query log when it starts: start from an empty log.
    reset_queries()
    with CaptureQueriesContext(connection) as one:
        assert _get(client, small).status_code == 200
    one_row = len(one)  # read now: the log is emptied by the next request
    busy = factories.accepted(lixia_intake, lixia_head, **factories.tribunal_fresh_parties(5))
    _post(
        client, busy, "form-tribunal", {"kind": "three", "mode": "draw", "recorder": _recorder_pk()}
    )
    for member in busy.tribunal.exclude(seat=Seat.RECORDER):
        recusal_apply(
            by=lixia_clerk, case=busy, member=member, applicant=None, ground="relative",
            reasons="亲属",
        )  # fmt: skip
    reset_queries()
    with django_assert_max_num_queries(one_row):
        body = _get(client, busy).json()
    assert len(body["recusals"]) == 3 and len(body["draws"]) == 1


def test_the_applicant_sees_the_draw_but_not_who_declared_what(
    api, institutions, worker_demo, lixia_head
):
    relation_declare(
        by=lixia_head,
        person=factories.tribunal_person("孙海燕"),
        name="济南示例商贸有限公司",
        relation="顾问",
    )
    case = factories.accepted(worker_demo, lixia_head)
    body = {"kind": "sole", "mode": "draw", "recorder": _recorder_pk()}
    assert _post(api(lixia_head), case, "form-tribunal", body).status_code == 200
    seen = _get(api(worker_demo), case).json()
    assert seen["draws"][0]["replayable"] is True
    assert seen["draws"][0]["excluded"] is None
    assert _get(api(lixia_head), case).json()["draws"][0]["excluded"] != {}
    assert _post(api(worker_demo), case, "apply-recusal", {}).status_code == 403
