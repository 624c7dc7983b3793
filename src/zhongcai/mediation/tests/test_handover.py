"""A mediation that did not settle the dispute becomes an arbitration application in one step
(LDMAL arts. 14–15; issue 8 point 5)."""

import hashlib
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from zhongcai.cases.models import Case, Party
from zhongcai.cases.models import Channel as CaseChannel
from zhongcai.cases.models import Status as CaseStatus
from zhongcai.cases.services import case_submit
from zhongcai.cases.tests.factories import application, commission
from zhongcai.core.events import events_of
from zhongcai.documents.markup import plain_text
from zhongcai.mediation import handover, services
from zhongcai.mediation.models import (
    Agreement,
    Audience,
    Channel,
    Message,
    SharedFile,
    Status,
)
from zhongcai.mediation.tests.conftest import apply_online
from zhongcai.mediation.workflow import TransitionError, transition
from zhongcai.notifications.models import Notification

pytestmark = pytest.mark.django_db

MONDAY = "2026-03-02 10:00 +0800"
SECRET_OFFER = "我方最多让步到八千元，但不要告诉对方"


def share(case, side, title, content, *, by, kind="evidence", party=None):
    row = SharedFile(
        case=case,
        audience=Audience.CAUCUS if party else Audience.JOINT,
        party=party,
        side=side,
        kind=kind,
        title=title,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content_type="application/pdf",
        uploaded_by=by,
    )
    row.file.save(f"{title}.pdf", ContentFile(content), save=False)
    row.save()
    return row


@pytest.fixture
def expired(worker_demo, employer_user, lixia_mediator, centre, mediators):
    """worker_demo's mediation with files and settlement talk in the room, deemed failed on
    day 16 (accepted on 2 March, due 17 March, expired on the 18th)."""
    with time_machine.travel(MONDAY, tick=False):
        case = apply_online(worker_demo, centre)
        case = services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)
        case = services.mediator_draw(by=lixia_mediator, case=case)
        applicant = case.parties.get(role="applicant")
        share(case, "applicant", "工资条", b"%PDF-1.4 payslips", by=worker_demo)
        share(
            case, "applicant", "考勤记录", b"%PDF-1.4 attendance", by=worker_demo, party=applicant
        )
        share(case, "applicant", "说明", b"%PDF-1.4 note", by=worker_demo, kind="document")
        share(case, "respondent", "公司考勤表", b"%PDF-1.4 employer", by=employer_user)
        Message.objects.create(
            case=case,
            audience=Audience.CAUCUS,
            party=applicant,
            side="applicant",
            author=worker_demo,
            body=SECRET_OFFER,
        )
    assert case.conclusion_due == date(2026, 3, 17)
    with time_machine.travel("2026-03-18 02:00 +0800", tick=False):
        assert services.mediation_expire_due(date(2026, 3, 18)) == [case.pk]
    case.refresh_from_db()
    assert case.status == Status.FAILED
    return case


def test_a_case_expired_on_day_16_becomes_the_partys_draft_with_nothing_retyped(
    expired, worker_demo, login
):
    case = expired
    assert handover.default_commission(case) == commission("370102")

    arbitration = services.mediation_to_arbitration(
        by=worker_demo, case=case, commission=handover.default_commission(case)
    )

    assert arbitration.status == CaseStatus.DRAFT
    assert arbitration.owner == worker_demo
    assert arbitration.channel == CaseChannel.ONLINE
    assert arbitration.dispute == case.dispute
    assert arbitration.facts_and_reasons == case.facts
    assert sorted(
        (p.role, p.name, p.id_number, p.credit_code) for p in arbitration.parties.all()
    ) == (sorted((p.role, p.name, p.id_number, p.credit_code) for p in case.parties.all()))
    assert [(c.type, c.amount, c.description) for c in arbitration.claims.order_by("number")] == [
        (c.type, c.amount, c.description) for c in case.claims.order_by("number")
    ]
    items = list(arbitration.evidence.order_by("number"))
    applicant = arbitration.parties.get(role=Party.Role.APPLICANT)
    assert all(item.party == applicant for item in items)
    # The worker's own evidence shared with everyone; not what it gave the mediator alone in a
    # caucus, never its other documents or the other side's.
    own = {f.sha256 for f in case.files.filter(side="applicant", kind="evidence", audience="joint")}
    assert len(own) == 1
    assert {i.sha256 for i in items[:1]} == own
    for item in items:
        with item.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == item.sha256
    record = items[-1]
    assert len(items) == 2
    assert "调解情况记录" in record.title
    with record.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    # The record says who, when and how it ended; never what was said in the room.
    text = plain_text(handover.record_blocks(case))
    assert case.organisation.name in text
    assert SECRET_OFFER not in text
    for event in [*events_of(arbitration), *events_of(case)]:
        assert SECRET_OFFER not in str(event.payload)
    case.refresh_from_db()
    assert case.arbitration_case == arbitration
    assert events_of(case).last().kind == "mediation.sent_to_arbitration"

    # The party lands on its draft, checks it and submits it: received.
    client = login(worker_demo)
    page = client.get(reverse("mediation-portal:handover-draft", args=[case.pk]))
    assert page.status_code == 200
    assert "工资条" in page.content.decode()
    answer = client.post(reverse("mediation-portal:handover-submit", args=[case.pk]))
    assert answer.status_code == 302
    assert answer["Location"] == reverse("portal:my-case", args=[arbitration.pk])
    arbitration.refresh_from_db()
    assert arbitration.status == CaseStatus.RECEIVED


