"""Every step of intake through the API, and every way a step is refused."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from zhongcai.cases import award_drafts, services, workflow
from zhongcai.cases.models import Case, Status
from zhongcai.cases.tests.factories import (
    EMPLOYER,
    WORKER,
    accepted,
    application,
    commission,
    draft,
    received,
)
from zhongcai.core.events import events_of


@pytest.mark.parametrize("name", sorted(workflow.TRANSITIONS))
def test_every_transition_of_the_table_has_its_endpoint(name):
    # The detail links each available step to its endpoint; a new transition needs one. An award
    # is made only by issuing its approved draft (issue 5): the draft's step is its endpoint.
    if name in award_drafts.ISSUING.values():
        name = "issue_award_draft"
    assert reverse(f"api:case-{name.replace('_', '-')}", args=[1]).endswith("/")


def _post(client, case, step, body=None):
    return client.post(f"/api/v1/cases/{case.pk}/{step}/", body or {}, format="json")


def _status(case):
    return Case.objects.values_list("status", flat=True).get(pk=case.pk)


@pytest.mark.django_db
def test_an_online_application_is_submitted_and_accepted(api, worker_demo, lixia_head):
    created = api(worker_demo).post(
        "/api/v1/cases/",
        {"commission": commission().pk, "channel": "online", **application()},
        format="json",
    )
    assert created.status_code == 201
    case = Case.objects.get(pk=created.json()["id"])
    assert created["Location"].endswith(f"/api/v1/cases/{case.pk}/")
    assert [a["action"] for a in created.json()["available_actions"]] == [
        "submit",
        "add_application_evidence",
    ]

    with time_machine.travel("2026-09-30 09:00 +0800", tick=False):
        submitted = _post(api(worker_demo), case, "submit")
    assert submitted.status_code == 200
    body = submitted.json()
    assert body["status"] == Status.RECEIVED
    assert body["receipts"][0]["number"].startswith("SJ20260930-")
    assert body["next_deadline"] == "2026-10-13"
    # The applicant waits for the decision; it may confirm where documents reach it meanwhile.
    assert [a["action"] for a in body["available_actions"]] == ["confirm_service_address"]

    with time_machine.travel("2026-10-09 15:00 +0800", tick=False):
        decided = _post(api(lixia_head), case, "accept", {"warnings_acknowledged": True})
    assert decided.status_code == 200
    assert decided.json()["status"] == Status.ACCEPTED
    assert decided.json()["case_number"] == "济历下劳人仲案字〔2026〕第1号"
    assert [e.kind for e in events_of(case)] == ["case.drafted", "case.received", "case.accepted"]


@pytest.mark.django_db
def test_a_counter_application_goes_through_the_one_time_correction(api, lixia_intake):
    client = api(lixia_intake)
    case = draft(lixia_intake, facts_and_reasons="")
    incomplete = _post(client, case, "submit")
    assert incomplete.status_code == 400
    assert incomplete.json() == {"application": ["缺少事实和理由"]}

    assert _post(client, case, "submit", {"allow_incomplete": True}).status_code == 200
    noticed = _post(client, case, "issue-correction-notice", {"items": ["请补充考勤记录"]})
    assert noticed.status_code == 200
    assert noticed.json()["status"] == Status.AWAITING_CORRECTION
    assert noticed.json()["next_deadline"] is None  # the clock stopped
    notice = events_of(case).get(kind="case.correction_notice_issued")
    assert notice.payload["items"] == ["缺少事实和理由", "请补充考勤记录"]

    patched = client.patch(
        f"/api/v1/cases/{case.pk}/application/",
        {"facts_and_reasons": "被申请人拖欠工资三个月。"},
        format="json",
    )
    assert patched.status_code == 200
    assert patched.json()["facts_and_reasons"] == "被申请人拖欠工资三个月。"
    assert len(patched.json()["parties"]) == 2  # what was not sent stays

    corrected = _post(client, case, "submit-corrections")
    assert corrected.status_code == 200
    assert corrected.json()["status"] == Status.RECEIVED
    assert len(corrected.json()["receipts"]) == 2
    again = _post(client, case, "issue-correction-notice", {"items": ["再补一次"]})
    assert again.status_code == 409
    assert _status(case) == Status.RECEIVED


@pytest.mark.django_db
def test_an_oral_application_needs_the_applicants_confirmation(api, lixia_intake):
    client = api(lixia_intake)
    created = client.post(
        "/api/v1/cases/",
        {"commission": commission().pk, "channel": "oral", **application()},
        format="json",
    )
    case = Case.objects.get(pk=created.json()["id"])
    refused = _post(client, case, "submit")
    assert refused.status_code == 400
    assert set(refused.json()) == {"applicant_confirmed"}
    assert _post(client, case, "submit", {"applicant_confirmed": True}).status_code == 200


@pytest.mark.django_db
def test_a_refusal_states_ground_reasons_and_basis(api, lixia_intake, lixia_head):
    case = received(lixia_intake)
    client = api(lixia_head)
    empty = _post(client, case, "refuse", {"ground": "nonsense", "reasons": " ", "legal_basis": ""})
    assert empty.status_code == 400
    assert set(empty.json()) == {"ground", "reasons", "legal_basis"}
    assert _status(case) == Status.RECEIVED
    refused = _post(
        client,
        case,
        "refuse",
        {
            "ground": "out_of_scope",
            "reasons": "双方系家庭与家政服务人员之间的纠纷",
            "legal_basis": "《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》第二条",
        },
    )
    assert refused.status_code == 200
    assert refused.json()["status"] == Status.NOT_ACCEPTED
    assert refused.json()["next_deadline"] is None


@pytest.mark.django_db
def test_a_redirect_names_another_commission(api, lixia_intake, lixia_head):
    case = received(lixia_intake)
    client = api(lixia_head)
    itself = _post(client, case, "redirect", {"to": case.commission_id, "reasons": ""})
    assert itself.status_code == 400
    assert set(itself.json()) == {"to", "reasons"}
    unknown = _post(client, case, "redirect", {"to": 99_999_999, "reasons": "x"})
    assert unknown.status_code == 400
    assert set(unknown.json()) == {"to"}
    qingdao = commission("370202")
    redirected = _post(
        client, case, "redirect", {"to": qingdao.pk, "reasons": "劳动合同履行地在青岛市市南区"}
    )
    assert redirected.status_code == 200
    assert redirected.json()["status"] == Status.REDIRECTED
    assert redirected.json()["redirected_to"] == {"id": qingdao.pk, "name": qingdao.name}


@pytest.mark.django_db
def test_warnings_must_be_acknowledged_before_acceptance(api, lixia_intake, lixia_head):
    # Work done in Qingdao for a Qingdao employer: not Lixia's jurisdiction.
    employer = {**EMPLOYER, "domicile_division": "370202"}
    case = received(lixia_intake, workplace_division="370202", parties=[WORKER, employer])
    client = api(lixia_head)
    shown = client.get(f"/api/v1/cases/{case.pk}/").json()["warnings"]
    assert [w["code"] for w in shown] == ["jurisdiction"]
    refused = _post(client, case, "accept")
    assert refused.status_code == 400
    assert refused.json() == {"warnings": [shown[0]["message"]]}
    assert _status(case) == Status.RECEIVED
    assert _post(client, case, "accept", {"warnings_acknowledged": True}).status_code == 200


@pytest.mark.django_db
def test_a_step_in_the_wrong_state_is_409(api, lixia_intake, lixia_head):
    case = accepted(lixia_intake, lixia_head)
    response = _post(api(lixia_head), case, "accept", {"warnings_acknowledged": True})
    assert response.status_code == 409
    assert response.json() == {"detail": "案件当前为“已受理”，不能“受理”。"}
    assert _post(api(lixia_intake), case, "submit").status_code == 409
    edit = api(lixia_intake).put(f"/api/v1/cases/{case.pk}/application/", application(), "json")
    assert edit.status_code == 409


@pytest.mark.django_db
def test_an_officer_without_the_heads_authorisation_gets_403(api, lixia_intake, lixia_head):
    case = received(lixia_intake)
    response = _post(api(lixia_intake), case, "accept", {"warnings_acknowledged": True})
    assert response.status_code == 403
    services.delegation_grant(by=lixia_head, user=lixia_intake, commission=case.commission)
    actions = api(lixia_intake).get(f"/api/v1/cases/{case.pk}/").json()["available_actions"]
    assert {a["action"] for a in actions} >= {"accept", "refuse", "redirect"}
    assert (
        _post(api(lixia_intake), case, "accept", {"warnings_acknowledged": True}).json()["status"]
        == Status.ACCEPTED
    )


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["accept", "refuse", "redirect", "issue-correction-notice"])
def test_the_applicant_cannot_decide_their_own_case(api, worker_demo, step):
    case = received(worker_demo)
    # 403 before the body is judged: no list of input errors, no staff warnings.
    response = _post(api(worker_demo), case, step)
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}
    assert _status(case) == Status.RECEIVED


@pytest.mark.django_db
def test_staff_of_the_commission_cannot_submit_corrections_for_another_role(
    api, lixia_clerk, lixia_intake
):
    case = draft(lixia_intake, facts_and_reasons="")
    case = services.case_submit(by=lixia_intake, case=case, allow_incomplete=True)
    services.case_issue_correction_notice(by=lixia_intake, case=case, items=["x"])
    assert _post(api(lixia_clerk), case, "submit-corrections").status_code == 403


@pytest.mark.django_db
def test_a_late_decision_is_allowed_and_shown_late(api, lixia_intake, lixia_head):
    with time_machine.travel("2026-09-29 10:00 +0800", tick=False):
        case = received(lixia_intake)
    with time_machine.travel("2026-10-20 10:00 +0800", tick=False):
        response = _post(api(lixia_head), case, "accept", {"warnings_acknowledged": True})
    assert response.status_code == 200
    clock = next(d for d in response.json()["deadlines"] if d["code"] == "acceptance_decision")
    assert clock["state"] == "met"
    assert clock["met_late"] is True
    assert events_of(case).get(kind="case.accepted").payload["late"] is True


@pytest.mark.django_db
def test_acceptance_starts_the_award_clock(api, lixia_intake, lixia_head):
    with time_machine.travel("2026-10-09 15:00 +0800", tick=False):
        case = received(lixia_intake)
        body = _post(api(lixia_head), case, "accept", {"warnings_acknowledged": True}).json()
    award = next(d for d in body["deadlines"] if d["code"] == "award")
    assert award["due_on"] == date(2026, 11, 23).isoformat()
    assert award["unit"] == "calendar"
    assert award["article"].startswith("劳动争议调解仲裁法第四十三条")


@pytest.mark.django_db
def test_a_decision_body_missing_its_fields_is_400(api, lixia_intake, lixia_head):
    case = received(lixia_intake)
    response = _post(api(lixia_head), case, "refuse")
    assert response.status_code == 400
    assert response.json() == {
        field: ["该字段是必填项。"] for field in ("ground", "reasons", "legal_basis")
    }
    assert _post(api(lixia_head), case, "redirect").json() == {
        "to": ["该字段是必填项。"],
        "reasons": ["该字段是必填项。"],
    }
