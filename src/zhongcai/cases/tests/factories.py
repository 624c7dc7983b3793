"""Applications in each state, built through the services so events and clocks are real."""

from __future__ import annotations

import copy
from typing import Any

from zhongcai.accounts.models import User
from zhongcai.cases import services
from zhongcai.cases.models import Case, Channel
from zhongcai.core.identifiers import credit_code_check_char, id_number_check_char
from zhongcai.orgs.models import Organisation


def id_number(body17: str) -> str:
    return body17 + id_number_check_char(body17)


def credit_code(body17: str) -> str:
    return body17 + credit_code_check_char(body17)


WORKER = {
    "role": "applicant",
    "kind": "worker",
    "name": "王秀英",
    "id_number": id_number("37010219900512002"),
    "domicile": "济南市历下区泉城路 1 号",
    "domicile_division": "370102",
    "mailing_address": "济南市历下区泉城路 1 号 3 单元 201",
    "phone": "13800000001",
    "occupation": "收银员",
}
EMPLOYER = {
    "role": "respondent",
    "kind": "employer",
    "name": "济南示例商贸有限公司",
    "credit_code": credit_code("91370102MA3C00001"),
    "domicile": "济南市历下区经十路 100 号",
    "domicile_division": "370102",
    "mailing_address": "济南市历下区经十路 100 号",
    "phone": "0531-88880000",
    "legal_representative": "赵建国",
    "legal_representative_title": "执行董事",
}
APPLICATION: dict[str, Any] = {
    "category": "labor",
    "causes": ["remuneration", "economic_compensation"],
    "facts_and_reasons": (
        "申请人自 2024 年 3 月起在被申请人处工作，被申请人拖欠 2026 年 6 月至 8 月工资。"
    ),
    "evidence_summary": "工资条、考勤记录、微信聊天记录。",
    "workplace_division": "370102",
    "parties": [WORKER, EMPLOYER],
    "claims": [
        {"type": "remuneration", "description": "支付拖欠工资", "amount": "12000.00"},
        {
            "type": "economic_compensation",
            "description": "支付解除劳动合同经济补偿",
            "amount": "9000",
        },
    ],
}