def test_it_is_done_once_only_from_the_right_states_and_only_by_its_parties(
    expired, worker_demo, employer_demo, licheng_mediator, mediating, login
):
    with pytest.raises(TransitionError):
        services.mediation_to_arbitration(
            by=worker_demo, case=mediating, commission=commission("370102")
        )
    with pytest.raises(PermissionDenied):
        services.mediation_to_arbitration(
            by=licheng_mediator, case=expired, commission=commission("370102")
        )
    # Someone who is no party to it: the same 404 as a missing case.
    answer = login(employer_demo).post(
        reverse("mediation-portal:handover-apply", args=[expired.pk]),
        {"commission": commission("370102").pk},
    )
    assert answer.status_code == 404
    answer = login(worker_demo).post(
        reverse("mediation-portal:handover-apply", args=[expired.pk]),
        {"commission": commission("370102").pk},
    )
    assert answer.status_code == 302
    assert answer["Location"] == reverse("mediation-portal:handover-draft", args=[expired.pk])
    answer = login(worker_demo).post(
        reverse("mediation-portal:handover-apply", args=[expired.pk]),
        {"commission": commission("370102").pk},
    )
    assert answer.status_code == 409
    assert Case.objects.filter(owner=worker_demo).count() == 1


def test_a_mediator_hands_a_walk_in_over_to_the_commissions_intake(
    lixia_mediator, lixia_intake, centre, mediators
):
    case = services.mediation_apply(
        by=lixia_mediator, organisation=centre, data=application(), channel=Channel.WALK_IN
    )
    case = services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)
    case = services.mediation_fail(by=lixia_mediator, case=case, reason="双方分歧较大")

    arbitration = services.mediation_to_arbitration(
        by=lixia_mediator, case=case, commission=commission("370102")
    )

    assert arbitration.status == CaseStatus.DRAFT
    assert arbitration.owner is None
    assert arbitration.channel == CaseChannel.COUNTER
    assert arbitration.dispute == case.dispute
    drafted = events_of(arbitration).first()
    assert drafted.kind == "case.drafted"
    assert drafted.actor == lixia_mediator
    assert drafted.payload["mediation_case"] == case.pk
    assert Notification.objects.filter(recipient=lixia_intake, case=arbitration).exists()
    # Intake confirms with the applicant and receives it.
    received = case_submit(by=lixia_intake, case=arbitration)
    assert received.status == CaseStatus.RECEIVED


def test_a_mediators_hand_over_of_an_online_case_is_the_applicants_draft(
    expired, worker_demo, lixia_mediator, login
):
    answer = login(lixia_mediator).post(
        reverse("mediation:handover-apply", args=[expired.pk]),
        {"commission": commission("370102").pk},
    )
    assert answer.status_code == 302
    expired.refresh_from_db()
    arbitration = expired.arbitration_case
    assert arbitration.owner == worker_demo
    assert arbitration.channel == CaseChannel.ONLINE
    assert Notification.objects.filter(recipient=worker_demo, case=arbitration).exists()
    assert events_of(arbitration).first().actor == lixia_mediator


def _breached(case, worker, mediator):
    items = [{"number": 1, "description": "支付工资一万元", "amount": "10000.00"}]

    def agree(locked):
        locked.agreed_items = items
        locked.concluded_at = timezone.now()
        return {}

    case = transition(case, "agree", by=mediator, apply=agree)
    agreement = Agreement(
        case=case,
        number="（2026）历下调协字第1号",
        items=case.agreed_items,
        content=[],
        content_sha256="0" * 64,
        drafted_by=mediator,
        drafted_at=timezone.now(),
        effective_at=timezone.now(),
    )
    agreement.pdf.save("agreement.pdf", ContentFile(b"%PDF-1.4 agreement"), save=False)
    agreement.pdf_sha256 = hashlib.sha256(b"%PDF-1.4 agreement").hexdigest()
    agreement.save()

    def apply(locked):
        locked.breached_at = timezone.now()
        locked.breach_note = "未按期支付"
        return {}

    return transition(case, "report_breach", by=worker, apply=apply), agreement


def test_after_a_breach_the_agreement_is_attached(mediating, worker_demo, lixia_mediator):
    # The agreement helper's signing flow is exercised in test_agreement; here the agreement
    # row is written directly, with its PDF.
    case, agreement = _breached(mediating, worker_demo, lixia_mediator)
    assert case.status == Status.BREACHED

    arbitration = services.mediation_to_arbitration(
        by=worker_demo, case=case, commission=commission("370102")
    )

    digests = set(arbitration.evidence.values_list("sha256", flat=True))
    assert agreement.pdf_sha256 in digests
    assert arbitration.evidence.filter(title__contains="调解协议书").exists()


def test_the_respondent_applying_after_a_breach_becomes_the_applicant(
    mediating, worker_demo, employer_user, lixia_mediator
):
    case, _agreement = _breached(mediating, worker_demo, lixia_mediator)

    arbitration = services.mediation_to_arbitration(
        by=employer_user, case=case, commission=commission("370102")
    )

    assert arbitration.owner == employer_user
    assert arbitration.parties.get(role="applicant").kind == "employer"
    assert arbitration.parties.get(role="respondent").kind == "worker"
    # The worker's claims are not put in the employer's mouth.
    assert not arbitration.claims.exists()


def test_the_case_page_offers_the_step_then_links_the_draft(expired, worker_demo, login):
    client = login(worker_demo)
    page = client.get(reverse("mediation-portal:room-case", args=[expired.pk]))
    apply_url = reverse("mediation-portal:handover-apply", args=[expired.pk])
    assert apply_url in page.content.decode()
    client.post(apply_url, {"commission": commission("370102").pk})
    page = client.get(reverse("mediation-portal:room-case", args=[expired.pk])).content.decode()
    assert apply_url not in page
    assert reverse("mediation-portal:handover-draft", args=[expired.pk]) in page
