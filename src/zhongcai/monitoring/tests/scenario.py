"""The October 2026 scenario of the indicator tests, shared by the monitoring tests.

Lixia arbitration cases (accepted → closed):
  A 09-15 → open (award clock due 10-30: past the limit on 10-31)
  B 09-20 → withdrawn 10-01 (first day of the period)
  G 09-01 → withdrawn 09-30 (closed before the period)
  H 09-01 → award 10-16, non-final; suspended 09-10 → 09-15 (5 days excluded)
  I 08-20 → award 10-20, final, after its time limit
  C 10-01 → award 10-31 (last day), final
  D 10-10 → 调解书 signed 10-20
  E 10-31 (last day) → open; collective, 10 workers
  F 11-01 → open (after the period)
Licheng: L 10-15 → open. Lixia mediation centre: one agreement and one failure concluded in
October, one request declined.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhongcai.accounts.models import Role, User
from zhongcai.cases import award, closing, serving
from zhongcai.cases.models import Case, Party
from zhongcai.cases.tests import factories as f
from zhongcai.mediation import services as mediation
from zhongcai.mediation.models import MediationCase, Status
from zhongcai.mediation.tests.conftest import apply_online
from zhongcai.orgs.models import Organisation

CN = ZoneInfo("Asia/Shanghai")
OCT = {"start": date(2026, 10, 1), "end": date(2026, 10, 31)}
NOW = "2026-11-02 10:00 +0800"


def at(month, day, hour=10):
    return datetime(2026, month, day, hour, tzinfo=CN)


def accept(month, day, intake, head, i, hour=10, **changes):
    with time_machine.travel(at(month, day, hour), tick=False):
        return f.accepted(intake, head, **{**f.tribunal_fresh_parties(i), **changes})


def heard(case, head, clerk, arbitrator):
    case = f.tribunal_formed(case, head)
    case = f.in_defence_period(case, clerk)
    case = f.hearing_scheduled(case, clerk)
    case = f.in_hearing(case, arbitrator)
    return f.in_deliberation(case, arbitrator)


def awarded(case, arbitrator, month, day, amounts=None):
    with time_machine.travel(at(month, day, 15), tick=False):
        f.award_made(case, arbitrator, amounts=amounts)


@pytest.fixture
def scenario(
    institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator, licheng_intake,
    worker_demo, lixia_mediator,
):  # fmt: skip
    f.award_wage()  # 2,200 a month: an item of at most 26,400 is final
    cases = {}
    cases["A"] = accept(9, 15, lixia_intake, lixia_head, 1)
    cases["B"] = accept(9, 20, lixia_intake, lixia_head, 2)
    with time_machine.travel(at(10, 1, 9), tick=False):
        closing.case_withdraw(by=lixia_clerk, case=cases["B"], reasons="已和解")
    cases["G"] = accept(9, 1, lixia_intake, lixia_head, 3)
    with time_machine.travel(at(9, 30, 23), tick=False):
        closing.case_withdraw(by=lixia_clerk, case=cases["G"], reasons="已和解")

    h = accept(9, 1, lixia_intake, lixia_head, 4)
    with time_machine.travel(at(9, 1, 11), tick=False):
        h = heard(h, lixia_head, lixia_clerk, lixia_arbitrator)
    with time_machine.travel(at(9, 10), tick=False):
        closing.case_suspend(by=lixia_head, case=h, reason="force_majeure")
    with time_machine.travel(at(9, 15), tick=False):
        closing.case_resume(by=lixia_head, case=h)
    awarded(h, lixia_arbitrator, 10, 16, {1: "30000.00", 2: "30000.00"})
    cases["H"] = h

    i = accept(8, 20, lixia_intake, lixia_head, 5)
    with time_machine.travel(at(8, 20, 11), tick=False):
        i = heard(i, lixia_head, lixia_clerk, lixia_arbitrator)
    awarded(i, lixia_arbitrator, 10, 20)
    cases["I"] = i

    c = accept(10, 1, lixia_intake, lixia_head, 6)
    with time_machine.travel(at(10, 1, 11), tick=False):
        c = heard(c, lixia_head, lixia_clerk, lixia_arbitrator)
    awarded(c, lixia_arbitrator, 10, 31)
    cases["C"] = c

    d = accept(10, 10, lixia_intake, lixia_head, 7)
    with time_machine.travel(at(10, 20), tick=False):
        d = heard(d, lixia_head, lixia_clerk, lixia_arbitrator)
        award.mediation_attempt_record(by=lixia_arbitrator, case=d, outcome="agreed")
        document = award.mediation_document_issue(
            by=lixia_arbitrator, case=d, agreement="被申请人支付申请人 15000 元"
        )
        for role, name in ((Party.Role.APPLICANT, "王秀英"), (Party.Role.RESPONDENT, "赵建国")):
            serving.serve(
                by=lixia_clerk, case=d, document=document, parties=[d.parties.get(role=role)],
                method="in_person", signed_by_name=name,
            )  # fmt: skip
    cases["D"] = d

    cases["E"] = accept(
        10, 31, lixia_intake, lixia_head, 8, hour=16, **f.tribunal_collective_changes()
    )
    cases["F"] = accept(11, 1, lixia_intake, lixia_head, 9)
    licheng_head = User.objects.create(
        username="licheng_head", real_name="历城院长", role=Role.INSTITUTE_HEAD,
        organisation=licheng_intake.organisation,
    )  # fmt: skip
    cases["L"] = accept(10, 15, licheng_intake, licheng_head, 10, code="370112")

    centre = Organisation.objects.get(
        division_id="370102", type=Organisation.Type.MEDIATION_ORGANISATION
    )
    ended = {}
    for key, status, day in (("agreed", Status.AGREED, 12), ("failed", Status.FAILED, 25)):
        with time_machine.travel(at(10, 5), tick=False):
            m = mediation.mediation_accept(
                by=lixia_mediator, case=apply_online(worker_demo, centre), respondent_consent=True
            )
        # As the mediation assessment tests do: the concluding step is the mediation app's own.
        MediationCase.objects.filter(pk=m.pk).update(status=status, concluded_at=at(10, day, 16))
        ended[key] = m
    with time_machine.travel(at(10, 6), tick=False):
        ended["declined"] = mediation.mediation_decline(
            by=lixia_mediator, case=apply_online(worker_demo, centre), reason="对方拒绝调解"
        )
    return {k: Case.objects.get(pk=v.pk) for k, v in cases.items()} | ended
