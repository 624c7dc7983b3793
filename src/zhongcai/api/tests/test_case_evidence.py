"""Defence, evidence, claim changes, counter-applications and added parties through the API."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from zhongcai.cases import evidence, integrity, serving
from zhongcai.cases.deadlines import award_clock
from zhongcai.cases.models import Case, EvidenceItem, Party, ServiceMethod, Status
from zhongcai.cases.tests.factories import accepted, id_number, tribunal_formed
from zhongcai.core.calendar import Unit, compute_deadline
from zhongcai.core.events import events_of

ACCEPTED_AT = "2025-11-03 09:00 +0800"
DURING = "2025-11-06 10:00 +0800"


def _post(client, case, step, body=None):
    return client.post(f"/api/v1/cases/{case.pk}/{step}/", body or {}, format="json")


def _get(client, case, read):
    return client.get(f"/api/v1/cases/{case.pk}/{read}/")


def _respondent(case):
    return case.parties.get(role=Party.Role.RESPONDENT)


def _applicant(case):
    return case.parties.get(role=Party.Role.APPLICANT)


@pytest.fixture
def case(institutions, lixia_intake, lixia_head, lixia_clerk):
    with time_machine.travel(ACCEPTED_AT, tick=False):
        case = tribunal_formed(accepted(lixia_intake, lixia_head), lixia_head)
    with time_machine.travel("2025-11-04 10:00 +0800", tick=False):
        serving.serve_application_copy(
            by=lixia_clerk, case=case, method=ServiceMethod.IN_PERSON, signed_on_the_spot=True
        )
    return Case.objects.get(pk=case.pk)


def _file(content=b"%PDF-1.4 evidence", name="e.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@time_machine.travel(DURING, tick=False)
def test_evidence_is_uploaded_hashed_listed_and_downloaded(case, api, lixia_clerk):
    content = b"%PDF-1.4 attendance"
    client = api(lixia_clerk)
    response = client.post(
        f"/api/v1/cases/{case.pk}/submit-evidence/",
        {"party": _applicant(case).pk, "title": "考勤记录", "file": _file(content, "考勤.pdf")},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    [row] = _get(client, case, "evidence").json()
    assert row["sha256"] == hashlib.sha256(content).hexdigest()
    assert (row["number"], row["size"], row["late"]) == (1, len(content), False)
    download = client.get(row["file_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content


def test_an_empty_file_is_a_400_with_nothing_written(case, api, lixia_clerk):
    response = api(lixia_clerk).post(
        f"/api/v1/cases/{case.pk}/submit-evidence/",
        {"title": "空", "file": _file(b"", "empty.pdf")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()
    assert not EvidenceItem.objects.exists()


@time_machine.travel(DURING, tick=False)
def test_defence_then_cross_examination(case, api, lixia_clerk):
    client = api(lixia_clerk)
    filed = _post(client, case, "file-defence", {"party": _respondent(case).pk, "text": "答辩"})
    assert filed.status_code == 200, filed.json()
    [defence] = _get(client, case, "defences").json()
    assert (defence["late"], defence["waived"]) == (False, False)
    item = evidence.evidence_submit(
        by=lixia_clerk, case=case, party=_applicant(case), title="工资条", file=_file()
    )
    examined = _post(
        client,
        case,
        "record-cross-examination",
        {
            "evidence": item.pk,
            "party": _respondent(case).pk,
            "authenticity": "disputed",
            "legality": "admitted",
            "relevance": "admitted",
        },
    )
    assert examined.status_code == 200, examined.json()
    [row] = _get(client, case, "evidence").json()
    assert row["examinations"][0]["authenticity"] == "disputed"


def test_a_defence_by_the_applicant_is_a_400(case, api, lixia_clerk):
    response = _post(
        api(lixia_clerk), case, "file-defence", {"party": _applicant(case).pk, "text": "x"}
    )
    assert response.status_code == 400
    assert not case.defences.exists()


def test_a_claim_change_accepted_restarts_the_award_clock(case, api, lixia_clerk, lixia_arbitrator):
    with time_machine.travel(DURING, tick=False):
        applied = _post(
            api(lixia_clerk),
            case,
            "apply-claim-change",
            {
                "kind": "add",
                "items": [{"type": "damages", "description": "二倍工资", "amount": "24000"}],
            },
        )
        assert applied.status_code == 200, applied.json()
        [change] = _get(api(lixia_clerk), case, "claim-changes").json()
    with time_machine.travel("2025-11-10 10:00 +0800", tick=False):
        decided = _post(
            api(lixia_arbitrator),
            case,
            "decide-claim-change",
            {"change": change["id"], "accepted": True},
        )
    assert decided.status_code == 200, decided.json()
    assert len(decided.json()["claims"]) == 3
    assert award_clock(case).due_on == compute_deadline(date(2025, 11, 10), 45, Unit.CALENDAR).due
    assert integrity.problems_of(Case.objects.get(pk=case.pk), list(events_of(case))) == []


def test_a_claim_change_after_the_evidence_period_is_refused(case, api, lixia_clerk):
    # The default evidence period opened with the evidence notice on 2025-11-04.
    with time_machine.travel("2025-12-20 10:00 +0800", tick=False):
        response = _post(
            api(lixia_clerk),
            case,
            "apply-claim-change",
            {"kind": "add", "items": [{"type": "other", "description": "x", "amount": ""}]},
        )
    assert response.status_code == 400
    assert "应另行申请仲裁（办案规则第四十四条）" in " ".join(response.json()["kind"])
    assert not case.claim_changes.exists()


def test_the_clerk_may_not_decide_a_claim_change(case, api, lixia_clerk):
    response = _post(api(lixia_clerk), case, "decide-claim-change", {"accepted": True})
    assert response.status_code == 403


def test_a_counter_application_after_the_defence_period_is_refused(case, api, lixia_clerk):
    body = {
        "party": _respondent(case).pk,
        "items": [{"type": "other", "description": "返还培训费", "amount": "5000"}],
        "facts_and_reasons": "提前离职",
    }
    with time_machine.travel("2025-12-20 10:00 +0800", tick=False):
        late = _post(api(lixia_clerk), case, "file-counter-application", body)
    assert late.status_code == 400
    assert "答辩期已于" in " ".join(late.json()["party"])
    assert "反申请请求应另行申请仲裁（办案规则第三十六条）" in " ".join(late.json()["party"])
    with time_machine.travel(DURING, tick=False):
        filed = _post(api(lixia_clerk), case, "file-counter-application", body)
        assert filed.status_code == 200
        [row] = _get(api(lixia_clerk), case, "counter-applications").json()
    assert row["outcome"] == "pending"


@time_machine.travel(DURING, tick=False)
def test_a_joined_counter_application(case, api, lixia_clerk, lixia_head):
    counter = evidence.counter_application_file(
        by=lixia_clerk,
        case=case,
        party=_respondent(case),
        items=[{"type": "other", "description": "返还", "amount": ""}],
        facts_and_reasons="x",
    )
    decided = _post(
        api(lixia_head),
        case,
        "decide-counter-application",
        {"counter": counter.pk, "outcome": "joined"},
    )
    assert decided.status_code == 200, decided.json()
    assert award_clock(case).started_on == date(2025, 11, 6)


def test_the_evidence_period_and_a_waiver_by_the_bench(
    institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator, api
):
    case = tribunal_formed(accepted(lixia_intake, lixia_head, simplified=True), lixia_head)
    serving.serve_application_copy(
        by=lixia_clerk, case=case, method=ServiceMethod.IN_PERSON, signed_on_the_spot=True
    )
    client = api(lixia_arbitrator)
    assert _post(client, case, "set-evidence-period", {"days": 7}).status_code == 200
    assert _post(client, case, "set-evidence-period", {"days": 0}).status_code == 400
    waived = _post(
        client,
        case,
        "waive-defence-period",
        {"party": _respondent(case).pk, "respondent_consent": True},
    )
    assert waived.status_code == 200, waived.json()
    assert _get(client, case, "defences").json()[0]["waived"] is True


def test_a_waiver_before_the_defence_period_is_a_409(institutions, lixia_intake, lixia_head, api):
    case = accepted(lixia_intake, lixia_head, simplified=True)
    response = _post(
        api(lixia_head),
        case,
        "waive-defence-period",
        {"party": _respondent(case).pk, "respondent_consent": True},
    )
    assert response.status_code == 409


def test_a_party_is_added(case, api, lixia_arbitrator):
    response = _post(
        api(lixia_arbitrator),
        case,
        "add-party",
        {
            "party": {
                "role": "third_party",
                "kind": "worker",
                "name": "李明",
                "id_number": id_number("37010219880101001"),
            },
            "reasons": "利害关系",
        },
    )
    assert response.status_code == 200, response.json()
    assert any(p["name"] == "李明" for p in response.json()["parties"])
    assert integrity.problems_of(Case.objects.get(pk=case.pk), list(events_of(case))) == []


def test_a_bad_party_is_a_400_with_nothing_written(case, api, lixia_arbitrator):
    response = _post(
        api(lixia_arbitrator),
        case,
        "add-party",
        {"party": {"role": "third_party", "kind": "worker", "name": ""}, "reasons": ""},
    )
    assert response.status_code == 400
    assert set(response.json()) == {"party.name", "reasons"}
    assert case.parties.count() == 2


def test_every_step_in_a_closed_case_is_a_409(case, api, lixia_clerk):
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED_WITHDRAWN)
    response = _post(api(lixia_clerk), case, "file-defence", {"party": _respondent(case).pk})
    assert response.status_code == 409


def test_another_county_gets_404_on_every_endpoint_of_the_stage(
    case, api, lixia_clerk, licheng_intake, licheng_arbitrator
):
    item = evidence.evidence_submit(
        by=lixia_clerk, case=case, party=None, title="笔录", file=_file()
    )
    steps = (
        "file-defence",
        "waive-defence-period",
        "set-evidence-period",
        "submit-evidence",
        "record-cross-examination",
        "apply-claim-change",
        "decide-claim-change",
        "file-counter-application",
        "decide-counter-application",
        "add-party",
    )
    for user in (licheng_intake, licheng_arbitrator):
        client = api(user)
        for step in steps:
            assert _post(client, case, step).status_code == 404, step
        for read in ("defences", "evidence", "claim-changes", "counter-applications"):
            assert _get(client, case, read).status_code == 404, read
        download = client.get(f"/api/v1/cases/{case.pk}/evidence-file/?item={item.pk}")
        assert download.status_code == 404
