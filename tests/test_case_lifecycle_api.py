"""Acceptance of issue 4, through the API: a whole case, simple and collective, from the
application to the archive with token authentication.

Each step is a POST to the URL the case's ``available_actions`` gives the person whose turn it
is; the answer is the case as it now is. The clock moves with the story, from Monday 2 March
2026. At the end the event log verifies, the file is split into its volumes and the case counts
as handled online.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from test_case_lifecycle_pages import (
    APPROVAL_FORMS,
    CLAIMS,
    assert_the_file_holds_together,
    at,
    clock,
    document,
    file_upload,
    person_of,
    seed_drawing_accounts,
)

from zhongcai.accounts.models import User
from zhongcai.api.authentication import is_expired
from zhongcai.cases import tribunal
from zhongcai.cases.models import (
    Case,
    CaseDeadline,
    DocumentKind,
    Party,
    ServiceRecord,
    Status,
    TribunalMember,
)
from zhongcai.cases.tests.factories import application, commission, tribunal_collective_changes
from zhongcai.core.events import events_of
from zhongcai.orgs.models import HearingRoom

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"
MET = CaseDeadline.State.MET


@pytest.fixture
def api(province: None) -> Callable[[User], APIClient]:
    """``api(user)``: a client that signs its requests with ``user``'s token, obtained again
    when the last one expired (tokens expire like sessions, and the story lasts weeks)."""

    def _as(user: User) -> APIClient:
        client = APIClient()
        token = Token.objects.filter(user=user).first()
        if token is None or is_expired(token):
            Token.objects.filter(user=user).delete()
            token = Token.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _as


class CaseApi:
    """One case as API clients drive it: each step is an action the case offers its reader."""

    def __init__(self, api: Callable[[User], APIClient]) -> None:
        self.api = api
        self.pk = 0

    def apply(self, user: User, body: dict[str, Any]) -> dict[str, Any]:
        response = self.api(user).post(CASES, body, format="json")
        assert response.status_code == 201, response.json()
        self.pk = response.json()["id"]
        return response.json()

    def read(self, user: User, what: str = "") -> Any:
        response = self.api(user).get(f"{CASES}{self.pk}/{what + '/' if what else ''}")
        assert response.status_code == 200, response.json()
        return response.json()

    def step(
        self,
        user: User,
        action: str,
        body: dict[str, Any] | None = None,
        *,
        multipart: bool = False,
    ) -> dict[str, Any]:
        """``user`` reads the case, takes the URL of ``action`` from its ``available_actions``
        and posts the body there: 200 with the case as it now is."""
        offered = {a["action"]: a["url"] for a in self.read(user)["available_actions"]}
        assert action in offered, f"the case offers {user.username} no “{action}”"
        assert offered[action].endswith(f"{CASES}{self.pk}/{action.replace('_', '-')}/")
        response = self.api(user).post(
            offered[action], body or {}, format="multipart" if multipart else "json"
        )
        assert response.status_code == 200, (action, response.json())
        return response.json()

    def refused(self, user: User, action: str, body: dict[str, Any]) -> dict[str, Any]:
        url = f"{CASES}{self.pk}/{action.replace('_', '-')}/"
        response = self.api(user).post(url, body, format="json")
        assert response.status_code == 400, (action, response.status_code)
        return response.json()

    @property
    def case(self) -> Case:
        return Case.objects.select_related("commission", "institute").get(pk=self.pk)


def counter_application(**changes: Any) -> dict[str, Any]:
    return {"commission": commission().pk, "channel": "counter", **application(**changes)}


def file_of(case_api: CaseApi, user: User) -> dict[str, Any]:
    """The archived file as the API gives it: retention and entries per volume."""
    file = case_api.read(user, "file")
    volumes: dict[str, set[str]] = {}
    for entry in file["entries"]:
        volumes.setdefault(entry["volume"], set()).add(entry["kind"])
    return {**file, "volumes": volumes}


# --- A simple case ------------------------------------------------------------------------------


def test_a_simple_case_runs_from_application_to_archive_through_the_api(
    api,
    monkeypatch,
    institutions,
    lixia_intake,
    lixia_head,
    lixia_clerk,
):
    desk = CaseApi(api)
    recorder = person_of(lixia_clerk)

    with at("2026-03-02 09:00 +0800"):
        assert desk.apply(lixia_intake, counter_application(claims=CLAIMS))["status"] == "draft"
        assert desk.step(lixia_intake, "submit")["status"] == Status.RECEIVED
        accepted = desk.step(lixia_head, "accept", {"warnings_acknowledged": True})
        assert (accepted["status"], accepted["accepted_on"]) == (Status.ACCEPTED, "2026-03-02")
        due = {d["code"]: d["due_on"] for d in accepted["deadlines"] if d["state"] == "open"}
        assert due["award"] == "2026-04-16"
        assert due["tribunal_notice"] == due["serve_application_copy"] == "2026-03-09"
        case = desk.case
        worker = case.parties.get(role=Party.Role.APPLICANT)
        employer = case.parties.get(role=Party.Role.RESPONDENT)

    with at("2026-03-03 10:00 +0800"):
        seed = seed_drawing_accounts(monkeypatch, case, 1)
        formed = desk.step(
            lixia_head, "form_tribunal", {"kind": "sole", "mode": "draw", "recorder": recorder.pk}
        )
        assert formed["status"] == Status.PANEL_FORMED
        bench = desk.read(lixia_head, "tribunal")
        assert bench["kind"] == "sole"
        assert bench["replayable"] is True
        assert [d["seed"] for d in bench["draws"]] == [seed]
        sole = case.tribunal.get(seat=TribunalMember.Seat.SOLE)
        arbitrator = sole.person.user
        assert arbitrator is not None
        assert tribunal.draw_replays(case)

        notice = document(case, DocumentKind.TRIBUNAL_NOTICE)
        for addressee, signer in ((worker, worker.name), (employer, "赵建国")):
            desk.step(
                lixia_clerk,
                "serve",
                {
                    "document": notice.pk,
                    "parties": [addressee.pk],
                    "method": "in_person",
                    "signed_by_name": signer,
                },
            )
        assert clock(case, "tribunal_notice").state == MET

        desk.step(
            lixia_clerk,
            "confirm_service_address",
            {
                "party": worker.pk,
                "electronic_consent": True,
                "mobile": "13800000001",
                "postal_address": "济南市历下区泉城路 1 号 3 单元 201",
            },
        )
        addresses = desk.read(lixia_clerk, "service-addresses")
        assert [a["electronic_consent"] for a in addresses] == [True]

        served = desk.step(
            lixia_clerk,
            "serve_application_copy",
            {"method": "in_person", "signed_on_the_spot": True},
        )
        assert served["status"] == Status.DEFENCE_PERIOD
        assert clock(case, "serve_application_copy").state == MET
        assert clock(case, "defence", employer).due_on == date(2026, 3, 17)

    with at("2026-03-05 10:00 +0800"):
        desk.step(
            lixia_clerk,
            "file_defence",
            {"party": employer.pk, "text": "申请人主动离职，公司不应支付经济补偿。"},
        )
        desk.step(
            lixia_clerk,
            "serve",
            {
                "document": document(case, DocumentKind.DEFENCE_COPY).pk,
                "parties": [worker.pk],
                "method": "electronic",
            },
        )
        assert clock(case, "serve_defence_copy").state == MET

        payslips = b"%PDF-1.4 payslips 2026-01..02"
        desk.step(
            lixia_clerk,
            "submit_evidence",
            {
                "party": worker.pk,
                "title": "工资条",
                "purpose": "证明拖欠工资的数额",
                "file": file_upload("工资条.pdf", payslips),
            },
            multipart=True,
        )
        [evidence] = desk.read(lixia_clerk, "evidence")
        assert (evidence["number"], evidence["party"]["id"]) == (1, worker.pk)
        assert evidence["size"] == len(payslips)

        room = HearingRoom.objects.get(commission=case.commission, name="第一仲裁庭室")
        scheduled = desk.step(
            lixia_clerk,
            "schedule_hearing",
            {
                "starts_at": "2026-03-19T09:30:00+08:00",
                "duration_minutes": 120,
                "room": room.pk,
                "notice_method": "in_person",
            },
        )
        assert scheduled["status"] == Status.HEARING_SCHEDULED
        [session] = desk.read(lixia_clerk, "hearings")
        assert [s["deemed_served_on"] for s in session["notice_services"]] == ["2026-03-05"] * 2

    with at("2026-03-19 09:30 +0800"):
        assert desk.step(arbitrator, "open_hearing")["status"] == Status.HEARING
        for attendee in (worker, employer):
            desk.step(
                lixia_clerk, "record_attendance", {"party": attendee.pk, "presence": "present"}
            )
        desk.step(
            lixia_clerk,
            "write_hearing_record",
            {
                "hearing": session["id"],
                "text": "仲裁员：现在开庭。\n申请人：请求支付工资和经济补偿。",
            },
        )
        [record] = desk.read(lixia_clerk, "hearings")[0]["records"]
        signers = [{"person": sole.person_id}, {"person": recorder.pk}]
        signers += [{"party": worker.pk}, {"party": employer.pk}]
        for signer in signers:
            desk.step(
                lixia_clerk,
                "sign_hearing_record",
                {"record": record["id"], "signature_method": "screen", **signer},
            )
        [record] = desk.read(lixia_clerk, "hearings")[0]["records"]
        assert len(record["signatures"]) == 4
        assert desk.step(arbitrator, "close_hearing")["status"] == Status.DELIBERATION
        desk.step(arbitrator, "record_mediation", {"outcome": "failed", "note": "双方差距较大"})

    with at("2026-03-26 10:00 +0800"):
        claims = {c.number: c for c in case.claims.all()}
        items = [
            {
                "claim": claims[number].pk,
                "outcome": "granted",
                "ruling": f"被申请人支付申请人{amount}元",
                "amount": amount,
                "obligor": employer.pk,
                "obligee": worker.pk,
                "perform_within_days": 10,
            }
            for number, amount in ((1, "12000.00"), (2, "45000.00"))
        ]
        # The award is drafted, reviewed by the institute head and issued as approved.
        saved = desk.step(
            arbitrator,
            "save_award_draft",
            {
                "kind": "full",
                "version": 0,
                "items": items,
                "facts": "申请人在被申请人处工作，被申请人拖欠工资并解除劳动合同。",
                "reasoning": "被申请人应当支付工资和经济补偿。",
                "legal_basis": "《中华人民共和国劳动合同法》第三十条、第四十六条",
            },
        )
        draft = {"kind": "full", "version": saved["version"]}
        assert desk.step(arbitrator, "submit_award_draft", draft)["state"] == "submitted"
        reviewed = desk.step(lixia_head, "review_award_draft", {**draft, "approve": True})
        assert reviewed["state"] == "approved"
        awarded = desk.step(arbitrator, "issue_award_draft", draft)
        assert awarded["status"] == Status.CLOSED_AWARD
        awards = desk.read(lixia_clerk, "awards")
        [award] = awards["awards"]
        assert (awards["post_award"], award["finality"]) == ("pending_effect", "mixed")
        assert [(i["number"], i["final"]) for i in award["items"]] == [(1, True), (2, False)]
        assert all(i["finality_reason"] for i in award["items"])

        for addressee, signer in ((worker, worker.name), (employer, "赵建国")):
            desk.step(
                lixia_clerk,
                "serve",
                {
                    "document": award["document"],
                    "parties": [addressee.pk],
                    "method": "in_person",
                    "signed_by_name": signer,
                },
            )
        windows = desk.read(lixia_clerk, "awards")["windows"]
        assert max(w["due_on"] for w in windows if w["code"] != "set_aside_final_award") == (
            "2026-04-10"
        )

    with at("2026-04-13 09:00 +0800"):
        call_command("run_case_timers", stdout=StringIO())
        assert desk.read(lixia_clerk, "awards")["post_award"] == "effective"
        desk.step(lixia_head, "approve_closing", {"note": "结案材料齐全"})
        assert desk.step(lixia_clerk, "archive")["status"] == Status.ARCHIVED

    archived = file_of(desk, lixia_clerk)
    assert (archived["retention_years"], archived["retain_until"]) == (10, "2036-04-13")
    assert {"application", DocumentKind.AWARD, "service_record"} <= archived["volumes"]["main"]
    assert archived["volumes"]["secondary"] == APPROVAL_FORMS
    case = desk.case
    assert case.status == Status.ARCHIVED
    assert not events_of(case).filter(kind="case.deadline_overdue").exists()
    assert_the_file_holds_together(case, accepted_on=date(2026, 3, 2))


# --- A collective case --------------------------------------------------------------------------


def test_a_collective_case_is_mediated_and_archived_through_the_api(
    api,
    institutions,
    lixia_intake,
    lixia_head,
    lixia_clerk,
    lixia_arbitrator,
):
    desk = CaseApi(api)
    recorder = person_of(lixia_clerk)
    bench = [
        lixia_arbitrator,
        User.objects.get(username="lixia_arbitrator2"),
        User.objects.get(username="lixia_arbitrator3"),
    ]

    with at("2026-03-02 09:00 +0800"):
        desk.apply(lixia_intake, counter_application(**tribunal_collective_changes()))
        desk.step(lixia_intake, "submit")
        assert desk.step(lixia_head, "accept", {"warnings_acknowledged": True})["collective"]
        case = desk.case
        workers = list(case.parties.filter(role=Party.Role.APPLICANT).order_by("pk"))
        representatives = [w for w in workers if w.is_representative]
        employer = case.parties.get(role=Party.Role.RESPONDENT)
        assert (len(workers), len(representatives)) == (10, 3)

    with at("2026-03-03 10:00 +0800"):
        # Three arbitrators designated with a written reason; a sole one is refused.
        chosen = [person_of(user).pk for user in bench]
        designation = {
            "kind": "three",
            "mode": "designate",
            "designated": chosen,
            "presiding": chosen[0],
            "recorder": recorder.pk,
            "reason": "集体争议，指定熟悉集体争议的仲裁员组庭",
        }
        sole = {**designation, "kind": "sole", "designated": chosen[:1], "presiding": None}
        refusal = desk.refused(lixia_head, "form_tribunal", sole)
        assert list(refusal) == ["kind"]  # LDMAL art. 31: three arbitrators
        assert not case.tribunal.exists()
        desk.step(lixia_head, "form_tribunal", designation)
        seats = desk.read(lixia_head, "tribunal")
        assert seats["kind"] == "three"
        assert seats["draws"] == []
        arbitrators = list(case.tribunal.exclude(seat=TribunalMember.Seat.RECORDER))
        assert {(m.method, m.reason) for m in arbitrators} == {
            (TribunalMember.Method.DESIGNATED, designation["reason"])
        }
        assert case.tribunal.get(seat=TribunalMember.Seat.PRESIDING).person.user == bench[0]
        assert "draw" not in events_of(case).get(kind="case.tribunal_formed").payload

        # The one-time notice of a collective case (办案规则 art. 64).
        notice = document(case, DocumentKind.TRIBUNAL_NOTICE)
        for addressees, signer in (
            (workers, representatives[0].name),
            ([employer], "赵建国"),
        ):
            desk.step(
                lixia_clerk,
                "serve",
                {
                    "document": notice.pk,
                    "parties": [p.pk for p in addressees],
                    "method": "in_person",
                    "signed_by_name": signer,
                },
            )
        assert clock(case, "tribunal_notice").state == MET
        desk.step(
            lixia_clerk,
            "serve_application_copy",
            {"method": "in_person", "signed_on_the_spot": True},
        )
        room = HearingRoom.objects.get(commission=case.commission, name="第一仲裁庭室")
        scheduled = desk.step(
            lixia_clerk,
            "schedule_hearing",
            {
                "starts_at": "2026-03-19T09:30:00+08:00",
                "duration_minutes": 180,
                "room": room.pk,
                "notice_method": "in_person",
            },
        )
        assert scheduled["status"] == Status.HEARING_SCHEDULED
        assert clock(case, "collective_notice").state == MET
        assert not clock(case, "collective_notice").met_late
        [session] = desk.read(lixia_clerk, "hearings")
        assert len(session["notice_services"]) == 11

    with at("2026-03-19 09:30 +0800"):
        presiding = bench[0]
        desk.step(presiding, "open_hearing")
        for attendee in (*representatives, employer):
            desk.step(
                lixia_clerk, "record_attendance", {"party": attendee.pk, "presence": "present"}
            )
        desk.step(
            lixia_clerk,
            "write_hearing_record",
            {
                "hearing": session["id"],
                "text": "首席仲裁员：现在开庭。\n代表人：请求支付拖欠工资。",
            },
        )
        [record] = desk.read(lixia_clerk, "hearings")[0]["records"]
        signers = [{"person": pk} for pk in (*chosen, recorder.pk)]
        signers += [{"party": p.pk} for p in (*representatives, employer)]
        for signer in signers:
            desk.step(
                lixia_clerk,
                "sign_hearing_record",
                {"record": record["id"], "signature_method": "screen", **signer},
            )
        assert desk.step(presiding, "close_hearing")["status"] == Status.DELIBERATION

        desk.step(presiding, "record_mediation", {"outcome": "agreed", "note": "双方达成一致"})
        desk.step(
            presiding,
            "issue_mediation_document",
            {"agreement": ["被申请人于 2026 年 3 月 31 日前支付十名申请人工资共计 120000 元"]},
        )
        agreement = document(case, DocumentKind.MEDIATION_DOCUMENT)
        desk.step(
            lixia_clerk,
            "serve",
            {
                "document": agreement.pk,
                "parties": [p.pk for p in (*workers, employer)],
                "method": "in_person",
            },
        )
        # Each party signs its receipt; the employer's signature, the last, closes the case.
        for addressee in (*workers, employer):
            assert desk.case.status == Status.DELIBERATION
            service = ServiceRecord.objects.get(document=agreement, party=addressee)
            signer = "赵建国" if addressee == employer else addressee.name
            closed = desk.step(
                lixia_clerk, "record_delivery", {"record": service.pk, "signed_by_name": signer}
            )
        assert closed["status"] == Status.CLOSED_MEDIATION
        assert clock(desk.case, "award").state == MET

    with at("2026-03-20 10:00 +0800"):
        desk.step(lixia_head, "approve_closing")
        assert desk.step(lixia_clerk, "archive")["status"] == Status.ARCHIVED

    archived = file_of(desk, lixia_clerk)
    assert (archived["retention_years"], archived["retain_until"]) == (5, "2031-03-20")
    assert {DocumentKind.MEDIATION_DOCUMENT, "service_record"} <= archived["volumes"]["main"]
    assert archived["volumes"]["secondary"] == APPROVAL_FORMS
    assert_the_file_holds_together(desk.case, accepted_on=date(2026, 3, 2))