def application(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(APPLICATION)
    data.update(changes)
    return data


def commission(code: str = "370102") -> Organisation:
    return Organisation.objects.get(division_id=code, type=Organisation.Type.COMMISSION)


def draft(
    by: User, *, code: str = "370102", channel: Channel | None = None, **changes: Any
) -> Case:
    channel = channel or (Channel.ONLINE if by.is_public else Channel.COUNTER)
    return services.case_create(
        by=by, commission=commission(code), channel=channel, data=application(**changes)
    )


def received(by: User, **changes: Any) -> Case:
    return services.case_submit(by=by, case=draft(by, **changes))


def accepted(intake: User, head: User, **changes: Any) -> Case:
    case = received(intake, **changes)
    return services.case_accept(by=head, case=case, warnings_acknowledged=True)


# --- After acceptance -------------------------------------------------------------------------
# Shortcuts that move a case on through ``workflow.transition`` (so events are real) with the
# fewest rows each stage needs. Each stage's own tests drive its real services; later stages use
# these to reach their starting state. When a stage's service lands, its shortcut may call it.


def people_of(commission_code: str = "370102", kind: str = "arbitrator") -> list[Any]:
    from zhongcai.orgs.models import Person

    return list(
        Person.objects.filter(
            organisation__division_id=commission_code,
            organisation__type=Organisation.Type.COMMISSION,
            kind=kind,
            appointments__status="active",
        ).order_by("pk")
    )


def tribunal_formed(case: Case, head: User, *, arbitrator_users: list[str] | None = None) -> Case:
    """Sole arbitrator ``lixia_arbitrator`` (or the three named users, the first presiding),
    and the recorder ``lixia_clerk``."""
    from django.utils import timezone

    from zhongcai.cases.models import TribunalKind, TribunalMember
    from zhongcai.cases.workflow import transition
    from zhongcai.orgs.models import Person

    names = arbitrator_users or ["lixia_arbitrator"]
    code = case.commission.division_id
    chosen = [Person.objects.get(user__username=name) for name in names]
    recorder = people_of(code, "recorder")[0]

    def apply(locked: Case) -> dict[str, Any]:
        now = timezone.now()
        seats = (
            [TribunalMember.Seat.SOLE]
            if len(chosen) == 1
            else [TribunalMember.Seat.PRESIDING] + [TribunalMember.Seat.MEMBER] * 2
        )
        for person, seat in zip(chosen, seats, strict=True):
            TribunalMember.objects.create(
                case=locked,
                person=person,
                seat=seat,
                method=TribunalMember.Method.DESIGNATED,
                reason="test",
                appointed_at=now,
                appointed_by=head,
            )
        TribunalMember.objects.create(
            case=locked,
            person=recorder,
            seat=TribunalMember.Seat.RECORDER,
            method=TribunalMember.Method.DESIGNATED,
            reason="test",
            appointed_at=now,
            appointed_by=head,
        )
        locked.tribunal_kind = TribunalKind.SOLE if len(chosen) == 1 else TribunalKind.THREE
        return {"members": [p.pk for p in chosen], "recorder": recorder.pk}

    return transition(case, "form_tribunal", by=head, apply=apply)


def in_defence_period(case: Case, clerk: User) -> Case:
    """The application copy served in person on every respondent today (each signed on the
    spot), the evidence notice on every party: each respondent's defence period runs from today.
    """
    from zhongcai.cases.models import ServiceMethod
    from zhongcai.cases.serving import serve_application_copy

    serve_application_copy(
        by=clerk, case=case, method=ServiceMethod.IN_PERSON, signed_on_the_spot=True
    )
    return Case.objects.select_related("commission", "institute").get(pk=case.pk)


def hearing_scheduled(case: Case, clerk: User, *, days_ahead: int = 10) -> Case:
    from datetime import timedelta

    from django.utils import timezone

    from zhongcai.cases.models import Hearing
    from zhongcai.cases.workflow import transition

    def apply(locked: Case) -> dict[str, Any]:
        starts = timezone.now() + timedelta(days=days_ahead)
        hearing = Hearing.objects.create(
            case=locked,
            session=locked.hearings.count() + 1,
            room=locked.commission.hearing_rooms.filter(is_active=True).first(),
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            scheduled_at=timezone.now(),
            scheduled_by=clerk,
        )
        hearing.people.set([m.person for m in locked.tribunal.filter(ended_at__isnull=True)])
        return {"hearing": hearing.pk}

    return transition(case, "schedule_hearing", by=clerk, apply=apply)


def in_hearing(case: Case, arbitrator: User) -> Case:
    from django.utils import timezone

    from zhongcai.cases.models import Hearing
    from zhongcai.cases.workflow import transition

    def apply(locked: Case) -> dict[str, Any]:
        hearing = locked.hearings.filter(state=Hearing.State.SCHEDULED).last()
        assert hearing is not None
        hearing.state, hearing.opened_at = Hearing.State.OPEN, timezone.now()
        hearing.save()
        return {"hearing": hearing.pk}

    return transition(case, "open_hearing", by=arbitrator, apply=apply)


def in_deliberation(case: Case, arbitrator: User) -> Case:
    from django.utils import timezone

    from zhongcai.cases.models import Hearing
    from zhongcai.cases.workflow import transition

    def apply(locked: Case) -> dict[str, Any]:
        hearing = locked.hearings.filter(state=Hearing.State.OPEN).last()
        assert hearing is not None
        hearing.state, hearing.closed_at = Hearing.State.HELD, timezone.now()
        hearing.save()
        return {"hearing": hearing.pk}

    return transition(case, "close_hearing", by=arbitrator, apply=apply)


def heard(intake: User, head: User, clerk: User, arbitrator: User, **changes: Any) -> Case:
    """Accepted, sole tribunal, application copy served, one hearing held: deliberating."""
    case = accepted(intake, head, **changes)
    case = tribunal_formed(case, head)
    case = in_defence_period(case, clerk)
    case = hearing_scheduled(case, clerk)
    case = in_hearing(case, arbitrator)
    return in_deliberation(case, arbitrator)


# --- Tribunal (组庭) ----------------------------------------------------------------------------


def tribunal_collective_changes(workers: int = 10) -> dict[str, Any]:
    """What makes an application collective (办案规则 art. 62): ``workers`` applicants, three
    representatives; for ``accepted(intake, head, **tribunal_collective_changes())``."""
    parties = [
        {
            **WORKER,
            "name": f"工人{i + 1:02d}",
            "id_number": id_number(f"370102198501{i % 28 + 1:02d}{i + 101:03d}"),
            "is_representative": i < 3,
        }
        for i in range(workers)
    ]
    return {"parties": [*parties, EMPLOYER], "collective": True}


def tribunal_person(name: str, commission_code: str = "370102") -> Any:
    """The demo roster person called ``name`` (the ``institutions`` fixture loads them)."""
    from zhongcai.orgs.models import Person

    return Person.objects.get(organisation=commission(commission_code), name=name)


# --- Closing stage shortcuts ------------------------------------------------------------------


def closing_awarded(case: Case, arbitrator: User) -> Case:
    """From deliberation to CLOSED_AWARD with the fewest rows: a mediation attempt, the award
    document and its row; the award clock met. The award stage's own service does much more."""
    from decimal import Decimal

    from django.utils import timezone

    from zhongcai.cases.deadlines import close_deadlines
    from zhongcai.cases.documents import document_issue
    from zhongcai.cases.models import (
        Award,
        CaseDeadline,
        DocumentKind,
        Finality,
        MediationAttempt,
    )
    from zhongcai.cases.workflow import transition

    MediationAttempt.objects.create(
        case=case,
        outcome=MediationAttempt.Outcome.FAILED,
        recorded_at=timezone.now(),
        recorded_by=arbitrator,
    )

    def apply(locked: Case) -> dict[str, Any]:
        document = document_issue(
            case=locked, kind=DocumentKind.AWARD, title="裁决书", by=arbitrator, body="裁决如下"
        )
        Award.objects.create(
            case=locked,
            kind=Award.Kind.FULL,
            document=document,
            finality=Finality.NON_FINAL,
            threshold=Decimal("0"),
            made_at=timezone.now(),
            made_by=arbitrator,
        )
        close_deadlines(locked, ["award"], state=CaseDeadline.State.MET)
        locked.closed_at = timezone.now()
        return {"document": document.pk}

    return transition(case, "award", by=arbitrator, apply=apply)


def tribunal_fresh_parties(i: int) -> dict[str, Any]:
    """Parties no earlier case had (by ID number and credit code), the employer's name kept: so
    that a series of cases is not barred by the past-case rule, for ``accepted(**changes)``."""
    worker = {**WORKER, "id_number": id_number(f"370102199001{i % 28 + 1:02d}{i % 1000:03d}")}
    employer = {**EMPLOYER, "credit_code": credit_code(f"91370102MA3D{i % 100000:05d}")}
    return {"parties": [worker, employer]}


# --- Award stage (mediation, award, after the award) -------------------------------------------


def award_wage(
    code: str = "370102", monthly: str = "2200.00", effective_from: str = "2020-01-01"
) -> Any:
    """A minimum-wage row of the division, so that tests do not rest on the seeded data."""
    from datetime import date
    from decimal import Decimal

    from zhongcai.cases.models import MinimumWage

    row, _created = MinimumWage.objects.get_or_create(
        division_id=code,
        effective_from=date.fromisoformat(effective_from),
        defaults={"tier": 1, "monthly": Decimal(monthly), "source": "test"},
    )
    return row


def award_items(case: Case, amounts: dict[int, str]) -> list[dict[str, Any]]:
    """One granted item per claim numbered in ``amounts``: the respondent pays the applicant."""
    from decimal import Decimal

    from zhongcai.cases.models import Party

    worker = case.parties.filter(role=Party.Role.APPLICANT).first()
    employer = case.parties.filter(role=Party.Role.RESPONDENT).first()
    return [
        {
            "claim": claim,
            "outcome": "granted",
            "ruling": f"被申请人支付申请人{claim.get_type_display()}{amounts[claim.number]}元",
            "obligor": employer,
            "obligee": worker,
            "amount": Decimal(amounts[claim.number]),
            "perform_within_days": 10,
        }
        for claim in case.claims.order_by("number")
        if claim.number in amounts
    ]


def award_made(case: Case, arbitrator: User, *, amounts: dict[int, str] | None = None) -> Any:
    """Deliberation → CLOSED_AWARD through the award stage's services: mediation failed, every
    claim granted (by default 9,000 and 26,400: both final, so the award is effective)."""
    from zhongcai.cases import award

    award_wage()
    award.mediation_attempt_record(by=arbitrator, case=case, outcome="failed")
    return award.award_make(
        by=arbitrator,
        case=case,
        items=award_items(case, amounts or {1: "9000.00", 2: "26400.00"}),
        facts="申请人在被申请人处工作，被申请人拖欠工资。",
        reasoning="被申请人应当支付。",
        legal_basis="《中华人民共和国劳动合同法》第三十条",
    )
