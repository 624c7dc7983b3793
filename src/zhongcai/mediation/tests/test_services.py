"""Mediation cases from application to agreement, failure and arbitration (spec §9, §12.3)."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from zhongcai.accounts.models import Role, User
from zhongcai.cases.models import Case, Party
from zhongcai.cases.models import Status as CaseStatus
from zhongcai.cases.tests.factories import EMPLOYER, WORKER, application, commission
from zhongcai.core.events import events_of, verify_chains
from zhongcai.mediation import selectors, services
from zhongcai.mediation.agreement import agreement_draft
from zhongcai.mediation.models import Channel, MediationCase, Status
from zhongcai.mediation.tests.conftest import apply_online
from zhongcai.mediation.tests.test_agreement import reach_agreement
from zhongcai.mediation.workflow import TransitionError
from zhongcai.orgs.models import Appointment, Person

pytestmark = pytest.mark.django_db

MONDAY = "2026-03-02 10:00 +0800"


def kinds(case):
    return [event.kind for event in events_of(case)]


def test_it_runs_apply_accept_draw_agree_with_events_and_due_dates(
    worker_demo, lixia_mediator, centre, mediators, employer_user
):
    with time_machine.travel(MONDAY, tick=False):
        case = apply_online(worker_demo, centre)
    assert case.status == Status.APPLIED
    assert case.acceptance_due == date(2026, 3, 5)  # 3 working days
    assert case.owner == worker_demo
    assert case.parties.get(role="applicant").user == worker_demo
    assert [(c.number, c.type, str(c.amount)) for c in case.claims.all()] == [
        (1, "remuneration", "12000.00"),
        (2, "economic_compensation", "9000.00"),
    ]

    with time_machine.travel("2026-03-03 09:00 +0800", tick=False):
        case = services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)
    assert case.status == Status.ACCEPTED
    # LDMAL art. 14: 15 calendar days from the organisation's receipt (2 March), not acceptance.
    assert case.conclusion_due == date(2026, 3, 17)

    case = services.mediator_draw(by=lixia_mediator, case=case)
    assert case.status == Status.MEDIATING
    assert case.mediator in mediators
    assert sorted(case.draw["candidates"]) == sorted(p.pk for p in mediators)

    case = reach_agreement(
        case,
        mediator=lixia_mediator,
        applicant=worker_demo,
        respondent=employer_user,
        items=[{"description": "被申请人于 3 月 20 日前支付工资", "amount": "11000"}],
    )
    assert case.status == Status.AGREED
    assert case.agreed_items == [
        {"number": 1, "description": "被申请人于 3 月 20 日前支付工资", "amount": "11000.00"}
    ]
    assert case.concluded_at is not None
    assert kinds(case) == [
        "mediation.applied",
        "mediation.accepted",
        "mediation.mediator_drawn",
        "mediation.agreement_drafted",
        "mediation.agreement_signed",
        "mediation.agreement_signed",
        "mediation.agreement_signed",
        "mediation.agreement_sealed",
        "mediation.agreed",
    ]
    assert events_of(case)[0].payload["conclusion_due"] == "2026-03-17"  # set on receipt
    assert list(verify_chains()) == []


def test_acceptance_due_skips_national_day(worker_demo, centre):
    # Tuesday 29 September 2026: 30 September, then 1–7 October off, then 8 and 9 October.
    with time_machine.travel("2026-09-29 10:00 +0800", tick=False):
        case = apply_online(worker_demo, centre)
    assert case.acceptance_due == date(2026, 10, 9)


def test_a_mediator_records_a_walk_in(lixia_mediator, centre):
    case = services.mediation_apply(
        by=lixia_mediator, organisation=centre, data=application(), channel=Channel.WALK_IN
    )
    assert case.owner is None
    assert case.channel == Channel.WALK_IN


def test_the_public_cannot_claim_a_walk_in_and_a_mediator_not_for_another_centre(
    worker_demo, licheng_mediator, centre
):
    with pytest.raises(PermissionDenied):
        services.mediation_apply(
            by=worker_demo, organisation=centre, data=application(), channel=Channel.WALK_IN
        )
    with pytest.raises(PermissionDenied):
        services.mediation_apply(
            by=licheng_mediator, organisation=centre, data=application(), channel=Channel.WALK_IN
        )
    assert not MediationCase.objects.exists()


def test_bad_application_gets_every_error_and_writes_nothing(worker_demo, centre):
    bad = application(parties=[{**WORKER, "id_number": "123"}], claims=[{"type": "nonsense"}])
    with pytest.raises(ValidationError) as caught:
        apply_online(worker_demo, centre, **bad)
    errors = caught.value.message_dict
    assert "parties.0.id_number" in errors
    assert "claims.0.type" in errors
    assert not MediationCase.objects.exists()


def test_it_needs_the_other_side_and_a_claim(worker_demo, centre):
    with pytest.raises(ValidationError) as caught:
        apply_online(worker_demo, centre, parties=[WORKER], claims=[])
    assert set(caught.value.message_dict) == {"parties", "claims"}


def test_an_arbitration_commission_is_not_a_mediation_organisation(worker_demo, province):
    with pytest.raises(ValidationError):
        apply_online(worker_demo, commission("370102"))


def test_decline_needs_a_reason_and_records_it(worker_demo, lixia_mediator, centre):
    case = apply_online(worker_demo, centre)
    with pytest.raises(ValidationError):
        services.mediation_decline(by=lixia_mediator, case=case, reason="  ")
    case = services.mediation_decline(by=lixia_mediator, case=case, reason="被申请人不同意调解")
    assert case.status == Status.DECLINED
    assert case.decline_reason == "被申请人不同意调解"
    assert events_of(case).last().payload["reason"] == "被申请人不同意调解"
    with pytest.raises(TransitionError):
        services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)


def test_a_mediator_of_another_organisation_may_not_accept(worker_demo, licheng_mediator, centre):
    case = apply_online(worker_demo, centre)
    with pytest.raises(PermissionDenied):
        services.mediation_accept(by=licheng_mediator, case=case, respondent_consent=True)
    with pytest.raises(PermissionDenied):
        services.mediation_accept(by=worker_demo, case=case, respondent_consent=True)
    case.refresh_from_db()
    assert case.status == Status.APPLIED
    assert kinds(case) == ["mediation.applied"]


def test_accepting_twice_is_refused(worker_demo, lixia_mediator, centre):
    case = apply_online(worker_demo, centre)
    services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)
    with pytest.raises(TransitionError):
        services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)


def test_extension_needs_both_parties_and_happens_once(
    worker_demo, lixia_mediator, centre, mediators
):
    with time_machine.travel(MONDAY, tick=False):
        case = apply_online(worker_demo, centre)
        case = services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)
        with pytest.raises(ValidationError) as caught:
            services.mediation_extend(
                by=lixia_mediator,
                case=case,
                days=10,
                consent_applicant=True,
                consent_respondent=False,
            )
        assert "consent" in caught.value.message_dict
        with pytest.raises(ValidationError):
            services.mediation_extend(
                by=lixia_mediator,
                case=case,
                days=99,
                consent_applicant=True,
                consent_respondent=True,
            )
        case = services.mediation_extend(
            by=lixia_mediator, case=case, days=10, consent_applicant=True, consent_respondent=True
        )
    # 2 March + 25 days = 27 March, a Friday.
    assert case.conclusion_due == date(2026, 3, 27)
    assert case.extension_days == 10
    payload = events_of(case).last().payload
    assert payload["consent"] == {"applicant": True, "respondent": True}
    assert (payload["due_before"], payload["conclusion_due"]) == ("2026-03-17", "2026-03-27")
    with pytest.raises(TransitionError):
        services.mediation_extend(
            by=lixia_mediator, case=case, days=5, consent_applicant=True, consent_respondent=True
        )


def test_day_16_without_agreement_fails_the_case(worker_demo, lixia_mediator, centre, mediators):
    with time_machine.travel(MONDAY, tick=False):
        case = apply_online(worker_demo, centre)
        case = services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)
        case = services.mediator_draw(by=lixia_mediator, case=case)
    assert case.conclusion_due == date(2026, 3, 17)
    with time_machine.travel("2026-03-17 20:00 +0800", tick=False):
        assert services.mediation_expire_due(date(2026, 3, 17)) == []
    with time_machine.travel("2026-03-18 00:05 +0800", tick=False):
        assert services.mediation_expire_due(date(2026, 3, 18)) == [case.pk]
        assert services.mediation_expire_due(date(2026, 3, 18)) == []  # a second run: nothing
    case.refresh_from_db()
    assert case.status == Status.FAILED
    assert case.failure_reason
    event = events_of(case).last()
    assert (event.kind, event.actor) == ("mediation.expired", None)


def test_an_extended_or_agreed_case_does_not_expire(
    worker_demo, lixia_mediator, centre, mediators, employer_user
):
    with time_machine.travel(MONDAY, tick=False):
        extended = apply_online(worker_demo, centre)
        extended = services.mediation_accept(
            by=lixia_mediator, case=extended, respondent_consent=True
        )
        services.mediation_extend(
            by=lixia_mediator,
            case=extended,
            days=5,
            consent_applicant=True,
            consent_respondent=True,
        )
        agreed = apply_online(worker_demo, centre)
        agreed = services.mediation_accept(by=lixia_mediator, case=agreed, respondent_consent=True)
        agreed = services.mediator_draw(by=lixia_mediator, case=agreed)
        reach_agreement(
            agreed,
            mediator=lixia_mediator,
            applicant=worker_demo,
            respondent=employer_user,
            items=[{"description": "和解"}],
        )
    with time_machine.travel("2026-03-18 00:05 +0800", tick=False):
        assert services.mediation_expire_due(date(2026, 3, 18)) == []
    # 2 March + 20 days is Sunday 22 March: the period ends on Monday 23 March.
    assert MediationCase.objects.get(pk=extended.pk).conclusion_due == date(2026, 3, 23)
    with time_machine.travel("2026-03-24 00:05 +0800", tick=False):
        assert services.mediation_expire_due(date(2026, 3, 24)) == [extended.pk]


def test_agreement_needs_items(worker_demo, lixia_mediator, centre, mediators):
    case = services.mediation_accept(
        by=lixia_mediator, case=apply_online(worker_demo, centre), respondent_consent=True
    )
    case = services.mediator_draw(by=lixia_mediator, case=case)
    with pytest.raises(ValidationError):
        agreement_draft(by=lixia_mediator, case=case, items=[])
    with pytest.raises(ValidationError) as caught:
        agreement_draft(by=lixia_mediator, case=case, items=[{"description": "", "amount": "abc"}])
    assert set(caught.value.message_dict) == {"items.0.description", "items.0.amount"}
    case.refresh_from_db()
    assert case.status == Status.MEDIATING


def test_a_failed_mediation_becomes_a_draft_arbitration_application(
    worker_demo, lixia_mediator, licheng_mediator, centre, mediators, province
):
    case = apply_online(worker_demo, centre)
    case = services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)
    case = services.mediation_fail(by=lixia_mediator, case=case, reason="双方对金额分歧较大")
    with pytest.raises(PermissionDenied):
        services.mediation_to_arbitration(
            by=licheng_mediator, case=case, commission=commission("370102")
        )

    arbitration = services.mediation_to_arbitration(
        by=worker_demo, case=case, commission=commission("370102")
    )

    assert arbitration.status == CaseStatus.DRAFT
    assert arbitration.owner == worker_demo
    assert arbitration.facts_and_reasons == case.facts
    assert list(arbitration.causes) == list(case.causes)

    def party_rows(parties):
        return sorted(
            (p.role, p.kind, p.name, p.id_number, p.credit_code, p.phone, p.domicile)
            for p in parties
        )

    assert party_rows(arbitration.parties.all()) == party_rows(case.parties.all())
    assert arbitration.parties.get(role=Party.Role.APPLICANT).user == worker_demo
    assert arbitration.parties.get(role="respondent").credit_code == EMPLOYER["credit_code"]
    assert [(c.type, c.amount, c.description) for c in arbitration.claims.order_by("pk")] == [
        (c.type, c.amount, c.description) for c in case.claims.order_by("number")
    ]
    case.refresh_from_db()
    assert case.arbitration_case == arbitration
    assert case.status == Status.FAILED
    event = events_of(case).last()
    assert event.kind == "mediation.sent_to_arbitration"
    assert event.payload["arbitration_case"] == arbitration.pk
    assert event.payload["dispute"] == str(case.dispute)
    # One dispute across both stages.
    assert arbitration.dispute == case.dispute

    with pytest.raises(TransitionError):
        services.mediation_to_arbitration(
            by=worker_demo, case=case, commission=commission("370102")
        )
    assert Case.objects.filter(owner=worker_demo).count() == 1


def test_only_a_failed_case_goes_to_arbitration_and_only_by_its_parties(
    worker_demo, employer_demo, lixia_mediator, centre
):
    case = apply_online(worker_demo, centre)
    with pytest.raises(TransitionError):
        services.mediation_to_arbitration(
            by=worker_demo, case=case, commission=commission("370102")
        )
    case = services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)
    case = services.mediation_fail(by=lixia_mediator, case=case, reason="调解不成")
    with pytest.raises(PermissionDenied):
        services.mediation_to_arbitration(
            by=employer_demo, case=case, commission=commission("370102")
        )
    assert not Case.objects.filter(owner__in=[worker_demo, employer_demo]).exists()


def test_a_mediator_never_sees_another_organisations_case(
    worker_demo, employer_demo, lixia_mediator, licheng_mediator, centre
):
    case = apply_online(worker_demo, centre)
    assert list(selectors.cases_for(lixia_mediator)) == [case]
    assert list(selectors.cases_for(licheng_mediator)) == []
    with pytest.raises(Http404):
        selectors.get_case_for(licheng_mediator, case.pk)
    assert selectors.get_case_for(worker_demo, case.pk) == case
    with pytest.raises(Http404):
        selectors.get_case_for(employer_demo, case.pk)


def test_the_draw_replays_from_its_seed_and_skips_mediators_not_appointed(
    worker_demo, lixia_mediator, centre, mediators
):
    case = apply_online(worker_demo, centre)
    case = services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)
    case = services.mediator_draw(by=lixia_mediator, case=case)
    assert services.draw_replays(case)
    ended = Person.objects.get(name="吴敏")
    assert ended.pk not in case.draw["candidates"]
    assert events_of(case).last().payload["draw"] == case.draw
    case.draw = {
        **case.draw,
        "drawn": [p for p in case.draw["candidates"] if p != case.mediator_id][:1],
    }
    assert not services.draw_replays(case)


def test_no_mediator_to_draw_is_a_clear_error(worker_demo, lixia_mediator, centre):
    Appointment.objects.filter(person__organisation=centre).update(status=Appointment.Status.ENDED)
    case = apply_online(worker_demo, centre)
    case = services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)
    with pytest.raises(ValidationError) as caught:
        services.mediator_draw(by=lixia_mediator, case=case)
    assert "mediator" in caught.value.message_dict
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


def test_the_hourly_task_deems_overdue_mediations_failed_in_chinese(monkeypatch):
    from zhongcai.mediation import tasks

    seen = []

    def fake_expire(today):
        from django.utils.translation import gettext

        seen.append(gettext("No agreement within the time limit."))
        return [1, 2]

    monkeypatch.setattr(tasks.services, "mediation_expire_due", fake_expire)
    from django.utils import translation

    with translation.override("en"):
        assert tasks.expire_due_mediations() == 2
    assert seen == ["调解期限内未达成协议。"]


def test_the_embedded_default_runs_the_expiry_as_a_command(monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from zhongcai.mediation import tasks

    monkeypatch.setattr(tasks.services, "mediation_expire_due", lambda today: [7])
    out = StringIO()
    call_command("expire_mediations", stdout=out)
    assert "1" in out.getvalue()


def test_mediation_is_accepted_only_with_the_other_sides_consent(
    lixia_mediator, worker_demo, centre
):
    case = apply_online(worker_demo, centre)
    with pytest.raises(ValidationError) as refused:
        services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=False)
    assert "respondent_consent" in refused.value.message_dict
    case.refresh_from_db()
    assert case.status == Status.APPLIED


def test_the_employers_staff_and_the_online_applicant_act_for_their_parties(
    mediating, worker_demo, employer_user, lixia_mediator
):
    from zhongcai.mediation.parties import parties_acted_for, party_for

    applicant = mediating.parties.get(role="applicant")
    respondent = mediating.parties.get(role="respondent")
    assert party_for(worker_demo, mediating) == applicant
    assert party_for(employer_user, mediating) == respondent
    assert parties_acted_for(lixia_mediator, mediating) == []
    assert selectors.get_case_for(employer_user, mediating.pk) == mediating
    stranger = User.objects.create_user(username="stranger", password="x", role=Role.WORKER)
    with pytest.raises(PermissionDenied):
        party_for(stranger, mediating)
    with pytest.raises(Http404):
        selectors.get_case_for(stranger, mediating.pk)


def test_cases_are_numbered_per_organisation_and_year(worker_demo, centre, licheng_mediator):
    with time_machine.travel(MONDAY, tick=False):
        first = apply_online(worker_demo, centre)
        second = apply_online(worker_demo, centre)
    with time_machine.travel("2027-01-04 10:00 +0800", tick=False):
        next_year = apply_online(worker_demo, centre)
    assert [first.number, second.number, next_year.number] == [
        "济历下调〔2026〕第1号",
        "济历下调〔2026〕第2号",
        "济历下调〔2027〕第1号",
    ]
    assert str(first) == first.number


def test_an_online_application_reaches_the_organisations_inbox(worker_demo, centre, lixia_mediator):
    from zhongcai.notifications.models import Notification

    case = apply_online(worker_demo, centre)
    notice = Notification.objects.get(recipient=lixia_mediator, kind="mediation.applied")
    assert case.number in notice.title and notice.link.endswith(f"/staff/mediation/{case.pk}/")
