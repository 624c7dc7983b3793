"""Mediation entrusted by an arbitration tribunal before the hearing (办案规则 art. 69)."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from zhongcai.cases.models import Status as CaseStatus
from zhongcai.cases.tests.factories import accepted, heard, tribunal_formed
from zhongcai.cases.workflow import TransitionError as CaseTransitionError
from zhongcai.core.events import events_of
from zhongcai.mediation import entrusted, services
from zhongcai.mediation.models import MediationCase, Status
from zhongcai.mediation.workflow import TransitionError, transition
from zhongcai.notifications.models import Notification

pytestmark = pytest.mark.django_db

MONDAY = "2026-03-02 10:00 +0800"


@pytest.fixture
def arbitration(institutions, lixia_intake, lixia_head):
    """An accepted case of the Lixia commission, its tribunal formed (lixia_arbitrator)."""
    with time_machine.travel(MONDAY, tick=False):
        case = accepted(lixia_intake, lixia_head)
        return tribunal_formed(case, lixia_head)


def entrust(case, by, centre, **consent):
    return entrusted.mediation_entrust(
        by=by,
        case=case,
        organisation=centre,
        consent_applicant=consent.get("applicant", True),
        consent_respondent=consent.get("respondent", True),
    )


def test_it_needs_both_parties_consent(arbitration, lixia_arbitrator, centre):
    with pytest.raises(ValidationError) as caught:
        entrust(arbitration, lixia_arbitrator, centre, respondent=False)
    assert set(caught.value.message_dict) == {"consent"}
    assert not MediationCase.objects.filter(entrusted_by=arbitration).exists()


def test_the_tribunal_entrusts_with_a_10_working_day_period(arbitration, lixia_arbitrator, centre):
    with time_machine.travel(MONDAY, tick=False):
        mediation = entrust(arbitration, lixia_arbitrator, centre)

    assert mediation.status == Status.ACCEPTED
    assert mediation.entrusted_by == arbitration
    assert mediation.dispute == arbitration.dispute
    assert mediation.conclusion_due == date(2026, 3, 16)  # 10 working days from 2 March
    assert sorted(mediation.parties.values_list("role", "name")) == sorted(
        arbitration.parties.values_list("role", "name")
    )
    assert list(mediation.claims.values_list("number", "type", "amount")) == list(
        arbitration.claims.values_list("number", "type", "amount")
    )
    event = events_of(arbitration).last()
    assert event.kind == "case.mediation_entrusted"
    assert event.payload["mediation_case"] == mediation.pk
    assert event.payload["consent"] == {"applicant": True, "respondent": True}
    assert events_of(mediation).first().payload["arbitration_case"] == arbitration.pk
    arbitration.refresh_from_db()
    assert arbitration.status == CaseStatus.PANEL_FORMED

    # Twice at once: refused while the first runs.
    with pytest.raises(CaseTransitionError):
        entrust(arbitration, lixia_arbitrator, centre)


def test_only_the_tribunal_or_a_clerk_entrusts(
    arbitration, lixia_mediator, licheng_arbitrator, worker_demo, centre
):
    for stranger in (lixia_mediator, licheng_arbitrator, worker_demo):
        with pytest.raises(PermissionDenied):
            entrust(arbitration, stranger, centre)


def test_not_after_the_hearing_started(
    institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator, centre
):
    case = heard(lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator)
    with pytest.raises(CaseTransitionError):
        entrust(case, lixia_arbitrator, centre)


def test_an_agreement_is_told_to_the_arbitration_case(
    arbitration, lixia_arbitrator, lixia_mediator, centre, mediators
):
    mediation = entrust(arbitration, lixia_arbitrator, centre)
    mediation = services.mediator_draw(by=lixia_mediator, case=mediation)

    def agree(locked):
        locked.agreed_items = [{"number": 1, "description": "支付工资", "amount": "10000.00"}]
        locked.concluded_at = timezone.now()
        return {}

    transition(mediation, "agree", by=lixia_mediator, apply=agree)

    event = events_of(arbitration).last()
    assert event.kind == "case.entrusted_mediation_agreed"
    assert event.payload == {
        "mediation_case": mediation.pk,
        "outcome": "agreed",
        "deemed": False,
        "hold_hearing": False,
    }
    assert Notification.objects.filter(recipient=lixia_arbitrator, case=arbitration).exists()


def test_no_agreement_by_day_10_means_the_hearing_is_held(arbitration, lixia_arbitrator, centre):
    with time_machine.travel(MONDAY, tick=False):
        mediation = entrust(arbitration, lixia_arbitrator, centre)
    with time_machine.travel("2026-03-16 20:00 +0800", tick=False):
        assert services.mediation_expire_due(date(2026, 3, 16)) == []
    with time_machine.travel("2026-03-17 01:00 +0800", tick=False):
        assert services.mediation_expire_due(date(2026, 3, 17)) == [mediation.pk]

    mediation.refresh_from_db()
    assert mediation.status == Status.FAILED
    event = events_of(arbitration).last()
    assert event.kind == "case.entrusted_mediation_failed"
    assert event.payload["hold_hearing"] is True
    assert event.payload["deemed"] is True
    assert Notification.objects.filter(recipient=lixia_arbitrator, case=arbitration).exists()
    # The dispute is already in arbitration: no second application from it.
    with pytest.raises(TransitionError):
        services.mediation_to_arbitration(by=lixia_arbitrator, case=mediation, commission=None)
    # Now another mediation may be entrusted.
    assert entrust(arbitration, lixia_arbitrator, centre).pk != mediation.pk


def test_the_case_page_shows_it_and_takes_the_form(arbitration, lixia_arbitrator, centre, login):
    client = login(lixia_arbitrator)
    url = reverse("mediation:handover-entrust", args=[arbitration.pk])
    page = client.get(reverse("cases:case-detail", args=[arbitration.pk]))
    assert url in page.content.decode()

    answer = client.post(url, {"organisation": centre.pk, "consent_applicant": "on"})
    assert answer.status_code == 400
    assert not MediationCase.objects.filter(entrusted_by=arbitration).exists()

    answer = client.post(
        url, {"organisation": centre.pk, "consent_applicant": "on", "consent_respondent": "on"}
    )
    assert answer.status_code == 302
    mediation = MediationCase.objects.get(entrusted_by=arbitration)
    page = client.get(reverse("cases:case-detail", args=[arbitration.pk]))
    assert centre.name in page.content.decode()
    assert mediation.conclusion_due.isoformat() in page.content.decode()
