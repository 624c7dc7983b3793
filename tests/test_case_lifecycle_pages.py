"""Acceptance of issue 4, through the staff pages: a whole case, simple and collective, from the
counter to the archive.

Each step is the form the case page offers to the person whose turn it is, posted back to the
same URL; the page must offer it first. The clock moves with the story (``time_machine``), from
Monday 2 March 2026. At the end the event log verifies, the file is split into its volumes and
the case counts as handled online.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from io import StringIO
from itertools import count
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from zhongcai.accounts.models import User
from zhongcai.cases import integrity, selectors, tribunal
from zhongcai.cases.models import (
    ArchiveEntry,
    Award,
    Case,
    CaseDeadline,
    DocumentKind,
    Finality,
    Party,
    PostAward,
    ServiceRecord,
    Status,
    TribunalMember,
    Volume,
)
from zhongcai.cases.tests.factories import accepted, application, tribunal_collective_changes
from zhongcai.cases.tests.test_views import form_data
from zhongcai.core.events import events_of
from zhongcai.orgs.models import HearingRoom, Person

pytestmark = pytest.mark.django_db

MET, CANCELLED = CaseDeadline.State.MET, CaseDeadline.State.CANCELLED
# Claim 1 is within 12 months of the minimum wage (final), claim 2 above it (not final): the
# award is mixed, so it waits for the suit windows before it takes effect.
CLAIMS = [
    {"type": "remuneration", "description": "支付拖欠工资", "amount": "12000.00"},
    {
        "type": "economic_compensation",
        "description": "支付解除劳动合同经济补偿",
        "amount": "45000.00",
    },
]


# The secondary volume (副卷) holds the internal approval forms: filing and closing.
APPROVAL_FORMS = {"filing_approval", DocumentKind.CLOSING_APPROVAL}


def at(moment: str) -> Any:
    return time_machine.travel(moment, tick=False)


class CasePage:
    """The case page as the staff use it: every step is one of its forms, posted back."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.case: Case | None = None

    @property
    def url(self) -> str:
        assert self.case is not None
        return reverse("cases:case-detail", args=[self.case.pk])

    def action_url(self, action: str) -> str:
        assert self.case is not None
        return reverse(f"cases:case-{action.replace('_', '-')}", args=[self.case.pk])

    def open_as(self, user: User) -> str:
        # Sessions are short: whoever acts logs in again on the day.
        self.client.force_login(user)
        response = self.client.get(self.url)
        assert response.status_code == 200
        return response.content.decode()

    def step(self, user: User, action: str, data: dict[str, Any] | None = None) -> None:
        """``user`` opens the case page, finds the form of ``action`` and posts it: back to the
        case page with a success message and no error."""
        self.steps(user, action, [data or {}])

    def steps(self, user: User, action: str, entries: list[dict[str, Any]]) -> None:
        """The same form posted once per entry, the page kept open (attendance, signatures)."""
        url = self.action_url(action)
        page = self.open_as(user)
        assert f'action="{url}"' in page, f"the case page offers {user.username} no “{action}”"
        for data in entries:
            response = self.client.post(url, data)
            said = messages_of(response)
            assert (response.status_code, response.get("Location")) == (302, self.url), (
                action,
                problems_of(response),
            )
            assert [level for level, _text in said] == [message_levels.SUCCESS], (action, said)
            del self.client.cookies["messages"]  # read: the next step starts with none

    def refused(self, user: User, action: str, data: dict[str, Any]) -> dict[str, str]:
        """The form comes back (400) with what is wrong next to each field, by field id; the
        page read in English."""
        self.client.force_login(user)
        response = self.client.post(self.action_url(action), data, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, action
        page = response.content.decode()
        return dict(re.findall(r'class="error" id="([^"]*)-error">([^<]*)<', page))

    @property
    def now(self) -> Case:
        assert self.case is not None
        self.case = Case.objects.select_related("commission", "institute").get(pk=self.case.pk)
        return self.case


def messages_of(response: Any) -> list[tuple[int, str]]:
    """What the redirect carries to the case page (the messages cookie)."""
    cookie = response.cookies.get("messages")
    if cookie is None or not cookie.value:
        return []
    return [(m.level, str(m)) for m in CookieStorage(None)._decode(cookie.value) or []]


def problems_of(response: Any) -> list[str]:
    """The errors a page shows next to its fields."""
    return re.findall(r'class="error"[^>]*>([^<]*)<', response.content.decode())


# --- The cast and the file -----------------------------------------------------------------------


def person_of(user: User) -> Person:
    return Person.objects.get(user=user)


def party(case: Case, name: str) -> Party:
    return case.parties.get(name=name)


def clock(case: Case, code: str, party: Party | None = None) -> CaseDeadline:
    rows = case.deadlines.filter(code=code)
    if party is not None:
        rows = rows.filter(party=party)
    return rows.order_by("-pk").first()


def document(case: Case, kind: str) -> Any:
    return case.documents.filter(kind=kind).order_by("-pk").first()


def seed_drawing_accounts(monkeypatch: Any, case: Case, k: int) -> str:
    """The draw stays random in form: only its seed is chosen, among those that draw arbitrators
    who have an account on the platform (two of Lixia's five have none, and the story needs the
    tribunal to act). The event stores the seed, and the draw replays from it."""
    candidates = tribunal.arbitrator_pool(case).candidate_ids
    with_account = set(
        Person.objects.filter(pk__in=candidates, user__isnull=False).values_list("pk", flat=True)
    )
    seed = next(
        seed
        for seed in (f"acceptance-{i}" for i in count())
        if set(tribunal.replay_draw(seed, candidates, k)) <= with_account
    )
    monkeypatch.setattr(tribunal, "secrets", SimpleNamespace(token_hex=lambda nbytes=None: seed))
    return seed


def file_upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def assert_the_file_holds_together(case: Case, *, accepted_on: date) -> None:
    """The acceptance checks that end both stories."""
    out, err = StringIO(), StringIO()
    call_command("verify_events", stdout=out, stderr=err)  # raises if a chain is broken
    assert (err.getvalue(), bool(out.getvalue())) == ("", True)
    assert integrity.problems_of(case, list(events_of(case))) == []
    month = (accepted_on.replace(day=1), accepted_on.replace(day=28))
    for organisation in (case.commission, case.institute):
        rate = selectors.online_handling_rate(organisation, *month)
        assert (rate.handled_online, rate.total, rate.value) == (1, 1, 1.0)


def archive_kinds(case: Case, volume: Volume) -> set[str]:
    return set(ArchiveEntry.objects.filter(case=case, volume=volume).values_list("kind", flat=True))


# --- A simple case ------------------------------------------------------------------------------


def test_a_simple_case_runs_from_the_counter_to_the_archive_through_the_pages(
    client,
    monkeypatch,
    institutions,
    lixia_intake,
    lixia_head,
    lixia_clerk,
):
    page = CasePage(client)
    recorder = person_of(lixia_clerk)

    # Monday 2 March: the worker applies at the counter, the head accepts the same morning.
    with at("2026-03-02 09:00 +0800"):
        client.force_login(lixia_intake)
        response = client.post(reverse("cases:case-create"), form_data(application(claims=CLAIMS)))
        assert response.status_code == 302
        page.case = Case.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))
        page.step(lixia_intake, "submit")
        assert page.now.status == Status.RECEIVED
        page.step(lixia_head, "accept", {"warnings_acknowledged": "on"})
        case = page.now
        assert case.status == Status.ACCEPTED
        assert case.accepted_on == date(2026, 3, 2)
        assert clock(case, "award").due_on == date(2026, 4, 16)  # 45 days
        assert clock(case, "tribunal_notice").due_on == date(2026, 3, 9)  # 5 working days
        worker, employer = party(case, "王秀英"), party(case, "济南示例商贸有限公司")

    # Tuesday: the tribunal is drawn and notified, the application copy served in person.
    with at("2026-03-03 10:00 +0800"):
        seed = seed_drawing_accounts(monkeypatch, case, 1)
        page.step(
            lixia_head,
            "form_tribunal",
            {"tribunal-kind": "sole", "tribunal-mode": "draw", "tribunal-recorder": recorder.pk},
        )
        case = page.now
        assert case.status == Status.PANEL_FORMED
        sole = case.tribunal.get(seat=TribunalMember.Seat.SOLE)
        assert sole.method == TribunalMember.Method.DRAWN
        arbitrator = sole.person.user
        assert arbitrator is not None
        assert case.tribunal.get(seat=TribunalMember.Seat.RECORDER).person == recorder
        formed = events_of(case).get(kind="case.tribunal_formed")
        assert formed.payload["draw"]["seed"] == seed
        assert tribunal.draw_replays(case)

        notice = document(case, DocumentKind.TRIBUNAL_NOTICE)
        page.steps(
            lixia_clerk,
            "serve",
            [
                {
                    "document": notice.pk,
                    "parties": [addressee.pk],
                    "method": "in_person",
                    "signed_by_name": signer,
                }
                for addressee, signer in ((worker, worker.name), (employer, "赵建国"))
            ],
        )
        assert clock(case, "tribunal_notice").state == MET
        assert not clock(case, "tribunal_notice").met_late

        page.step(
            lixia_clerk,
            "confirm_service_address",
            {
                "party": worker.pk,
                "electronic_consent": "on",
                "mobile": "13800000001",
                "email": "wangxiuying@example.cn",
                "postal_address": "济南市历下区泉城路 1 号 3 单元 201",
            },
        )
        assert worker.service_addresses.get(superseded_at=None).electronic_consent

        page.step(
            lixia_clerk,
            "serve_application_copy",
            {"method": "in_person", "signed_on_the_spot": "on"},
        )
        case = page.now
        assert case.status == Status.DEFENCE_PERIOD
        assert clock(case, "serve_application_copy").state == MET
        assert clock(case, "defence", employer).due_on == date(2026, 3, 17)  # 10 working days

    # Thursday: the employer's defence, its copy to the worker online, the worker's evidence.
    with at("2026-03-05 10:00 +0800"):
        page.step(
            lixia_clerk,
            "file_defence",
            {"party": employer.pk, "text": "申请人主动离职，公司不应支付经济补偿。"},
        )
        assert clock(case, "defence", employer).state == MET
        page.step(
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
        page.step(
            lixia_clerk,
            "submit_evidence",
            {
                "party": worker.pk,
                "title": "工资条",
                "purpose": "证明拖欠工资的数额",
                "file": file_upload("工资条.pdf", payslips),
            },
        )
        evidence = case.evidence.get()
        assert (evidence.number, evidence.party, evidence.size) == (1, worker, len(payslips))
        assert evidence.sha256 == hashlib.sha256(payslips).hexdigest()

        # The hearing on Thursday 19 March in the first hearing room: the notice is served in
        # person today, more than 5 working days ahead.
        room = HearingRoom.objects.get(commission=case.commission, name="第一仲裁庭室")
        page.step(
            lixia_clerk,
            "schedule_hearing",
            {
                "starts_at": "2026-03-19T09:30",
                "duration": "120",
                "room": room.pk,
                "notice_method": "in_person",
            },
        )
        case = page.now
        assert case.status == Status.HEARING_SCHEDULED
        hearing = case.hearings.get()
        assert hearing.notice.services.filter(signed_at__isnull=False).count() == 2

    # The hearing day.
    with at("2026-03-19 09:30 +0800"):
        page.step(arbitrator, "open_hearing")
        assert page.now.status == Status.HEARING
        page.steps(
            lixia_clerk,
            "record_attendance",
            [{"party": p.pk, "presence": "present"} for p in (worker, employer)],
        )
        page.step(
            lixia_clerk,
            "write_hearing_record",
            {"hearing": hearing.pk, "text": "仲裁员：现在开庭。\n申请人：请求支付工资和经济补偿。"},
        )
        record = hearing.records.get()
        signers = [f"person:{sole.person_id}", f"person:{recorder.pk}"]
        signers += [f"party:{worker.pk}", f"party:{employer.pk}"]
        page.steps(
            lixia_clerk,
            "sign_hearing_record",
            [{"record": record.pk, "signer": signer, "method": "screen"} for signer in signers],
        )
        assert record.signatures.count() == 4
        page.step(arbitrator, "close_hearing")
        assert page.now.status == Status.DELIBERATION
        page.step(arbitrator, "record_mediation", {"outcome": "failed", "note": "双方差距较大"})

    # A week later the award: every claim ruled, each item's finality stated.
    with at("2026-03-26 10:00 +0800"):
        claims = {c.number: c for c in case.claims.all()}
        ruling: dict[str, Any] = {
            "facts": "申请人在被申请人处工作，被申请人拖欠工资并解除劳动合同。",
            "reasoning": "被申请人应当支付工资和经济补偿。",
            "legal_basis": "《中华人民共和国劳动合同法》第三十条、第四十六条",
        }
        for number, amount in ((1, "12000.00"), (2, "45000.00")):
            prefix = f"claim{claims[number].pk}"
            ruling |= {
                f"{prefix}_outcome": "granted",
                f"{prefix}_ruling": f"被申请人支付申请人{amount}元",
                f"{prefix}_amount": amount,
                f"{prefix}_obligor": employer.pk,
                f"{prefix}_obligee": worker.pk,
                f"{prefix}_perform_within_days": "10",
            }
        # The award is drafted, reviewed by the institute head and issued as approved.
        page.step(arbitrator, "save_award_draft", {**ruling, "kind": "full", "version": 0})
        draft = {"kind": "full", "version": 1}
        page.step(arbitrator, "submit_award_draft", draft)
        page.step(lixia_head, "review_award_draft", {**draft, "decision": "approve"})
        page.step(arbitrator, "issue_award_draft", draft)
        case = page.now
        assert case.status == Status.CLOSED_AWARD
        assert case.post_award == PostAward.PENDING_EFFECT
        award = Award.objects.get(case=case, kind=Award.Kind.FULL)
        assert award.finality == Finality.MIXED
        assert [(i.claim.number, i.final) for i in award.items.order_by("number")] == [
            (1, True),
            (2, False),
        ]
        assert clock(case, "award").state == MET
        assert not clock(case, "award").met_late

        page.steps(
            lixia_clerk,
            "serve",
            [
                {
                    "document": award.document_id,
                    "parties": [addressee.pk],
                    "method": "in_person",
                    "signed_by_name": signer,
                }
                for addressee, signer in ((worker, worker.name), (employer, "赵建国"))
            ],
        )
        windows = {
            (d.code, d.party_id): d.due_on
            for d in case.deadlines.filter(code__contains="award").exclude(code="award")
        }
        assert windows == {
            ("suit_final_award", worker.pk): date(2026, 4, 10),
            ("suit_non_final_award", worker.pk): date(2026, 4, 10),
            ("set_aside_final_award", employer.pk): date(2026, 4, 27),  # 25th: a Saturday
            ("suit_non_final_award", employer.pk): date(2026, 4, 10),
        }

    # Nobody sued: once the windows elapsed the periodic task lets the award take effect.
    with at("2026-04-13 09:00 +0800"):
        call_command("run_case_timers", stdout=StringIO())
        case = page.now
        assert case.post_award == PostAward.EFFECTIVE
        assert events_of(case).filter(kind="case.award_took_effect").count() == 1
        assert not events_of(case).filter(kind="case.deadline_overdue").exists()

        page.step(lixia_head, "approve_closing", {"note": "结案材料齐全"})
        assert page.now.closing_approved_at is not None
        page.step(lixia_clerk, "archive")
        case = page.now

    assert case.status == Status.ARCHIVED
    assert (case.retention_years, case.retain_until) == (10, date(2036, 4, 13))
    main = archive_kinds(case, Volume.MAIN)
    assert {"application", "acceptance_notice", DocumentKind.AWARD, "service_record"} <= main
    assert {DocumentKind.HEARING_RECORD, "evidence", DocumentKind.TRIBUNAL_NOTICE} <= main
    assert archive_kinds(case, Volume.SECONDARY) == APPROVAL_FORMS
    award_services = ServiceRecord.objects.filter(case=case, document=award.document_id)
    assert award_services.filter(signed_at__isnull=False).count() == 2
    assert_the_file_holds_together(case, accepted_on=date(2026, 3, 2))


# --- A collective case --------------------------------------------------------------------------


def test_a_collective_case_is_mediated_and_archived_through_the_pages(
    client,
    monkeypatch,
    institutions,
    lixia_intake,
    lixia_head,
    lixia_clerk,
):
    page = CasePage(client)
    recorder = person_of(lixia_clerk)

    # Ten workers, three of them elected representatives, against their employer.
    with at("2026-03-02 09:00 +0800"):
        client.force_login(lixia_intake)
        response = client.post(
            reverse("cases:case-create"), form_data(application(**tribunal_collective_changes()))
        )
        assert response.status_code == 302
        page.case = Case.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))
        page.step(lixia_intake, "submit")
        page.step(lixia_head, "accept", {"warnings_acknowledged": "on"})
        case = page.now
        assert case.status == Status.ACCEPTED
        assert case.collective
        assert clock(case, "collective_notice").due_on == date(2026, 3, 9)
        workers = list(case.parties.filter(role=Party.Role.APPLICANT).order_by("pk"))
        representatives = [w for w in workers if w.is_representative]
        employer = case.parties.get(role=Party.Role.RESPONDENT)
        assert (len(workers), len(representatives)) == (10, 3)

    with at("2026-03-03 10:00 +0800"):
        # A sole arbitrator is refused: a collective case is heard by three.
        sole = {"tribunal-kind": "sole", "tribunal-mode": "draw", "tribunal-recorder": recorder.pk}
        assert list(page.refused(lixia_head, "form_tribunal", sole)) == ["id_tribunal-kind"]
        assert not case.tribunal.exists()
        seed = seed_drawing_accounts(monkeypatch, case, 3)
        page.step(lixia_head, "form_tribunal", {**sole, "tribunal-kind": "three"})
        case = page.now
        arbitrators = list(case.tribunal.exclude(seat=TribunalMember.Seat.RECORDER))
        assert len(arbitrators) == 3
        assert {m.method for m in arbitrators} == {TribunalMember.Method.DRAWN}
        presiding = case.tribunal.get(seat=TribunalMember.Seat.PRESIDING).person.user
        assert events_of(case).get(kind="case.tribunal_formed").payload["draw"]["seed"] == seed
        assert tribunal.draw_replays(case)

        # The one-time notice of a collective case (办案规则 art. 64): the tribunal, the periods
        # and the hearing, all within 5 working days of acceptance.
        notice = document(case, DocumentKind.TRIBUNAL_NOTICE)
        page.step(
            lixia_clerk,
            "serve",
            {
                "document": notice.pk,
                "parties": [w.pk for w in workers],
                "method": "in_person",
                "signed_by_name": representatives[0].name,
            },
        )
        page.step(
            lixia_clerk,
            "serve",
            {
                "document": notice.pk,
                "parties": [employer.pk],
                "method": "in_person",
                "signed_by_name": "赵建国",
            },
        )
        assert clock(case, "tribunal_notice").state == MET
        page.step(
            lixia_clerk,
            "serve_application_copy",
            {"method": "in_person", "signed_on_the_spot": "on"},
        )
        assert page.now.status == Status.DEFENCE_PERIOD
        room = HearingRoom.objects.get(commission=case.commission, name="第一仲裁庭室")
        page.step(
            lixia_clerk,
            "schedule_hearing",
            {
                "starts_at": "2026-03-19T09:30",
                "duration": "180",
                "room": room.pk,
                "notice_method": "in_person",
            },
        )
        case = page.now
        assert case.status == Status.HEARING_SCHEDULED
        assert clock(case, "collective_notice").state == MET
        assert not clock(case, "collective_notice").met_late
        hearing = case.hearings.get()
        assert hearing.notice.services.filter(signed_at__isnull=False).count() == 11

    with at("2026-03-19 09:30 +0800"):
        page.step(presiding, "open_hearing")
        page.steps(
            lixia_clerk,
            "record_attendance",
            [{"party": p.pk, "presence": "present"} for p in (*representatives, employer)],
        )
        page.step(
            lixia_clerk,
            "write_hearing_record",
            {"hearing": hearing.pk, "text": "首席仲裁员：现在开庭。\n代表人：请求支付拖欠工资。"},
        )
        record = hearing.records.get()
        signers = [f"person:{m.person_id}" for m in arbitrators] + [f"person:{recorder.pk}"]
        signers += [f"party:{p.pk}" for p in (*representatives, employer)]
        page.steps(
            lixia_clerk,
            "sign_hearing_record",
            [{"record": record.pk, "signer": signer, "method": "screen"} for signer in signers],
        )
        assert record.signatures.count() == 8
        page.step(presiding, "close_hearing")
        assert page.now.status == Status.DELIBERATION

        # The tribunal mediates and the sides agree: the 调解书, served in person.
        page.step(presiding, "record_mediation", {"outcome": "agreed", "note": "双方达成一致"})
        page.step(
            presiding,
            "issue_mediation_document",
            {"agreement": "被申请人于 2026 年 3 月 31 日前支付十名申请人工资共计 120000 元\n"},
        )
        agreement = document(case, DocumentKind.MEDIATION_DOCUMENT)
        page.step(
            lixia_clerk,
            "serve",
            {
                "document": agreement.pk,
                "parties": [p.pk for p in (*workers, employer)],
                "method": "in_person",
            },
        )
        assert page.now.status == Status.DELIBERATION  # not in force before both sides sign

        # Each party signs its receipt; the employer's signature, the last, closes the case.
        def receipt(addressee: Party, signer: str) -> dict[str, Any]:
            service = ServiceRecord.objects.get(document=agreement, party=addressee)
            return {"record": service.pk, "signed_by_name": signer}

        page.steps(lixia_clerk, "record_delivery", [receipt(w, w.name) for w in workers])
        assert page.now.status == Status.DELIBERATION
        page.step(lixia_clerk, "record_delivery", receipt(employer, "赵建国"))
        case = page.now
        assert case.status == Status.CLOSED_MEDIATION
        assert clock(case, "award").state == MET
        assert not case.deadlines.filter(state=CaseDeadline.State.OPEN).exists()

    with at("2026-03-20 10:00 +0800"):
        page.step(lixia_head, "approve_closing")
        page.step(lixia_clerk, "archive")
        case = page.now

    assert case.status == Status.ARCHIVED
    assert (case.retention_years, case.retain_until) == (5, date(2031, 3, 20))
    main = archive_kinds(case, Volume.MAIN)
    assert {DocumentKind.MEDIATION_DOCUMENT, "service_record", DocumentKind.HEARING_RECORD} <= main
    assert DocumentKind.CLOSING_APPROVAL not in main
    assert archive_kinds(case, Volume.SECONDARY) == APPROVAL_FORMS
    assert_the_file_holds_together(case, accepted_on=date(2026, 3, 2))


def test_a_refusal_raised_inside_a_step_reads_in_the_pages_language(
    client, institutions, lixia_intake, lixia_head, lixia_clerk
):
    page = CasePage(client)
    page.case = accepted(lixia_intake, lixia_head, **tribunal_collective_changes())
    sole = {"tribunal-kind": "sole", "tribunal-mode": "draw"}
    refusal = page.refused(
        lixia_head, "form_tribunal", {**sole, "tribunal-recorder": person_of(lixia_clerk).pk}
    )
    assert "heard by three arbitrators" in refusal["id_tribunal-kind"]
